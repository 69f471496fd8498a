// SPDX-License-Identifier: MIT
#include "redisbus.h"

#include "relaylogging.h"
#include "redissubscriber.h"

#include <utility>

using namespace Qt::StringLiterals;

RedisBus::RedisBus(const RedisConnectionOptions &options, QObject *parent)
    : RedisBus(options, RedisBusOptions(), parent)
{}

RedisBus::RedisBus(const RedisConnectionOptions &options, const RedisBusOptions &busOptions, QObject *parent)
    : MessageBus(parent)
    , m_publisher(new RedisConnection(options, this))
    , m_subscriber(new RedisSubscriber(options, this))
    , m_busOptions(busOptions)
{
    connect(m_subscriber, &RedisSubscriber::message, this, &MessageBus::message);
    connect(m_subscriber, &RedisSubscriber::subscribed, this, &MessageBus::subscribed);
    connect(m_subscriber, &RedisSubscriber::subscribeFailed, this, &RedisBus::onSubscribeRefused);
    connect(m_publisher, &RedisConnection::stateChanged, this, &RedisBus::updateConnected);
    connect(m_subscriber->connection(), &RedisConnection::stateChanged, this, &RedisBus::updateConnected);
    connect(m_subscriber->connection(), &RedisConnection::stateChanged, this, &RedisBus::onSubscriberState);
    connect(m_subscriber, &RedisSubscriber::resubscribed, this, &RedisBus::onSubscriberState);
    connect(m_publisher, &RedisConnection::stateChanged, this, &RedisBus::maybeResume);
    connect(m_subscriber, &RedisSubscriber::resubscribed, this, &RedisBus::maybeResume);
    m_replayTimer.setSingleShot(true);
    connect(&m_replayTimer, &QTimer::timeout, this, &RedisBus::resume);
}

void RedisBus::start()
{
    m_publisher->open();
    m_subscriber->open();
}

void RedisBus::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_replayTimer.stop();
    // Through the subscriber, which matches every reply to its commands.
    for (auto it = m_refs.cbegin(); it != m_refs.cend(); ++it) {
        for (int i = 0; i < it.value(); ++i)
            m_subscriber->unsubscribe(it.key());
    }
    m_refs.clear();
    auto finish = [this] {
        if (!m_stopping)
            return;
        m_stopping = false;
        m_stopTimer.stop();
        if (pendingPublishes() > 0)
            qCWarning(lcBus).noquote() << "stopping with" << pendingPublishes()
                                       << "publish(es) not acknowledged by Redis:" << description();
        m_publisher->close();
        m_subscriber->close();
        Q_EMIT stopped();
    };
    // Replies come in order: once PING is answered, every PUBLISH before it has reached Redis.
    if (m_publisher->isReady()) {
        if (m_holding)
            resume();
        else
            pump(); // stopping: everything that waits goes out now, ahead of the PING
        sendAllLatest();
        m_publisher->command({"PING"_ba}, this, [finish](const RedisValue &) { finish(); });
        m_stopTimer.setSingleShot(true);
        m_stopTimer.callOnTimeout(this, finish);
        m_stopTimer.start(std::chrono::milliseconds(500));
    } else {
        QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
    }
}

bool RedisBus::canSend() const
{
    return !m_holding && m_publisher->isReady();
}

void RedisBus::publish(const QByteArray &channel, const QByteArray &payload)
{
    m_waiting.push_back(Outgoing{m_nextSeq++, channel, payload});
    m_waitingBytes += m_waiting.back().size();
    if (canSend()) {
        pump();
    } else if (m_publisherWasReady) {
        if (!m_hadOutage)
            qCWarning(lcBus).noquote()
                << "Redis unreachable: queueing publishes (up to" << m_busOptions.maxQueuedMessages
                << "messages /" << m_busOptions.maxQueuedBytes << "bytes)";
        m_hadOutage = true;
        ++m_stats.queuedDuringOutage;
    }
    enforceBounds();
}

void RedisBus::publishLatest(const QByteArray &channel, const QByteArray &payload)
{
    Latest &latest = m_latest[channel];
    if (latest.waiting)
        ++m_stats.latestReplaced;
    latest.payload = payload;
    latest.waiting = true;
    sendLatest(channel);
}

void RedisBus::sendLatest(const QByteArray &channel)
{
    auto it = m_latest.find(channel);
    if (it == m_latest.end() || !it->waiting || (it->inFlight && !m_stopping) || !m_publisher->isReady() ||
        (m_holding && !m_stopping))
        return;
    it->waiting = false;
    it->inFlight = true;
    const QByteArray payload = std::exchange(it->payload, QByteArray());
    m_publisher->command({"PUBLISH"_ba, channel, payload}, this,
                         [this, channel, payload](const RedisValue &reply) {
                             onLatestReply(channel, payload, reply);
                         });
}

void RedisBus::sendAllLatest()
{
    const QList<QByteArray> channels = m_latest.keys();
    for (const QByteArray &channel : channels)
        sendLatest(channel);
}

void RedisBus::onLatestReply(const QByteArray &channel, const QByteArray &payload, const RedisValue &reply)
{
    auto it = m_latest.find(channel);
    if (it == m_latest.end())
        return;
    it->inFlight = false;
    if (RedisConnection::isConnectionFailure(reply)) {
        if (!it->waiting) { // still the newest: it goes again when Redis is back
            it->payload = payload;
            it->waiting = true;
        }
        return;
    }
    if (reply.isError()) {
        ++m_stats.publishFailures;
        qCWarning(lcBus).noquote() << "PUBLISH to" << QString::fromUtf8(channel)
                                   << "failed:" << QString::fromUtf8(reply.bytes());
    } else {
        ++m_stats.published;
    }
    sendLatest(channel);
}

void RedisBus::flush()
{
    m_publisher->flush();
}

bool RedisBus::windowOpen(const Outgoing &next) const
{
    if (m_inFlight.empty() || m_stopping)
        return true;
    return qsizetype(m_inFlight.size()) < qMax<qsizetype>(1, m_busOptions.maxQueuedMessages / 2) &&
           m_inFlightBytes + next.size() <= qMax<qint64>(1, m_busOptions.maxQueuedBytes / 2);
}

void RedisBus::pump()
{
    while (!m_waiting.empty() && windowOpen(m_waiting.front())) {
        m_inFlight.push_back(std::move(m_waiting.front()));
        m_waiting.pop_front();
        const Outgoing &entry = m_inFlight.back();
        m_waitingBytes -= entry.size();
        m_inFlightBytes += entry.size();
        const quint64 seq = entry.seq;
        m_publisher->command({"PUBLISH"_ba, entry.channel, entry.payload}, this,
                             [this, seq](const RedisValue &reply) { onPublishReply(seq, reply); });
    }
    if (m_waiting.empty() && m_droppedThisOutage > 0 && !m_hadOutage) {
        qCWarning(lcBus).noquote() << "Redis is answering again:" << m_droppedThisOutage
                                   << "publish(es) were dropped at the bounds while it was not";
        m_droppedThisOutage = 0;
    }
}

void RedisBus::onPublishReply(quint64 seq, const RedisValue &reply)
{
    // Replies come in order, so this is the oldest in flight; anything else was requeued.
    if (m_inFlight.empty() || m_inFlight.front().seq != seq)
        return;
    if (RedisConnection::isConnectionFailure(reply)) {
        requeueInFlight();
        return;
    }
    const Outgoing &entry = m_inFlight.front();
    if (reply.isError()) {
        ++m_stats.publishFailures;
        qCWarning(lcBus).noquote() << "PUBLISH to" << QString::fromUtf8(entry.channel)
                                   << "failed:" << QString::fromUtf8(reply.bytes());
    } else {
        ++m_stats.published;
    }
    m_inFlightBytes -= entry.size();
    m_inFlight.pop_front();
    if (canSend())
        pump();
}

void RedisBus::requeueInFlight()
{
    // Not known to have reached Redis: they go again, in their place, when Redis is back. The
    // connection fails every command it had in flight, so all of these fail with this one.
    while (!m_inFlight.empty()) {
        m_waiting.push_front(std::move(m_inFlight.back()));
        m_inFlight.pop_back();
    }
    m_waitingBytes += m_inFlightBytes;
    m_inFlightBytes = 0;
    m_holding = true;
    m_hadOutage = true;
}

void RedisBus::enforceBounds()
{
    while (!m_waiting.empty() && (pendingPublishes() > m_busOptions.maxQueuedMessages ||
                                  pendingBytes() > m_busOptions.maxQueuedBytes)) {
        if (m_droppedThisOutage == 0)
            qCWarning(lcBus).noquote() << (m_hadOutage ? "outage queue full" : "Redis is not answering")
                                       << "- dropping the oldest queued publishes";
        ++m_droppedThisOutage;
        ++m_stats.dropped;
        m_waitingBytes -= m_waiting.front().size();
        m_waiting.pop_front();
    }
}

void RedisBus::maybeResume()
{
    if (m_stopping)
        return;
    if (!m_publisher->isReady()) {
        m_replayTimer.stop();
        m_holding = true;
        return;
    }
    m_publisherWasReady = true;
    if (!m_holding || m_replayTimer.isActive())
        return;
    if (m_waiting.empty() || !m_hadOutage) {
        resume();
        return;
    }
    if (!m_subscriber->isSettled())
        return; // resubscribed() calls again
    qCInfo(lcBus).noquote() << "Redis is back: replaying" << m_waiting.size() << "queued publish(es) in"
                            << m_busOptions.replayDelay.count() << "ms";
    m_replayTimer.start(m_busOptions.replayDelay);
}

void RedisBus::resume()
{
    m_replayTimer.stop();
    if (!m_publisher->isReady())
        return;
    m_holding = false;
    const auto count = quint64(m_waiting.size());
    const bool hadOutage = m_hadOutage;
    const quint64 dropped = m_droppedThisOutage;
    m_hadOutage = false;
    m_droppedThisOutage = 0;
    pump(); // the rest follows as Redis answers
    sendAllLatest();
    if (hadOutage) {
        m_stats.replayed += count;
        qCInfo(lcBus).noquote() << "replaying" << count << "publish(es) queued during the outage;" << dropped
                                << "dropped at the queue's bounds";
        Q_EMIT replayed(count, dropped);
    }
}

void RedisBus::onSubscriberState()
{
    RedisConnection *c = m_subscriber->connection();
    if (!c->isReady()) {
        if (m_subscriberWasReady && !m_subscriberDownSince.isValid() && !m_stopping &&
            c->state() != RedisConnection::State::Closed) {
            m_subscriberDownSince.start();
            m_subscriberDownCause = c->lastError();
        }
        return;
    }
    if (!m_subscriber->isSettled())
        return;
    m_subscriberWasReady = true;
    if (!m_subscriberDownSince.isValid())
        return;
    const qint64 gap = m_subscriberDownSince.elapsed();
    m_subscriberDownSince.invalidate();
    ++m_stats.subscriberGaps;
    m_stats.subscriberGapMs += gap;
    qCWarning(lcBus).noquote() << u"subscriber was not listening for %1 ms (%2): messages other instances "
                                  u"published in that window did not reach this one"_s.arg(gap)
                                      .arg(m_subscriberDownCause.isEmpty() ? u"disconnected"_s
                                                                           : m_subscriberDownCause);
    Q_EMIT subscriberGap(gap, m_subscriberDownCause);
}

void RedisBus::subscribe(const QByteArray &channel)
{
    ++m_refs[channel];
    m_subscriber->subscribe(channel);
}

void RedisBus::unsubscribe(const QByteArray &channel)
{
    auto it = m_refs.find(channel);
    if (it == m_refs.end())
        return; // never subscribed, or released when Redis refused it
    if (--it.value() <= 0)
        m_refs.erase(it);
    m_subscriber->unsubscribe(channel);
}

void RedisBus::onSubscribeRefused(const QByteArray &channel, const QByteArray &error)
{
    m_refs.remove(channel);
    const QString message = QString::fromUtf8(error);
    const QString code = message.section(u' ', 0, 0);
    qCWarning(lcBus).noquote() << "Redis refused the subscription to" << QString::fromUtf8(channel) << "-"
                               << message;
    Q_EMIT subscribeFailed(channel, code, message);
}

bool RedisBus::isSubscribed(const QByteArray &channel) const
{
    return m_subscriber->isSubscribed(channel);
}

bool RedisBus::isConnected() const
{
    return m_publisher->isReady() && m_subscriber->connection()->isReady();
}

QString RedisBus::description() const
{
    return u"Redis at "_s + m_publisher->options().url.toDisplayString();
}

void RedisBus::updateConnected()
{
    const bool now = isConnected();
    if (now == m_connected)
        return;
    m_connected = now;
    if (now)
        qCInfo(lcBus).noquote() << "bus connected:" << description();
    else if (m_stopping || m_publisher->state() == RedisConnection::State::Closed)
        qCInfo(lcBus).noquote() << "bus closed:" << description();
    else
        qCWarning(lcBus).noquote() << "bus outage:" << description() << "-"
                                   << (m_publisher->lastError().isEmpty()
                                           ? m_subscriber->connection()->lastError()
                                           : m_publisher->lastError());
    Q_EMIT connectedChanged(now);
}
