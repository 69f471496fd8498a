// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <optional>

#include "echofilter.h"
#include "jwtverifier.h"
#include "messagebus.h"
#include "relayclient.h"
#include "relayoptions.h"
#include "relayprotocol.h"

class ConnectionWarden;
class RelayAcceptor;
class RelayOutbox;
class RoomRecoveries;
class RoomRegistry;
class PresenceService;
class SessionService;

// A WebSocket relay over a MessageBus, protocol-compatible with the seed's Node.js server
// (docs/protocol.md). Client messages are published to the bus and delivered to local members
// at once; the bus's echo of them is recognised and dropped, so each client sees each message
// exactly once whichever path arrives first.
class RelayServer : public QObject, private WebSocketConnection::Handler
{
    Q_OBJECT
public:
    RelayServer(RelayServerOptions options, MessageBus *bus, QObject *parent = nullptr);
    ~RelayServer() override;

    bool listen(QString *error = nullptr);
    bool isListening() const;
    quint16 port() const;
    QUrl url() const;
    // What the stats heartbeat advertises: options().advertiseUrl, else url() with the host name
    // when the relay listens on every interface.
    QUrl advertisedUrl() const;
    const RelayServerOptions &options() const { return m_options; }
    MessageBus *bus() const { return m_bus; }

    QByteArray broadcastChannel() const { return m_options.channelPrefix + "broadcast"; }
    QByteArray roomChannel(const QString &roomKey) const
    {
        return m_options.channelPrefix + "room:" + roomKey.toUtf8();
    }

    // Closes every client with 1001 "going away", unsubscribes, and emits finished().
    void shutdown();
    bool isShuttingDown() const { return m_shuttingDown; }

    int clientCount() const { return int(m_clients.size()); }
    // Handshakes in progress and refused connections still closing (they count against
    // maxConnections, docs/security.md).
    int pendingConnections() const;
    int roomCount() const;
    int roomMemberCount(const QString &roomKey) const;
    QList<RelayClientInfo> clients() const;
    // Connections made with ?switchboard=canary, and how many of them are in each room.
    int canaryCount() const { return m_canaries; }
    QHash<QString, int> canaryRooms() const;
    // The n non-canary clients with the most bytes queued (then the most frames), busiest first.
    QList<RelayClientInfo> busiestClients(int n) const;
    // Bytes queued for all clients.
    qint64 queuedBytes() const;
    QStringList rooms() const;
    const RelayStats &stats() const { return m_stats; }
    bool kick(quint64 clientId, const QString &reason = QString());

    // What a join frame does (docs/protocol.md): with since, the room is recovered after it.
    void join(RelayClient *client, const QJsonValue &roomId, const QString &roomKey,
              const QByteArray &since = {});

Q_SIGNALS:
    void clientConnected(quint64 id);
    void clientDisconnected(quint64 id);
    void roomOpened(const QString &roomKey);
    void roomClosed(const QString &roomKey);
    void finished();

private:
    void onAccepted(WebSocketConnection *connection, const QString &peer,
                    const std::optional<JwtClaims> &claims, bool canary);
    void onDisconnected(quint64 id);
    // WebSocketConnection::Handler, for the clients' connections.
    void handshakeReceived(WebSocketConnection *, const WebSocketHandshake::Result &) override {}
    void textReceived(WebSocketConnection *c, QByteArray &&text) override;
    void binaryReceived(WebSocketConnection *c, QByteArray &&) override;
    void pongReceived(WebSocketConnection *c) override;
    void protocolFailed(WebSocketConnection *c, quint16 code, const char *reason) override;
    void disconnected(WebSocketConnection *c) override;
    void onTextMessage(RelayClient *client, const QByteArray &text);
    void onBinaryMessage(RelayClient *client);
    bool admitFrame(RelayClient *client);
    bool mayUseRoom(RelayClient *client, const QJsonValue *roomId, const QString &roomKey);
    // The client is a member of roomKey: its joined frame (with its session) goes out, or the
    // recovery from since starts.
    void acknowledgeJoin(RelayClient *client, const QJsonValue &roomId, const QString &roomKey,
                         const QByteArray &since);
    void leave(RelayClient *client, const RelayProtocol::Request &request);
    // The user a client's message goes out with: its own, or with tokens the token's identity;
    // nullopt after refusing a message that names someone else.
    std::optional<QString> userOf(RelayClient *client, const RelayProtocol::Request &request);
    void publish(const QString &user, const QString &text, const QJsonValue *roomId, const QString &roomKey);
    void onBusMessage(const QByteArray &channel, const QByteArray &payload);
    void onBusSubscribed(const QByteArray &channel);
    void onBusSubscribeFailed(const QByteArray &channel, const QString &code, const QString &message);
    // Local clients a message on channel goes to: everyone for broadcast, a room's members.
    const RelayRecipients *recipientsFor(const QByteArray &channel) const;
    void send(RelayClient *client, const QByteArray &utf8);
    bool fitsOutbound(const QByteArray &payload);
    void maybeFinish();

    RelayServerOptions m_options;
    RelayStats m_stats;
    QPointer<MessageBus> m_bus;
    RelayRecipients m_clients;
    RelayAcceptor *m_acceptor;
    RoomRegistry *m_rooms;
    RelayOutbox *m_outbox;
    SessionService *m_sessions;
    RoomRecoveries *m_recoveries;
    ConnectionWarden *m_warden;
    PresenceService *m_presence;
    EchoFilter m_echoes;
    quint64 m_nextClientId = 1;
    int m_canaries = 0;
    QTimer m_shutdownTimer;
    qint64 m_lastOversizeLogNs = -1;
    bool m_broadcastRefused = false; // asked for again when the bus reconnects
    bool m_shuttingDown = false;
    bool m_finished = false;
};
