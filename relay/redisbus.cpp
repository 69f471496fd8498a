// SPDX-License-Identifier: MIT
#include "redisbus.h"

#include "redisclusterlink.h"
#include "redisserverlink.h"
#include "relaylogging.h"

#include <QPointer>

#include <utility>

using namespace Qt::StringLiterals;

namespace {

RedisClusterLink::PubSub clusterMode(const RedisBusOptions &o)
{
    return o.clusterPubSub == RedisBusOptions::ClusterPubSub::Classic ? RedisClusterLink::PubSub::Classic
                                                                      : RedisClusterLink::PubSub::Sharded;
}

RedisClusterLink::SubscribeOn clusterSubscribeOn(const RedisBusOptions &o)
{
    switch (o.clusterSubscribeOn) {
    case RedisBusOptions::ClusterSubscribeOn::Primary:
        return RedisClusterLink::SubscribeOn::Primary;
    case RedisBusOptions::ClusterSubscribeOn::Replica:
        return RedisClusterLink::SubscribeOn::Replica;
    case RedisBusOptions::ClusterSubscribeOn::Default:
        break;
    }
    return clusterMode(o) == RedisClusterLink::PubSub::Sharded ? RedisClusterLink::SubscribeOn::Primary
                                                               : RedisClusterLink::SubscribeOn::Replica;
}

} // namespace

RedisBus::RedisBus(const RedisConnectionOptions &options, QObject *parent)
    : RedisBus(options, RedisBusOptions(), parent)
{}

RedisBus::RedisBus(const RedisConnectionOptions &options, const RedisBusOptions &busOptions, QObject *parent)
    : MessageBus(parent)
    , m_link(options.url.topology() == RedisUrl::Topology::Cluster
                 ? static_cast<RedisBusLink *>(new RedisClusterLink(options, clusterMode(busOptions),
                                                                    clusterSubscribeOn(busOptions), this))
                 : new RedisServerLink(options, this))
    , m_busOptions(busOptions)
{
    if (!busOptions.probe.channel.isEmpty() && busOptions.probe.interval.count() > 0) {
        m_probe = new SubscriberProbe(m_link, busOptions.probe, this);
        connect(m_probe, &SubscriberProbe::deaf, this, &RedisBus::onDeaf);
    }
    // The probe's channels are the bus's own business.
    connect(m_link, &RedisBusLink::message, this,
            [this](const QByteArray &channel, const QByteArray &payload) {
                if (!m_probe || !m_probe->take(channel, payload))
                    Q_EMIT message(channel, payload);
            });
    connect(m_link, &RedisBusLink::subscribed, this, [this](const QByteArray &channel) {
        if (!m_probe || !m_probe->isProbeChannel(channel))
            Q_EMIT subscribed(channel);
    });
    connect(m_link, &RedisBusLink::subscribeFailed, this, &RedisBus::onSubscribeRefused);
    connect(m_link, &RedisBusLink::publisherStateChanged, this, &RedisBus::updateConnected);
    connect(m_link, &RedisBusLink::subscriberStateChanged, this, &RedisBus::updateConnected);
    connect(m_link, &RedisBusLink::subscriberStateChanged, this, &RedisBus::onSubscriberState);
    connect(m_link, &RedisBusLink::resubscribed, this, &RedisBus::onSubscriberState);
    connect(m_link, &RedisBusLink::publisherStateChanged, this, &RedisBus::maybeResume);
    connect(m_link, &RedisBusLink::resubscribed, this, &RedisBus::maybeResume);
    connect(m_link, &RedisBusLink::channelGap, this, &RedisBus::onChannelGap);
    m_replayTimer.setSingleShot(true);
    connect(&m_replayTimer, &QTimer::timeout, this, &RedisBus::resume);
}

RedisConnection *RedisBus::publisher() const
{
    const auto *server = qobject_cast<const RedisServerLink *>(m_link);
    return server ? server->publisher() : nullptr;
}

RedisSubscriber *RedisBus::subscriber() const
{
    const auto *server = qobject_cast<const RedisServerLink *>(m_link);
    return server ? server->subscriber() : nullptr;
}

void RedisBus::start()
{
    m_link->open();
    if (m_probe)
        m_probe->start();
}

void RedisBus::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_replayTimer.stop();
    if (m_probe)
        m_probe->stop();
    // Through the subscriber, which matches every reply to its commands.
    for (auto it = m_refs.cbegin(); it != m_refs.cend(); ++it) {
        for (int i = 0; i < it.value(); ++i)
            m_link->unsubscribe(it.key());
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
        m_link->close();
        Q_EMIT stopped();
    };
    // Everything that waits goes out now; stopped() once Redis has answered it all (or 500 ms).
    if (m_link->isPublisherReady()) {
        if (m_holding)
            resume();
        else
            pump();
        sendAllLatest();
        m_stopFinish = finish;
        m_stopTimer.setSingleShot(true);
        m_stopTimer.callOnTimeout(this, finish);
        m_stopTimer.start(std::chrono::milliseconds(500));
        maybeFinishStop();
    } else {
        QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
    }
}

void RedisBus::maybeFinishStop()
{
    if (!m_stopping || !m_stopFinish || !m_inFlight.empty())
        return;
    for (const Latest &latest : std::as_const(m_latest)) {
        if (latest.inFlight)
            return;
    }
    // From the event loop: this may run inside a reply callback.
    QMetaObject::invokeMethod(this, std::exchange(m_stopFinish, {}), Qt::QueuedConnection);
}

bool RedisBus::canSend() const
{
    return !m_holding && m_link->isPublisherReady();
}

void RedisBus::publish(const QByteArray &channel, const QByteArray &payload)
{
    enqueue(Outgoing{m_nextSeq++, channel, payload, {}, 0, false});
}

void RedisBus::setHistory(const BusHistory &history)
{
    m_history = history.size > 0 ? std::make_unique<RedisHistory>(history) : nullptr;
}

void RedisBus::publishRecorded(const QByteArray &channel, const QByteArray &payload, const QByteArray &origin,
                               quint64 seq)
{
    if (!m_history) {
        publish(channel, payload);
        return;
    }
    enqueue(Outgoing{m_nextSeq++, channel, payload, origin, seq, true});
}

void RedisBus::readHistory(const QByteArray &channel, const QByteArray &since, int count, QObject *context,
                           HistoryCallback done)
{
    if (!m_history) {
        MessageBus::readHistory(channel, since, count, context, std::move(done));
        return;
    }
    const QByteArray key = m_history->streamKey(channel);
    m_history->readScript().run(
        m_link->scriptSender(key, context), m_history->readKeys(channel),
        RedisHistory::readArgs(since, count),
        [done = std::move(done)](const RedisValue &reply) { done(RedisHistory::parseRead(reply)); });
}

void RedisBus::enqueue(Outgoing &&entry)
{
    m_waiting.push_back(std::move(entry));
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
    if (it == m_latest.end() || !it->waiting || (it->inFlight && !m_stopping) || !m_link->isPublisherReady() ||
        (m_holding && !m_stopping))
        return;
    it->waiting = false;
    it->inFlight = true;
    const QByteArray payload = std::exchange(it->payload, QByteArray());
    // Classic even on a sharded Cluster: the console's pattern subscription hears every prefix.
    m_link->publishEverywhere(channel, payload, this, [this, channel, payload](const RedisValue &reply) {
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
    maybeFinishStop();
}

void RedisBus::flush()
{
    m_link->flush();
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
    // canSend(): a reply handled inside publish() may have put the bus on hold.
    while (!m_waiting.empty() && windowOpen(m_waiting.front()) && (canSend() || m_stopping)) {
        m_inFlight.push_back(std::move(m_waiting.front()));
        m_waiting.pop_front();
        const Outgoing &entry = m_inFlight.back();
        m_waitingBytes -= entry.size();
        m_inFlightBytes += entry.size();
        const quint64 seq = entry.seq;
        auto reply = [this, seq](const RedisValue &reply) {
            onPublishReply(seq, reply);
        };
        if (entry.recorded && m_history)
            m_link->keyCommand(m_history->streamKey(entry.channel),
                               m_history->publishCommand(m_link->publishCommand(), entry.channel,
                                                         entry.payload, entry.origin, entry.originSeq),
                               this, std::move(reply));
        else
            m_link->publish(entry.channel, entry.payload, this, std::move(reply));
    }
    if (m_waiting.empty() && m_droppedThisOutage > 0 && !m_hadOutage) {
        qCWarning(lcBus).noquote() << "Redis is answering again:" << m_droppedThisOutage
                                   << "publish(es) were dropped at the bounds while it was not";
        m_droppedThisOutage = 0;
    }
}

void RedisBus::onPublishReply(quint64 seq, const RedisValue &reply)
{
    // One connection answers in order (this is the oldest in flight); a Cluster's nodes each
    // answer in order, but not with each other.
    const auto at = std::find_if(m_inFlight.begin(), m_inFlight.end(),
                                 [seq](const Outgoing &o) { return o.seq == seq; });
    if (at == m_inFlight.end())
        return; // requeued
    if (RedisConnection::isConnectionFailure(reply)) {
        requeue(at);
        return;
    }
    const Outgoing &entry = *at;
    if (reply.isError()) {
        ++m_stats.publishFailures;
        qCWarning(lcBus).noquote() << "PUBLISH to" << QString::fromUtf8(entry.channel)
                                   << "failed:" << QString::fromUtf8(reply.bytes());
    } else {
        ++m_stats.published;
        if (entry.recorded && reply.isInteger() && reply.toInteger() < 0)
            ++m_stats.historyRepeats;
    }
    m_inFlightBytes -= entry.size();
    m_inFlight.erase(at);
    if (canSend())
        pump();
    maybeFinishStop();
}

void RedisBus::requeue(std::deque<Outgoing>::iterator at)
{
    // Not known to have reached Redis: it goes again, in its place (by publish order), when Redis
    // is back. One connection fails every command it had in flight, oldest first, so each of
    // those lands in front of the later ones; a Cluster fails those of one node only, and the
    // others' publishes carry on.
    Outgoing entry = std::move(*at);
    m_inFlight.erase(at);
    m_inFlightBytes -= entry.size();
    m_waitingBytes += entry.size();
    const auto place = std::lower_bound(m_waiting.begin(), m_waiting.end(), entry.seq,
                                        [](const Outgoing &o, quint64 seq) { return o.seq < seq; });
    m_waiting.insert(place, std::move(entry));
    // Held as in an outage, also when the link is still up (a Cluster node failed, or the slot
    // moved): replayed replayDelay after this instance's subscriber has settled, so that the other
    // relays listen on the new owner too.
    m_hadOutage = true;
    m_holding = true;
    if (!m_afterRequeueQueued) {
        m_afterRequeueQueued = true; // once for every publish a dropped connection fails
        QMetaObject::invokeMethod(this, &RedisBus::afterRequeue, Qt::QueuedConnection);
    }
    maybeFinishStop();
}

void RedisBus::afterRequeue()
{
    m_afterRequeueQueued = false;
    if (!m_stopping) {
        maybeResume();
        return;
    }
    if (m_link->isPublisherReady())
        pump(); // stopping: no replay delay, everything goes now
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
    if (!m_link->isPublisherReady()) {
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
    if (!m_link->isSubscriberSettled())
        return; // resubscribed() calls again
    qCInfo(lcBus).noquote() << "Redis is back: replaying" << m_waiting.size() << "queued publish(es) in"
                            << m_busOptions.replayDelay.count() << "ms";
    m_replayTimer.start(m_busOptions.replayDelay);
}

void RedisBus::resume()
{
    m_replayTimer.stop();
    if (!m_link->isPublisherReady())
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
    if (!m_link->isSubscriberReady()) {
        if (m_subscriberWasReady && !m_subscriberDownSince.isValid() && !m_stopping &&
            !m_link->isSubscriberClosed()) {
            m_subscriberDownSince.start();
            m_subscriberDownCause = m_link->subscriberError();
        }
        return;
    }
    if (!m_link->isSubscriberSettled())
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
    m_link->subscribe(channel);
}

void RedisBus::unsubscribe(const QByteArray &channel)
{
    auto it = m_refs.find(channel);
    if (it == m_refs.end())
        return; // never subscribed, or released when Redis refused it
    if (--it.value() <= 0)
        m_refs.erase(it);
    m_link->unsubscribe(channel);
}

void RedisBus::onSubscribeRefused(const QByteArray &channel, const QByteArray &error)
{
    if (m_probe && m_probe->isProbeChannel(channel)) {
        qCWarning(lcBus).noquote() << "Redis refused the subscriber probe's channel"
                                   << QString::fromUtf8(channel) << "-" << QString::fromUtf8(error)
                                   << "- the probe is off (allow the channel, or --redis-probe-interval 0)";
        m_probe->stop();
        return;
    }
    m_refs.remove(channel);
    const QString message = QString::fromUtf8(error);
    const QString code = message.section(u' ', 0, 0);
    qCWarning(lcBus).noquote() << "Redis refused the subscription to" << QString::fromUtf8(channel) << "-"
                               << message;
    Q_EMIT subscribeFailed(channel, code, message);
}

bool RedisBus::isSubscribed(const QByteArray &channel) const
{
    return m_link->isSubscribed(channel);
}

bool RedisBus::isConnected() const
{
    return m_link->isPublisherReady() && m_link->isSubscriberReady();
}

QString RedisBus::description() const
{
    return m_link->description();
}

// The subscriber was connected and heard nothing: everything published since it last heard a
// probe may be lost. The link makes it again (a gap of its own while it reconnects).
void RedisBus::onDeaf(const QByteArray &channel, qint64 silentMs)
{
    ++m_stats.deafSubscribers;
    ++m_stats.subscriberGaps;
    m_stats.subscriberGapMs += silentMs;
    const QString why = u"no probe came back on %1"_s.arg(QString::fromUtf8(channel));
    qCWarning(lcBus).noquote()
        << u"subscriber heard nothing for up to %1 ms (%2) while connected: messages "
           u"published in that window may not have reached this instance; making it again"_s.arg(silentMs)
               .arg(why);
    Q_EMIT subscriberGap(silentMs, why);
}

// A Cluster channel moved between nodes without any connection dropping: a loss window of its own.
void RedisBus::onChannelGap(const QByteArray &channel, qint64 gapMs, const QString &cause)
{
    ++m_stats.subscriberGaps;
    m_stats.subscriberGapMs += gapMs;
    const QString why = u"%1 %2"_s.arg(QString::fromUtf8(channel), cause);
    qCWarning(lcBus).noquote() << u"subscriber was not listening to %1 for %2 ms: messages published to it in "
                                  u"that window did not reach this instance"_s.arg(why).arg(gapMs);
    Q_EMIT subscriberGap(gapMs, why);
}

void RedisBus::updateConnected()
{
    const bool now = isConnected();
    if (now == m_connected)
        return;
    m_connected = now;
    if (now)
        qCInfo(lcBus).noquote() << "bus connected:" << description();
    else if (m_stopping || m_link->isPublisherClosed())
        qCInfo(lcBus).noquote() << "bus closed:" << description();
    else
        qCWarning(lcBus).noquote() << "bus outage:" << description() << "-"
                                   << (m_link->publisherError().isEmpty() ? m_link->subscriberError()
                                                                          : m_link->publisherError());
    Q_EMIT connectedChanged(now);
}
