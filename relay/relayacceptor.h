// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

#include "jwtverifier.h"
#include "relayoptions.h"

class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;
class RelaySocket;

// Accepting and upgrading connections: the listening socket (plain ws:// on the relay's own
// QTcpServer of RelaySockets, upgraded by QWebSocketServer::handleConnection; wss:// through
// QWebSocketServer's TLS), the handshake timeout, the Origin allow-list, the connection limit
// and token verification. Every connection that passes is handed on with accepted(); every other
// one is answered (HTTP 403 or 503, or a close frame with its code) and released here.
//
// Handshakes in progress and refusals still closing count against the connection limit: a
// plain connection that arrives while clients + those reach maxConnections + RefusalReserve is
// answered with HTTP 503 before any upgrade, so the relay never holds more sockets than that.
// Up to RefusalReserve over the limit are upgraded to be told why (close code 4013).
class RelayAcceptor : public QObject
{
    Q_OBJECT
public:
    // clientCount: the relay's current clients, for the connection limit.
    static constexpr int RefusalReserve = 16;

    RelayAcceptor(const RelayServerOptions &options, RelayStats &stats, std::function<qsizetype()> clientCount,
                  QObject *parent = nullptr);
    ~RelayAcceptor() override;

    bool listen(QString *error);
    bool isListening() const;
    bool isSecure() const;
    quint16 port() const;
    QUrl url() const;
    // Sockets held before they become clients: handshakes in progress and refusals closing.
    int pendingConnections() const { return int(pendingSockets()); }
    // Stops listening; handshakes that still complete are closed with 1001.
    void close();

Q_SIGNALS:
    // tcp is the socket under socket for ws:// (null for wss://); claims are set when tokens are on.
    void accepted(QWebSocket *socket, RelaySocket *tcp, const QString &peer,
                  const std::optional<JwtClaims> &claims);

private:
    bool loadTls(QString *error);
    // Sockets this acceptor holds: handshakes in progress and refusals still closing.
    qsizetype pendingSockets() const { return m_upgrading.size() + m_refusing; }
    template <class Socket>
    void release(Socket *socket);
    void refuse(QWebSocket *socket, int code, const QString &reason);
    void refuseBeforeHandshake(QTcpSocket *tcp);
    void onTcpConnection();
    void onNewConnection();
    // The verified claims, or nullopt after refusing the client.
    std::optional<std::optional<JwtClaims>> authenticate(QWebSocket *socket, const QString &peer);

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    std::function<qsizetype()> m_clientCount;
    QWebSocketServer *m_server;
    QTcpServer *m_listener = nullptr;
    QHash<QString, QTcpSocket *> m_upgrading; // by peer "address:port", until the handshake ends
    std::unique_ptr<JwtVerifier> m_jwt;
    int m_refusing = 0;
    bool m_closed = false;
};
