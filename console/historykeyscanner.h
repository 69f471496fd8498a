// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <chrono>
#include <memory>
#include <optional>

class RedisClusterConnection;
class RedisConnection;
class RedisValue;

// Which channels have a relay's history stream (docs/formats: RelayKeys::historyKey), for the
// Channels view's marker. A round walks the keyspace with SCAN <cursor> MATCH <pattern> COUNT
// limits.count on the server, or on every primary of a Redis Cluster, and keeps the keys that are
// exactly historyKey(prefix, channel) for the channel they name (the ":meta" hash beside a stream
// is not one). Bounded: at most limits.maxCallsPerNode SCAN calls per node and limits.maxChannels
// channels per round; a round that stopped at a limit, or on a node that failed, is partial: the
// channels of the rounds before stay marked (lastError() says why) until a complete round. scanIfDue() starts
// a round at most every minInterval.
class HistoryKeyScanner : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        int count = 1000;
        int maxCallsPerNode = 100;
        int maxChannels = 100000;
    };

    explicit HistoryKeyScanner(QObject *parent = nullptr);
    ~HistoryKeyScanner() override;

    // One server (standalone or a Sentinel's primary); the connection is the caller's.
    void attach(RedisConnection *connection);
    // Every primary of cluster (its node connections).
    void attachCluster(RedisClusterConnection *cluster);
    // Stops; channels() empties.
    void detach();

    // The relays' channel prefixes; empty or several: any prefix (MATCH *history:*).
    void setPrefixes(const QByteArrayList &prefixes);
    QByteArray pattern() const;
    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }
    void setMinInterval(std::chrono::milliseconds interval) { m_minInterval = interval; }

    // A round now, or right after the running one.
    void scan();
    // A round unless one ran less than minInterval ago or is running.
    void scanIfDue();
    bool isScanning() const { return m_round != nullptr; }

    const QSet<QByteArray> &channels() const { return m_channels; }
    bool hasHistory(const QByteArray &channel) const { return m_channels.contains(channel); }
    bool isPartial() const { return m_partial; }
    QString lastError() const { return m_lastError; }

    struct KeyName
    {
        QByteArray prefix;
        QByteArray channel;
    };
    // The prefix and channel of a history key, nullopt for any other key.
    static std::optional<KeyName> parseKey(const QByteArray &key);

Q_SIGNALS:
    // A round ended; changed: the channels that gained or lost their stream.
    void scanned(const QByteArrayList &changed);

private:
    struct Round;
    void startRound();
    void scanNode(const std::shared_ptr<Round> &round, int node, const QByteArray &cursor);
    void onReply(const std::shared_ptr<Round> &round, int node, const RedisValue &reply);
    void nodeDone(const std::shared_ptr<Round> &round);
    void finish(const std::shared_ptr<Round> &round);

    QPointer<RedisConnection> m_connection;
    QPointer<RedisClusterConnection> m_cluster;
    QByteArrayList m_prefixes;
    Limits m_limits;
    std::chrono::milliseconds m_minInterval{10000};
    QElapsedTimer m_sinceLast;
    std::shared_ptr<Round> m_round;
    bool m_again = false;
    QSet<QByteArray> m_channels;
    bool m_partial = false;
    QString m_lastError;
};
