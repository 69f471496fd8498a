// SPDX-License-Identifier: MIT
#pragma once

#include "redisvalue.h"

#include <QByteArrayList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

// A private redis-server for one test: started on a free loopback port (never 6379), with a
// unix socket in a temporary directory, no persistence; stopped by the destructor.
class RedisServer
{
public:
    explicit RedisServer(QStringList extraArguments = {});
    ~RedisServer();
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;

    // Starts and waits until PING answers. A restart keeps the same port.
    bool start();
    void stop();
    bool restart();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QString url() const;
    QString unixSocketPath() const;
    QString errorString() const { return m_error; }

    // A blocking one-off command on a fresh connection, for test setup and assertions.
    RedisValue command(const QByteArrayList &args, const QByteArray &password = {}) const;

    static quint16 freePort();

private:
    bool waitUntilReady(int timeoutMs);

    QStringList m_extra;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};
