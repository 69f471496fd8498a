// SPDX-License-Identifier: MIT
#include "redisserver.h"

#include "respreader.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <signal.h>

using namespace Qt::StringLiterals;

RedisServer::RedisServer(QStringList extraArguments)
    : m_extra(std::move(extraArguments))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

RedisServer::~RedisServer()
{
    stop();
}

quint16 RedisServer::freePort()
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, 0) && probe.serverPort() != 6379)
            return probe.serverPort();
    }
    return 0;
}

QString RedisServer::url() const
{
    return u"redis://127.0.0.1:%1"_s.arg(m_port);
}

QString RedisServer::tlsUrl() const
{
    return m_tlsPort ? u"rediss://127.0.0.1:%1"_s.arg(m_tlsPort) : QString();
}

QString RedisServer::unixSocketPath() const
{
    return m_dir.filePath(u"redis.sock"_s);
}

bool RedisServer::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

bool RedisServer::start()
{
    const bool keepPort = m_port != 0;
    for (int attempt = 0; attempt < (keepPort ? 1 : 5); ++attempt) {
        if (!keepPort) {
            m_port = freePort();
            m_tlsPort = 0;
        }
        for (int tries = 0; m_tls && tries < 10 && (m_tlsPort == 0 || m_tlsPort == m_port); ++tries)
            m_tlsPort = freePort();
        QStringList args{u"--port"_s,
                         QString::number(m_port),
                         u"--bind"_s,
                         u"127.0.0.1"_s,
                         u"--save"_s,
                         u""_s,
                         u"--appendonly"_s,
                         u"no"_s,
                         u"--daemonize"_s,
                         u"no"_s,
                         u"--protected-mode"_s,
                         u"yes"_s,
                         u"--unixsocket"_s,
                         unixSocketPath(),
                         u"--unixsocketperm"_s,
                         u"700"_s,
                         u"--dir"_s,
                         m_dir.path(),
                         u"--loglevel"_s,
                         u"warning"_s};
        if (m_tls) {
            args += {u"--tls-port"_s,         QString::number(m_tlsPort),
                     u"--tls-cert-file"_s,    m_tls->cert,
                     u"--tls-key-file"_s,     m_tls->key,
                     u"--tls-ca-cert-file"_s, m_tls->ca,
                     u"--tls-auth-clients"_s, m_tls->authClients ? u"yes"_s : u"no"_s};
            if (!m_tls->clientCert.isEmpty())
                args += {u"--tls-client-cert-file"_s, m_tls->clientCert, u"--tls-client-key-file"_s,
                         m_tls->clientKey};
        }
        args += m_extra;
        m_process.start(u"redis-server"_s, args);
        if (!m_process.waitForStarted(5000)) {
            m_error = u"cannot start redis-server: "_s + m_process.errorString();
            return false;
        }
        if (waitUntilReady(10000))
            return true;
        m_error = u"redis-server on port %1%2 did not become ready: %3"_s.arg(
            QString::number(m_port), m_tls ? u" (TLS %1)"_s.arg(m_tlsPort) : QString(),
            QString::fromUtf8(m_process.readAll()));
        stop();
    }
    return false;
}

bool RedisServer::waitUntilReady(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running)
            return false;
        const RedisValue reply = command({"PING"_ba});
        if (reply.isStatus() && reply.bytes() == "PONG")
            return true;
        if (reply.isError() && reply.bytes().startsWith("NOAUTH"))
            return true;                // up, but password-protected
        m_process.waitForReadyRead(20); // not a sleep: returns as soon as the server logs anything
    }
    return false;
}

bool RedisServer::pause()
{
    if (m_paused || m_process.state() != QProcess::Running)
        return false;
    m_paused = ::kill(pid_t(m_process.processId()), SIGSTOP) == 0;
    return m_paused;
}

bool RedisServer::resume()
{
    if (!m_paused || m_process.state() != QProcess::Running)
        return false;
    m_paused = ::kill(pid_t(m_process.processId()), SIGCONT) != 0;
    return !m_paused;
}

void RedisServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    resume();
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

bool RedisServer::restart()
{
    stop();
    return start();
}

RedisValue RedisServer::command(const QByteArrayList &args, const QByteArray &password) const
{
    return commandAt(m_port, args, password);
}

RedisValue RedisServer::commandAt(quint16 port, const QByteArrayList &args, const QByteArray &password,
                                  int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(qMin(2000, timeoutMs)))
        return RedisValue::error("ERR test: cannot connect: " + socket.errorString().toUtf8());
    if (!password.isEmpty())
        socket.write(RespReader::formatCommand({"AUTH"_ba, password}));
    socket.write(RespReader::formatCommand(args));
    RespReader reader;
    const int expected = password.isEmpty() ? 1 : 2;
    int seen = 0;
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
        reader.feed(socket.readAll());
        while (std::optional<RedisValue> v = reader.next()) {
            if (++seen == expected)
                return *v;
        }
    }
    return RedisValue::error("ERR test: no reply");
}

bool RedisServer::hasClient(const QString &name) const
{
    return command({"CLIENT"_ba, "LIST"_ba}).bytes().contains("name=" + name.toUtf8() + ' ');
}
