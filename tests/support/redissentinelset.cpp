// SPDX-License-Identifier: MIT
#include "redissentinelset.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHash>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
// A reply of SENTINEL REPLICAS / SENTINELS: one flat key, value, key, value... array per instance.
QList<QHash<QByteArray, QByteArray>> instances(const RedisValue &reply)
{
    QList<QHash<QByteArray, QByteArray>> result;
    if (!reply.isArray())
        return result;
    for (const RedisValue &instance : reply.elements()) {
        QHash<QByteArray, QByteArray> fields;
        const auto &kv = instance.elements();
        for (size_t i = 0; i + 1 < kv.size(); i += 2)
            fields.insert(kv[i].bytes(), kv[i + 1].bytes());
        result.append(fields);
    }
    return result;
}
} // namespace

RedisSentinelSet::RedisSentinelSet(QString primaryName)
    : m_name(std::move(primaryName))
{}

RedisSentinelSet::~RedisSentinelSet()
{
    for (int i = 0; i < SentinelCount; ++i)
        stopSentinel(i);
    for (auto &node : m_nodes)
        node.reset();
}

QString RedisSentinelSet::url() const
{
    QStringList hosts;
    for (const Sentinel &s : m_sentinels)
        hosts.append(u"127.0.0.1:%1"_s.arg(s.port));
    return u"redis-sentinel://%1#%2"_s.arg(hosts.join(u','), m_name);
}

quint16 RedisSentinelSet::primaryPort() const
{
    const RedisServer *node = m_nodes[m_primary].get();
    return node ? (m_tls ? node->tlsPort() : node->port()) : 0;
}

quint16 RedisSentinelSet::replicaPort() const
{
    const RedisServer *node = m_nodes[1 - m_primary].get();
    return node ? (m_tls ? node->tlsPort() : node->port()) : 0;
}

QString RedisSentinelSet::tlsUrl() const
{
    if (!m_tls)
        return {};
    QStringList hosts;
    for (const Sentinel &s : m_sentinels)
        hosts.append(u"127.0.0.1:%1"_s.arg(s.tlsPort));
    QString url = u"rediss-sentinel://"_s + hosts.join(u',') + u"?ca="_s + m_tls->ca;
    if (m_tls->authClients)
        url += u"&cert=%1&key=%2"_s.arg(m_tls->cert, m_tls->key);
    return url + u"#"_s + m_name;
}

RedisValue RedisSentinelSet::sentinelCommand(int index, const QByteArrayList &args) const
{
    return RedisServer::commandAt(m_sentinels[index].port, args, {}, 2000);
}

bool RedisSentinelSet::start()
{
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary directory"_s;
        return false;
    }
    // The replica's link must be up before the Sentinels start: they learn of replicas from the
    // primary's INFO, which they ask for only every 10 s after the first time.
    if (!startDataNodes())
        return false;
    for (int i = 0; i < SentinelCount; ++i) {
        Sentinel &s = m_sentinels[i];
        for (int tries = 0; tries < 20; ++tries) {
            s.port = RedisServer::freePort();
            bool clash = s.port == 0 || s.port == 26379 || s.port == m_nodes[0]->port() ||
                         s.port == m_nodes[1]->port();
            for (int j = 0; j < i; ++j)
                clash = clash || s.port == m_sentinels[j].port;
            if (!clash)
                break;
        }
        s.tlsPort = m_tls ? RedisServer::freePort() : 0;
        if (!writeConfig(s) || !startSentinel(i))
            return false;
    }
    QString why;
    if (!waitUntil(30000, false, &why, &RedisSentinelSet::isSettled)) {
        m_error = u"the Sentinel set did not settle: "_s + why;
        return false;
    }
    return true;
}

bool RedisSentinelSet::startDataNodes()
{
    const QStringList tlsReplication = m_tls ? QStringList{u"--tls-replication"_s, u"yes"_s} : QStringList{};
    m_nodes[0] = std::make_unique<RedisServer>(tlsReplication);
    if (m_tls)
        m_nodes[0]->setTls(*m_tls);
    if (!m_nodes[0]->start()) {
        m_error = u"primary: "_s + m_nodes[0]->errorString();
        return false;
    }
    m_nodes[1] = std::make_unique<RedisServer>(
        tlsReplication + QStringList{u"--replicaof"_s, u"127.0.0.1"_s, QString::number(primaryPort())});
    if (m_tls)
        m_nodes[1]->setTls(*m_tls);
    if (!m_nodes[1]->start()) {
        m_error = u"replica: "_s + m_nodes[1]->errorString();
        return false;
    }
    m_primary = 0;
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        const RedisValue info = m_nodes[1]->command({"INFO"_ba, "replication"_ba});
        if (info.bytes().contains("master_link_status:up"))
            return true;
        QTest::qWait(20); // the replica's first sync; nothing to wait on but time
    }
    m_error = u"the replica did not sync with the primary within 15 s"_s;
    return false;
}

// A Sentinel's TLS lines: its own TLS port, and TLS to the data nodes and the other Sentinels
// (tls-replication), presenting the client certificate where one is given (redis-server's
// default is its server certificate).
QByteArray RedisSentinelSet::tlsConfig(quint16 tlsPort) const
{
    if (!m_tls)
        return {};
    QByteArray out = "tls-port " + QByteArray::number(tlsPort) + "\ntls-cert-file " + m_tls->cert.toUtf8() +
                     "\ntls-key-file " + m_tls->key.toUtf8() + "\ntls-ca-cert-file " + m_tls->ca.toUtf8() +
                     "\ntls-auth-clients " + (m_tls->authClients ? "yes" : "no") + "\ntls-replication yes\n";
    if (!m_tls->clientCert.isEmpty())
        out += "tls-client-cert-file " + m_tls->clientCert.toUtf8() + "\ntls-client-key-file " +
               m_tls->clientKey.toUtf8() + "\n";
    return out;
}

bool RedisSentinelSet::writeConfig(Sentinel &sentinel)
{
    sentinel.configFile = m_dir.filePath(u"sentinel-%1.conf"_s.arg(sentinel.port));
    QFile file(sentinel.configFile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = u"cannot write %1: %2"_s.arg(sentinel.configFile, file.errorString());
        return false;
    }
    const QByteArray name = m_name.toUtf8();
    // Loopback only, so protected mode (which refuses every other client without a password)
    // can be off. Short timeouts: a failover in seconds, not minutes.
    const QByteArray text = "port " + QByteArray::number(sentinel.port) +
                            "\n"
                            "bind 127.0.0.1\n"
                            "protected-mode no\n"
                            "daemonize no\n"
                            "logfile \"\"\n"
                            "loglevel warning\n"
                            "dir " +
                            m_dir.path().toUtf8() +
                            "\n"
                            "sentinel resolve-hostnames no\n" +
                            tlsConfig(sentinel.tlsPort) + "sentinel monitor " + name + " 127.0.0.1 " +
                            QByteArray::number(primaryPort()) +
                            " 2\n"
                            "sentinel down-after-milliseconds " +
                            name + " 1000\nsentinel failover-timeout " + name +
                            " 3000\nsentinel parallel-syncs " + name + " 1\n";
    if (file.write(text) != text.size()) {
        m_error = u"cannot write %1: %2"_s.arg(sentinel.configFile, file.errorString());
        return false;
    }
    return true;
}

bool RedisSentinelSet::startSentinel(int index)
{
    Sentinel &s = m_sentinels[index];
    s.process = std::make_unique<QProcess>();
    s.process->setProcessChannelMode(QProcess::MergedChannels);
    s.process->start(u"redis-sentinel"_s, {s.configFile});
    if (!s.process->waitForStarted(5000)) {
        m_error = u"cannot start redis-sentinel: "_s + s.process->errorString();
        return false;
    }
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (s.process->state() != QProcess::Running)
            break;
        const RedisValue pong = RedisServer::commandAt(s.port, {"PING"_ba}, {}, 500);
        if (pong.isStatus() && pong.bytes() == "PONG")
            return true;
        s.process->waitForReadyRead(20); // returns as soon as the Sentinel logs anything
    }
    m_error = u"redis-sentinel on port %1 did not answer: %2"_s.arg(s.port).arg(
        QString::fromUtf8(s.process->readAll()));
    return false;
}

bool RedisSentinelSet::isSentinelRunning(int index) const
{
    const Sentinel &s = m_sentinels[index];
    return s.process && s.process->state() == QProcess::Running;
}

void RedisSentinelSet::stopSentinel(int index)
{
    Sentinel &s = m_sentinels[index];
    if (!s.process || s.process->state() == QProcess::NotRunning)
        return;
    s.process->terminate();
    if (!s.process->waitForFinished(5000)) {
        s.process->kill();
        s.process->waitForFinished(2000);
    }
}

bool RedisSentinelSet::sentinelSettled(int index, QString *why) const
{
    const QByteArray name = m_name.toUtf8();
    const QString who = u"Sentinel %1 (port %2)"_s.arg(index + 1).arg(m_sentinels[index].port);
    const RedisValue addr = sentinelCommand(index, {"SENTINEL"_ba, "get-master-addr-by-name"_ba, name});
    if (!addr.isArray() || addr.elements().size() != 2 ||
        addr.elements()[1].bytes() != QByteArray::number(primaryPort())) {
        *why = u"%1 reports the primary at %2, not port %3"_s.arg(who, addr.toDisplayString())
                   .arg(primaryPort());
        return false;
    }
    bool replicaOk = false;
    for (const auto &r : instances(sentinelCommand(index, {"SENTINEL"_ba, "REPLICAS"_ba, name}))) {
        replicaOk = replicaOk || (r.value("port") == QByteArray::number(replicaPort()) &&
                                  r.value("flags") == "slave" && r.value("master-link-status") == "ok");
    }
    if (!replicaOk) {
        *why = u"%1 does not know the replica on port %2 with its link up"_s.arg(who).arg(replicaPort());
        return false;
    }
    // Known, whether up or not (a stopped one is flagged s_down but still counts for the quorum).
    const qsizetype peers = instances(sentinelCommand(index, {"SENTINEL"_ba, "SENTINELS"_ba, name})).size();
    if (peers != SentinelCount - 1) {
        *why = u"%1 knows %2 other Sentinels, not %3"_s.arg(who).arg(peers).arg(SentinelCount - 1);
        return false;
    }
    return true;
}

bool RedisSentinelSet::isSettled(QString *why) const
{
    for (int i = 0; i < SentinelCount; ++i) {
        if (isSentinelRunning(i) && !sentinelSettled(i, why))
            return false;
    }
    return true;
}

bool RedisSentinelSet::waitUntil(int timeoutMs, bool processEvents, QString *why,
                                 bool (RedisSentinelSet::*done)(QString *) const)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if ((this->*done)(why))
            return true;
        // Sentinel changes its mind on its own timers (hello every 2 s, INFO every 1-10 s):
        // nothing to wait on but time. qWait runs the event loop, like QTRY_VERIFY.
        if (processEvents)
            QTest::qWait(50);
        else if (m_sentinels[0].process)
            m_sentinels[0].process->waitForReadyRead(50); // its log, or 50 ms
        else
            QTest::qWait(50);
    }
    return false;
}

bool RedisSentinelSet::failover(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    QString why;
    if (!waitUntil(int(deadline.remainingTime()), true, &why, &RedisSentinelSet::isSettled)) {
        m_error = u"not ready to fail over: "_s + why;
        return false;
    }
    int via = 0;
    while (via < SentinelCount - 1 && !isSentinelRunning(via))
        ++via;
    const QByteArray name = m_name.toUtf8();
    const RedisValue reply = sentinelCommand(via, {"SENTINEL"_ba, "FAILOVER"_ba, name});
    if (!reply.isStatus()) {
        m_error = u"SENTINEL FAILOVER: "_s + reply.toDisplayString();
        return false;
    }
    m_primary = 1 - m_primary;
    if (waitUntil(int(deadline.remainingTime()), true, &why, &RedisSentinelSet::isSwitched))
        return true;
    m_error = u"the failover did not complete: "_s + why;
    return false;
}

bool RedisSentinelSet::isSwitched(QString *why) const
{
    for (int i = 0; i < SentinelCount; ++i) {
        if (!isSentinelRunning(i))
            continue;
        const RedisValue addr =
            sentinelCommand(i, {"SENTINEL"_ba, "get-master-addr-by-name"_ba, m_name.toUtf8()});
        if (!addr.isArray() || addr.elements().size() != 2 ||
            addr.elements()[1].bytes() != QByteArray::number(primaryPort())) {
            *why = u"Sentinel %1 reports %2"_s.arg(i + 1).arg(addr.toDisplayString());
            return false;
        }
    }
    const RedisValue role =
        RedisServer::commandAt(m_nodes[m_primary]->port(), {"ROLE"_ba}, {}, 2000); // plain port
    if (!role.isArray() || role.elements().empty() || role.elements()[0].bytes() != "master") {
        *why = u"ROLE of port %1: %2"_s.arg(primaryPort()).arg(role.toDisplayString());
        return false;
    }
    return true;
}

bool RedisSentinelSet::awaitFailover(int timeoutMs)
{
    m_primary = 1 - m_primary;
    QString why;
    if (waitUntil(timeoutMs, true, &why, &RedisSentinelSet::isSwitched))
        return true;
    m_primary = 1 - m_primary;
    m_error = u"the Sentinels did not fail over: "_s + why;
    return false;
}

bool RedisSentinelSet::waitUntilSettled(int timeoutMs)
{
    QString why;
    if (waitUntil(timeoutMs, true, &why, &RedisSentinelSet::isSettled))
        return true;
    m_error = u"the Sentinel set did not settle: "_s + why;
    return false;
}
