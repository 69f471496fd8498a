// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <deque>

// SUBSCRIBE / PSUBSCRIBE on a dedicated connection, reference-counted per channel and
// pattern. Requests made in one event-loop turn go out as one command; after a reconnect
// everything still referenced is subscribed again. subscribed() fires once Redis confirms; a
// subscription Redis refuses (an ACL's NOPERM) is released and reported with subscribeFailed().
// Replies are matched to the commands in the order they were sent, so nothing else may send
// (P)(UN)SUBSCRIBE on connection().
// Signal handlers may call anything on it, close(), open() and deleting it included.
//
// Kind::Sharded speaks Redis 7's sharded Pub/Sub on one node of a Cluster instead: SSUBSCRIBE /
// SUNSUBSCRIBE (one command per hash slot: Redis refuses channels of several slots in one),
// smessage; patterns do not exist there. A channel the node stops serving (its slot migrated:
// Redis sends an unasked sunsubscribe) is dropped and reported with subscriptionLost(), and an
// SSUBSCRIBE the node answers with MOVED is reported with subscribeFailed(): RedisClusterSubscriber
// subscribes it again on the new owner.
class RedisSubscriber : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Classic, Sharded };

    explicit RedisSubscriber(RedisConnectionOptions options, QObject *parent = nullptr);
    RedisSubscriber(RedisConnectionOptions options, Kind kind, QObject *parent = nullptr);
    Kind kind() const { return m_kind; }

    void open() { m_connection->open(); }
    void close() { m_connection->close(); }
    RedisConnection *connection() const { return m_connection; }

    void subscribe(const QByteArray &channel);
    void unsubscribe(const QByteArray &channel);
    void psubscribe(const QByteArray &pattern);
    void punsubscribe(const QByteArray &pattern);

    // True once Redis has confirmed the (un)subscriptions sent so far and the channel is on.
    bool isSubscribed(const QByteArray &channel) const;
    bool isPSubscribed(const QByteArray &pattern) const;
    int channelRefCount(const QByteArray &channel) const;
    int patternRefCount(const QByteArray &pattern) const;
    QList<QByteArray> channels() const;
    QList<QByteArray> patterns() const;

    quint64 messagesReceived() const { return m_messages; }
    // Connected, and Redis has confirmed every subscription sent since.
    bool isSettled() const { return m_connection->isReady() && !m_awaitingResubscribe; }

Q_SIGNALS:
    void message(const QByteArray &channel, const QByteArray &payload);
    void pmessage(const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);
    void subscribed(const QByteArray &channel);
    void unsubscribed(const QByteArray &channel);
    void psubscribed(const QByteArray &pattern);
    void punsubscribed(const QByteArray &pattern);
    // Every subscription is confirmed again after a (re)connect (or refused and released).
    void resubscribed();
    // Redis refused to subscribe to channel / pattern with this error reply. Every reference to
    // it is dropped and it is not asked for again until the next subscribe() / psubscribe().
    void subscribeFailed(const QByteArray &channel, const QByteArray &error);
    void psubscribeFailed(const QByteArray &pattern, const QByteArray &error);
    // Sharded: the node dropped the subscription by itself (its slot moved); no reference is kept.
    void subscriptionLost(const QByteArray &channel);

private:
    struct Entry
    {
        int refs = 0;
        int inFlight = 0;       // (un)subscribe commands sent and not yet answered
        bool requested = false; // what we last asked Redis for
        bool confirmed = false; // what Redis last confirmed
    };
    using Table = QHash<QByteArray, Entry>;
    // A command sent and not yet wholly answered: Redis answers a (P)SUBSCRIBE or (P)UNSUBSCRIBE
    // of N names with N confirmations, or refuses it whole with one error.
    struct Sent
    {
        bool pattern = false;
        bool on = false;
        QByteArrayList names;
        qsizetype answered = 0;
    };

    void change(Table &table, QSet<QByteArray> &dirty, const QByteArray &name, int delta);
    void scheduleFlush();
    void flush();
    void flushTable(Table &table, QSet<QByteArray> &dirty);
    void onReady();
    void onPush(const RedisValue &value);
    void onConfirmation(Table &table, const QByteArray &name, bool on);
    bool onLost(const QByteArray &name);
    void send(bool pattern, bool on, QByteArrayList names);
    void onRefused(const Sent &sent, const QByteArray &error);
    void checkSettled();

    // The command for table (channels or patterns) and direction, in this kind's dialect.
    QByteArray commandName(bool pattern, bool on) const;
    void flushBatches(bool pattern, bool on, const QByteArrayList &names);

    Kind m_kind = Kind::Classic;
    RedisConnection *m_connection;
    Table m_channels;
    Table m_patterns;
    QSet<QByteArray> m_dirtyChannels;
    QSet<QByteArray> m_dirtyPatterns;
    std::deque<Sent> m_sent;
    bool m_flushScheduled = false;
    bool m_awaitingResubscribe = false;
    quint64 m_messages = 0;
};
