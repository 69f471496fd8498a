// SPDX-License-Identifier: MIT
#include "privateredisserver.h"

#include "redislogging.h"

#include <QStandardPaths>
#include <QTcpServer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

PrivateRedisServer::PrivateRedisServer(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_startTimer.setSingleShot(true);
    m_startTimer.setInterval(10000);
    connect(&m_startTimer, &QTimer::timeout, this,
            [this] { fail(tr("redis-server did not become ready within 10 s")); });
    connect(&m_process, &QProcess::readyRead, this, &PrivateRedisServer::onOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("cannot start redis-server: %1").arg(m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        const bool wasReady = m_ready;
        m_ready = false;
        if (m_stopping)
            return;
        const QString tail = QString::fromLocal8Bit(m_output.right(400)).trimmed();
        if (wasReady)
            Q_EMIT exited(tr("the private redis-server exited with code %1").arg(code));
        else
            fail(tr("redis-server exited with code %1: %2").arg(code).arg(tail));
    });
}

PrivateRedisServer::~PrivateRedisServer()
{
    stop();
}

QString PrivateRedisServer::executable()
{
    QString path = QStandardPaths::findExecutable(u"redis-server"_s);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(u"redis-server"_s, {u"/usr/sbin"_s, u"/usr/local/bin"_s});
    return path;
}

quint16 PrivateRedisServer::freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

void PrivateRedisServer::start()
{
    if (m_process.state() != QProcess::NotRunning)
        return;
    const QString program = executable();
    if (program.isEmpty()) {
        fail(tr("redis-server is not installed"));
        return;
    }
    if (!m_dir.isValid()) {
        fail(tr("cannot create a private directory: %1").arg(m_dir.errorString()));
        return;
    }
    m_port = freeLoopbackPort();
    if (m_port == 0 || m_port == 6379) {
        fail(tr("no free loopback port"));
        return;
    }
    m_stopping = false;
    m_output.clear();
    m_process.setWorkingDirectory(m_dir.path());
#ifdef Q_OS_LINUX
    // If the console dies without cleaning up, the kernel stops its private server too.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    m_process.start(program, {u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s,
                              u"--unixsocket"_s, unixSocketPath(), u"--unixsocketperm"_s, u"700"_s,
                              u"--save"_s, u""_s, u"--appendonly"_s, u"no"_s, u"--dir"_s, m_dir.path(),
                              u"--protected-mode"_s, u"yes"_s, u"--daemonize"_s, u"no"_s});
    m_startTimer.start();
}

void PrivateRedisServer::stop()
{
    m_startTimer.stop();
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopping = true;
    m_ready = false;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

QString PrivateRedisServer::url() const
{
    return u"redis://127.0.0.1:%1"_s.arg(m_port);
}

QString PrivateRedisServer::unixSocketPath() const
{
    return m_dir.filePath(u"redis.sock"_s);
}

void PrivateRedisServer::onOutput()
{
    if (m_stopping)
        return;
    m_output += m_process.readAll();
    if (m_output.size() > 16384)
        m_output = m_output.right(8192);
    if (!m_ready && m_output.contains("Ready to accept connections")) {
        m_ready = true;
        m_startTimer.stop();
        qCInfo(lcRedis).noquote() << "private redis-server ready at" << url();
        Q_EMIT ready(url());
    }
}

void PrivateRedisServer::fail(const QString &error)
{
    m_startTimer.stop();
    if (m_process.state() != QProcess::NotRunning) {
        m_stopping = true;
        m_process.kill();
        m_process.waitForFinished(1000);
    }
    m_ready = false;
    Q_EMIT failed(error);
}
