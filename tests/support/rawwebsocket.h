// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QTcpSocket>

// A WebSocket client at the byte level, for tests that need what QWebSocket will not do: stop
// reading, flood, or never finish the handshake.
class RawWebSocket
{
public:
    // Connects and completes the opening handshake; extraHeaders are full "Name: value" lines.
    bool open(quint16 port, const QByteArrayList &extraHeaders = {}, const QByteArray &path = "/");
    // A masked text frame (FIN set), as a client must send it.
    static QByteArray textFrame(const QByteArray &payload);
    void send(const QByteArray &bytes) { m_socket.write(bytes); }
    // Stops pulling bytes from the kernel: the relay's writes back up as for a client that hangs.
    void stopReading();
    QByteArray response() const { return m_response; }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_response;
};
