// SPDX-License-Identifier: MIT
#pragma once

#include "reconnectbackoff.h"
#include "redisconnection.h"
#include "redisurl.h"
#include "redisvalue.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

// Options for a connection to one Sentinel of options.url (a redis-sentinel:// URL): the
// Sentinel's own credentials (sentinel-user / sentinel-password), database 0, the same TLS
// options, connect timeout, heartbeat and keepalive; no reconnect (the caller moves on to the
// next Sentinel) and no client name.
RedisConnectionOptions sentinelConnectionOptions(const RedisConnectionOptions &options,
                                                 const RedisUrl::Node &node);

// One round of asking the Sentinels of a redis-sentinel:// URL where its primary is: SENTINEL
// get-master-addr-by-name on each Sentinel in the URL's order, each within the connect timeout,
// until one names it. Each resolve() ends with one resolved() or failed(), emitted from the
// event loop, unless abort() comes first. The errors of failed():
//   "the Sentinels do not know a primary named '<name>'"          (every Sentinel answered nil)
//   "no Sentinel answered for '<name>': s1:p1: <error>; s2:p2: <error>"
class RedisSentinelResolver : public QObject
{
    Q_OBJECT
public:
    explicit RedisSentinelResolver(const RedisConnectionOptions &options, QObject *parent = nullptr);

    // Starts a round (an unfinished one is abandoned).
    void resolve();
    // The same with only this one Sentinel.
    void resolveAt(const RedisUrl::Node &sentinel);
    void abort();
    bool isResolving() const { return m_sentinel != nullptr; }

Q_SIGNALS:
    void resolved(const QString &host, quint16 port);
    void failed(const QString &error);

private:
    void askNext();
    void onReply(const RedisValue &reply);
    // Records why the current Sentinel gave no address and goes on with the next one.
    void next(const QString &error);
    void dropSentinel();

    RedisConnectionOptions m_options;
    RedisConnection *m_sentinel = nullptr;
    QList<RedisUrl::Node> m_sentinels; // asked in this round
    qsizetype m_index = 0;
    QStringList m_errors;
    int m_unknown = 0; // Sentinels that answered nil: they know no such primary
    QTimer m_replyTimer;
};

// Follows +switch-master for the primary of a redis-sentinel:// URL while a data connection is
// on it: SUBSCRIBE +switch-master on one Sentinel (in push mode, on its own connection, with the
// heartbeat), on the next one when that Sentinel dies or stalls. Once subscribed it also asks that
// Sentinel (on another connection) where the primary is, so that a failover between the data
// connection's resolution and the subscription is not missed; asking the one it listens to keeps
// the answer and the announcements from one source. primaryMoved() says that the named primary is
// now at host:port, not where start() said it was.
class RedisSentinelWatcher : public QObject
{
    Q_OBJECT
public:
    explicit RedisSentinelWatcher(const RedisConnectionOptions &options, QObject *parent = nullptr);

    void start(const RedisUrl::Node &primary);
    void stop();
    // Subscribed on a Sentinel; which one.
    bool isWatching() const { return m_subscribed; }
    RedisUrl::Node sentinel() const;

Q_SIGNALS:
    void primaryMoved(const QString &host, quint16 port);

private:
    void connectSentinel();
    void onPush(const RedisValue &value);
    void onSentinelLost(const QString &error);
    void report(const QString &host, quint16 port);

    RedisConnectionOptions m_options;
    RedisUrl::Node m_primary;
    RedisConnection *m_sentinel = nullptr;
    RedisSentinelResolver *m_check;
    qsizetype m_index = 0;
    bool m_running = false;
    bool m_subscribed = false;
    ReconnectBackoff m_backoff;
    QTimer m_retryTimer;
};
