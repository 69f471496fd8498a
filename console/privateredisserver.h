// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

// A redis-server owned by the console: loopback only, a free port, no persistence, a unix
// socket in a private directory. It lives as long as this object (stopped by the destructor).
class PrivateRedisServer : public QObject
{
    Q_OBJECT

public:
    explicit PrivateRedisServer(QObject *parent = nullptr);
    ~PrivateRedisServer() override;

    // The redis-server executable, or empty when it is not installed.
    static QString executable();
    static quint16 freeLoopbackPort();

    // Starts asynchronously; emits ready() once it accepts connections, or failed().
    void start();
    void stop();
    bool isRunning() const { return m_ready; }
    quint16 port() const { return m_port; }
    QString url() const;
    QString unixSocketPath() const;

Q_SIGNALS:
    void ready(const QString &url);
    void failed(const QString &error);
    void exited(const QString &reason);

private:
    void onOutput();
    void fail(const QString &error);

    QTemporaryDir m_dir;
    QProcess m_process;
    QTimer m_startTimer;
    QByteArray m_output;
    quint16 m_port = 0;
    bool m_ready = false;
    bool m_stopping = false;
};
