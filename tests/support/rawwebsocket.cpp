// SPDX-License-Identifier: MIT
#include "rawwebsocket.h"

#include <QHostAddress>
#include <QTest>

bool RawWebSocket::open(quint16 port, const QByteArrayList &extraHeaders, const QByteArray &path)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!m_socket.waitForConnected(5000))
        return false;
    QByteArray request = "GET " + path +
                         " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n";
    for (const QByteArray &h : extraHeaders)
        request += h + "\r\n";
    m_socket.write(request + "\r\n");
    const bool answered = QTest::qWaitFor(
        [this] {
            return m_socket.peek(4096).contains("\r\n\r\n") ||
                   m_socket.state() != QAbstractSocket::ConnectedState;
        },
        5000);
    const qsizetype end = m_socket.peek(4096).indexOf("\r\n\r\n");
    if (!answered || end < 0)
        return false;
    m_response = m_socket.read(end + 4);
    return m_response.startsWith("HTTP/1.1 101");
}

QByteArray RawWebSocket::textFrame(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    const qsizetype n = payload.size();
    if (n < 126) {
        frame.append(char(0x80 | n));
    } else if (n < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(n >> 8));
        frame.append(char(n & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(n) >> shift) & 0xff));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < n; ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

void RawWebSocket::stopReading()
{
    m_socket.setReadBufferSize(1);
    m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
}
