// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

#include "demopage.h"
#include "jwtverifier.h"
#include "relayoptions.h"
#include "websocketconnection.h"

class QTcpServer;

// Accepting and upgrading connections: the listening socket (ws://, or wss:// with the relay's
// certificate), the opening handshake (WebSocketConnection reads and checks it; each bad request
// gets its HTTP error), the handshake timeout, the Origin allow-list (403), the connection limit
// and token verification. Every connection that passes is handed on with accepted(); every
// other one is answered and released here. With the development page on, plain HTTP requests
// (no upgrade) are answered by DemoPage instead of with 426.
//
// Handshakes in progress and refusals still closing count against the connection limit: a
// connection that arrives while clients + those reach maxConnections + RefusalReserve is answered
// with HTTP 503 before its handshake is read, so the relay never holds more sockets than that.
// Up to RefusalReserve over the limit are upgraded to be told why (close code 1013).
class RelayAcceptor : public QObject, private WebSocketConnection::Handler
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
    bool isSecure() const { return !m_options.tlsCertificateFile.isEmpty(); }
    quint16 port() const;
    QUrl url() const;
    // Sockets held before they become clients: handshakes in progress and refusals closing.
    int pendingConnections() const { return int(m_pending.size()); }
    // Stops listening; handshakes that still complete are closed with 1001.
    void close();
    // Called by the listening socket for each accepted descriptor.
    void takeDescriptor(qintptr descriptor);

Q_SIGNALS:
    // The connection is open; the receiver takes it over (setHandler) and owns it. claims are set
    // when tokens are on.
    // canary: the request's query has switchboard=canary (a console's delivery canary).
    void accepted(WebSocketConnection *connection, const QString &peer,
                  const std::optional<JwtClaims> &claims, bool canary);

private:
    bool loadTls(QString *error);
    // The verified claims, or nullopt after refusing the client.
    std::optional<std::optional<JwtClaims>>
    authenticate(WebSocketConnection *c, const WebSocketHandshake::Request &request, const QString &peer);
    void refuseOpen(WebSocketConnection *c, const WebSocketHandshake::Request &request, quint16 code,
                    const QString &reason);
    // WebSocketConnection::Handler, while a connection is the acceptor's.
    void handshakeReceived(WebSocketConnection *c, const WebSocketHandshake::Result &result) override;
    void textReceived(WebSocketConnection *, QByteArray &&) override {}
    void binaryReceived(WebSocketConnection *, QByteArray &&) override {}
    void pongReceived(WebSocketConnection *) override {}
    void protocolFailed(WebSocketConnection *, quint16, const char *) override {}
    void disconnected(WebSocketConnection *c) override;

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    std::function<qsizetype()> m_clientCount;
    QTcpServer *m_listener = nullptr;
    std::optional<QSslConfiguration> m_tls;
    QSet<WebSocketConnection *> m_pending; // handshakes in progress and refusals closing
    std::unique_ptr<JwtVerifier> m_jwt;
    std::unique_ptr<DemoPage> m_page;
    bool m_closed = false;
};
