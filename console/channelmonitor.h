// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

class RedisConnection;

struct PubSubClient
{
    qint64 id = 0;
    QString name;
    QString address;
    int channels = 0; // sub=
    int patterns = 0; // psub=
    bool isRelay() const { return name.startsWith(QLatin1StringView("switchboard-relay:")); }
};

struct PubSubSnapshot
{
    struct Channel
    {
        QByteArray name;
        qint64 subscribers = 0;
    };
    QDateTime takenAt;
    qint64 durationMs = 0;
    QList<Channel> channels; // sorted by name
    qint64 patternSubscriptions = 0;
    QList<PubSubClient> clients;
};

// Polls Redis's view of Pub/Sub: PUBSUB CHANNELS, NUMSUB (in pipelined batches), NUMPAT and
// CLIENT LIST TYPE pubsub, and emits one consistent snapshot per round. Rounds never overlap.
class ChannelMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ChannelMonitor(RedisConnection *connection, QObject *parent = nullptr);

    // 0 turns polling off; refresh() still works.
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return m_interval; }
    void setBatchSize(int channelsPerNumsub) { m_batchSize = qMax(1, channelsPerNumsub); }
    bool isRefreshing() const { return m_round != nullptr; }

    void refresh();

    static QList<PubSubClient> parseClientList(const QByteArray &text);

Q_SIGNALS:
    void snapshotReady(const PubSubSnapshot &snapshot);
    void refreshFailed(const QString &error);

private:
    struct Round;
    void fail(const QString &error);
    void maybeFinish();

    RedisConnection *m_connection;
    QTimer m_timer;
    std::chrono::milliseconds m_interval{0};
    int m_batchSize = 1000;
    std::shared_ptr<Round> m_round;
};
