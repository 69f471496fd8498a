// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <optional>

class RedisClusterConnection;
class RedisClusterSubscriber;
class RedisSubscriber;

// One of a relay's busiest clients (the heartbeat's topClients).
struct RelayClientLoad
{
    quint64 id = 0;
    QString address;
    qint64 queuedBytes = 0;
    int rooms = 0;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    QDateTime connectedAt;
};

// A relay's cumulative traffic counters (the heartbeat's traffic).
struct RelayTraffic
{
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 published = 0;
    quint64 busMessages = 0;
};

// One relay's latest heartbeat (see RelayStatsPublisher and docs/protocol.md, "The stats
// heartbeat"). Fields a relay older than them does not send keep their defaults.
struct RelayInstanceStats
{
    QString key; // RelayDirectory's: the heartbeat channel's prefix, '\n', the instance id
    QString instance;
    QByteArray prefix; // its channel prefix: its channels are <prefix>broadcast, <prefix>room:<id>
    QString url;       // advertised (--advertise-url, else derived)
    QString listenUrl; // what it listens on
    QString version;
    QString host;
    qint64 pid = 0;
    QDateTime startedAt; // invalid when not sent
    qint64 clients = 0;  // canary connections not included
    qint64 canaries = 0;
    qint64 rooms = 0;
    QHash<QByteArray, qint64> channels; // full channel name -> local clients on it
    std::chrono::milliseconds interval{2000};
    QDateTime at;         // the relay's clock
    QDateTime receivedAt; // ours
    RelayTraffic traffic;
    // Per second between the last two heartbeats; -1 until there were two (or after a restart).
    double framesInPerSecond = -1;
    double framesOutPerSecond = -1;
    double busMessagesPerSecond = -1;
    qint64 queuedBytes = 0;
    qint64 maxOutboundBytes = 0;       // 0: not sent
    QList<RelayClientLoad> topClients; // busiest first
    QJsonObject protection;            // counter name -> count
    QJsonObject bus;                   // connected, pendingPublishes, ...; empty in-process
    QJsonObject state;                 // history, sessions, presence
    // No heartbeat for StaleFactor intervals: still listed, left out of audience counts.
    bool stale = false;

    bool busConnected() const
    {
        return bus.isEmpty() || bus.value(QLatin1StringView("connected")).toBool(true);
    }
    qint64 protectionTotal() const;
};

// Listens to every relay's heartbeat, whatever its channel prefix: PSUBSCRIBE *switchboard:relays on
// its own subscriber connection (named switchboard-console:directory), so one console on a Redis
// shared by several applications sees all their relays (the console's ACL user needs that pattern:
// &* or &*switchboard:relays). Keeps the latest stats per relay instance, an instance being its id
// under the prefix of the channel it publishes on (ids may repeat across applications). An instance
// is flagged stale after StaleFactor x its interval without a heartbeat (and no longer counts for
// relaysFor / relayClientsFor), and dropped after removalFactor() x its interval, or at once on
// relay-stopped.
class RelayDirectory : public QObject
{
    Q_OBJECT
public:
    static constexpr int StaleFactor = 3;
    static constexpr int DefaultRemovalFactor = 30;
    static constexpr int MaxTopClients = 20; // of a heartbeat's topClients, kept

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
    // By RelayInstanceStats::key; nullopt when unknown.
    std::optional<RelayInstanceStats> instance(const QString &key) const;
    // Intervals without a heartbeat before a stale relay is dropped (at least StaleFactor + 1).
    void setRemovalFactor(int factor);
    int removalFactor() const { return m_removalFactor; }
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
        qint64 staleAt = 0;   // m_clock ms
        qint64 expiresAt = 0; // m_clock ms
    };
    void expire();
    static void readLoad(const QJsonObject &o, RelayInstanceStats &s);
    static void readRates(const RelayInstanceStats &previous, RelayInstanceStats &s);
    void scheduleExpiry();

    RedisSubscriber *m_subscriber = nullptr; // owned
    RedisClusterSubscriber *m_sharded = nullptr; // owned
    QHash<QString, Entry> m_instances; // by channel prefix + '\n' + instance id
    QElapsedTimer m_clock;
    QTimer m_expiryTimer;
    quint64 m_invalid = 0;
    int m_removalFactor = DefaultRemovalFactor;
    QString m_error;
};
