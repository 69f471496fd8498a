// SPDX-License-Identifier: MIT
#include "relayserver.h"

#include "connectionwarden.h"
#include "localsessionstore.h"
#include "presenceservice.h"
#include "redisbus.h"
#include "redissessionstore.h"
#include "relayacceptor.h"
#include "relayclientcensus.h"
#include "relaylogging.h"
#include "relayoutbox.h"
#include "roomrecoveries.h"
#include "roomregistry.h"
#include "sessionservice.h"

#include <QRandomGenerator>
#include <QSysInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

RelayServerOptions normalized(RelayServerOptions options)
{
    if (options.instanceId.isEmpty())
        options.instanceId = QString::number(QRandomGenerator::global()->generate(), 16);
    // Sessions come with history: a client resumes where its offsets say.
    options.sessions.enabled = options.sessions.enabled || options.history.size > 0;
    return options;
}

SessionStore *makeSessionStore(const RelayServerOptions &options, MessageBus *bus, QObject *parent)
{
    if (!options.sessions.enabled)
        return nullptr;
    if (auto *redis = qobject_cast<RedisBus *>(bus))
        return new RedisSessionStore(redis->link(), options.channelPrefix, parent);
    return new LocalSessionStore(parent);
}

} // namespace

RelayServer::RelayServer(RelayServerOptions options, MessageBus *bus, QObject *parent)
    : QObject(parent)
    , m_options(normalized(std::move(options)))
    , m_bus(bus)
    , m_acceptor(new RelayAcceptor(
          m_options, m_stats, [this] { return m_clients.size(); }, this))
    , m_rooms(new RoomRegistry(bus, m_options.channelPrefix, this))
    , m_outbox(new RelayOutbox(m_options, m_stats, bus, m_clients, this))
    , m_sessions(new SessionService(
          m_options, m_stats, makeSessionStore(m_options, bus, this),
          {&m_clients, [this](RelayClient *c, const QByteArray &f) { send(c, f); },
           [this](RelayClient *c, const QJsonValue &id, const QString &key, const QByteArray &since) {
               join(c, id, key, since);
           }},
          this))
    , m_recoveries(
          new RoomRecoveries(m_options, m_stats, bus,
                             {&m_clients, [this](RelayClient *c, const QByteArray &f) { send(c, f); },
                              [this](const RelayClient *c) {
                                  return m_sessions->joinedExtras(c);
                              }},
                             this))
    , m_warden(new ConnectionWarden(m_options, m_stats, m_clients, this))
    , m_presence(new PresenceService(m_options, m_stats, bus, m_rooms,
                                     {&m_clients,
                                      [this](RelayClient *c, const QByteArray &f) {
                                          send(c, f);
                                      }},
                                     this))
    , m_echoes(m_options.instanceId, m_options.maxPendingEchoes)
{
    if (m_options.history.size > 0)
        m_bus->setHistory({m_options.channelPrefix, m_options.history.size, m_options.history.ttl});
    connect(m_acceptor, &RelayAcceptor::accepted, this, &RelayServer::onAccepted);
    connect(m_rooms, &RoomRegistry::roomOpened, this, &RelayServer::roomOpened);
    connect(m_rooms, &RoomRegistry::roomClosed, this, [this](const QString &roomKey, const QByteArray &channel) {
        m_echoes.forget(channel);
        Q_EMIT roomClosed(roomKey);
    });
    connect(m_bus, &MessageBus::message, this, &RelayServer::onBusMessage);
    connect(m_bus, &MessageBus::subscribed, this, &RelayServer::onBusSubscribed);
    connect(m_bus, &MessageBus::subscribeFailed, this, &RelayServer::onBusSubscribeFailed);
    connect(m_bus, &MessageBus::connectedChanged, this, [this](bool connected) {
        if (connected && m_broadcastRefused && !m_shuttingDown) {
            m_broadcastRefused = false;
            m_bus->subscribe(broadcastChannel());
        }
    });
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, [this] {
        const QList<RelayClient *> stragglers = m_clients.values();
        for (RelayClient *c : stragglers)
            c->connection->abort();
        maybeFinish();
    });

    m_bus->subscribe(broadcastChannel());
}

RelayServer::~RelayServer()
{
    for (RelayClient *c : std::as_const(m_clients)) {
        delete c->connection; // closes the socket without calling back
        delete c;
    }
    m_clients.clear();
}

bool RelayServer::listen(QString *error)
{
    const RelayLimits &limits = m_options.limits;
    if (limits.maxMessageBytes > limits.maxOutboundBytes) {
        // Every client message would close its recipients as slow consumers.
        if (error)
            *error = u"--max-message-bytes (%1) must not exceed --max-outbound-bytes (%2)"_s.arg(limits.maxMessageBytes)
                         .arg(limits.maxOutboundBytes);
        return false;
    }
    if (!m_acceptor->listen(error))
        return false;
    m_warden->start();
    qCInfo(lcRelay).noquote() << u"listening on port %1 (bind %2, %3) instance %4, bus: %5"_s.arg(port()).arg(
        m_options.bindAddress.toString(), url().toString(), m_options.instanceId, m_bus->description());
    return true;
}

bool RelayServer::isListening() const
{
    return m_acceptor->isListening();
}

quint16 RelayServer::port() const
{
    return m_acceptor->port();
}

QUrl RelayServer::url() const
{
    return m_acceptor->url();
}

QUrl RelayServer::advertisedUrl() const
{
    if (!m_options.advertiseUrl.isEmpty())
        return m_options.advertiseUrl;
    QUrl u = url();
    const QHostAddress bound = m_options.bindAddress;
    if (bound == QHostAddress::Any || bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6) {
        const QString host = QSysInfo::machineHostName();
        if (!host.isEmpty())
            u.setHost(host);
    }
    return u;
}

void RelayServer::onAccepted(WebSocketConnection *connection, const QString &peer,
                             const std::optional<JwtClaims> &claims, bool canary)
{
    auto *client = new RelayClient(m_nextClientId++, connection, peer, m_options.limits, claims,
                                   m_options.auth.jwtLeeway, relayNowNs());
    client->canary = canary;
    m_canaries += canary ? 1 : 0;
    m_clients.insert(client->id, client);
    ++m_stats.connectionsAccepted;
    connection->tag = client->id;
    connection->setParent(this);
    connection->setHandler(this);
    m_warden->watch(client);
    m_sessions->connected(client);
    qCDebug(lcRelay).noquote() << "client" << client->id << "connected from" << client->peer;
    Q_EMIT clientConnected(client->id);
}

void RelayServer::textReceived(WebSocketConnection *c, QByteArray &&text)
{
    m_stats.bytesIn += quint64(text.size());
    if (RelayClient *client = m_clients.value(c->tag))
        onTextMessage(client, text);
}

void RelayServer::binaryReceived(WebSocketConnection *c, QByteArray &&data)
{
    m_stats.bytesIn += quint64(data.size());
    if (RelayClient *client = m_clients.value(c->tag))
        onBinaryMessage(client);
}

void RelayServer::pongReceived(WebSocketConnection *c)
{
    if (RelayClient *client = m_clients.value(c->tag))
        client->alive = true;
}

void RelayServer::protocolFailed(WebSocketConnection *c, quint16 code, const char *reason)
{
    RelayClient *client = m_clients.value(c->tag);
    if (!client)
        return;
    client->closing = true;
    if (code == RelayProtocol::Close::TooBig) {
        ++m_stats.oversizeCloses;
        qCInfo(lcRelay).noquote() << "client" << client->id << "closed with 1009: a message over"
                                  << m_options.limits.maxMessageBytes << "bytes";
        return;
    }
    ++(code == RelayProtocol::Close::InvalidPayload ? m_stats.invalidUtf8Closes : m_stats.protocolCloses);
    qCInfo(lcRelay).noquote() << "client" << client->id << "from" << client->peer << "closed with" << code
                              << "-" << reason;
}

void RelayServer::disconnected(WebSocketConnection *c)
{
    // Queued: a send can find a broken socket synchronously, and the client must not vanish
    // while a delivery loop is walking over it.
    const quint64 id = c->tag;
    QMetaObject::invokeMethod(
        this, [this, id] { onDisconnected(id); }, Qt::QueuedConnection);
}

void RelayServer::onDisconnected(quint64 id)
{
    RelayClient *client = m_clients.take(id);
    if (!client)
        return;
    m_canaries -= client->canary ? 1 : 0;
    m_rooms->leaveAll(client);
    m_sessions->disconnected(client);
    m_recoveries->cancelAll(client);
    m_warden->forget(client);
    m_stats.closes.record(client->connection->closeCodeSent(), client->connection->closeCodeReceived());
    client->connection->deleteLater();
    qCDebug(lcRelay).noquote() << "client" << id << "disconnected";
    delete client;
    Q_EMIT clientDisconnected(id);
    maybeFinish();
}

void RelayServer::send(RelayClient *client, const QByteArray &utf8)
{
    m_outbox->send(client, utf8);
}

bool RelayServer::admitFrame(RelayClient *client)
{
    const RelayLimits &limits = m_options.limits;
    const RelayClient::Admission admission = client->admit(relayNowNs(), limits);
    if (admission == RelayClient::Admission::Accept)
        return true;
    ++m_stats.rateLimitedFrames;
    if (admission == RelayClient::Admission::Close) {
        ++m_stats.rateLimitCloses;
        qCWarning(lcRelay).noquote() << "client" << client->id << "from" << client->peer << "stayed over"
                                     << limits.messagesPerSecond << "messages/s - closing with 1008";
        client->close(RelayProtocol::Close::PolicyViolation, u"rate limit exceeded"_s);
    } else if (admission == RelayClient::Admission::DropAndWarn) {
        send(client, RelayProtocol::error(RelayProtocol::Error::RateLimited,
                                          u"more than %1 messages/s (burst %2): frames are being dropped"_s
                                              .arg(limits.messagesPerSecond)
                                              .arg(limits.messageBurst)));
    }
    return false;
}

void RelayServer::onBinaryMessage(RelayClient *client)
{
    ++client->framesIn;
    if (m_shuttingDown || client->closing || !admitFrame(client))
        return;
    ++m_stats.protocolErrors;
    send(client, RelayProtocol::error(RelayProtocol::Error::BinaryNotSupported,
                                      u"binary frames are not supported: send JSON text frames"_s));
}

void RelayServer::onTextMessage(RelayClient *client, const QByteArray &text)
{
    ++client->framesIn;
    ++m_stats.framesIn;
    if (m_shuttingDown || client->closing || !admitFrame(client))
        return;
    const RelayProtocol::Request request = RelayProtocol::parse(
        text, m_options.limits.roomIds,
        client->identity.isEmpty() ? RelayProtocol::UserField::Required : RelayProtocol::UserField::Optional);
    using Kind = RelayProtocol::Request::Kind;
    switch (request.kind) {
    case Kind::Invalid:
        ++m_stats.protocolErrors;
        send(client, RelayProtocol::error(request.errorCode, request.errorMessage));
        return;
    case Kind::Join:
        if (!mayUseRoom(client, &request.roomId, request.roomKey))
            return;
        if (request.hasUser)
            m_sessions->announceUser(client, request.user);
        m_presence->announceUser(client, request);
        join(client, request.roomId, request.roomKey, request.since);
        return;
    case Kind::Leave:
        leave(client, request);
        return;
    case Kind::Resume:
        m_sessions->resume(client, request);
        return;
    case Kind::Presence:
        m_presence->query(client, request);
        return;
    case Kind::Message: {
        if (!mayUseRoom(client, request.hasRoom ? &request.roomId : nullptr, request.roomKey))
            return;
        const std::optional<QString> user = userOf(client, request);
        if (user)
            publish(*user, request.text, request.hasRoom ? &request.roomId : nullptr, request.roomKey);
        return;
    }
    case Kind::Ping:
        send(client, RelayProtocol::pong());
        return;
    }
}

bool RelayServer::mayUseRoom(RelayClient *client, const QJsonValue *roomId, const QString &roomKey)
{
    if (!client->claims)
        return true;
    const bool ok = roomId ? client->claims->allowsRoom(roomKey) : client->claims->broadcast;
    if (ok)
        return true;
    ++m_stats.forbidden;
    send(client, RelayProtocol::error(RelayProtocol::Error::Forbidden,
                                      roomId ? u"the token does not allow room \"%1\""_s.arg(roomKey)
                                             : u"the token does not allow broadcasting"_s));
    return false;
}

std::optional<QString> RelayServer::userOf(RelayClient *client, const RelayProtocol::Request &request)
{
    if (client->identity.isEmpty() || !request.hasUser || request.user == client->identity)
        return client->identity.isEmpty() ? request.user : client->identity;
    ++m_stats.userMismatches;
    send(client, RelayProtocol::error(RelayProtocol::Error::UserMismatch,
                                      u"\"user\" must be \"%1\" (the token's identity) or left out"_s.arg(
                                          client->identity.left(128))));
    return std::nullopt;
}

void RelayServer::join(RelayClient *client, const QJsonValue &roomId, const QString &roomKey,
                       const QByteArray &since)
{
    const int maxRooms = m_options.limits.maxRoomsPerConnection;
    switch (m_rooms->join(client, roomId, roomKey, maxRooms)) {
    case RoomRegistry::Join::Joined:
        acknowledgeJoin(client, roomId, roomKey, since);
        return;
    case RoomRegistry::Join::TooManyRooms:
        send(client, RelayProtocol::error(RelayProtocol::Error::TooManyRooms,
                                          u"a connection may be in at most %1 rooms"_s.arg(maxRooms)));
        return;
    case RoomRegistry::Join::Pending:
    case RoomRegistry::Join::AlreadyPending:
        // Acknowledged once the bus confirms, recovering from the latest since asked for.
        client->pendingSince.insert(roomKey, since);
        return;
    }
}

void RelayServer::acknowledgeJoin(RelayClient *client, const QJsonValue &roomId, const QString &roomKey,
                                  const QByteArray &since)
{
    m_sessions->roomJoined(client, roomKey, roomId);
    if (since.isEmpty()) {
        m_recoveries->cancel(client->id, roomChannel(roomKey));
        send(client, RelayProtocol::joined(roomId, m_sessions->joinedExtras(client)));
    } else {
        m_recoveries->start(client, roomId, roomChannel(roomKey), since);
    }
}

void RelayServer::leave(RelayClient *client, const RelayProtocol::Request &request)
{
    m_rooms->leave(client, request.roomKey);
    client->pendingSince.remove(request.roomKey);
    m_recoveries->cancel(client->id, roomChannel(request.roomKey));
    m_sessions->roomLeft(client, request.roomKey);
    send(client, RelayProtocol::left(request.roomId));
}

void RelayServer::onBusSubscribed(const QByteArray &channel)
{
    const auto joined = m_rooms->confirm(channel, m_clients);
    if (joined.isEmpty())
        return;
    const QString roomKey = QString::fromUtf8(channel.sliced(roomChannel(QString()).size()));
    for (const auto &[client, roomId] : joined)
        acknowledgeJoin(client, roomId, roomKey, client->pendingSince.take(roomKey));
}

void RelayServer::onBusSubscribeFailed(const QByteArray &channel, const QString &code, const QString &message)
{
    ++m_stats.subscribeRefusals;
    if (channel == broadcastChannel()) {
        m_broadcastRefused = true;
        qCCritical(lcRelay).noquote()
            << "Redis refused the subscription to" << QString::fromUtf8(channel) << u"("_s + message + u")"_s
            << u"- this instance's clients get no broadcasts from other instances; asking again when the bus "
               u"reconnects (grant the relay's ACL user &%1)"_s.arg(QString::fromUtf8(channel));
        return;
    }
    const QList<RoomRegistry::Refused> refused = m_rooms->refuse(channel, m_clients);
    qsizetype members = 0;
    for (const RoomRegistry::Refused &r : refused) {
        members += r.wasMember ? 1 : 0;
        r.client->pendingSince.remove(r.roomKey);
        m_recoveries->cancel(r.client->id, channel);
        if (r.wasMember)
            m_sessions->roomLeft(r.client, r.roomKey);
        send(r.client, RelayProtocol::roomError(RelayProtocol::Error::SubscribeRefused,
                                                u"the relay may not subscribe to room \"%1\""_s.arg(
                                                    r.roomKey.left(128)),
                                                r.roomId));
    }
    qCWarning(lcRelay).noquote() << "Redis refused the subscription to" << QString::fromUtf8(channel)
                                 << u"(%1: %2): %3 pending join(s) refused, %4 member(s) removed"_s.arg(
                                        code, message, QString::number(refused.size() - members),
                                        QString::number(members));
}

void RelayServer::publish(const QString &user, const QString &text, const QJsonValue *roomId,
                          const QString &roomKey)
{
    const QByteArray payload = RelayProtocol::chatMessage(user, text, QDateTime::currentMSecsSinceEpoch(), roomId,
                                                          m_echoes.nextMessageId(), m_echoes.origin());
    const QByteArray channel = roomId ? roomChannel(roomKey) : broadcastChannel();
    if (roomId && m_bus->hasHistory()) {
        // Local members get it from the bus with its offset, in the history's order.
        m_bus->publishRecorded(channel, payload, m_echoes.origin(), m_echoes.lastSequence());
        ++m_stats.published;
        return;
    }
    // Local members get it now; the copy that comes back from the bus is then dropped. This also
    // keeps an instance's own clients talking while the bus is unreachable.
    if (const RelayRecipients *to = recipientsFor(channel); to && !to->isEmpty()) {
        m_echoes.expectEcho(channel, payload);
        m_outbox->deliver(*to, payload);
    }
    m_bus->publish(channel, payload);
    ++m_stats.published;
}

const RelayRecipients *RelayServer::recipientsFor(const QByteArray &channel) const
{
    if (channel == broadcastChannel())
        return &m_clients;
    return m_rooms->members(channel);
}

void RelayServer::onBusMessage(const QByteArray &channel, const QByteArray &payload)
{
    ++m_stats.busMessages;
    if (m_shuttingDown)
        return;
    // Repeats first: a second copy of our own message must not pass as the echo's miss.
    if (m_echoes.isRepeat(channel, payload)) {
        ++m_stats.duplicatesDropped;
        return;
    }
    if (m_echoes.consumeEcho(channel, payload)) {
        ++m_stats.echoesSuppressed;
        return;
    }
    const RelayRecipients *to = recipientsFor(channel);
    if (!to || to->isEmpty() || !fitsOutbound(payload))
        return;
    if (!m_recoveries->isActive(channel)) {
        m_outbox->deliver(*to, payload, RelayOutbox::Source::Bus);
        return;
    }
    RelayRecipients live = *to;
    for (quint64 id : m_recoveries->intercept(channel, payload))
        live.remove(id);
    m_outbox->deliver(live, payload, RelayOutbox::Source::Bus);
}

bool RelayServer::fitsOutbound(const QByteArray &payload)
{
    // A frame over the outbound cap would close every recipient as a slow consumer.
    if (payload.size() <= m_options.limits.maxOutboundBytes)
        return true;
    ++m_stats.oversizeBusMessages;
    const qint64 now = relayNowNs();
    if (m_lastOversizeLogNs < 0 || now - m_lastOversizeLogNs >= 10'000'000'000) {
        m_lastOversizeLogNs = now;
        qCWarning(lcRelay).noquote() << "not delivering a bus message of" << payload.size()
                                     << "bytes: over --max-outbound-bytes" << m_options.limits.maxOutboundBytes
                                     << "(" << m_stats.oversizeBusMessages << "so far)";
    }
    return false;
}

int RelayServer::pendingConnections() const
{
    return m_acceptor->pendingConnections();
}

int RelayServer::roomCount() const
{
    return m_rooms->roomCount();
}

int RelayServer::roomMemberCount(const QString &roomKey) const
{
    return m_rooms->memberCount(roomKey);
}

QStringList RelayServer::rooms() const
{
    return m_rooms->rooms();
}

QList<RelayClientInfo> RelayServer::clients() const
{
    return RelayClientCensus::clients(m_clients);
}

QHash<QString, int> RelayServer::canaryRooms() const
{
    return m_canaries == 0 ? QHash<QString, int>() : RelayClientCensus::canaryRooms(m_clients);
}

QList<RelayClientInfo> RelayServer::busiestClients(int n) const
{
    return RelayClientCensus::busiest(m_clients, n);
}

qint64 RelayServer::queuedBytes() const
{
    return RelayClientCensus::queuedBytes(m_clients);
}

bool RelayServer::kick(quint64 clientId, const QString &reason)
{
    RelayClient *c = m_clients.value(clientId);
    if (!c)
        return false;
    // Through the grace: a kicked client that does not read its close frame is cut all the same.
    c->close(RelayProtocol::Close::PolicyViolation, reason.isEmpty() ? u"kicked by operator"_s : reason);
    return true;
}

void RelayServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_warden->stopHeartbeat();
    m_acceptor->close();
    qCInfo(lcRelay) << "shutting down: closing" << m_clients.size() << "client(s)";
    m_rooms->closeAll(m_clients);
    if (m_bus)
        m_bus->unsubscribe(broadcastChannel());
    m_echoes.clear();
    const QList<RelayClient *> all = m_clients.values();
    for (RelayClient *c : all)
        c->connection->close(RelayProtocol::Close::GoingAway, "going away");
    m_shutdownTimer.start(m_options.shutdownGrace);
    maybeFinish();
}

void RelayServer::maybeFinish()
{
    if (!m_shuttingDown || m_finished || !m_clients.isEmpty())
        return;
    m_finished = true;
    m_shutdownTimer.stop();
    QMetaObject::invokeMethod(this, &RelayServer::finished, Qt::QueuedConnection);
}
