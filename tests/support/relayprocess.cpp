// SPDX-License-Identifier: MIT
#include "relayprocess.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

RelayProcess::~RelayProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
}

QString RelayProcess::binary()
{
    return qEnvironmentVariable("SWITCHBOARD_RELAY_BINARY");
}

QProcessEnvironment RelayProcess::cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"REDIS_URL", "REDIS_HOST", "REDIS_PORT", "PORT", "SWITCHBOARD_DEFAULT_REDIS_URL"})
        env.remove(QString::fromLatin1(v));
    return env;
}

bool RelayProcess::start(const QStringList &args, const QProcessEnvironment &env)
{
    m_process.setProcessEnvironment(env);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(binary(), QStringList{u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, u"0"_s} + args);
    if (!m_process.waitForStarted(5000)) {
        m_log = u"could not start %1: %2"_s.arg(binary(), m_process.errorString());
        return false;
    }
    static const QRegularExpression listening(u"listening on port (\\d+) "_s);
    (void)QTest::qWaitFor(
        [&] {
            const auto m = listening.match(log());
            if (m.hasMatch())
                m_port = quint16(m.captured(1).toUInt());
            return m_port != 0 || m_process.state() == QProcess::NotRunning;
        },
        10000);
    return m_port != 0;
}

QUrl RelayProcess::url() const
{
    return QUrl(u"ws://127.0.0.1:%1/"_s.arg(m_port));
}

void RelayProcess::kill()
{
    m_process.kill(); // SIGKILL
    m_process.waitForFinished(5000);
}

QString RelayProcess::log()
{
    m_log += QString::fromUtf8(m_process.readAllStandardError());
    return m_log;
}
