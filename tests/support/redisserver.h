// SPDX-License-Identifier: MIT
#pragma once

#include "redisvalue.h"

#include <QByteArrayList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <optional>

// TLS for a RedisServer: PEM files (e.g. from TestPki). With authClients the server demands a
// client certificate signed by ca; without, it accepts clients that present none.
struct RedisTlsOptions
{
    QString cert;
    QString key;
    QString ca;
    bool authClients = true;
    // The certificate the server presents when it connects out (replication, a Cluster's bus,
    // which always demands one); empty: cert.
    QString clientCert = {};
    QString clientKey = {};
};

// A private redis-server for one test: started on a free loopback port (never 6379), with a
// unix socket in a temporary directory, no persistence; stopped by the destructor. With
// setTls() it also listens for TLS on a second free loopback port, tlsPort(); the plain
// port stays open (readiness checks and command() use it).
class RedisServer
{
public:
    explicit RedisServer(QStringList extraArguments = {});
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // Also listen for TLS on tlsPort() from the next start() on. (A setter, not a constructor
    // overload: RedisServer({u"--requirepass"_s, u"pw"_s}) must stay a QStringList.)
    void setTls(const RedisTlsOptions &tls) { m_tls = tls; }

    // Starts and waits until PING answers. A restart keeps the same port.
    bool start();
    void stop();
    bool restart();
    bool isRunning() const;
    // SIGSTOP / SIGCONT: a stalled server whose connections stay open and answer nothing.
    // stop() resumes a paused server first.
    bool pause();
    bool resume();
    bool isPaused() const { return m_paused; }

    quint16 port() const { return m_port; }
    QString url() const;
    bool hasTls() const { return m_tls.has_value(); }
    // 0 without TLS.
    quint16 tlsPort() const { return m_tlsPort; }
    // rediss://127.0.0.1:<tlsPort> without options (the test adds ca=, cert=, ...).
    QString tlsUrl() const;
    QString unixSocketPath() const;
    QString errorString() const { return m_error; }
    // The redis-server's pid while it runs (0 otherwise), e.g. to stall it with SIGSTOP.
    qint64 processId() const { return m_process.processId(); }

    // A blocking one-off command on a fresh connection, for test setup and assertions.
    RedisValue command(const QByteArrayList &args, const QByteArray &password = {}) const;
    // The same to any server on 127.0.0.1:port (e.g. a Sentinel); waits at most timeoutMs.
    static RedisValue commandAt(quint16 port, const QByteArrayList &args, const QByteArray &password = {},
                                int timeoutMs = 5000);
    // CLIENT LIST has a connection named name.
    bool hasClient(const QString &name) const;

    static quint16 freePort();

private:
    bool waitUntilReady(int timeoutMs);

    QStringList m_extra;
    std::optional<RedisTlsOptions> m_tls;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    bool m_paused = false;
    QString m_error;
};
