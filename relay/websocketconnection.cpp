// SPDX-License-Identifier: MIT
#include "websocketconnection.h"

#include "websocketframe.h"

#include <QTimer>

WebSocketConnection::WebSocketConnection(qintptr descriptor, const QSslConfiguration *tls, Handler *handler,
                                         const Settings &settings, QObject *parent)
    : RelaySocket(descriptor, tls, parent)
    , m_parser(settings.maxMessageBytes)
    , m_handler(handler)
    , m_linger(settings.linger)
{
    if (!RelaySocket::isOpen())
        m_state = State::Closed;
    else if (settings.handshakeTimeout.count() > 0)
        m_handshakeTimer = startTimer(settings.handshakeTimeout);
}

void WebSocketConnection::bytesReceived(char *data, qsizetype size)
{
    switch (m_state) {
    case State::Handshake:
        readRequest(data, size);
        return;
    case State::Open:
    case State::Closing:
        m_parser.feed(data, size, *this);
        return;
    case State::Closed:
        return;
    }
}

void WebSocketConnection::readRequest(const char *data, qsizetype size)
{
    // Parsed once whole: a request trickling in byte by byte costs a scan of the new bytes only.
    const qsizetype scanned = m_request.size();
    m_request.append(data, size);
    if (WebSocketHandshake::requestEnd(m_request, scanned - 2) < 0 &&
        m_request.size() <= WebSocketHandshake::MaxRequestBytes)
        return;
    const WebSocketHandshake::Result result = WebSocketHandshake::parse(m_request);
    if (result.status == WebSocketHandshake::Result::Status::Incomplete)
        return;
    if (m_handshakeTimer) {
        killTimer(m_handshakeTimer);
        m_handshakeTimer = 0;
    }
    m_request.remove(0, result.consumed);
    m_handler->handshakeReceived(this, result);
    if (m_state == State::Handshake && result.status == WebSocketHandshake::Result::Status::Refused)
        refuse(result.httpStatus, result.reason, result.headers);
}

void WebSocketConnection::timerExpired(int id)
{
    if (id != m_handshakeTimer)
        return;
    killTimer(m_handshakeTimer);
    m_handshakeTimer = 0;
    if (m_state != State::Handshake)
        return;
    WebSocketHandshake::Result timedOut;
    timedOut.status = WebSocketHandshake::Result::Status::Refused;
    timedOut.httpStatus = 408;
    timedOut.reason = "the opening handshake did not complete in time";
    m_handler->handshakeReceived(this, timedOut);
    if (m_state == State::Handshake)
        refuse(408, timedOut.reason);
}

void WebSocketConnection::accept(const WebSocketHandshake::Request &request, QByteArrayView protocol)
{
    if (m_state != State::Handshake)
        return;
    m_state = State::Open;
    write(WebSocketHandshake::switchingProtocols(request.key, protocol));
    if (m_request.isEmpty())
        m_request = QByteArray(); // the handshake's buffer is not kept
    else
        QTimer::singleShot(0, this, &WebSocketConnection::parseEarlyFrames);
}

void WebSocketConnection::parseEarlyFrames()
{
    QByteArray early = std::exchange(m_request, QByteArray());
    if (m_state == State::Open)
        m_parser.feed(early.data(), early.size(), *this);
}

void WebSocketConnection::refuse(int status, QByteArrayView reason, QByteArrayView headers)
{
    respond(WebSocketHandshake::refusal(status, reason, headers));
}

void WebSocketConnection::respond(const QByteArray &response)
{
    if (m_state != State::Handshake)
        return;
    m_state = State::Closing;
    m_request = QByteArray();
    write(response);
    finishWrites(m_linger);
}

void WebSocketConnection::ping()
{
    static const QByteArray frame = WebSocketFrame::ping();
    if (m_state == State::Open)
        write(frame);
}

void WebSocketConnection::close(quint16 code, QByteArrayView reason)
{
    if (m_state == State::Open)
        sendClose(code, reason, true);
    else if (m_state == State::Handshake)
        abort();
}

void WebSocketConnection::sendClose(quint16 code, QByteArrayView reason, bool awaitAnswer)
{
    m_state = State::Closing;
    m_codeSent = code;
    m_parser.discardMessages();
    write(WebSocketFrame::close(code, reason));
    finishWrites(m_linger, awaitAnswer);
}

void WebSocketConnection::messageReceived(bool text, QByteArray &&payload)
{
    if (m_state != State::Open)
        return;
    if (text)
        m_handler->textReceived(this, std::move(payload));
    else
        m_handler->binaryReceived(this, std::move(payload));
}

void WebSocketConnection::pingReceived(QByteArrayView payload)
{
    if (m_state == State::Open)
        write(WebSocketFrame::pong(payload));
}

void WebSocketConnection::pongReceived(QByteArrayView)
{
    if (m_state == State::Open)
        m_handler->pongReceived(this);
}

void WebSocketConnection::closeReceived(quint16 code, QByteArrayView)
{
    m_codeReceived = code ? code : 1005;
    if (m_state == State::Open) {
        // Echo the code (section 5.5.1); a close without one is answered with 1000.
        sendClose(code ? code : 1000, {}, false);
    } else if (m_state == State::Closing && bytesToWrite() == 0) {
        abort(); // both close frames exchanged: the server closes the TCP connection first
    }
}

void WebSocketConnection::failed(quint16 code, const char *reason)
{
    if (m_state != State::Open)
        return;
    m_handler->protocolFailed(this, code, reason);
    if (m_state != State::Open)
        return;
    // After 1009 the stream is still in sync: keep reading for the client's close frame.
    sendClose(code, reason, code == 1009);
}

void WebSocketConnection::transportClosed()
{
    if (m_handshakeTimer) {
        killTimer(m_handshakeTimer);
        m_handshakeTimer = 0;
    }
    m_state = State::Closed;
    m_request = QByteArray();
    m_handler->disconnected(this);
}
