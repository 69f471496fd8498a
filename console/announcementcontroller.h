// SPDX-License-Identifier: MIT
#pragma once

#include "announcement.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

class AuditLog;
class ClusterAnnouncer;
class QSettings;
class RedisClusterConnection;
#include "redisconnection.h"

// Estimates who an announcement reaches, publishes it on the console's command connection (never
// the tap's), and records every attempt in the audit log.
class AnnouncementController : public QObject
{
    Q_OBJECT

public:
    struct Estimate
    {
        QByteArrayList channels;
        QList<qint64> subscribers;
        qint64 totalSubscribers = 0;
        std::optional<qint64> relayClients; // when a relay reports them
        QString error;
        // On a Cluster, per channel: the sharded part of subscribers, and the commands that will go out.
        QList<qint64> shardedSubscribers{};
        QStringList commands{}; // "SPUBLISH + PUBLISH"
    };
    struct Result
    {
        QString id;
        QByteArrayList channels;
        QList<qint64> receivers;
        qint64 total = 0;
        QString error;
        QStringList commands{}; // on a Cluster, per channel: "SPUBLISH 2 + PUBLISH 1"
    };
    using RelayAudience = std::function<std::optional<qint64>(const QByteArray &channel)>;

    explicit AnnouncementController(AuditLog *log, QObject *parent = nullptr);

    void setConnection(RedisConnection *connection) { m_connection = connection; }
    // On a Cluster (nullptr otherwise): the audience is counted over every node and each channel is
    // published with PUBLISH and / or SPUBLISH, as its subscribers need (ClusterAnnouncer).
    void setCluster(RedisClusterConnection *cluster);
    void setProfileName(const QString &name) { m_profile = name; }
    void setChannelPrefix(const QByteArray &prefix) { m_prefix = prefix; }
    QByteArray channelPrefix() const { return m_prefix; }
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }
    void setRelayAudience(RelayAudience audience) { m_audience = std::move(audience); }
    AuditLog *auditLog() const { return m_log; }
    // Why publishing is impossible right now, or empty.
    QString blocker(const Announcement &announcement) const;

    void requestEstimate(const Announcement &announcement);
    // Publishes as is (stamp() it first); emits published() once Redis answered every PUBLISH.
    bool publish(const Announcement &announcement);

Q_SIGNALS:
    void estimateReady(const AnnouncementController::Estimate &estimate);
    void published(const AnnouncementController::Result &result);
    void readOnlyChanged(bool readOnly);

private:
    void record(const Announcement &a, const Result &r);
    void estimateOnCluster(Estimate estimate, quint64 generation);
    void publishOnCluster(const Announcement &a, Result result);

    AuditLog *m_log;
    QPointer<RedisConnection> m_connection;
    ClusterAnnouncer *m_cluster = nullptr;
    QString m_profile;
    QByteArray m_prefix;
    bool m_readOnly = false;
    RelayAudience m_audience;
    quint64 m_estimateGeneration = 0;
};

// Saved announcements (text, level, targets) in QSettings.
class TemplateStore
{
public:
    explicit TemplateStore(QSettings *settings);
    QStringList names() const;
    std::optional<Announcement> load(const QString &name) const;
    void save(const QString &name, const Announcement &announcement);
    void remove(const QString &name);

private:
    QSettings *m_settings;
};
