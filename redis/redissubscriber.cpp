// SPDX-License-Identifier: MIT
#include "redissubscriber.h"

#include "redislogging.h"

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype MaxNamesPerCommand = 1000;
}

RedisSubscriber::RedisSubscriber(RedisConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_connection(new RedisConnection(std::move(options), this))
{
    m_connection->setPushMode(true);
    connect(m_connection, &RedisConnection::ready, this, &RedisSubscriber::onReady);
    connect(m_connection, &RedisConnection::pushReceived, this, &RedisSubscriber::onPush);
    connect(m_connection, &RedisConnection::stateChanged, this, [this](RedisConnection::State state) {
        if (state == RedisConnection::State::Ready)
            return;
        // Whatever Redis knew about us is gone with the connection.
        for (Table *table : {&m_channels, &m_patterns}) {
            for (auto it = table->begin(); it != table->end();) {
                if (it->refs == 0) {
                    it = table->erase(it);
                    continue;
                }
                it->inFlight = 0;
                it->requested = false;
                it->confirmed = false;
                ++it;
            }
        }
        m_dirtyChannels.clear();
        m_dirtyPatterns.clear();
        m_awaitingResubscribe = false;
    });
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    change(m_channels, m_dirtyChannels, channel, +1);
}

void RedisSubscriber::unsubscribe(const QByteArray &channel)
{
    change(m_channels, m_dirtyChannels, channel, -1);
}

void RedisSubscriber::psubscribe(const QByteArray &pattern)
{
    change(m_patterns, m_dirtyPatterns, pattern, +1);
}

void RedisSubscriber::punsubscribe(const QByteArray &pattern)
{
    change(m_patterns, m_dirtyPatterns, pattern, -1);
}

void RedisSubscriber::change(Table &table, QSet<QByteArray> &dirty, const QByteArray &name, int delta)
{
    auto it = table.find(name);
    if (it == table.end()) {
        if (delta < 0) {
            qCWarning(lcRedis) << "unsubscribe from" << name << "which has no subscription";
            return;
        }
        it = table.insert(name, Entry{});
    }
    it->refs = qMax(0, it->refs + delta);
    dirty.insert(name);
    scheduleFlush();
}

void RedisSubscriber::scheduleFlush()
{
    if (m_flushScheduled || !m_connection->isReady())
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &RedisSubscriber::flush, Qt::QueuedConnection);
}

void RedisSubscriber::flush()
{
    m_flushScheduled = false;
    if (!m_connection->isReady())
        return;
    flushTable(m_channels, m_dirtyChannels, "SUBSCRIBE"_ba, "UNSUBSCRIBE"_ba);
    flushTable(m_patterns, m_dirtyPatterns, "PSUBSCRIBE"_ba, "PUNSUBSCRIBE"_ba);
}

void RedisSubscriber::flushTable(Table &table, QSet<QByteArray> &dirty, const QByteArray &on,
                                 const QByteArray &off)
{
    QByteArrayList subs{on};
    QByteArrayList unsubs{off};
    auto emitBatch = [this](QByteArrayList &batch, bool force) {
        if (batch.size() > 1 && (force || batch.size() > MaxNamesPerCommand)) {
            m_connection->command(batch);
            batch.erase(batch.begin() + 1, batch.end());
        }
    };
    for (const QByteArray &name : std::as_const(dirty)) {
        auto it = table.find(name);
        if (it == table.end())
            continue;
        const bool want = it->refs > 0;
        if (want == it->requested) {
            if (!want && it->inFlight == 0)
                table.erase(it);
            continue;
        }
        it->requested = want;
        ++it->inFlight;
        (want ? subs : unsubs).append(name);
        emitBatch(subs, false);
        emitBatch(unsubs, false);
    }
    dirty.clear();
    emitBatch(unsubs, true);
    emitBatch(subs, true);
}

void RedisSubscriber::onReady()
{
    m_awaitingResubscribe = !m_channels.isEmpty() || !m_patterns.isEmpty();
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it)
        m_dirtyChannels.insert(it.key());
    for (auto it = m_patterns.cbegin(); it != m_patterns.cend(); ++it)
        m_dirtyPatterns.insert(it.key());
    m_flushScheduled = false;
    flush();
    if (!m_awaitingResubscribe)
        Q_EMIT resubscribed();
}

void RedisSubscriber::onPush(const RedisValue &value)
{
    const auto &e = value.elements();
    if (!value.isArray() || e.empty()) {
        if (value.isError())
            qCWarning(lcRedis).noquote() << "subscriber error:" << QString::fromUtf8(value.bytes());
        return;
    }
    const QByteArray &kind = e[0].bytes();
    if (kind == "message" && e.size() == 3) {
        ++m_messages;
        Q_EMIT message(e[1].bytes(), e[2].bytes());
    } else if (kind == "pmessage" && e.size() == 4) {
        ++m_messages;
        Q_EMIT pmessage(e[1].bytes(), e[2].bytes(), e[3].bytes());
    } else if (kind == "subscribe" && e.size() == 3) {
        onConfirmation(m_channels, e[1].bytes(), true);
    } else if (kind == "unsubscribe" && e.size() == 3) {
        onConfirmation(m_channels, e[1].bytes(), false);
    } else if (kind == "psubscribe" && e.size() == 3) {
        onConfirmation(m_patterns, e[1].bytes(), true);
    } else if (kind == "punsubscribe" && e.size() == 3) {
        onConfirmation(m_patterns, e[1].bytes(), false);
    } else if (kind != "pong") {
        qCWarning(lcRedis) << "unexpected push from Redis:" << value.toDisplayString();
    }
}

void RedisSubscriber::onConfirmation(Table &table, const QByteArray &name, bool on)
{
    const bool isChannel = &table == &m_channels;
    auto it = table.find(name);
    if (it == table.end())
        return;
    it->inFlight = qMax(0, it->inFlight - 1);
    if (it->inFlight > 0)
        return;
    it->confirmed = it->requested;
    const bool nowOn = it->confirmed;
    if (!nowOn && it->refs == 0)
        table.erase(it);
    // A handler may delete us, or close or reconnect the connection (which resets the tables).
    const QPointer<RedisSubscriber> guard(this);
    if (on && nowOn)
        Q_EMIT(isChannel ? subscribed(name) : psubscribed(name));
    else if (!on && !nowOn)
        Q_EMIT(isChannel ? unsubscribed(name) : punsubscribed(name));
    if (!guard || !m_connection->isReady())
        return;

    if (m_awaitingResubscribe) {
        auto settled = [](const Table &t) {
            for (const Entry &entry : t) {
                if (entry.inFlight > 0)
                    return false;
            }
            return true;
        };
        if (settled(m_channels) && settled(m_patterns)) {
            m_awaitingResubscribe = false;
            Q_EMIT resubscribed();
        }
    }
}

bool RedisSubscriber::isSubscribed(const QByteArray &channel) const
{
    const auto it = m_channels.constFind(channel);
    return it != m_channels.cend() && it->refs > 0 && it->confirmed && it->inFlight == 0;
}

bool RedisSubscriber::isPSubscribed(const QByteArray &pattern) const
{
    const auto it = m_patterns.constFind(pattern);
    return it != m_patterns.cend() && it->refs > 0 && it->confirmed && it->inFlight == 0;
}

int RedisSubscriber::channelRefCount(const QByteArray &channel) const
{
    return m_channels.value(channel).refs;
}

int RedisSubscriber::patternRefCount(const QByteArray &pattern) const
{
    return m_patterns.value(pattern).refs;
}

QList<QByteArray> RedisSubscriber::channels() const
{
    QList<QByteArray> out;
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it) {
        if (it->refs > 0)
            out.append(it.key());
    }
    return out;
}

QList<QByteArray> RedisSubscriber::patterns() const
{
    QList<QByteArray> out;
    for (auto it = m_patterns.cbegin(); it != m_patterns.cend(); ++it) {
        if (it->refs > 0)
            out.append(it.key());
    }
    return out;
}
