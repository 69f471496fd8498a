// SPDX-License-Identifier: MIT
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

// switchboard-relay as a child process (the binary in SWITCHBOARD_RELAY_BINARY, set by CTest),
// bound to 127.0.0.1 on a free port. Killed with SIGKILL when destroyed while running.
class RelayProcess
{
public:
    RelayProcess() = default;
    ~RelayProcess();
    RelayProcess(const RelayProcess &) = delete;
    RelayProcess &operator=(const RelayProcess &) = delete;

    static QString binary();
    // The environment without the variables that choose a bus or a port.
    static QProcessEnvironment cleanEnvironment();

    // Starts it with args plus --bind 127.0.0.1 --port 0 and waits until it logs its port;
    // false (with log() telling why) when it does not within 10 s.
    bool start(const QStringList &args, const QProcessEnvironment &env = cleanEnvironment());
    quint16 port() const { return m_port; }
    QUrl url() const;
    // Ends it with SIGKILL: no close frames, no cleanup, as a crashed or OOM-killed relay.
    void kill();
    QString log();
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QString m_log;
    quint16 m_port = 0;
};
