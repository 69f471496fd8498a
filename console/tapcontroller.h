// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"
#include "redisconnection.h"
#include "tapmodel.h"
#include "trafficmeter.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "redissubscriber.h"

#include <functional>

class RedisClusterConnection;
class RedisClusterSubscriber;

// The live tap: its own subscriber connection (never used to publish), a bounded buffer, and
// self-protection. The socket is always drained so Redis never cuts the tap for a full output
// buffer; what is buffered and shown is sampled (1 in N) when messages arrive faster than
// maxRowsPerSecond, and buffering pauses when even that cannot keep up.
class TapController : public QObject
{
    Q_OBJECT

public:
    enum class Protection { Normal, Sampling, Paused };
    Q_ENUM(Protection)

    explicit TapController(QObject *parent = nullptr);
    ~TapController() override;

    void setConnectionOptions(const RedisConnectionOptions &options);
    // On a Redis Cluster (after setConnectionOptions(), which reaches one node: classic channels and
    // patterns are tapped there, a classic message reaches every node): sharded channels are tapped
    // with SSUBSCRIBE on the shard that owns them (RedisClusterSubscriber, followed through moves).
    // kindOf says whether a channel is classic, sharded or both (the Channels view's last snapshot);
    // a channel it does not know is classic. nullptr: no Cluster.
    using KindLookup = std::function<PubSubSnapshot::Kind(const QByteArray &channel)>;
    void setCluster(RedisClusterConnection *cluster, KindLookup kindOf);
    // Whether channel is tapped with SSUBSCRIBE.
    bool isSharded(const QByteArray &channel) const;
    void disconnectFromRedis();
    bool isConnected() const { return m_subscriber != nullptr; }

    void addChannel(const QByteArray &channel);
    void addPattern(const QByteArray &pattern);
    void removeChannel(const QByteArray &channel);
    void removePattern(const QByteArray &pattern);
    QByteArrayList channels() const { return m_channels; }
    QByteArrayList patterns() const { return m_patterns; }

    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    void clear();
    void setCapacity(qsizetype entries) { m_model.setCapacity(entries); }
    qsizetype capacity() const { return m_model.capacity(); }
    void setMaxRowsPerSecond(int rows);
    // Off (the default): messages on the product's own channels (Plumbing) that arrive through a
    // pattern are dropped before the list, the meter, the charts and recordings see them; channels
    // tapped by name, and patterns that name switchboard, still show them.
    void setShowPlumbing(bool show) { m_showPlumbing = show; }
    bool showsPlumbing() const { return m_showPlumbing; }
    quint64 plumbingHidden() const { return m_plumbingHidden; }
    int maxRowsPerSecond() const { return m_maxRows; }

    TapModel *model() { return &m_model; }
    TrafficMeter *meter() { return &m_meter; }
    quint64 received() const { return m_received; }
    quint64 missedWhilePaused() const { return m_missedPaused; }
    quint64 sampledAway() const { return m_sampledAway; }
    Protection protection() const { return m_protection; }
    int sampleRatio() const { return m_ratio; }
    QString protectionMessage() const;

Q_SIGNALS:
    void subscriptionsChanged();
    void pausedChanged(bool paused);
    void protectionChanged();
    // Every message the tap receives, also while paused or sampled away (a recording keeps them all).
    void messageReceived(const QByteArray &channel, const QByteArray &payload, qint64 receivedMs);

private:
    void onMessage(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    void evaluate();
    void setProtection(Protection protection, int ratio);

    bool tapsClassic(const QByteArray &channel) const;

    QPointer<RedisSubscriber> m_subscriber;
    RedisClusterSubscriber *m_sharded = nullptr;
    KindLookup m_kindOf;
    QHash<QByteArray, PubSubSnapshot::Kind> m_kinds; // channels tapped on a Cluster
    QByteArrayList m_channels;
    QByteArrayList m_patterns;
    bool m_showPlumbing = false;
    quint64 m_plumbingHidden = 0;
    TapModel m_model;
    TrafficMeter m_meter;
    QTimer m_evaluateTimer;
    quint64 m_seq = 0;
    quint64 m_received = 0;
    quint64 m_missedPaused = 0;
    quint64 m_sampledAway = 0;
    quint64 m_thisSecond = 0;
    quint64 m_lastRate = 0;
    quint64 m_sampleCounter = 0;
    int m_maxRows = 20000;
    int m_ratio = 1;
    int m_overloadSeconds = 0;
    int m_calmSeconds = 0;
    Protection m_protection = Protection::Normal;
    bool m_paused = false;
};
