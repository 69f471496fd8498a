// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <chrono>

#include "relaysocket.h"
#include "websockethandshake.h"
#include "websocketparser.h"

// One client's WebSocket connection, the relay's own RFC 6455 endpoint on a RelaySocket: the
// opening handshake (the request is handed to the Handler, which accepts or refuses it), frames
// parsed by WebSocketParser, pings answered, and the closing handshake (section 7): a close frame
// from the peer is answered with the same code, a close of ours waits for the peer's answer, and
// a connection that breaks the protocol is failed with 1002, 1007 or 1009. Every close ends with
// the socket's lingering close, so the peer receives the close frame even while it is still
// sending.
class WebSocketConnection final : public RelaySocket, private WebSocketParser::Handler
{
    Q_OBJECT
public:
    class Handler
    {
    public:
        // A request was read (or refused: result.status says which). The handler calls accept()
        // or refuse() for a complete one, from here.
        virtual void handshakeReceived(WebSocketConnection *c, const WebSocketHandshake::Result &result) = 0;
        virtual void textReceived(WebSocketConnection *c, QByteArray &&text) = 0;
        virtual void binaryReceived(WebSocketConnection *c, QByteArray &&data) = 0;
        virtual void pongReceived(WebSocketConnection *c) = 0;
        // The peer broke the protocol; the connection is being closed with code.
        virtual void protocolFailed(WebSocketConnection *c, quint16 code, const char *reason) = 0;
        // The connection has ended; it is not deleted here.
        virtual void disconnected(WebSocketConnection *c) = 0;

    protected:
        ~Handler() = default;
    };

    enum class State : quint8 { Handshake, Open, Closing, Closed };

    struct Settings
    {
        qint64 maxMessageBytes = 64 * 1024;
        std::chrono::milliseconds handshakeTimeout{10000}; // 0 = none
        std::chrono::milliseconds linger{1000};            // how long a closing socket waits
    };

    WebSocketConnection(qintptr descriptor, const QSslConfiguration *tls, Handler *handler,
                        const Settings &settings, QObject *parent = nullptr);

    void setHandler(Handler *handler) { m_handler = handler; }
    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    // The owner's name for this connection (the relay's client id).
    quint64 tag = 0;

    // Answers the request with 101 (and protocol when non-empty); frames that came with the
    // request are parsed in the next loop turn.
    void accept(const WebSocketHandshake::Request &request, QByteArrayView protocol);
    // Answers the request with an HTTP error and closes.
    void refuse(int status, QByteArrayView reason, QByteArrayView headers = {});
    // Answers the request with a complete HTTP response (the development page) and closes.
    void respond(const QByteArray &response);
    // A ping with no payload (one frame shared by every connection).
    void ping();
    // Starts the closing handshake: the close frame goes out after what is queued.
    void close(quint16 code, QByteArrayView reason);
    // What the peer's close frame said (1005 when it carried no code), 0 when none came.
    quint16 closeCodeReceived() const { return m_codeReceived; }
    // The code of the close frame this side sent, 0 when none.
    quint16 closeCodeSent() const { return m_codeSent; }

protected:
    void bytesReceived(char *data, qsizetype size) override;
    void transportClosed() override;
    void timerExpired(int id) override;

private:
    void readRequest(const char *data, qsizetype size);
    void parseEarlyFrames();
    void sendClose(quint16 code, QByteArrayView reason, bool awaitAnswer);
    // WebSocketParser::Handler
    void messageReceived(bool text, QByteArray &&payload) override;
    void pingReceived(QByteArrayView payload) override;
    void pongReceived(QByteArrayView payload) override;
    void closeReceived(quint16 code, QByteArrayView reason) override;
    void failed(quint16 code, const char *reason) override;

    WebSocketParser m_parser;
    QByteArray m_request; // the opening handshake until it is answered
    Handler *m_handler;
    std::chrono::milliseconds m_linger;
    int m_handshakeTimer = 0;
    quint16 m_codeReceived = 0;
    quint16 m_codeSent = 0;
    State m_state = State::Handshake;
};
