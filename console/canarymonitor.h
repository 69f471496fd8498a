// SPDX-License-Identifier: MIT
#pragma once

#include "canarystatus.h"
#include "latencywindow.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

class CanaryClient;
class CanaryHistory;
class QSettings;
class RedisClusterConnection;
class RedisConnection;
class RelayDirectory;

// Delivery canaries (docs/operations.md): for every relay in the directory, a CanaryClient joined to
// the canary room through the relay's WebSocket URL; every interval one probe per relay channel prefix,
// PUBLISHed on the console's command connection (on a Cluster SPUBLISH and PUBLISH: each relay receives
// the one it subscribes to). Per relay: latency from publish to arrival (p50/p99 over the last 60 s),
// sent, received, lost (not arrived within the timeout) and a CanaryState. A read-only profile
// publishes nothing: canaries are then off, with the reason. Started on request, and, unless
// autoStart() is off, as soon as the directory lists a relay. Bounded: MaxRelays relays, the window's
// samples, the history's series.
class CanaryMonitor : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxRelays = 256;
    static constexpr std::chrono::milliseconds MinInterval{200};
    static constexpr std::chrono::milliseconds MaxInterval{60'000};
    static constexpr qint64 WindowMs = 60'000;

    explicit CanaryMonitor(RelayDirectory *directory, QObject *parent = nullptr);
    ~CanaryMonitor() override;

    // Reads autoStart and the interval from settings ("canaries/..."), and writes them there when
    // they change.
    void setSettings(QSettings *settings);
    // The console's command connection (nullptr when disconnected) and, on a Cluster, the cluster.
    void setConnection(RedisConnection *connection, RedisClusterConnection *cluster = nullptr);
    // A read-only profile: canaries stay off.
    void setReadOnly(bool readOnly, const QString &profileName = {});

    void start();
    void stop();
    // Started (by the user or by autoStart), whether or not it can publish.
    bool isRunning() const { return m_running; }
    // Running and publishing.
    bool isActive() const { return offReason().isEmpty(); }
    // Why canaries are off; empty while active.
    QString offReason() const;

    bool autoStart() const { return m_autoStart; }
    void setAutoStart(bool on);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setInterval(std::chrono::milliseconds interval); // clamped to MinInterval..MaxInterval
    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout);
    // How long a relay that left the directory stays listed.
    void setDropAfter(std::chrono::milliseconds after) { m_dropAfter = after; }

    QList<CanaryStatus> statuses() const; // sorted by instance, then prefix
    // Off and empty for a relay the monitor does not know.
    CanaryStatus status(const QString &prefix, const QString &instance) const;
    CanaryHistory *history() const { return m_history; }
    QByteArray origin() const { return m_origin; }
    quint64 probesPublished() const { return m_published; }
    // The last PUBLISH error, empty after a successful one.
    QString publishError() const { return m_publishError; }
    // Relays beyond MaxRelays, not followed.
    int overflow() const { return m_overflow; }

Q_SIGNALS:
    void changed(); // coalesced: at most every 100 ms
    void runningChanged(bool running);

private:
    struct Relay
    {
        CanaryStatus status;
        CanaryClient *client = nullptr; // owned
        LatencyWindow window{WindowMs};
        QMap<quint64, double> pending; // seq -> sent at (m_clock ms)
        qint64 leftAt = -1;            // m_clock ms when it left the directory
    };
    static QString keyOf(const QString &prefix, const QString &instance);

    void syncDirectory();
    void updateClients();
    void openClient(Relay &relay);
    void closeClient(Relay &relay);
    void publishProbes();
    void publish(const QByteArray &channel, const QByteArray &payload, quint64 seq);
    void onProbe(const QString &key, quint64 seq);
    void housekeeping();
    void evaluate(Relay &relay, qint64 now);
    double nowMs() const;
    void scheduleChanged();
    void maybeAutoStart();

    QPointer<RelayDirectory> m_directory;
    QPointer<RedisConnection> m_connection;
    QPointer<RedisClusterConnection> m_cluster;
    QSettings *m_settings = nullptr;
    CanaryHistory *m_history;
    QHash<QString, Relay> m_relays;
    QByteArray m_origin;
    QElapsedTimer m_clock;
    QTimer m_probeTimer;
    QTimer m_housekeepingTimer;
    QTimer m_changedTimer;
    std::chrono::milliseconds m_interval{1000};
    std::chrono::milliseconds m_timeout{5000};
    std::chrono::milliseconds m_dropAfter{60'000};
    quint64 m_seq = 0;
    quint64 m_published = 0;
    QString m_publishError;
    QString m_profileName;
    int m_overflow = 0;
    bool m_running = false;
    bool m_readOnly = false;
    bool m_autoStart = true;
    bool m_userStopped = false;
};
