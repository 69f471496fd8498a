// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "utf8validator.h"

// The receiving half of RFC 6455 on the server side: client frames parsed incrementally as bytes
// arrive, in any pieces. Enforced (section 5): masking on every client frame, reserved bits clear
// (no extension is negotiated), known opcodes only, control frames final and at most 125 bytes,
// the minimal length encoding, continuation frames only inside a fragmented message, control frames
// allowed between its fragments. Text is validated as UTF-8 across fragments and fails at the first
// invalid byte (section 8.1); a message larger than the limit fails as soon as a frame header
// announces it, before its payload is buffered. Close frames are checked (section 7.4: no 1-byte
// payload, a valid code, a UTF-8 reason).
//
// The parser allocates nothing while idle: a message is buffered only while its frames arrive,
// and handed over whole.
class WebSocketParser
{
public:
    enum Opcode : quint8 {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xa
    };

    class Handler
    {
    public:
        virtual void messageReceived(bool text, QByteArray &&payload) = 0;
        virtual void pingReceived(QByteArrayView payload) = 0;
        virtual void pongReceived(QByteArrayView payload) = 0;
        // code is 0 when the close frame carried none (1005 "no status" on the wire's terms).
        virtual void closeReceived(quint16 code, QByteArrayView reason) = 0;
        // The stream broke the protocol: fail the connection with code (1002, 1007 or 1009).
        // After 1009 the parser goes on, skipping the oversized message, so that a close frame
        // the client sends after it is still seen.
        virtual void failed(quint16 code, const char *reason) = 0;

    protected:
        ~Handler() = default;
    };

    explicit WebSocketParser(qint64 maxMessageBytes)
        : m_maxMessage(maxMessageBytes)
    {}

    // Parses size bytes (unmasked in place). Returns false once the stream has failed (the
    // handler was told); nothing more is parsed then. Stops after a close frame or stop().
    bool feed(char *data, qsizetype size, Handler &handler);
    // No further frames are parsed (the connection is closing).
    void stop() { m_state = State::Stopped; }
    // Data messages are skipped from now on, unbuffered and unchecked; control frames are still
    // parsed (a connection that sent its close frame waits for the peer's).
    void discardMessages() { m_discard = true; }
    bool hasFailed() const { return m_state == State::Failed; }
    // The code the stream failed with (1002, 1007, 1009), 0 while it has not.
    quint16 errorCode() const { return m_errorCode; }
    // Bytes of the message being received (for memory accounting).
    qsizetype bufferedBytes() const { return m_message.size() + m_control.size(); }

    static bool isValidCloseCode(quint16 code);

private:
    enum class State : quint8 { Header, Payload, Stopped, Failed };

    bool fail(Handler &handler, quint16 code, const char *reason);
    // Consumes header bytes; true when a whole header has been read and accepted.
    bool readHeader(const char *&p, const char *end, Handler &handler);
    bool acceptHeader(Handler &handler);
    bool consumePayload(char *&p, char *end, Handler &handler);
    bool finishControl(Handler &handler, QByteArrayView payload);
    void unmask(char *data, qsizetype size);

    qint64 m_maxMessage;
    QByteArray m_message; // fragments of the data message so far
    QByteArray m_control; // a control frame's payload split between reads
    Utf8Validator m_utf8;
    quint64 m_remaining = 0; // payload bytes of the current frame still to come
    quint16 m_errorCode = 0;
    quint8 m_header[14] = {};
    quint8 m_headerSize = 0;
    quint8 m_mask[4] = {};
    quint8 m_maskOffset = 0;
    quint8 m_opcode = 0;        // of the current frame
    quint8 m_messageOpcode = 0; // Text or Binary while a message is open, else 0
    bool m_fin = false;
    bool m_discard = false;
    State m_state = State::Header;
};
