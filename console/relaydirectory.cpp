// SPDX-License-Identifier: MIT
#include "relaydirectory.h"

#include "redisclustersubscriber.h"
#include "redissubscriber.h"
#include "relaylogging.h"
#include "relaystatspublisher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

RelayDirectory::RelayDirectory(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_expiryTimer.setSingleShot(true);
    m_expiryTimer.callOnTimeout(this, &RelayDirectory::expire);
}

RelayDirectory::~RelayDirectory() = default;

void RelayDirectory::start(const RedisConnectionOptions &options)
{
    stop();
    RedisConnectionOptions o = options;
    o.clientName = u"switchboard-console:directory"_s;
    m_error.clear();
    m_subscriber = new RedisSubscriber(o, this);
    connect(m_subscriber, &RedisSubscriber::pmessage, this,
            [this](const QByteArray &, const QByteArray &channel, const QByteArray &payload) {
                handleMessage(channel, payload);
            });
    connect(m_subscriber, &RedisSubscriber::psubscribeFailed, this,
            [this](const QByteArray &pattern, const QByteArray &error) {
                m_error = QString::fromUtf8(error);
                qCWarning(lcBus).noquote() << "relay directory: Redis refused PSUBSCRIBE"
                                           << QString::fromUtf8(pattern) << "-" << m_error;
                Q_EMIT changed();
            });
    m_subscriber->psubscribe(RelayStatsPublisher::channelPattern());
    m_subscriber->open();
}

void RelayDirectory::followSharded(RedisClusterConnection *cluster, const QByteArrayList &prefixes)
{
    delete m_sharded;
    m_sharded = new RedisClusterSubscriber(cluster, this);
    connect(m_sharded, &RedisClusterSubscriber::message, this, &RelayDirectory::handleMessage);
    for (const QByteArray &prefix : prefixes)
        m_sharded->subscribe(RelayStatsPublisher::channel(prefix));
    m_sharded->open();
}

void RelayDirectory::stop()
{
    delete m_sharded;
    m_sharded = nullptr;
    if (m_subscriber) {
        m_subscriber->close();
        m_subscriber->deleteLater();
        m_subscriber = nullptr;
    }
    m_expiryTimer.stop();
    if (!m_instances.isEmpty()) {
        m_instances.clear();
        Q_EMIT changed();
    }
}

bool RelayDirectory::isListening() const
{
    return m_subscriber && m_subscriber->isPSubscribed(RelayStatsPublisher::channelPattern());
}

qint64 RelayInstanceStats::protectionTotal() const
{
    qint64 total = 0;
    for (auto it = protection.constBegin(); it != protection.constEnd(); ++it)
        total += it.value().toInteger();
    return total;
}

std::optional<RelayInstanceStats> RelayDirectory::instance(const QString &key) const
{
    const auto it = m_instances.constFind(key);
    if (it == m_instances.cend())
        return std::nullopt;
    return it->stats;
}

void RelayDirectory::setRemovalFactor(int factor)
{
    m_removalFactor = std::max(factor, StaleFactor + 1);
}

QList<RelayInstanceStats> RelayDirectory::instances() const
{
    QList<RelayInstanceStats> out;
    out.reserve(m_instances.size());
    for (const Entry &e : m_instances)
        out.append(e.stats);
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return a.instance != b.instance ? a.instance < b.instance : a.prefix < b.prefix;
    });
    return out;
}

QSet<QByteArray> RelayDirectory::channels() const
{
    QSet<QByteArray> out;
    for (const Entry &e : m_instances) {
        if (e.stats.stale)
            continue;
        for (auto it = e.stats.channels.cbegin(); it != e.stats.channels.cend(); ++it)
            out.insert(it.key());
    }
    return out;
}

std::optional<int> RelayDirectory::relaysFor(const QByteArray &channel) const
{
    if (m_instances.isEmpty())
        return std::nullopt;
    int n = 0;
    for (const Entry &e : m_instances)
        n += !e.stats.stale && e.stats.channels.contains(channel) ? 1 : 0;
    return n;
}

std::optional<qint64> RelayDirectory::relayClientsFor(const QByteArray &channel) const
{
    if (m_instances.isEmpty())
        return std::nullopt;
    qint64 n = 0;
    for (const Entry &e : m_instances)
        n += e.stats.stale ? 0 : e.stats.channels.value(channel, 0);
    return n;
}

void RelayDirectory::handlePayload(const QByteArray &payload)
{
    handleMessage(RelayStatsPublisher::channel(), payload);
}

void RelayDirectory::handleMessage(const QByteArray &channel, const QByteArray &payload)
{
    const QByteArray base = RelayStatsPublisher::channel();
    if (!channel.endsWith(base))
        return;
    const QByteArray channelPrefix = channel.first(channel.size() - base.size());
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    const QJsonObject o = doc.object();
    const QString type = o.value("type"_L1).toString();
    const QString instance = o.value("instance"_L1).toString();
    if (error.error != QJsonParseError::NoError || !doc.isObject() || instance.isEmpty() ||
        (type != "relay-stats"_L1 && type != "relay-stopped"_L1)) {
        ++m_invalid;
        qCDebug(lcBus) << "ignoring an invalid message on" << channel;
        return;
    }
    // Relays older than the prefixed heartbeat channel publish on switchboard:relays whatever their
    // prefix; their key is still the channel's, so their relay-stopped finds them.
    const QString key = QString::fromUtf8(channelPrefix) + u'\n' + instance;
    if (type == "relay-stopped"_L1) {
        if (m_instances.remove(key) > 0)
            Q_EMIT changed();
        return;
    }
    Entry e;
    e.stats.key = key;
    e.stats.instance = instance;
    e.stats.prefix = o.contains("prefix"_L1) ? o.value("prefix"_L1).toString().toUtf8() : channelPrefix;
    e.stats.url = o.value("url"_L1).toString();
    e.stats.clients = o.value("clients"_L1).toInteger();
    const QJsonObject channels = o.value("channels"_L1).toObject();
    e.stats.channels.reserve(channels.size());
    for (auto it = channels.constBegin(); it != channels.constEnd(); ++it)
        e.stats.channels.insert(it.key().toUtf8(), it.value().toInteger());
    const qint64 interval = o.value("interval"_L1).toInteger();
    e.stats.interval = std::chrono::milliseconds(interval > 0 ? interval : 2000);
    e.stats.at = QDateTime::fromMSecsSinceEpoch(o.value("at"_L1).toInteger(), Qt::UTC);
    e.stats.receivedAt = QDateTime::currentDateTimeUtc();
    readLoad(o, e.stats);
    if (const auto previous = m_instances.constFind(key); previous != m_instances.cend())
        readRates(previous->stats, e.stats);
    e.staleAt = m_clock.elapsed() + StaleFactor * e.stats.interval.count();
    e.expiresAt = m_clock.elapsed() + qint64(m_removalFactor) * e.stats.interval.count();
    m_instances.insert(key, std::move(e));
    scheduleExpiry();
    Q_EMIT changed();
}

void RelayDirectory::readLoad(const QJsonObject &o, RelayInstanceStats &s)
{
    s.listenUrl = o.value("listen"_L1).toString();
    s.version = o.value("version"_L1).toString();
    s.host = o.value("host"_L1).toString();
    s.pid = o.value("pid"_L1).toInteger();
    if (const qint64 started = o.value("startedAt"_L1).toInteger(); started > 0)
        s.startedAt = QDateTime::fromMSecsSinceEpoch(started, Qt::UTC);
    s.canaries = o.value("canaries"_L1).toInteger();
    s.rooms = o.value("rooms"_L1).toInteger(-1);
    if (s.rooms < 0) // older relays: every room channel it reports
        s.rooms = std::max<qint64>(0, s.channels.size() - 1);
    const QJsonObject t = o.value("traffic"_L1).toObject();
    const auto counter = [&t](QLatin1StringView name) {
        return quint64(std::max<qint64>(0, t.value(name).toInteger()));
    };
    s.traffic = {counter("framesIn"_L1), counter("framesOut"_L1), counter("bytesIn"_L1),
                 counter("bytesOut"_L1), counter("published"_L1), counter("busMessages"_L1)};
    s.queuedBytes = o.value("queuedBytes"_L1).toInteger();
    s.maxOutboundBytes = o.value("maxOutboundBytes"_L1).toInteger();
    const QJsonArray top = o.value("topClients"_L1).toArray();
    for (const QJsonValue &v : top) {
        const QJsonObject c = v.toObject();
        const qint64 since = c.value("since"_L1).toInteger();
        s.topClients.append({quint64(c.value("id"_L1).toInteger()), c.value("address"_L1).toString(),
                             c.value("queued"_L1).toInteger(), int(c.value("rooms"_L1).toInteger()),
                             quint64(c.value("in"_L1).toInteger()), quint64(c.value("out"_L1).toInteger()),
                             since > 0 ? QDateTime::fromMSecsSinceEpoch(since, Qt::UTC) : QDateTime()});
        if (s.topClients.size() >= MaxTopClients)
            break;
    }
    s.protection = o.value("protection"_L1).toObject();
    s.bus = o.value("bus"_L1).toObject();
    s.state = o.value("state"_L1).toObject();
}

void RelayDirectory::readRates(const RelayInstanceStats &previous, RelayInstanceStats &s)
{
    const qint64 ms = previous.at.msecsTo(s.at);
    const RelayTraffic &a = previous.traffic;
    const RelayTraffic &b = s.traffic;
    // A restart (counters went back) or a repeated heartbeat: no rate until the next one.
    if (ms <= 0 || b.framesIn < a.framesIn || b.framesOut < a.framesOut || b.busMessages < a.busMessages ||
        previous.startedAt != s.startedAt)
        return;
    const double seconds = double(ms) / 1000.0;
    s.framesInPerSecond = double(b.framesIn - a.framesIn) / seconds;
    s.framesOutPerSecond = double(b.framesOut - a.framesOut) / seconds;
    s.busMessagesPerSecond = double(b.busMessages - a.busMessages) / seconds;
}

void RelayDirectory::expire()
{
    const qint64 now = m_clock.elapsed();
    bool changedAny = false;
    for (auto it = m_instances.begin(); it != m_instances.end();) {
        if (it->expiresAt <= now) {
            it = m_instances.erase(it);
            changedAny = true;
            continue;
        }
        if (!it->stats.stale && it->staleAt <= now) {
            it->stats.stale = true;
            changedAny = true;
        }
        ++it;
    }
    scheduleExpiry();
    if (changedAny)
        Q_EMIT changed();
}

void RelayDirectory::scheduleExpiry()
{
    if (m_instances.isEmpty()) {
        m_expiryTimer.stop();
        return;
    }
    qint64 next = std::numeric_limits<qint64>::max();
    for (const Entry &e : std::as_const(m_instances))
        next = std::min(next, e.stats.stale ? e.expiresAt : e.staleAt);
    m_expiryTimer.start(std::chrono::milliseconds(std::max<qint64>(0, next - m_clock.elapsed()) + 1));
}
