// SPDX-License-Identifier: MIT
#include "redissentinel.h"

#include "redislogging.h"

#include <utility>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
// A host and port as Sentinel writes them (an address of get-master-addr-by-name, or the fields
// of a +switch-master message).
bool parseAddress(const QByteArray &hostText, const QByteArray &portText, QString *host, quint16 *port)
{
    bool ok = false;
    const uint value = portText.toUInt(&ok);
    if (!ok || value == 0 || value > 65535 || hostText.isEmpty())
        return false;
    *host = QString::fromUtf8(hostText);
    *port = quint16(value);
    return true;
}

// Often called from inside one of connection's own callbacks or signals, after which the owner
// may emit something whose handler deletes the owner: connection leaves the owner's children
// and lives until the event loop deletes it.
void dropConnection(RedisConnection *connection, QObject *owner)
{
    if (!connection)
        return;
    connection->disconnect(owner);
    connection->setParent(nullptr);
    connection->close();
    connection->deleteLater();
}
} // namespace

RedisConnectionOptions sentinelConnectionOptions(const RedisConnectionOptions &options,
                                                 const RedisUrl::Node &node)
{
    RedisConnectionOptions o;
    o.url = options.url.sentinelAt(node);
    o.connectTimeout = options.connectTimeout;
    o.autoReconnect = false;
    o.reconnectInitialDelay = options.reconnectInitialDelay;
    o.reconnectMaxDelay = options.reconnectMaxDelay;
    o.maxQueuedCommands = 16;
    o.heartbeat = options.heartbeat;
    o.keepAlive = options.keepAlive;
    o.logConnected = false;
    return o;
}

RedisSentinelResolver::RedisSentinelResolver(const RedisConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    m_replyTimer.setSingleShot(true);
    connect(&m_replyTimer, &QTimer::timeout, this, [this] {
        next(u"no answer to SENTINEL get-master-addr-by-name within %1 ms"_s.arg(
            m_options.connectTimeout.count()));
    });
}

void RedisSentinelResolver::resolve()
{
    abort();
    m_sentinels = m_options.url.nodes();
    m_index = 0;
    m_errors.clear();
    m_unknown = 0;
    askNext();
}

void RedisSentinelResolver::resolveAt(const RedisUrl::Node &sentinel)
{
    abort();
    m_sentinels = {sentinel};
    m_index = 0;
    m_errors.clear();
    m_unknown = 0;
    askNext();
}

void RedisSentinelResolver::abort()
{
    dropSentinel();
}

void RedisSentinelResolver::dropSentinel()
{
    m_replyTimer.stop();
    dropConnection(std::exchange(m_sentinel, nullptr), this);
}

void RedisSentinelResolver::askNext()
{
    const QString name = m_options.url.primaryName();
    if (m_index >= m_sentinels.size()) {
        if (m_unknown > 0 && m_unknown == m_sentinels.size())
            Q_EMIT failed(u"the Sentinels do not know a primary named '%1'"_s.arg(name));
        else
            Q_EMIT failed(u"no Sentinel answered for '%1': %2"_s.arg(name, m_errors.join(u"; "_s)));
        return;
    }
    RedisConnectionOptions o = sentinelConnectionOptions(m_options, m_sentinels.at(m_index));
    o.heartbeat.interval = 0ms; // the reply timer bounds the one command
    RedisConnection *sentinel = new RedisConnection(o, this);
    m_sentinel = sentinel;
    connect(sentinel, &RedisConnection::ready, this,
            [this] { m_replyTimer.start(m_options.connectTimeout); });
    // Queued until the handshake is done; fails with the connection's error if it never is.
    sentinel->command({"SENTINEL"_ba, "get-master-addr-by-name"_ba, name.toUtf8()}, this,
                      [this, sentinel](const RedisValue &reply) {
                          if (sentinel == m_sentinel)
                              onReply(reply);
                      });
    sentinel->open();
}

void RedisSentinelResolver::onReply(const RedisValue &reply)
{
    if (RedisConnection::isConnectionFailure(reply)) {
        const QString why = m_sentinel->lastError();
        next(why.isEmpty() ? QString::fromUtf8(reply.bytes()) : why);
        return;
    }
    if (reply.isError()) {
        next(QString::fromUtf8(reply.bytes()));
        return;
    }
    if (reply.isNil()) {
        ++m_unknown;
        next(u"does not know a primary named '%1'"_s.arg(m_options.url.primaryName()));
        return;
    }
    QString host;
    quint16 port = 0;
    if (!reply.isArray() || reply.elements().size() != 2 ||
        !parseAddress(reply.elements()[0].bytes(), reply.elements()[1].bytes(), &host, &port)) {
        next(u"unexpected reply to SENTINEL get-master-addr-by-name: %1"_s.arg(reply.toDisplayString()));
        return;
    }
    dropSentinel();
    Q_EMIT resolved(host, port);
}

void RedisSentinelResolver::next(const QString &error)
{
    const RedisUrl::Node node = m_sentinels.at(m_index);
    m_errors.append(u"%1:%2: %3"_s.arg(node.host).arg(node.port).arg(error));
    dropSentinel();
    ++m_index;
    askNext();
}

RedisSentinelWatcher::RedisSentinelWatcher(const RedisConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_check(new RedisSentinelResolver(options, this))
    , m_backoff(options.reconnectInitialDelay, options.reconnectMaxDelay)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisSentinelWatcher::connectSentinel);
    connect(m_check, &RedisSentinelResolver::resolved, this, &RedisSentinelWatcher::report);
    connect(m_check, &RedisSentinelResolver::failed, this, [](const QString &error) {
        qCDebug(lcRedis).noquote() << "Sentinel check after subscribing:" << error;
    });
}

RedisUrl::Node RedisSentinelWatcher::sentinel() const
{
    const QList<RedisUrl::Node> sentinels = m_options.url.nodes();
    return sentinels.isEmpty() ? RedisUrl::Node{} : sentinels.at(m_index % sentinels.size());
}

void RedisSentinelWatcher::start(const RedisUrl::Node &primary)
{
    stop();
    m_primary = primary;
    m_running = true;
    m_backoff.reset();
    connectSentinel();
}

void RedisSentinelWatcher::stop()
{
    m_running = false;
    m_subscribed = false;
    m_retryTimer.stop();
    m_check->abort();
    dropConnection(std::exchange(m_sentinel, nullptr), this);
}

void RedisSentinelWatcher::connectSentinel()
{
    const QList<RedisUrl::Node> sentinels = m_options.url.nodes();
    if (!m_running || sentinels.isEmpty())
        return;
    m_index %= sentinels.size();
    RedisConnection *sentinel =
        new RedisConnection(sentinelConnectionOptions(m_options, sentinels.at(m_index)), this);
    m_sentinel = sentinel;
    sentinel->setPushMode(true);
    connect(sentinel, &RedisConnection::pushReceived, this, &RedisSentinelWatcher::onPush);
    connect(sentinel, &RedisConnection::closed, this, &RedisSentinelWatcher::onSentinelLost);
    sentinel->command({"SUBSCRIBE"_ba, "+switch-master"_ba}); // goes out after the handshake
    sentinel->open();
}

void RedisSentinelWatcher::onPush(const RedisValue &value)
{
    if (!value.isArray() || value.elements().size() < 3)
        return;
    const auto &e = value.elements();
    if (e[0].bytes() == "subscribe") {
        m_subscribed = true;
        m_backoff.reset();
        m_check->resolveAt(sentinel()); // a failover since the data connection resolved is not missed
        return;
    }
    if (e[0].bytes() != "message" || e[1].bytes() != "+switch-master")
        return;
    // "<name> <old-ip> <old-port> <new-ip> <new-port>"
    const QList<QByteArray> fields = e[2].bytes().split(' ');
    if (fields.size() != 5 || fields[0] != m_options.url.primaryName().toUtf8())
        return;
    QString host;
    quint16 port = 0;
    if (!parseAddress(fields[3], fields[4], &host, &port)) {
        qCWarning(lcRedis).noquote() << "ignoring a malformed +switch-master message:"
                                     << QString::fromUtf8(e[2].bytes());
        return;
    }
    report(host, port);
}

void RedisSentinelWatcher::onSentinelLost(const QString &error)
{
    const RedisUrl::Node lost = sentinel();
    qCDebug(lcRedis).noquote()
        << u"Sentinel %1:%2 lost (%3): watching the next one"_s.arg(lost.host).arg(lost.port).arg(error);
    m_subscribed = false;
    m_check->abort();
    dropConnection(std::exchange(m_sentinel, nullptr), this);
    ++m_index;
    if (m_running)
        m_retryTimer.start(m_backoff.next());
}

void RedisSentinelWatcher::report(const QString &host, quint16 port)
{
    if (!m_running || (host == m_primary.host && port == m_primary.port))
        return;
    Q_EMIT primaryMoved(host, port);
}
