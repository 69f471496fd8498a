// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QHostAddress>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <deque>
#include <memory>

#include "messagebus.h"
#include "relayprotocol.h"
#include "tokenbucket.h"

class JwtVerifier;
class QWebSocket;
class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

// Per-connection and per-instance limits (docs/security.md lists each with its error or close code).
struct RelayLimits
{
    // A larger message closes the connection with 1009 before it is buffered whole.
    qint64 maxMessageBytes = 64 * 1024;
    // Client frames per second (token bucket); 0 = unlimited. A frame over the limit is dropped
    // and answered with rate_limited (at most one error frame per second); a client still over
    // the limit rateLimitGrace after its first dropped frame is closed with 1008.
    double messagesPerSecond = 100;
    double messageBurst = 200;
    std::chrono::milliseconds rateLimitGrace{5000};
    int maxRoomsPerConnection = 100;
    // Connections beyond this are closed at once with 1013.
    int maxConnections = 10000;
    // The WebSocket opening handshake must complete within this.
    std::chrono::milliseconds handshakeTimeout{10000};
    // A connection that sends no message for this long is closed with 4002 (pongs do not count:
    // the heartbeat is for dead peers, this is for live ones that say nothing); 0 = off.
    std::chrono::milliseconds idleTimeout{0};
    // Bytes queued for a client that it has not read; past this it is closed with 4001.
    qint64 maxOutboundBytes = 1024 * 1024;
    RelayProtocol::RoomIds roomIds = RelayProtocol::RoomIds::Strict;
};

// Who may connect (docs/security.md). Off by default: no token, any Origin.
struct RelayAuthOptions
{
    // HS256 secret; empty = no authentication. From a file or the environment, never argv.
    QByteArray jwtSecret;
    std::chrono::seconds jwtLeeway{0};
    // Browser Origins allowed to open a connection (exact, e.g. https://app.example.com);
    // empty = any. A handshake without an Origin header (not a browser) is allowed.
    QStringList allowedOrigins;
};

struct RelayServerOptions
{
    QHostAddress bindAddress = QHostAddress::Any;
    quint16 port = 3000;
    // Prepended to every channel: "app:chat:" gives app:chat:broadcast and app:chat:room:<id>.
    QByteArray channelPrefix;
    // Names this instance in message ids and Redis client names; must be unique in a fleet.
    QString instanceId;
    // WebSocket ping period; a client that has not answered the previous ping is closed.
    std::chrono::milliseconds pingInterval{30000};
    // How long shutdown() waits for clients to acknowledge the close before cutting them.
    std::chrono::milliseconds shutdownGrace{1000};
    // Own messages delivered locally and still awaiting their echo from the bus, per channel.
    qsizetype maxPendingEchoes = 10000;
    RelayLimits limits;
    RelayAuthOptions auth;
    // PEM files; both set = wss:// (TLS) on the listening port.
    QString tlsCertificateFile;
    QString tlsKeyFile;
};

struct RelayStats
{
    quint64 connectionsAccepted = 0;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    quint64 published = 0;
    quint64 busMessages = 0;
    quint64 echoesSuppressed = 0;
    quint64 protocolErrors = 0;
    quint64 heartbeatTimeouts = 0;
    quint64 rateLimitedFrames = 0;
    quint64 rateLimitCloses = 0;
    quint64 oversizeCloses = 0;
    quint64 slowConsumerCloses = 0;
    quint64 idleCloses = 0;
    quint64 connectionsRefused = 0;
    quint64 authFailures = 0;
    quint64 originsRefused = 0;
    quint64 forbidden = 0; // joins and publishes outside a token's rooms
    quint64 duplicatesDropped =
        0; // another relay's message seen again (a publish replayed after a lost reply)
};

struct RelayClientInfo
{
    quint64 id = 0;
    QString peer;
    QStringList rooms;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    qint64 queuedBytes = 0;
    QDateTime connectedAt;
};

// A WebSocket relay over a MessageBus, protocol-compatible with the seed's Node.js server
// (docs/protocol.md). Client messages are published to the bus and delivered to local members
// at once; the bus's echo of them is recognised and dropped, so each client sees each message
// exactly once whichever path arrives first.
class RelayServer : public QObject
{
    Q_OBJECT
public:
    RelayServer(RelayServerOptions options, MessageBus *bus, QObject *parent = nullptr);
    ~RelayServer() override;

    bool listen(QString *error = nullptr);
    bool isListening() const;
    quint16 port() const;
    QUrl url() const;
    const RelayServerOptions &options() const { return m_options; }
    MessageBus *bus() const { return m_bus; }

    QByteArray broadcastChannel() const { return m_options.channelPrefix + "broadcast"; }
    QByteArray roomChannel(const QString &roomKey) const;

    // Closes every client with 1001 "going away", unsubscribes, and emits finished().
    void shutdown();
    bool isShuttingDown() const { return m_shuttingDown; }

    int clientCount() const { return int(m_clients.size()); }
    int roomCount() const { return int(m_rooms.size()); }
    int roomMemberCount(const QString &roomKey) const;
    QList<RelayClientInfo> clients() const;
    QStringList rooms() const;
    const RelayStats &stats() const { return m_stats; }
    bool kick(quint64 clientId, const QString &reason = QString());

Q_SIGNALS:
    void clientConnected(quint64 id);
    void clientDisconnected(quint64 id);
    void roomOpened(const QString &roomKey);
    void roomClosed(const QString &roomKey);
    void finished();

private:
    struct Client;
    using Recipients = QHash<quint64, Client *>;
    struct Room
    {
        QByteArray channel;
        Recipients members;
        QHash<quint64, QJsonValue> pendingJoins; // waiting for the bus to confirm the channel
    };

    void onTcpConnection();
    void onNewConnection();
    bool mayUseRoom(Client *client, const QJsonValue *roomId, const QString &roomKey);
    void onTextMessage(Client *client, const QString &text);
    void onBinaryMessage(Client *client);
    void onDisconnected(quint64 id);
    void onBusMessage(const QByteArray &channel, const QByteArray &payload);
    void onBusSubscribed(const QByteArray &channel);
    void join(Client *client, const QJsonValue &roomId, const QString &roomKey);
    void leave(Client *client, const QString &roomKey);
    void publish(const QString &user, const QString &text, const QJsonValue *roomId, const QString &roomKey);
    void removeFromRoom(Client *client, const QString &roomKey);
    // Local clients a message on channel goes to: everyone for broadcast, a room's members.
    const Recipients *recipientsFor(const QByteArray &channel) const;
    void deliver(const Recipients &to, const QByteArray &payload);
    bool consumeEcho(const QByteArray &channel, const QByteArray &payload);
    bool isRepeat(const QByteArray &payload);
    void sendFrame(Client *client, const QByteArray &utf8);
    // Writes an encoded WebSocket frame (WebSocketFrame) to the client's TCP socket.
    void writeFrame(Client *client, const QByteArray &frame);
    void sendText(Client *client, const QString &text); // over TLS, through QWebSocket
    void flushWritten();
    bool admitFrame(Client *client);
    void checkOutbound(Client *client);
    void closeClient(Client *client, int code, const QString &reason);
    void heartbeat();
    void sweepIdle();
    void maybeFinish();

    RelayServerOptions m_options;
    QPointer<MessageBus> m_bus;
    QWebSocketServer *m_server;
    // Plain ws:// accepts here and hands sockets to m_server (handleConnection), so the relay keeps
    // each client's QTcpSocket and writes frames encoded once per message to it. wss:// listens
    // through m_server (its TLS handshake) and sends through QWebSocket.
    QTcpServer *m_listener = nullptr;
    QHash<QString, QTcpSocket *> m_upgrading; // by peer "address:port", until the handshake ends
    // Clients written to in this loop turn, flushed together at its end (flushWritten).
    std::vector<quint64> m_written;
    std::vector<quint64> m_flushing; // m_written while flushWritten walks it
    std::unique_ptr<JwtVerifier> m_jwt;
    Recipients m_clients;
    QHash<QString, Room> m_rooms;
    QHash<QByteArray, QString> m_roomByChannel;
    QHash<QByteArray, std::deque<QByteArray>> m_echoes;
    // Highest message sequence number seen per publishing relay process ("<instance>-<nonce>").
    QHash<QByteArray, quint64> m_lastSeqByOrigin;
    QByteArray m_idPrefix;
    quint64 m_nextClientId = 1;
    quint64 m_nextMessageId = 1;
    RelayStats m_stats;
    QTimer m_heartbeat;
    QTimer m_shutdownTimer;
    QTimer m_idleSweep;
    bool m_shuttingDown = false;
    bool m_finished = false;
};
