// SPDX-License-Identifier: MIT
#include "tapcontroller.h"

#include "plumbing.h"
#include "redisclustersubscriber.h"
#include "redissubscriber.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

TapController::TapController(QObject *parent)
    : QObject(parent)
{
    m_evaluateTimer.setInterval(1000);
    connect(&m_evaluateTimer, &QTimer::timeout, this, &TapController::evaluate);
    m_evaluateTimer.start();
    m_meter.start();
}

TapController::~TapController()
{
    disconnectFromRedis();
}

void TapController::setConnectionOptions(const RedisConnectionOptions &options)
{
    disconnectFromRedis();
    RedisConnectionOptions own = options;
    own.clientName = u"switchboard-console:tap"_s;
    m_subscriber = new RedisSubscriber(own, this);
    connect(
        m_subscriber, &RedisSubscriber::message, this,
        [this](const QByteArray &channel, const QByteArray &payload) { onMessage({}, channel, payload); });
    connect(m_subscriber, &RedisSubscriber::pmessage, this, &TapController::onMessage);
    m_subscriber->open();
    for (const QByteArray &c : std::as_const(m_channels))
        m_subscriber->subscribe(c);
    for (const QByteArray &p : std::as_const(m_patterns))
        m_subscriber->psubscribe(p);
}

void TapController::setCluster(RedisClusterConnection *cluster, KindLookup kindOf)
{
    delete m_sharded;
    m_sharded = nullptr;
    m_kinds.clear();
    m_kindOf = std::move(kindOf);
    if (!cluster)
        return;
    m_sharded = new RedisClusterSubscriber(cluster, this);
    connect(m_sharded, &RedisClusterSubscriber::message, this,
            [this](const QByteArray &channel, const QByteArray &payload) { onMessage({}, channel, payload); });
    m_sharded->open();
    using Kind = PubSubSnapshot::Kind;
    for (const QByteArray &c : std::as_const(m_channels)) {
        const Kind kind = m_kindOf ? m_kindOf(c) : Kind::Classic;
        m_kinds.insert(c, kind);
        if (kind != Kind::Classic)
            m_sharded->subscribe(c);
        if (kind == Kind::Sharded && m_subscriber)
            m_subscriber->unsubscribe(c);
    }
    if (!m_channels.isEmpty())
        Q_EMIT subscriptionsChanged();
}

bool TapController::isSharded(const QByteArray &channel) const
{
    return m_sharded && m_kinds.value(channel) != PubSubSnapshot::Kind::Classic;
}

bool TapController::tapsClassic(const QByteArray &channel) const
{
    return m_kinds.value(channel) != PubSubSnapshot::Kind::Sharded;
}

void TapController::disconnectFromRedis()
{
    delete m_sharded;
    m_sharded = nullptr;
    m_kinds.clear();
    if (!m_subscriber)
        return;
    m_subscriber->disconnect(this);
    m_subscriber->close();
    delete m_subscriber;
}

void TapController::addChannel(const QByteArray &channel)
{
    if (channel.isEmpty() || m_channels.contains(channel))
        return;
    m_channels.append(channel);
    if (m_sharded) {
        const auto kind = m_kindOf ? m_kindOf(channel) : PubSubSnapshot::Kind::Classic;
        m_kinds.insert(channel, kind);
        if (kind != PubSubSnapshot::Kind::Classic)
            m_sharded->subscribe(channel);
    }
    if (m_subscriber && tapsClassic(channel))
        m_subscriber->subscribe(channel);
    Q_EMIT subscriptionsChanged();
}

void TapController::addPattern(const QByteArray &pattern)
{
    if (pattern.isEmpty() || m_patterns.contains(pattern))
        return;
    m_patterns.append(pattern);
    if (m_subscriber)
        m_subscriber->psubscribe(pattern);
    Q_EMIT subscriptionsChanged();
}

void TapController::removeChannel(const QByteArray &channel)
{
    if (!m_channels.removeOne(channel))
        return;
    if (m_subscriber && tapsClassic(channel))
        m_subscriber->unsubscribe(channel);
    if (m_sharded && isSharded(channel))
        m_sharded->unsubscribe(channel);
    m_kinds.remove(channel);
    Q_EMIT subscriptionsChanged();
}

void TapController::removePattern(const QByteArray &pattern)
{
    if (!m_patterns.removeOne(pattern))
        return;
    if (m_subscriber)
        m_subscriber->punsubscribe(pattern);
    Q_EMIT subscriptionsChanged();
}

void TapController::pause()
{
    if (m_paused)
        return;
    m_paused = true;
    m_model.flush();
    Q_EMIT pausedChanged(true);
}

void TapController::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    Q_EMIT pausedChanged(false);
}

void TapController::clear()
{
    m_model.clear();
    m_missedPaused = 0;
    m_sampledAway = 0;
}

void TapController::setMaxRowsPerSecond(int rows)
{
    m_maxRows = qMax(1, rows);
}

void TapController::onMessage(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
{
    if (!m_showPlumbing && !pattern.isEmpty() && !Plumbing::isPlumbingPattern(pattern) &&
        Plumbing::isPlumbingChannel(channel)) {
        ++m_plumbingHidden;
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    ++m_received;
    ++m_thisSecond;
    m_meter.record(channel, payload.size(), now);
    Q_EMIT messageReceived(channel, payload, now);
    if (m_paused) {
        ++m_missedPaused;
        return;
    }
    if (m_protection == Protection::Paused || (m_ratio > 1 && (m_sampleCounter++ % quint64(m_ratio)) != 0)) {
        ++m_sampledAway;
        return;
    }
    m_model.append({++m_seq, now, channel, pattern, payload, payload.size()});
}

void TapController::evaluate()
{
    const quint64 rate = m_thisSecond;
    m_lastRate = rate;
    m_thisSecond = 0;
    const quint64 limit = quint64(m_maxRows);
    if (rate > limit * 10) {
        ++m_overloadSeconds;
        m_calmSeconds = 0;
    } else {
        m_overloadSeconds = 0;
        ++m_calmSeconds;
    }
    if (m_protection == Protection::Paused) {
        if (rate <= limit && m_calmSeconds >= 3)
            setProtection(Protection::Normal, 1);
        return;
    }
    if (m_overloadSeconds >= 3) {
        setProtection(Protection::Paused, m_ratio);
        return;
    }
    if (rate > limit) {
        setProtection(Protection::Sampling, int(std::ceil(double(rate) / double(limit))));
    } else if (m_protection == Protection::Sampling && rate * 10 < limit * 8) {
        setProtection(Protection::Normal, 1);
    }
}

void TapController::setProtection(Protection protection, int ratio)
{
    if (protection == m_protection && ratio == m_ratio)
        return;
    m_protection = protection;
    m_ratio = qMax(1, ratio);
    m_sampleCounter = 0;
    Q_EMIT protectionChanged();
}

QString TapController::protectionMessage() const
{
    const QString rate = QLocale().toString(qulonglong(m_lastRate));
    switch (m_protection) {
    case Protection::Sampling:
        return tr("Receiving %1 msg/s: keeping 1 in %2 to stay responsive (rates and counts stay exact).")
            .arg(rate)
            .arg(m_ratio);
    case Protection::Paused:
        return tr("Receiving %1 msg/s, far beyond what can be shown: buffering paused until traffic calms "
                  "down "
                  "(rates and counts stay exact).")
            .arg(rate);
    case Protection::Normal:
        break;
    }
    return {};
}
