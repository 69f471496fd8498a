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
class RedisSubscriber : public QObject
{
    Q_OBJECT
public:
    explicit RedisSubscriber(RedisConnectionOptions options, QObject *parent = nullptr);

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
    void flushTable(Table &table, QSet<QByteArray> &dirty, const QByteArray &on, const QByteArray &off);
    void onReady();
    void onPush(const RedisValue &value);
    void onConfirmation(Table &table, const QByteArray &name, bool on);
    void send(bool pattern, bool on, QByteArrayList names);
    void onRefused(const Sent &sent, const QByteArray &error);
    void checkSettled();

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
