// SPDX-License-Identifier: MIT
#include "relayserver.h"

#include "jwtverifier.h"
#include "relaylogging.h"
#include "messagebus.h"
#include "relayprotocol.h"
#include "relaysocket.h"
#include "roomset.h"
#include "websocketframe.h"

#include <QFile>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#include <algorithm>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Accepts plain connections as RelaySockets.
class RelayTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new RelaySocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            qCWarning(lcRelay).noquote() << "cannot take an accepted connection:" << socket->errorString();
            ::close(int(descriptor));
            delete socket;
            return;
        }
        addPendingConnection(socket);
    }
};

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr qint64 OneSecondNs = 1'000'000'000;

// The subprotocol a client offers next to "bearer.<token>" so that browsers, which must get one
// of their offers back, accept the handshake.
const QString Subprotocol = u"switchboard"_s;

const QString HandshakeTimerName = u"switchboardHandshakeTimer"_s;

QString peerOf(const QTcpSocket *socket)
{
    return socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
}

// Text frames must carry valid UTF-8; anything else published to a channel is sent with U+FFFD
// in place of the broken sequences, as QWebSocket would.
QByteArray validUtf8(const QByteArray &bytes)
{
    return bytes.isValidUtf8() ? bytes : QString::fromUtf8(bytes).toUtf8();
}

// The token from ?token=, "Authorization: Bearer", or a "bearer.<token>" subprotocol offer.
QByteArray tokenOf(const QWebSocket *socket)
{
    const QNetworkRequest request = socket->request();
    const QString query = QUrlQuery(request.url()).queryItemValue(u"token"_s, QUrl::FullyDecoded);
    if (!query.isEmpty())
        return query.toUtf8();
    const QByteArray authorization = request.rawHeader("Authorization").trimmed();
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    for (const QByteArray &offer : request.rawHeader("Sec-WebSocket-Protocol").split(',')) {
        const QByteArray p = offer.trimmed();
        if (p.startsWith("bearer."))
            return p.mid(7);
    }
    return {};
}

// A close reason fits in a control frame: at most 123 bytes of UTF-8.
QString closeReason(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= 123)
        return text;
    utf8.truncate(120);
    while (!utf8.isEmpty() && (uchar(utf8.back()) & 0xc0) == 0x80)
        utf8.chop(1);
    if (!utf8.isEmpty() && uchar(utf8.back()) >= 0xc0)
        utf8.chop(1);
    return QString::fromUtf8(utf8) + u"..."_s;
}

// Sends a close frame and lets the socket go: deleted once the peer answers, or cut after a grace.
void closeAndRelease(QWebSocket *socket, int code, const QString &reason, std::chrono::milliseconds grace)
{
    QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
    socket->flush();
    QTimer::singleShot(grace, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

} // namespace

struct RelayServer::Client
{
    quint64 id = 0;
    QWebSocket *socket = nullptr;
    QPointer<RelaySocket> tcp; // under socket; null over TLS (frames go through socket)
    QString peer;
    RoomSet rooms;        // acknowledged memberships
    RoomSet pendingRooms; // join sent, waiting for the bus
    bool alive = true;
    bool closing = false; // we closed it: nothing more is sent or processed
    TokenBucket bucket{0, 1, 0};
    qint64 lastActivityNs = 0;
    qint64 limitedSinceNs = -1;
    qint64 lastDropNs = -1;
    qint64 lastRateErrorNs = -1;
    std::optional<JwtClaims> claims; // set when the relay requires tokens
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    QDateTime connectedAt;
};

RelayServer::RelayServer(RelayServerOptions options, MessageBus *bus, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_bus(bus)
    , m_server(new QWebSocketServer(u"switchboard-relay"_s,
                                    m_options.tlsCertificateFile.isEmpty() ? QWebSocketServer::NonSecureMode
                                                                           : QWebSocketServer::SecureMode,
                                    this))
{
    if (!m_options.auth.jwtSecret.isEmpty())
        m_jwt = std::make_unique<JwtVerifier>(m_options.auth.jwtSecret, m_options.auth.jwtLeeway);
    m_server->setSupportedSubprotocols({Subprotocol});
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                const QStringList &allowed = m_options.auth.allowedOrigins;
                const QString origin = authenticator->origin();
                const bool ok = allowed.isEmpty() || origin.isEmpty() || allowed.contains(origin);
                authenticator->setAllowed(ok);
                if (!ok) {
                    ++m_stats.originsRefused;
                    qCInfo(lcRelay).noquote() << "refused a handshake from Origin" << origin.left(200)
                                              << "(not in --allowed-origins)";
                }
            });
    connect(m_server, &QWebSocketServer::sslErrors, this, [](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            qCDebug(lcRelay) << "TLS error from a client:" << e.errorString();
    });
    if (m_options.instanceId.isEmpty())
        m_options.instanceId = QString::number(QRandomGenerator::global()->generate(), 16);
    // Ids stay unique across restarts of an instance that reuses its instance id.
    m_idPrefix = m_options.instanceId.toUtf8() + '-' +
                 QByteArray::number(QRandomGenerator::global()->generate() & 0xffffff, 36) + '-';

    connect(m_server, &QWebSocketServer::newConnection, this, &RelayServer::onNewConnection);
    connect(m_server, &QWebSocketServer::acceptError, this,
            [](QAbstractSocket::SocketError error) { qCWarning(lcRelay) << "accept failed:" << error; });
    connect(m_bus, &MessageBus::message, this, &RelayServer::onBusMessage);
    connect(m_bus, &MessageBus::subscribed, this, &RelayServer::onBusSubscribed);

    m_heartbeat.setInterval(m_options.pingInterval);
    connect(&m_heartbeat, &QTimer::timeout, this, &RelayServer::heartbeat);
    m_server->setHandshakeTimeout(m_options.limits.handshakeTimeout);
    if (m_options.limits.idleTimeout.count() > 0) {
        m_idleSweep.setInterval(std::clamp(m_options.limits.idleTimeout / 4, std::chrono::milliseconds(10),
                                           std::chrono::milliseconds(1000)));
        connect(&m_idleSweep, &QTimer::timeout, this, &RelayServer::sweepIdle);
    }
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, [this] {
        const QList<Client *> stragglers = m_clients.values();
        for (Client *c : stragglers)
            c->socket->abort();
        maybeFinish();
    });

    m_bus->subscribe(broadcastChannel());
}

RelayServer::~RelayServer()
{
    for (Client *c : std::as_const(m_clients)) {
        c->socket->disconnect(this);
        c->socket->abort();
        delete c->socket;
        delete c;
    }
    m_clients.clear();
}

QByteArray RelayServer::roomChannel(const QString &roomKey) const
{
    return m_options.channelPrefix + "room:" + roomKey.toUtf8();
}

bool RelayServer::listen(QString *error)
{
    if (!m_options.tlsCertificateFile.isEmpty()) {
        QString why;
        const QList<QSslCertificate> chain =
            QSslCertificate::fromPath(m_options.tlsCertificateFile, QSsl::Pem);
        QFile keyFile(m_options.tlsKeyFile);
        QSslKey key;
        if (chain.isEmpty()) {
            why = u"--tls-cert: no PEM certificate in '%1'"_s.arg(m_options.tlsCertificateFile);
        } else if (!keyFile.open(QIODevice::ReadOnly)) {
            why = u"--tls-key: cannot read '%1': %2"_s.arg(m_options.tlsKeyFile, keyFile.errorString());
        } else {
            const QByteArray pem = keyFile.readAll();
            for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
                key = QSslKey(pem, algorithm, QSsl::Pem);
                if (!key.isNull())
                    break;
            }
            if (key.isNull())
                why = u"--tls-key: no unencrypted PEM EC or RSA private key in '%1'"_s.arg(
                    m_options.tlsKeyFile);
        }
        if (!why.isEmpty()) {
            if (error)
                *error = why;
            return false;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_server->setSslConfiguration(tls);
    }
    bool listening = false;
    QString listenError;
    if (m_server->secureMode() == QWebSocketServer::SecureMode) {
        listening = m_server->listen(m_options.bindAddress, m_options.port);
        listenError = m_server->errorString();
    } else {
        m_listener = new RelayTcpServer(this);
        m_listener->setMaxPendingConnections(1000);
        connect(m_listener, &QTcpServer::newConnection, this, &RelayServer::onTcpConnection);
        connect(m_listener, &QTcpServer::acceptError, this,
                [](QAbstractSocket::SocketError error) { qCWarning(lcRelay) << "accept failed:" << error; });
        listening = m_listener->listen(m_options.bindAddress, m_options.port);
        listenError = m_listener->errorString();
        if (!listening) {
            delete m_listener;
            m_listener = nullptr;
        }
    }
    if (!listening) {
        const QString why = u"cannot listen on %1:%2: %3"_s.arg(m_options.bindAddress.toString())
                                .arg(m_options.port)
                                .arg(listenError);
        if (error)
            *error = why;
        return false;
    }
    if (m_options.pingInterval.count() > 0)
        m_heartbeat.start();
    if (m_options.limits.idleTimeout.count() > 0)
        m_idleSweep.start();
    qCInfo(lcRelay).noquote() << u"listening on port %1 (bind %2, %3) instance %4, bus: %5"_s.arg(port()).arg(
        m_options.bindAddress.toString(), url().toString(), m_options.instanceId, m_bus->description());
    return true;
}

bool RelayServer::isListening() const
{
    return m_listener ? m_listener->isListening() : m_server->isListening();
}

quint16 RelayServer::port() const
{
    return m_listener ? m_listener->serverPort() : m_server->serverPort();
}

QUrl RelayServer::url() const
{
    QHostAddress address = m_listener ? m_listener->serverAddress() : m_server->serverAddress();
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    QUrl u;
    u.setScheme(m_server->secureMode() == QWebSocketServer::SecureMode ? u"wss"_s : u"ws"_s);
    u.setHost(address.toString());
    u.setPort(port());
    return u;
}

void RelayServer::onTcpConnection()
{
    while (QTcpSocket *tcp = m_listener->nextPendingConnection()) {
        // Frames are written whole and at once; Nagle would hold a small one for the peer's ACK.
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QString peer = peerOf(tcp);
        m_upgrading.insert(peer, tcp);
        connect(tcp, &QObject::destroyed, this, [this, peer, tcp] {
            const auto it = m_upgrading.constFind(peer);
            if (it != m_upgrading.cend() && *it == tcp)
                m_upgrading.erase(it);
        });
        if (m_options.limits.handshakeTimeout.count() > 0) {
            auto *timer = new QTimer(tcp);
            timer->setObjectName(HandshakeTimerName);
            timer->setSingleShot(true);
            connect(timer, &QTimer::timeout, tcp, [tcp] { tcp->abort(); });
            timer->start(m_options.limits.handshakeTimeout);
        }
        m_server->handleConnection(tcp);
    }
}

void RelayServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        const QString peer = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
        auto *tcp = qobject_cast<RelaySocket *>(m_upgrading.take(peer));
        if (tcp) {
            delete tcp->findChild<QTimer *>(HandshakeTimerName, Qt::FindDirectChildrenOnly);
            tcp->disconnect(this); // the m_upgrading cleanup; a few hundred bytes per connection
        }
        if (m_shuttingDown) {
            closeAndRelease(socket, RelayProtocol::Close::GoingAway, u"going away"_s, 1s);
            continue;
        }
        const RelayLimits &limits = m_options.limits;
        if (m_clients.size() >= limits.maxConnections) {
            ++m_stats.connectionsRefused;
            qCWarning(lcRelay).noquote()
                << "refusing" << peer << "- at the connection limit of" << limits.maxConnections;
            closeAndRelease(socket, RelayProtocol::Close::TryAgainLater,
                            u"server full: %1 connections"_s.arg(limits.maxConnections), 1s);
            continue;
        }
        std::optional<JwtClaims> claims;
        if (m_jwt) {
            const QByteArray token = tokenOf(socket);
            const JwtVerifier::Result result =
                token.isEmpty() ? JwtVerifier::Result{false,
                                                      "token_missing",
                                                      u"a token is required (?token=, Authorization: Bearer, "
                                                      u"or a bearer.<token> subprotocol)"_s,
                                                      {}}
                                : m_jwt->verify(token, QDateTime::currentSecsSinceEpoch());
            if (!result.ok) {
                ++m_stats.authFailures;
                qCInfo(lcRelay).noquote() << "refused" << peer << "-" << result.code << result.reason;
                closeAndRelease(socket, RelayProtocol::Close::PolicyViolation,
                                closeReason(QString::fromLatin1(result.code) + u": "_s + result.reason), 1s);
                continue;
            }
            claims = result.claims;
        }
        socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(limits.maxMessageBytes));
        auto *client = new Client;
        client->id = m_nextClientId++;
        client->socket = socket;
        client->tcp = tcp;
        client->peer = peer;
        client->connectedAt = QDateTime::currentDateTimeUtc();
        client->claims = std::move(claims);
        client->lastActivityNs = nowNs();
        client->bucket = TokenBucket(limits.messagesPerSecond, limits.messageBurst, client->lastActivityNs);
        m_clients.insert(client->id, client);
        ++m_stats.connectionsAccepted;
        const quint64 id = client->id;
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, client](const QString &text) { onTextMessage(client, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, client] { onBinaryMessage(client); });
        connect(socket, &QWebSocket::pong, this, [client] { client->alive = true; });
        // Queued: a send can report a broken socket synchronously, and the client must not vanish
        // while a delivery loop is walking over it.
        connect(
            socket, &QWebSocket::disconnected, this, [this, id] { onDisconnected(id); },
            Qt::QueuedConnection);
        qCDebug(lcRelay).noquote() << "client" << id << "connected from" << client->peer;
        Q_EMIT clientConnected(id);
    }
}

void RelayServer::onDisconnected(quint64 id)
{
    Client *client = m_clients.take(id);
    if (!client)
        return;
    if (client->socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData && !client->closing) {
        ++m_stats.oversizeCloses;
        qCInfo(lcRelay).noquote() << "client" << id << "closed with 1009: a message over"
                                  << m_options.limits.maxMessageBytes << "bytes";
    }
    const QStringList rooms = client->rooms.toList() + client->pendingRooms.toList();
    for (const QString &room : rooms)
        removeFromRoom(client, room);
    client->socket->disconnect(this);
    client->socket->deleteLater();
    qCDebug(lcRelay).noquote() << "client" << id << "disconnected";
    delete client;
    Q_EMIT clientDisconnected(id);
    maybeFinish();
}

void RelayServer::sendFrame(Client *client, const QByteArray &utf8)
{
    if (client->tcp)
        writeFrame(client, WebSocketFrame::text(validUtf8(utf8)));
    else
        sendText(client, QString::fromUtf8(utf8));
}

void RelayServer::writeFrame(Client *client, const QByteArray &frame)
{
    RelaySocket *tcp = client->tcp;
    if (client->closing || !tcp || client->socket->state() != QAbstractSocket::ConnectedState)
        return;
    ++client->framesOut;
    ++m_stats.framesOut;
    // A client with frames queued is already listed for this turn's flush. (One whose queue a
    // write of QWebSocket's emptied may be listed twice; the second flush finds nothing to send.)
    const bool listed = tcp->queuedFrames() > 0;
    tcp->queue(frame);
    if (tcp->bytesToWrite() > m_options.limits.maxOutboundBytes) {
        checkOutbound(client); // sends the queue
        return;
    }
    // Everything written to a client in one turn goes out in one sendmsg() when the turn ends.
    if (!listed) {
        if (m_written.empty())
            QMetaObject::invokeMethod(this, &RelayServer::flushWritten, Qt::QueuedConnection);
        m_written.push_back(client->id);
    }
}

void RelayServer::flushWritten()
{
    // Publishes first: the other instances' clients need not wait for this one's.
    if (m_bus)
        m_bus->flush();
    // Swapped, not moved: both vectors keep their capacity from turn to turn.
    m_flushing.swap(m_written);
    for (quint64 id : m_flushing) {
        if (Client *client = m_clients.value(id); client && client->tcp)
            client->tcp->flushQueued();
    }
    m_flushing.clear();
}

void RelayServer::sendText(Client *client, const QString &text)
{
    if (client->closing)
        return;
    ++client->framesOut;
    ++m_stats.framesOut;
    client->socket->sendTextMessage(text);
    if (client->socket->bytesToWrite() > m_options.limits.maxOutboundBytes)
        checkOutbound(client);
}

void RelayServer::checkOutbound(Client *client)
{
    // Most of a burst is still in Qt's buffer only because the loop has not flushed it yet; a
    // client that reads has room for it in the kernel.
    if (client->tcp)
        client->tcp->flushQueued();
    client->socket->flush();
    const qint64 queued = client->socket->bytesToWrite();
    if (queued <= m_options.limits.maxOutboundBytes)
        return;
    ++m_stats.slowConsumerCloses;
    qCWarning(lcRelay).noquote() << "client" << client->id << "from" << client->peer
                                 << "is not reading:" << queued << "bytes queued (cap"
                                 << m_options.limits.maxOutboundBytes << ") - closing with 4001";
    closeClient(client, RelayProtocol::Close::SlowConsumer,
                u"slow consumer: more than %1 bytes queued"_s.arg(m_options.limits.maxOutboundBytes));
}

void RelayServer::closeClient(Client *client, int code, const QString &reason)
{
    if (client->closing)
        return;
    client->closing = true;
    QWebSocket *socket = client->socket;
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
    // The close frame waits behind what is queued; a client that does not read it within the
    // grace is cut, so what it holds is freed either way.
    QTimer::singleShot(m_options.shutdownGrace, socket, [socket] { socket->abort(); });
}

bool RelayServer::admitFrame(Client *client)
{
    const qint64 now = nowNs();
    client->lastActivityNs = now;
    if (client->bucket.tryTake(now))
        return true;
    ++m_stats.rateLimitedFrames;
    if (client->limitedSinceNs < 0 || now - client->lastDropNs > OneSecondNs)
        client->limitedSinceNs = now;
    client->lastDropNs = now;
    const RelayLimits &limits = m_options.limits;
    if (now - client->limitedSinceNs >= std::chrono::nanoseconds(limits.rateLimitGrace).count()) {
        ++m_stats.rateLimitCloses;
        qCWarning(lcRelay).noquote() << "client" << client->id << "from" << client->peer << "stayed over"
                                     << limits.messagesPerSecond << "messages/s - closing with 1008";
        closeClient(client, RelayProtocol::Close::PolicyViolation, u"rate limit exceeded"_s);
        return false;
    }
    if (client->lastRateErrorNs < 0 || now - client->lastRateErrorNs >= OneSecondNs) {
        client->lastRateErrorNs = now;
        sendFrame(client,
                  RelayProtocol::error(RelayProtocol::Error::RateLimited,
                                       u"more than %1 messages/s (burst %2): frames are being dropped"_s
                                           .arg(limits.messagesPerSecond)
                                           .arg(limits.messageBurst)));
    }
    return false;
}

void RelayServer::sweepIdle()
{
    const qint64 now = nowNs();
    const qint64 limit = std::chrono::nanoseconds(m_options.limits.idleTimeout).count();
    const QList<Client *> all = m_clients.values();
    for (Client *c : all) {
        if (c->closing || now - c->lastActivityNs < limit)
            continue;
        ++m_stats.idleCloses;
        qCInfo(lcRelay).noquote() << "client" << c->id << "idle for" << m_options.limits.idleTimeout.count()
                                  << "ms - closing with 4002";
        closeClient(c, RelayProtocol::Close::IdleTimeout, u"idle timeout"_s);
    }
}

void RelayServer::onBinaryMessage(Client *client)
{
    ++client->framesIn;
    if (m_shuttingDown || client->closing || !admitFrame(client))
        return;
    ++m_stats.protocolErrors;
    sendFrame(client, RelayProtocol::error(RelayProtocol::Error::BinaryNotSupported,
                                           u"binary frames are not supported: send JSON text frames"_s));
}

void RelayServer::onTextMessage(Client *client, const QString &text)
{
    ++client->framesIn;
    ++m_stats.framesIn;
    if (m_shuttingDown || client->closing || !admitFrame(client))
        return;
    const RelayProtocol::Request request = RelayProtocol::parse(text.toUtf8(), m_options.limits.roomIds);
    using Kind = RelayProtocol::Request::Kind;
    switch (request.kind) {
    case Kind::Invalid:
        ++m_stats.protocolErrors;
        sendFrame(client, RelayProtocol::error(request.errorCode, request.errorMessage));
        return;
    case Kind::Join:
        if (mayUseRoom(client, &request.roomId, request.roomKey))
            join(client, request.roomId, request.roomKey);
        return;
    case Kind::Leave:
        leave(client, request.roomKey);
        sendFrame(client, RelayProtocol::left(request.roomId));
        return;
    case Kind::Message:
        if (!mayUseRoom(client, request.hasRoom ? &request.roomId : nullptr, request.roomKey))
            return;
        publish(request.user, request.text, request.hasRoom ? &request.roomId : nullptr, request.roomKey);
        return;
    case Kind::Ping:
        sendFrame(client, RelayProtocol::pong());
        return;
    }
}

bool RelayServer::mayUseRoom(Client *client, const QJsonValue *roomId, const QString &roomKey)
{
    if (!client->claims)
        return true;
    const bool ok = roomId ? client->claims->allowsRoom(roomKey) : client->claims->broadcast;
    if (ok)
        return true;
    ++m_stats.forbidden;
    sendFrame(client, RelayProtocol::error(RelayProtocol::Error::Forbidden,
                                           roomId ? u"the token does not allow room \"%1\""_s.arg(roomKey)
                                                  : u"the token does not allow broadcasting"_s));
    return false;
}

void RelayServer::join(Client *client, const QJsonValue &roomId, const QString &roomKey)
{
    if (client->rooms.contains(roomKey)) {
        sendFrame(client, RelayProtocol::joined(roomId));
        return;
    }
    if (client->pendingRooms.contains(roomKey))
        return; // acknowledged once the bus confirms
    const int maxRooms = m_options.limits.maxRoomsPerConnection;
    if (client->rooms.size() + client->pendingRooms.size() >= maxRooms) {
        sendFrame(client, RelayProtocol::error(RelayProtocol::Error::TooManyRooms,
                                               u"a connection may be in at most %1 rooms"_s.arg(maxRooms)));
        return;
    }
    auto it = m_rooms.find(roomKey);
    if (it == m_rooms.end()) {
        Room room;
        room.channel = roomChannel(roomKey);
        it = m_rooms.insert(roomKey, room);
        m_roomByChannel.insert(room.channel, roomKey);
        m_bus->subscribe(room.channel);
        Q_EMIT roomOpened(roomKey);
    }
    if (m_bus->isSubscribed(it->channel)) {
        it->members.insert(client->id, client);
        client->rooms.insert(roomKey);
        sendFrame(client, RelayProtocol::joined(roomId));
    } else {
        it->pendingJoins.insert(client->id, roomId);
        client->pendingRooms.insert(roomKey);
    }
}

void RelayServer::onBusSubscribed(const QByteArray &channel)
{
    const auto name = m_roomByChannel.constFind(channel);
    if (name == m_roomByChannel.cend())
        return;
    auto it = m_rooms.find(*name);
    if (it == m_rooms.end() || it->pendingJoins.isEmpty())
        return;
    const QString roomKey = *name;
    const QHash<quint64, QJsonValue> pending = std::exchange(it->pendingJoins, {});
    for (auto p = pending.cbegin(); p != pending.cend(); ++p) {
        Client *client = m_clients.value(p.key());
        if (!client)
            continue;
        client->pendingRooms.remove(roomKey);
        client->rooms.insert(roomKey);
        it->members.insert(client->id, client);
        sendFrame(client, RelayProtocol::joined(p.value()));
    }
}

void RelayServer::leave(Client *client, const QString &roomKey)
{
    if (client->rooms.contains(roomKey) || client->pendingRooms.contains(roomKey))
        removeFromRoom(client, roomKey);
}

void RelayServer::removeFromRoom(Client *client, const QString &roomKey)
{
    client->rooms.remove(roomKey);
    client->pendingRooms.remove(roomKey);
    auto it = m_rooms.find(roomKey);
    if (it == m_rooms.end())
        return;
    it->members.remove(client->id);
    it->pendingJoins.remove(client->id);
    if (!it->members.isEmpty() || !it->pendingJoins.isEmpty())
        return;
    const QByteArray channel = it->channel;
    m_rooms.erase(it);
    m_roomByChannel.remove(channel);
    m_echoes.remove(channel);
    if (m_bus)
        m_bus->unsubscribe(channel);
    Q_EMIT roomClosed(roomKey);
}

void RelayServer::publish(const QString &user, const QString &text, const QJsonValue *roomId,
                          const QString &roomKey)
{
    const QByteArray id = m_idPrefix + QByteArray::number(m_nextMessageId++, 36);
    const QByteArray payload =
        RelayProtocol::chatMessage(user, text, QDateTime::currentMSecsSinceEpoch(), roomId, id);
    const QByteArray channel = roomId ? roomChannel(roomKey) : broadcastChannel();
    // Local members get it now; the copy that comes back from the bus is then dropped. This also
    // keeps an instance's own clients talking while the bus is unreachable.
    if (const Recipients *to = recipientsFor(channel); to && !to->isEmpty()) {
        std::deque<QByteArray> &echoes = m_echoes[channel];
        echoes.push_back(payload);
        while (qsizetype(echoes.size()) > m_options.maxPendingEchoes)
            echoes.pop_front();
        deliver(*to, payload);
    }
    m_bus->publish(channel, payload);
    ++m_stats.published;
}

const RelayServer::Recipients *RelayServer::recipientsFor(const QByteArray &channel) const
{
    if (channel == broadcastChannel())
        return &m_clients;
    const auto name = m_roomByChannel.constFind(channel);
    if (name == m_roomByChannel.cend())
        return nullptr;
    const auto room = m_rooms.constFind(*name);
    return room == m_rooms.cend() ? nullptr : &room->members;
}

void RelayServer::deliver(const Recipients &to, const QByteArray &payload)
{
    if (to.isEmpty())
        return;
    // Once per message, not per recipient.
    if (m_listener) {
        const QByteArray frame = WebSocketFrame::text(validUtf8(payload));
        for (Client *c : to)
            writeFrame(c, frame);
    } else {
        const QString text = QString::fromUtf8(payload);
        for (Client *c : to)
            sendText(c, text);
    }
}

bool RelayServer::consumeEcho(const QByteArray &channel, const QByteArray &payload)
{
    auto it = m_echoes.find(channel);
    if (it == m_echoes.end() || it->empty())
        return false;
    // Our own publishes come back in the order we sent them; anything older than a match was
    // lost on the way (for example in an outage) and will not come back.
    auto match = std::find(it->begin(), it->end(), payload);
    if (match == it->end())
        return false;
    it->erase(it->begin(), match + 1);
    ++m_stats.echoesSuppressed;
    return true;
}

bool RelayServer::isRepeat(const QByteArray &payload)
{
    // Relays publish {"type":"message",...,"id":"<instance>-<nonce>-<seq>"} with seq rising in
    // publish order, and one subscriber connection receives a relay's messages in that order. A
    // relay whose PUBLISH reply was lost with its connection publishes again; a sequence number at
    // or below the last one seen from that relay is that second copy. Other payloads pass.
    static constexpr QByteArrayView Head = R"({"type":"message",)";
    static constexpr QByteArrayView IdKey = R"("id":")";
    if (!payload.startsWith(Head) || !payload.endsWith("\"}"))
        return false;
    const qsizetype at = payload.lastIndexOf(IdKey);
    if (at < 0)
        return false;
    const QByteArrayView id(payload.constData() + at + IdKey.size(), payload.size() - 2 - at - IdKey.size());
    const qsizetype dash = id.lastIndexOf('-');
    if (dash <= 0)
        return false;
    bool ok = false;
    const quint64 seq = id.sliced(dash + 1).toULongLong(&ok, 36);
    if (!ok)
        return false;
    const QByteArrayView origin = id.first(dash);
    auto it = m_lastSeqByOrigin.find(origin.toByteArray());
    if (it == m_lastSeqByOrigin.end()) {
        if (m_lastSeqByOrigin.size() >= 10000)
            m_lastSeqByOrigin.clear(); // a fleet never has this many processes; forget old restarts
        m_lastSeqByOrigin.insert(origin.toByteArray(), seq);
        return false;
    }
    if (seq <= *it) {
        ++m_stats.duplicatesDropped;
        return true;
    }
    *it = seq;
    return false;
}

void RelayServer::onBusMessage(const QByteArray &channel, const QByteArray &payload)
{
    ++m_stats.busMessages;
    if (m_shuttingDown || consumeEcho(channel, payload) || isRepeat(payload))
        return;
    if (const Recipients *to = recipientsFor(channel))
        deliver(*to, payload);
}

void RelayServer::heartbeat()
{
    const QList<Client *> all = m_clients.values();
    for (Client *c : all) {
        if (!c->alive) {
            ++m_stats.heartbeatTimeouts;
            qCInfo(lcRelay).noquote() << "client" << c->id << "missed its pong; closing";
            QWebSocket *socket = c->socket;
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"heartbeat timeout"_s);
            socket->abort();
            continue;
        }
        c->alive = false;
        c->socket->ping();
    }
}

int RelayServer::roomMemberCount(const QString &roomKey) const
{
    const auto it = m_rooms.constFind(roomKey);
    return it == m_rooms.cend() ? 0 : int(it->members.size());
}

QStringList RelayServer::rooms() const
{
    QStringList names = m_rooms.keys();
    names.sort();
    return names;
}

QList<RelayClientInfo> RelayServer::clients() const
{
    QList<RelayClientInfo> out;
    out.reserve(m_clients.size());
    for (const Client *c : m_clients) {
        RelayClientInfo info;
        info.id = c->id;
        info.peer = c->peer;
        info.rooms = c->rooms.toList();
        info.rooms.sort();
        info.framesIn = c->framesIn;
        info.framesOut = c->framesOut;
        info.queuedBytes = c->socket->bytesToWrite();
        info.connectedAt = c->connectedAt;
        out.append(info);
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return out;
}

bool RelayServer::kick(quint64 clientId, const QString &reason)
{
    Client *c = m_clients.value(clientId);
    if (!c)
        return false;
    c->socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                     reason.isEmpty() ? u"kicked by operator"_s : reason);
    return true;
}

void RelayServer::shutdown()
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    m_heartbeat.stop();
    m_server->close();
    if (m_listener)
        m_listener->close();
    qCInfo(lcRelay) << "shutting down: closing" << m_clients.size() << "client(s)";
    const QStringList roomNames = m_rooms.keys();
    for (const QString &roomKey : roomNames) {
        if (m_bus)
            m_bus->unsubscribe(m_rooms.value(roomKey).channel);
    }
    if (m_bus)
        m_bus->unsubscribe(broadcastChannel());
    m_rooms.clear();
    m_roomByChannel.clear();
    m_echoes.clear();
    for (Client *c : std::as_const(m_clients)) {
        c->rooms.clear();
        c->pendingRooms.clear();
    }
    const QList<Client *> all = m_clients.values();
    for (Client *c : all)
        c->socket->close(QWebSocketProtocol::CloseCodeGoingAway, u"going away"_s);
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
