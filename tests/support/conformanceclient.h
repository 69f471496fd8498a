// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QString>
#include <QTcpSocket>

// A WebSocket client at the frame level for the RFC 6455 conformance tests: it builds any client
// frame (opcode, FIN, RSV bits, mask or no mask), sends bytes in chops, and parses what the
// server sends, checking the rules a server frame must follow (no mask, RSV 0, known opcodes,
// unfragmented control frames of at most 125 bytes, text messages in UTF-8). Waits spin the event loop, so
// the server may live in the same thread.
class ConformanceClient
{
public:
    enum class Opcode : quint8 {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA
    };

    struct Event
    {
        enum class Kind { Text, Binary, Ping, Pong, Close, Disconnected, Timeout, Violation };
        Kind kind = Kind::Timeout;
        // Text, Binary: the whole (reassembled) message; Ping, Pong: the payload; Close: the
        // reason; Violation: what the server did wrong.
        QByteArray payload;
        // Close: the status code, or -1 for a close frame without payload.
        int closeCode = -1;
        QString describe() const;
    };

    struct HttpReply
    {
        int status = 0;      // 0: no complete reply
        QByteArray head;     // status line and headers
        bool closed = false; // the server closed the connection (before a complete reply)
        QByteArray header(const QByteArray &name) const;
    };

    ConformanceClient();
    ~ConformanceClient();
    ConformanceClient(const ConformanceClient &) = delete;
    ConformanceClient &operator=(const ConformanceClient &) = delete;

    // Connects and completes the opening handshake (checking Sec-WebSocket-Accept).
    bool open(quint16 port);
    // Connects, sends request as it is and reads the HTTP reply head.
    HttpReply request(quint16 port, const QByteArray &request);

    // A client frame: masked unless masked is false; rsv is the 3-bit RSV field (RSV1 = 4).
    static QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0,
                            bool masked = true);
    static QByteArray frame(Opcode opcode, const QByteArray &payload, bool fin = true)
    {
        return frame(quint8(opcode), payload, fin);
    }
    // A close frame payload: the code (none when code < 0) and the reason.
    static QByteArray closePayload(int code, const QByteArray &reason = {});

    // Writes bytes in one write, or in chops of chop bytes, each flushed to the kernel and
    // followed by one pass of the event loop (so the server reads it on its own).
    void send(const QByteArray &bytes, qsizetype chop = 0);
    // The next event from the server within timeoutMs: a message, a control frame, the end of
    // the TCP connection, a violation of the server's side of RFC 6455, or Timeout.
    Event next(int timeoutMs = 5000);
    // True when the server closed the TCP connection within timeoutMs; frames that arrive before
    // are appended to framesBefore.
    bool waitDisconnected(int timeoutMs, QList<Event> *framesBefore);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void abort() { m_socket.abort(); }
    QTcpSocket &socket() { return m_socket; }

private:
    bool waitForHead(int timeoutMs);
    // Parses one frame from m_buffer into an event, or returns false when more bytes are needed.
    bool takeFrame(Event *event);
    Event frameEvent(quint8 opcode, bool fin, QByteArray payload);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_disconnected = false;
    // A fragmented server message in progress: its opcode (0 = none) and data.
    quint8 m_messageOpcode = 0;
    QByteArray m_message;
};
