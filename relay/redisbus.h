// SPDX-License-Identifier: MIT
#pragma once

#include "messagebus.h"
#include "redisconnection.h"
#include "redishistory.h"
#include "subscriberprobe.h"

#include <functional>

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <chrono>
#include <deque>
#include <memory>

class RedisBusLink;
class RedisSubscriber;

struct RedisBusOptions
{
    // Publishes held until Redis acknowledges them, those written to Redis and not yet answered
    // included. Past either bound the oldest one not yet written is dropped and counted. At most
    // half of each bound is in flight at a time (at least one publish), so a Redis that stalls
    // with its connection up holds the same memory as one that is down, and the newest publishes
    // keep at least half of the room.
    qsizetype maxQueuedMessages = 10000;
    qint64 maxQueuedBytes = 16 * 1024 * 1024;
    // After an outage, queued publishes are replayed this long after this instance has
    // resubscribed, so the other instances (reconnecting on their own backoff, at most
    // RedisConnectionOptions::reconnectMaxDelay) are listening again when they arrive.
    std::chrono::milliseconds replayDelay{2500};
    // On a Redis Cluster: sharded Pub/Sub (SPUBLISH / SSUBSCRIBE on the shard that owns the
    // channel's slot), or classic (PUBLISH, copied to every node) for fleets with classic relays.
    enum class ClusterPubSub { Sharded, Classic };
    ClusterPubSub clusterPubSub = ClusterPubSub::Sharded;
    // Which nodes hold a Cluster's subscriptions. Default: sharded on each shard's primary (a
    // replica hears the shard's messages a moment later), classic on a replica (every node hears
    // every classic message; a replica's subscriber takes nothing from a primary).
    enum class ClusterSubscribeOn { Default, Primary, Replica };
    ClusterSubscribeOn clusterSubscribeOn = ClusterSubscribeOn::Default;
    // Proves the subscriber hears what is published (SubscriberProbe); off while its channel is
    // empty. switchboard-relay sets <prefix>switchboard:probe:<instance-id>.
    SubscriberProbeOptions probe;
};

struct RedisBusStats
{
    quint64 published = 0;       // acknowledged by Redis (publishLatest() included)
    quint64 publishFailures = 0; // refused by Redis (an error reply): not retried (publishLatest() included)
    quint64 queuedDuringOutage = 0;
    quint64 replayed = 0;
    quint64 dropped = 0; // oldest waiting publishes dropped at the bounds (outage or stalled Redis)
    quint64 latestReplaced = 0; // publishLatest() payloads replaced by a newer one before they went out
    quint64 subscriberGaps = 0;
    qint64 subscriberGapMs = 0; // total time the subscriber was not listening after it first was
    quint64 deafSubscribers = 0; // a probe did not come back: the subscriber was made again
    quint64 historyRepeats = 0; // recorded publishes sent again after a lost reply that Redis had already run
};

// Redis Pub/Sub as a MessageBus: one connection publishes (pipelined), another subscribes; on a
// Redis Cluster (a redis-cluster:// URL) one of each per node that owns a channel (RedisClusterLink).
// A publish is kept until Redis acknowledges it: while Redis is unreachable or does not answer,
// publishes wait in a bounded queue and go out in order, those in flight when a connection dies
// included.
class RedisBus : public MessageBus
{
    Q_OBJECT
public:
    // Both connections get clientName (CLIENT SETNAME) so operators can tell relays apart.
    explicit RedisBus(const RedisConnectionOptions &options, QObject *parent = nullptr);
    RedisBus(const RedisConnectionOptions &options, const RedisBusOptions &busOptions,
             QObject *parent = nullptr);

    void start() override;
    void stop() override;
    void publish(const QByteArray &channel, const QByteArray &payload) override;
    // At most one in flight and one waiting per channel; sent when publish()'s messages would be
    // (after an outage, with the replay), not counted in pendingPublishes() or the bounds.
    void publishLatest(const QByteArray &channel, const QByteArray &payload) override;
    void flush() override;
    void setHistory(const BusHistory &history) override;
    bool hasHistory() const override { return m_history != nullptr; }
    // Queued, bounded and replayed like publish()'s messages.
    void publishRecorded(const QByteArray &channel, const QByteArray &payload, const QByteArray &origin,
                         quint64 seq) override;
    void readHistory(const QByteArray &channel, const QByteArray &since, int count, QObject *context,
                     HistoryCallback done) override;
    void subscribe(const QByteArray &channel) override;
    void unsubscribe(const QByteArray &channel) override;
    bool isSubscribed(const QByteArray &channel) const override;
    bool isConnected() const override;
    QString description() const override;

    // One server's connections; nullptr on a Cluster.
    RedisConnection *publisher() const;
    RedisSubscriber *subscriber() const;
    RedisBusLink *link() const { return m_link; }
    const RedisBusOptions &busOptions() const { return m_busOptions; }
    const RedisBusStats &stats() const { return m_stats; }
    quint64 publishFailures() const { return m_stats.publishFailures; }
    // Publishes not yet acknowledged by Redis (waiting or in flight), and their channel + payload
    // bytes; never above the bounds in RedisBusOptions.
    qsizetype pendingPublishes() const { return qsizetype(m_inFlight.size() + m_waiting.size()); }
    qint64 pendingBytes() const { return m_inFlightBytes + m_waitingBytes; }
    qsizetype inFlightPublishes() const { return qsizetype(m_inFlight.size()); }
    // nullptr without RedisBusOptions::probe.
    const SubscriberProbe *probe() const { return m_probe; }

Q_SIGNALS:
    // The subscriber was not listening for gapMs (Redis cut it, or an outage): messages that
    // other instances published in that window did not reach this one.
    void subscriberGap(qint64 gapMs, const QString &cause);
    // Publishes queued during an outage went out.
    void replayed(quint64 count, quint64 dropped);

private:
    struct Outgoing
    {
        quint64 seq = 0;
        QByteArray channel;
        QByteArray payload;
        QByteArray origin; // recorded publishes: the replay guard's origin and sequence number
        quint64 originSeq = 0;
        bool recorded = false;
        qint64 size() const { return channel.size() + payload.size(); }
    };

    struct Latest
    {
        QByteArray payload;
        bool waiting = false;
        bool inFlight = false;
    };

    void sendLatest(const QByteArray &channel);
    void sendAllLatest();
    void onLatestReply(const QByteArray &channel, const QByteArray &payload, const RedisValue &reply);
    void updateConnected();
    bool canSend() const;
    bool windowOpen(const Outgoing &next) const;
    void enqueue(Outgoing &&entry);
    void pump();
    void onPublishReply(quint64 seq, const RedisValue &reply);
    void requeue(std::deque<Outgoing>::iterator at);
    void afterRequeue();
    void maybeFinishStop();
    void onChannelGap(const QByteArray &channel, qint64 gapMs, const QString &cause);
    void enforceBounds();
    void maybeResume();
    void resume();
    void onSubscriberState();
    void onSubscribeRefused(const QByteArray &channel, const QByteArray &error);
    void onDeaf(const QByteArray &channel, qint64 silentMs);

    RedisBusLink *m_link;
    SubscriberProbe *m_probe = nullptr;
    RedisBusOptions m_busOptions;
    RedisBusStats m_stats;
    std::unique_ptr<RedisHistory> m_history;
    // In publish order: every in-flight publish is older than every waiting one.
    std::deque<Outgoing> m_inFlight; // written to Redis, not yet answered
    std::deque<Outgoing> m_waiting;
    qint64 m_inFlightBytes = 0;
    qint64 m_waitingBytes = 0;
    QHash<QByteArray, Latest> m_latest;
    quint64 m_nextSeq = 1;
    bool m_holding = true;    // not sending: waiting for Redis (and, after an outage, the replay delay)
    bool m_hadOutage = false; // publishes were queued while Redis was unreachable
    bool m_publisherWasReady = false;
    quint64 m_droppedThisOutage = 0; // or while Redis was connected and not answering
    QTimer m_replayTimer;
    QTimer m_stopTimer;
    std::function<void()> m_stopFinish; // set while stop() waits for Redis's answers
    bool m_connected = false;
    bool m_stopping = false;
    bool m_afterRequeueQueued = false;
    bool m_subscriberWasReady = false;
    QElapsedTimer m_subscriberDownSince;
    QString m_subscriberDownCause;
    QHash<QByteArray, int> m_refs; // subscribe() minus unsubscribe(), until Redis refuses one
};
