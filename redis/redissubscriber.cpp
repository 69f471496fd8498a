// SPDX-License-Identifier: MIT
#include "redissubscriber.h"

#include "redisclustertopology.h"
#include "redislogging.h"

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype MaxNamesPerCommand = 1000;
}

RedisSubscriber::RedisSubscriber(RedisConnectionOptions options, QObject *parent)
    : RedisSubscriber(std::move(options), Kind::Classic, parent)
{
}

RedisSubscriber::RedisSubscriber(RedisConnectionOptions options, Kind kind, QObject *parent)
    : QObject(parent)
    , m_kind(kind)
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
        m_sent.clear();
        // Settled again only once what is still referenced is confirmed on the next connection
        // (stateChanged(Ready) comes before ready(), where the resubscribe goes out).
        m_awaitingResubscribe = !m_channels.isEmpty() || !m_patterns.isEmpty();
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
    if (m_kind == Kind::Sharded) {
        qCWarning(lcRedis) << "sharded Pub/Sub has no patterns: not subscribing to" << pattern;
        return;
    }
    change(m_patterns, m_dirtyPatterns, pattern, +1);
}

void RedisSubscriber::punsubscribe(const QByteArray &pattern)
{
    if (m_kind == Kind::Sharded)
        return;
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
    flushTable(m_channels, m_dirtyChannels);
    flushTable(m_patterns, m_dirtyPatterns);
}

void RedisSubscriber::flushTable(Table &table, QSet<QByteArray> &dirty)
{
    const bool pattern = &table == &m_patterns;
    QByteArrayList subs;
    QByteArrayList unsubs;
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
    }
    dirty.clear();
    flushBatches(pattern, false, unsubs);
    flushBatches(pattern, true, subs);
}

// At most MaxNamesPerCommand names a command; sharded, one slot a command.
void RedisSubscriber::flushBatches(bool pattern, bool on, const QByteArrayList &names)
{
    if (names.isEmpty())
        return;
    if (m_kind == Kind::Classic) {
        for (qsizetype from = 0; from < names.size(); from += MaxNamesPerCommand)
            send(pattern, on, names.mid(from, MaxNamesPerCommand));
        return;
    }
    QHash<int, QByteArrayList> bySlot;
    for (const QByteArray &name : names)
        bySlot[RedisClusterTopology::keySlot(name)].append(name);
    for (const QByteArrayList &batch : std::as_const(bySlot)) {
        for (qsizetype from = 0; from < batch.size(); from += MaxNamesPerCommand)
            send(pattern, on, batch.mid(from, MaxNamesPerCommand));
    }
}

QByteArray RedisSubscriber::commandName(bool pattern, bool on) const
{
    if (m_kind == Kind::Sharded)
        return on ? "SSUBSCRIBE"_ba : "SUNSUBSCRIBE"_ba;
    return pattern ? (on ? "PSUBSCRIBE"_ba : "PUNSUBSCRIBE"_ba) : (on ? "SUBSCRIBE"_ba : "UNSUBSCRIBE"_ba);
}

void RedisSubscriber::send(bool pattern, bool on, QByteArrayList names)
{
    QByteArrayList command{commandName(pattern, on)};
    command += names;
    m_connection->command(command);
    m_sent.push_back(Sent{pattern, on, std::move(names)});
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
        if (!value.isError())
            return;
        // A refusal answers the oldest command still unanswered (a partly answered one was accepted).
        if (!m_sent.empty() && m_sent.front().answered == 0) {
            const Sent refused = std::move(m_sent.front());
            m_sent.pop_front();
            onRefused(refused, value.bytes());
            return;
        }
        qCWarning(lcRedis).noquote() << "subscriber error:" << QString::fromUtf8(value.bytes());
        return;
    }
    // The sharded dialect has the classic channel's words with an 's' in front.
    const bool sharded = m_kind == Kind::Sharded && e[0].bytes().startsWith('s');
    const QByteArray kind = sharded ? e[0].bytes().mid(1) : e[0].bytes();
    const bool confirmation = e.size() == 3 && (kind == "subscribe" || kind == "unsubscribe" ||
                                                kind == "psubscribe" || kind == "punsubscribe");
    bool asked = false;
    if (confirmation && !m_sent.empty()) {
        Sent &front = m_sent.front();
        asked = front.pattern == kind.startsWith('p') && front.on == !kind.contains("unsub");
        // A node drops sharded subscriptions on its own (the slot moved) at any time, also while
        // an SUNSUBSCRIBE of other channels waits for its answers: only a name it asked for is one.
        if (asked && sharded && kind == "unsubscribe")
            asked = front.names.contains(e[1].bytes());
        if (asked && ++front.answered >= front.names.size())
            m_sent.pop_front();
    }
    if (sharded && kind == "unsubscribe" && e.size() == 3 && !asked && onLost(e[1].bytes()))
        return;
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

// An sunsubscribe nobody asked for: the node no longer serves the channel's slot.
bool RedisSubscriber::onLost(const QByteArray &name)
{
    auto it = m_channels.find(name);
    if (it == m_channels.end() || it->inFlight > 0 || !it->requested)
        return false;
    m_channels.erase(it);
    m_dirtyChannels.remove(name);
    qCInfo(lcRedis).noquote() << "the node dropped the sharded subscription to" << QString::fromUtf8(name)
                              << "(its slot moved)";
    Q_EMIT subscriptionLost(name);
    return true;
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

    checkSettled();
}

void RedisSubscriber::onRefused(const Sent &sent, const QByteArray &error)
{
    Table &table = sent.pattern ? m_patterns : m_channels;
    if (!sent.on)
        qCWarning(lcRedis).noquote() << "Redis refused" << (sent.pattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE")
                                     << sent.names.join(' ') << "-" << QString::fromUtf8(error);
    // Redis refuses a command whole: each name of a refused batch is asked for again on its own,
    // so that only the ones refused by themselves fail.
    const bool batch = sent.on && sent.names.size() > 1;
    QByteArrayList released;
    for (const QByteArray &name : sent.names) {
        auto it = table.find(name);
        if (it == table.end())
            continue;
        if (batch && it->requested && it->refs > 0) {
            send(sent.pattern, true, {name}); // stands in for the refused one: inFlight unchanged
            continue;
        }
        it->inFlight = qMax(0, it->inFlight - 1);
        if (it->inFlight > 0)
            continue; // a later command for it decides
        if (!sent.on || !it->requested) {
            it->requested = it->confirmed; // nothing changed in Redis
            if (it->refs == 0 && !it->confirmed)
                table.erase(it);
            continue;
        }
        if (it->refs > 0)
            released.append(name);
        table.erase(it);
    }
    const QPointer<RedisSubscriber> guard(this);
    for (const QByteArray &name : std::as_const(released)) {
        qCWarning(lcRedis).noquote() << "Redis refused" << (sent.pattern ? "PSUBSCRIBE" : "SUBSCRIBE")
                                     << QString::fromUtf8(name) << "-" << QString::fromUtf8(error);
        Q_EMIT(sent.pattern ? psubscribeFailed(name, error) : subscribeFailed(name, error));
        if (!guard || !m_connection->isReady())
            return;
    }
    checkSettled();
}

void RedisSubscriber::checkSettled()
{
    // Every entry in flight has a command in m_sent: only once that is empty can all be settled
    // (scanning the tables on every confirmation of a resubscribe was quadratic).
    if (!m_awaitingResubscribe || !m_sent.empty())
        return;
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
