// SPDX-License-Identifier: MIT
#include "relaydirectory.h"

#include "redisclustersubscriber.h"
#include "redissubscriber.h"
#include "relaylogging.h"
#include "relaystatspublisher.h"

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
        n += e.stats.channels.contains(channel) ? 1 : 0;
    return n;
}

std::optional<qint64> RelayDirectory::relayClientsFor(const QByteArray &channel) const
{
    if (m_instances.isEmpty())
        return std::nullopt;
    qint64 n = 0;
    for (const Entry &e : m_instances)
        n += e.stats.channels.value(channel, 0);
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
    e.expiresAt = m_clock.elapsed() + ExpiryFactor * e.stats.interval.count();
    m_instances.insert(key, std::move(e));
    scheduleExpiry();
    Q_EMIT changed();
}

void RelayDirectory::expire()
{
    const qint64 now = m_clock.elapsed();
    bool removed = false;
    for (auto it = m_instances.begin(); it != m_instances.end();) {
        if (it->expiresAt <= now) {
            it = m_instances.erase(it);
            removed = true;
        } else {
            ++it;
        }
    }
    scheduleExpiry();
    if (removed)
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
        next = std::min(next, e.expiresAt);
    m_expiryTimer.start(std::chrono::milliseconds(std::max<qint64>(0, next - m_clock.elapsed()) + 1));
}
