// SPDX-License-Identifier: MIT
#pragma once

#include "redisserver.h"
#include "redisvalue.h"

#include <QByteArrayList>
#include <QProcess>
#include <QTemporaryDir>

#include <array>
#include <memory>
#include <optional>

// A private Sentinel set for one test binary: a primary and one replica (RedisServer, the
// replica started with --replicaof) and three redis-sentinel processes monitoring the primary
// under primaryName() with quorum 2, all on free loopback ports (never 6379 / 26379), each
// Sentinel with its own writable config file in a temporary directory. Torn down by the
// destructor. start() is slow (a few seconds: the Sentinels find each other through hello
// messages sent every 2 s), so a test binary makes one in initTestCase().
class RedisSentinelSet
{
public:
    static constexpr int SentinelCount = 3;

    explicit RedisSentinelSet(QString primaryName = QStringLiteral("switchboard"));
    ~RedisSentinelSet();
    RedisSentinelSet(const RedisSentinelSet &) = delete;
    RedisSentinelSet &operator=(const RedisSentinelSet &) = delete;

    // Starts both data nodes and the Sentinels, and waits until every Sentinel reports the
    // primary and knows the replica (its link up) and the two other Sentinels.
    bool start();
    // SENTINEL FAILOVER on the first running Sentinel, then waits until every running Sentinel
    // reports the former
    // replica as the primary and its ROLE is master. Runs the event loop while it waits (the
    // test's clients keep working through the failover). First waits until the set can fail
    // over (the former primary of an earlier failover demoted and known as a healthy replica:
    // Sentinel converts it within about 10-20 s).
    bool failover(int timeoutMs = 60000);
    // Waits, running the event loop, until the set is as start() left it: every running Sentinel
    // reports the primary and knows the replica (its link up) and the others. After a failover
    // that is 10-20 s: Sentinel converts the former primary to a replica only then.
    bool waitUntilSettled(int timeoutMs = 60000);
    // A failover the Sentinels run on their own (the primary paused or stopped): waits, running
    // the event loop, until every running Sentinel reports the replica as the primary and its
    // ROLE is master; from then on primary() is the former replica.
    bool awaitFailover(int timeoutMs = 30000);

    // Before start(): the primary, the replica and the Sentinels also serve TLS, replication and
    // the Sentinels' own links (to the data nodes and to each other) go over TLS, and the Sentinels
    // monitor the primary's TLS port, so that is what they name. The plain ports stay open.
    void setTls(const RedisTlsOptions &tls) { m_tls = tls; }
    // rediss-sentinel://127.0.0.1:<tls1>,...#<primaryName>?ca=... (cert=, key= when the set
    // demands a client certificate); empty without setTls().
    QString tlsUrl() const;
    QString primaryName() const { return m_name; }
    // redis-sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>#<primaryName>
    QString url() const;
    // The ports the Sentinels name (the TLS ports with setTls()).
    quint16 primaryPort() const;
    quint16 replicaPort() const;
    RedisServer &primary() { return *m_nodes[m_primary]; }
    RedisServer &replica() { return *m_nodes[1 - m_primary]; }
    quint16 sentinelPort(int index) const { return m_sentinels[index].port; }
    // SIGTERM / restart of one Sentinel on the same port and config. A stopped Sentinel is left
    // out of the waits of start() and failover().
    void stopSentinel(int index);
    bool startSentinel(int index);
    bool isSentinelRunning(int index) const;
    RedisValue sentinelCommand(int index, const QByteArrayList &args) const;
    QString errorString() const { return m_error; }

private:
    struct Sentinel
    {
        std::unique_ptr<QProcess> process;
        quint16 port = 0;
        quint16 tlsPort = 0;
        QString configFile;
    };

    bool startDataNodes();
    bool writeConfig(Sentinel &sentinel);
    QByteArray tlsConfig(quint16 tlsPort) const;
    // Every running Sentinel reports primaryPort() and knows the replica (link ok) and the others.
    bool isSettled(QString *why) const;
    bool sentinelSettled(int index, QString *why) const;
    // After m_primary changed: every running Sentinel reports it, and its ROLE is master.
    bool isSwitched(QString *why) const;
    bool waitUntil(int timeoutMs, bool processEvents, QString *why,
                   bool (RedisSentinelSet::*done)(QString *) const);

    QString m_name;
    QTemporaryDir m_dir;
    std::array<std::unique_ptr<RedisServer>, 2> m_nodes;
    int m_primary = 0;
    std::optional<RedisTlsOptions> m_tls;
    std::array<Sentinel, SentinelCount> m_sentinels;
    QString m_error;
};
