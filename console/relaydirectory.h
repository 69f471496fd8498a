// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <optional>

class RedisClusterConnection;
class RedisClusterSubscriber;
class RedisSubscriber;

// One relay's latest heartbeat (see RelayStatsPublisher).
struct RelayInstanceStats
{
    QString instance;
    QByteArray prefix; // its channel prefix: its channels are <prefix>broadcast, <prefix>room:<id>
    QString url;
    qint64 clients = 0;
    QHash<QByteArray, qint64> channels; // full channel name -> local clients on it
    std::chrono::milliseconds interval{2000};
    QDateTime at;         // the relay's clock
    QDateTime receivedAt; // ours
};

// Listens to every relay's heartbeat, whatever its channel prefix: PSUBSCRIBE *switchboard:relays on
// its own subscriber connection (named switchboard-console:directory), so one console on a Redis
// shared by several applications sees all their relays (the console's ACL user needs that pattern:
// &* or &*switchboard:relays). Keeps the latest stats per relay instance, an instance being its id
// under the prefix of the channel it publishes on (ids may repeat across applications). An instance
// is dropped after 3x its interval without a heartbeat, or at once on relay-stopped.
class RelayDirectory : public QObject
{
    Q_OBJECT
public:
    static constexpr int ExpiryFactor = 3;

    explicit RelayDirectory(QObject *parent = nullptr);
    ~RelayDirectory() override;

    // (Re)starts listening with these connection options (the client name is replaced).
    void start(const RedisConnectionOptions &options);
    // On a Redis Cluster, beside start(): relays in sharded mode SPUBLISH their heartbeats, which no
    // pattern reaches, so <prefix>switchboard:relays is also SSUBSCRIBEd for each prefix (on its shard).
    void followSharded(RedisClusterConnection *cluster, const QByteArrayList &prefixes = {QByteArray()});
    // Stops listening and forgets every instance.
    void stop();
    bool isRunning() const { return m_subscriber != nullptr; }
    // True once Redis confirmed the subscription.
    bool isListening() const;
    // Why the directory is not listening: Redis refused the pattern subscription (NOPERM ...).
    QString error() const { return m_error; }

    QList<RelayInstanceStats> instances() const; // sorted by instance id, then prefix
    int instanceCount() const { return int(m_instances.size()); }
    // Every channel some relay reports (relaysFor and relayClientsFor are 0 for the others).
    QSet<QByteArray> channels() const;
    // Relays that serve channel; nullopt when no relay reports at all.
    std::optional<int> relaysFor(const QByteArray &channel) const;
    // Relay clients on channel summed over relays; nullopt when no relay reports at all.
    std::optional<qint64> relayClientsFor(const QByteArray &channel) const;
    quint64 invalidMessages() const { return m_invalid; }

    // Feeds one heartbeat message; channel is <prefix>switchboard:relays.
    void handleMessage(const QByteArray &channel, const QByteArray &payload);
    // As if it arrived on switchboard:relays (no prefix).
    void handlePayload(const QByteArray &payload);

Q_SIGNALS:
    void changed();

private:
    struct Entry
    {
        RelayInstanceStats stats;
        qint64 expiresAt = 0; // m_clock ms
    };
    void expire();
    void scheduleExpiry();

    RedisSubscriber *m_subscriber = nullptr; // owned
    RedisClusterSubscriber *m_sharded = nullptr; // owned
    QHash<QString, Entry> m_instances; // by channel prefix + '\n' + instance id
    QElapsedTimer m_clock;
    QTimer m_expiryTimer;
    quint64 m_invalid = 0;
    QString m_error;
};
