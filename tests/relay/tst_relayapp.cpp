// SPDX-License-Identifier: MIT
#include "rawwebsocket.h"
#include "redisclustertopology.h"
#include "redisserver.h"
#include "testclient.h"
#include "testcluster.h"
#include "testenvironment.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

// QProcess::waitForFinished() returns false for a process that has already finished.
static bool exitsWithin(QProcess &p, int ms)
{
    return p.state() == QProcess::NotRunning || p.waitForFinished(ms);
}

// switchboard-relay as a process: options, exit codes, signals, bus selection.
class tst_RelayApp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void signalClosesClientsWith1001AndExits_data();
    void signalClosesClientsWith1001AndExits();
    void badOptions_data();
    void badOptions();
    void portInUse();
    void autoModeProbesTheDefaultAddress_data();
    void autoModeProbesTheDefaultAddress();
    void configuredRedisDownIsAnOutage();
    void runsOnAClusterUrl_data();
    void runsOnAClusterUrl();
    void memoryStaysFlatWithAClientThatNeverReads();

private:
    bool startRelay(QProcess &p, const QStringList &args, const QProcessEnvironment &env = cleanEnv());
    static QProcessEnvironment cleanEnv();
    quint16 waitForPort(QProcess &p, QString *log);
    TestCluster *cluster();
    std::unique_ptr<TestCluster> m_cluster;
    QString m_binary;
};

void tst_RelayApp::initTestCase()
{
    m_binary = qEnvironmentVariable("SWITCHBOARD_RELAY_BINARY");
    QVERIFY2(!m_binary.isEmpty() && QFile::exists(m_binary),
             "SWITCHBOARD_RELAY_BINARY must point at switchboard-relay");
}

QProcessEnvironment tst_RelayApp::cleanEnv()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *v : {"REDIS_URL", "REDIS_HOST", "REDIS_PORT", "PORT", "SWITCHBOARD_DEFAULT_REDIS_URL"})
        env.remove(QString::fromLatin1(v));
    return env;
}

bool tst_RelayApp::startRelay(QProcess &p, const QStringList &args, const QProcessEnvironment &env)
{
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(m_binary, args);
    return p.waitForStarted(5000);
}

quint16 tst_RelayApp::waitForPort(QProcess &p, QString *log)
{
    static const QRegularExpression listening(u"listening on port (\\d+) "_s);
    quint16 port = 0;
    [[maybe_unused]] const bool done = QTest::qWaitFor(
        [&] {
            *log += QString::fromUtf8(p.readAllStandardError());
            const auto m = listening.match(*log);
            if (m.hasMatch())
                port = quint16(m.captured(1).toUInt());
            return port != 0 || p.state() == QProcess::NotRunning;
        },
        10000);
    return port;
}

void tst_RelayApp::signalClosesClientsWith1001AndExits_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_RelayApp::signalClosesClientsWith1001AndExits()
{
    QFETCH(int, signalNumber);
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    QProcess relay;
    QVERIFY(startRelay(relay, {u"--port"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s, u"--redis"_s, redis.url(),
                               u"--instance-id"_s, u"sig"_s, u"--verbose"_s}));
    QString log;
    const quint16 port = waitForPort(relay, &log);
    QVERIFY2(port != 0, qPrintable(log));

    TestClient c1, c2;
    const QUrl url(u"ws://127.0.0.1:%1"_s.arg(port));
    QVERIFY(c1.open(url));
    QVERIFY(c2.open(url));
    QVERIFY(c1.join(u"term"_s));
    QCOMPARE(redis.command({"PUBSUB", "NUMSUB", "room:term"}).elements()[1].toInteger(), 1);

    QElapsedTimer t;
    t.start();
    ::kill(pid_t(relay.processId()), signalNumber);
    QVERIFY(c1.waitForClose(2000));
    QVERIFY(c2.waitForClose(2000));
    QCOMPARE(c1.closeCode(), 1001);
    QCOMPARE(c2.closeCode(), 1001);
    const bool exited = exitsWithin(relay, 2000);
    log += QString::fromUtf8(relay.readAllStandardError());
    QVERIFY2(exited, qPrintable(log));
    QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(relay.exitStatus(), QProcess::NormalExit);
    QCOMPARE(relay.exitCode(), 0);
    QCOMPARE(redis.command({"PUBSUB", "NUMSUB", "room:term"}).elements()[1].toInteger(), 0);
    QCOMPARE(redis.command({"PUBSUB", "NUMSUB", "broadcast"}).elements()[1].toInteger(), 0);
}

void tst_RelayApp::badOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << QStringList{u"--nope"_s} << QStringList{} << u"Unknown option 'nope'"_s;
    QTest::newRow("port") << QStringList{u"--port"_s, u"x"_s} << QStringList{}
                          << u"--port: invalid port 'x'"_s;
    QTest::newRow("redis url") << QStringList{u"--redis"_s, u"redis://"_s} << QStringList{} << u"--redis:"_s;
    QTest::newRow("env REDIS_URL") << QStringList{} << QStringList{u"REDIS_URL=tcp://x"_s} << u"REDIS_URL:"_s;
    QTest::newRow("env PORT") << QStringList{} << QStringList{u"PORT=99999"_s} << u"PORT: invalid port"_s;
    QTest::newRow("env SWITCHBOARD_DEFAULT_REDIS_URL")
        << QStringList{} << QStringList{u"SWITCHBOARD_DEFAULT_REDIS_URL=tcp://x"_s}
        << u"SWITCHBOARD_DEFAULT_REDIS_URL: "_s;
}

void tst_RelayApp::badOptions()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, message);
    QProcess relay;
    QVERIFY(startRelay(relay, args, environmentFrom(env, cleanEnv())));
    QVERIFY(exitsWithin(relay, 5000));
    QCOMPARE(relay.exitCode(), 2);
    const QString err = QString::fromUtf8(relay.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(err.contains(u"--help"_s));
}

void tst_RelayApp::portInUse()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    QProcess relay;
    QVERIFY(startRelay(relay, {u"--port"_s, QString::number(occupier.serverPort()), u"--bind"_s,
                               u"127.0.0.1"_s, u"--in-process"_s}));
    QVERIFY(exitsWithin(relay, 5000));
    QCOMPARE(relay.exitCode(), 1);
    const QString err = QString::fromUtf8(relay.readAllStandardError());
    QVERIFY2(err.contains(u"cannot listen on 127.0.0.1:%1"_s.arg(occupier.serverPort())), qPrintable(err));
}

void tst_RelayApp::autoModeProbesTheDefaultAddress_data()
{
    QTest::addColumn<bool>("redisThere");
    QTest::newRow("nothing answers: in-process bus") << false;
    QTest::newRow("a Redis answers: it is used") << true;
}

void tst_RelayApp::autoModeProbesTheDefaultAddress()
{
    // With nothing configured the relay probes SWITCHBOARD_DEFAULT_REDIS_URL (else
    // localhost:6379, which no test touches): here a port this test owns, where either a private
    // redis-server runs or a listener accepts and never answers, so the probe times out.
    QFETCH(bool, redisThere);
    RedisServer redis;
    QTcpServer mute;
    QString probeUrl;
    if (redisThere) {
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
        probeUrl = redis.url();
    } else {
        QVERIFY(mute.listen(QHostAddress::LocalHost, 0));
        probeUrl = u"redis://127.0.0.1:%1"_s.arg(mute.serverPort());
    }
    QProcess relay;
    QVERIFY(startRelay(relay, {u"--port"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s},
                       environmentFrom({u"SWITCHBOARD_DEFAULT_REDIS_URL="_s + probeUrl}, cleanEnv())));
    QString log;
    const quint16 port = waitForPort(relay, &log);
    QVERIFY2(port != 0, qPrintable(log));
    if (redisThere) {
        QVERIFY2(log.contains(u"using the one found at "_s + probeUrl), qPrintable(log));
    } else {
        QVERIFY2(log.contains(u"none reachable at "_s + probeUrl), qPrintable(log));
        QVERIFY2(log.contains(u"in-process bus"_s) && log.contains(u"single instance"_s), qPrintable(log));
    }

    TestClient a, b;
    const QUrl url(u"ws://127.0.0.1:%1"_s.arg(port));
    QVERIFY(a.open(url));
    QVERIFY(b.open(url));
    QVERIFY(a.join(u"embedded"_s));
    QVERIFY(b.join(u"embedded"_s));
    if (redisThere) // the join went through that Redis
        QCOMPARE(redis.command({"PUBSUB", "NUMSUB", "room:embedded"}).elements()[1].toInteger(), 1);
    a.send(QJsonObject{
        {u"type"_s, u"message"_s}, {u"roomId"_s, u"embedded"_s}, {u"user"_s, u"a"_s}, {u"text"_s, u"hi"_s}});
    QVERIFY(!b.waitForType(u"message"_s).isEmpty());
    relay.terminate();
    QVERIFY(exitsWithin(relay, 3000));
}

void tst_RelayApp::configuredRedisDownIsAnOutage()
{
    RedisServer redis;
    QVERIFY(redis.start());
    redis.stop(); // remember a port with nothing on it

    QProcess relay;
    QVERIFY(startRelay(relay, {u"--port"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s, u"--redis"_s, redis.url()}));
    QString log;
    QVERIFY(waitForPort(relay, &log) != 0);
    QVERIFY(QTest::qWaitFor(
        [&] {
            log += QString::fromUtf8(relay.readAllStandardError());
            return log.contains(u"cannot reach"_s);
        },
        5000));
    QVERIFY2(!log.contains(u"in-process"_s), qPrintable(log));
    QCOMPARE(relay.state(), QProcess::Running);

    QVERIFY(redis.start());
    QVERIFY(QTest::qWaitFor(
        [&] {
            log += QString::fromUtf8(relay.readAllStandardError());
            return log.contains(u"bus connected"_s);
        },
        5000));
    relay.terminate();
    QVERIFY(exitsWithin(relay, 3000));
}

TestCluster *tst_RelayApp::cluster()
{
    if (!m_cluster) {
        m_cluster = std::make_unique<TestCluster>(3, 0);
        if (!m_cluster->start())
            qWarning().noquote() << "cluster:" << m_cluster->errorString();
    }
    return m_cluster.get();
}

void tst_RelayApp::runsOnAClusterUrl_data()
{
    QTest::addColumn<QString>("pubsub"); // --cluster-pubsub, empty: the default
    QTest::addColumn<bool>("sharded");
    QTest::newRow("default: sharded") << QString() << true;
    QTest::newRow("--cluster-pubsub classic") << u"classic"_s << false;
}

// Two switchboard-relay processes given a redis-cluster:// URL (one seed node: the rest is
// discovered) deliver a room's messages to each other, on the room's shard when sharded.
void tst_RelayApp::runsOnAClusterUrl()
{
    QFETCH(QString, pubsub);
    QFETCH(bool, sharded);
    TestCluster *c = cluster();
    QVERIFY2(c->waitUntilHealthy(20000), qPrintable(c->errorString()));
    QProcess relays[2];
    quint16 ports[2] = {};
    for (int i = 0; i < 2; ++i) {
        QStringList args{u"--port"_s,        u"0"_s,
                         u"--bind"_s,        u"127.0.0.1"_s,
                         u"--redis"_s,       c->singleSeedUrl(),
                         u"--instance-id"_s, u"cluster-%1"_s.arg(i)};
        if (!pubsub.isEmpty())
            args << u"--cluster-pubsub"_s << pubsub;
        QVERIFY(startRelay(relays[i], args));
        QString log;
        ports[i] = waitForPort(relays[i], &log);
        QVERIFY2(ports[i] != 0, qPrintable(log));
    }
    const QString room = u"proc-"_s + (sharded ? u"s"_s : u"c"_s);
    const QByteArray channel = "room:" + room.toUtf8();
    TestClient a, b;
    QVERIFY(a.open(QUrl(u"ws://127.0.0.1:%1"_s.arg(ports[0]))));
    QVERIFY(b.open(QUrl(u"ws://127.0.0.1:%1"_s.arg(ports[1]))));
    QVERIFY(a.join(room));
    QVERIFY(b.join(room));
    RedisServer *owner = c->primaryOf(RedisClusterTopology::keySlot(channel));
    QVERIFY(owner);
    if (sharded) {
        QCOMPARE(owner->command({"PUBSUB", "SHARDNUMSUB", channel}).elements()[1].toInteger(), 2);
    } else {
        qint64 classic = 0; // each relay's classic subscriber sits on one node, any node
        for (RedisServer *node : c->nodes())
            classic += node->command({"PUBSUB", "NUMSUB", channel}).elements()[1].toInteger();
        QCOMPARE(classic, 2);
        QCOMPARE(owner->command({"PUBSUB", "SHARDNUMSUB", channel}).elements()[1].toInteger(), 0);
    }
    a.send(QJsonObject{
        {u"type"_s, u"message"_s}, {u"user"_s, u"a"_s}, {u"roomId"_s, room}, {u"text"_s, u"from a"_s}});
    const QJsonObject got =
        b.waitFor([](const QJsonObject &f) { return f.value(u"text"_s) == u"from a"_s; }, 10000);
    QVERIFY2(got.value(u"roomId"_s).toString() == room,
             qPrintable(b.rawFrames().join(u'\n') + u" / "_s + a.rawFrames().join(u'\n')));
    for (QProcess &relay : relays) {
        relay.terminate();
        QVERIFY(exitsWithin(relay, 5000));
        QCOMPARE(relay.exitCode(), 0);
    }
}

// Resident set size of a process, and its peak, in KiB (from /proc).
static qint64 statusKiB(qint64 pid, const char *field)
{
    QFile f(u"/proc/%1/status"_s.arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

void tst_RelayApp::memoryStaysFlatWithAClientThatNeverReads()
{
    // 64 MiB flow through a room with one reader and one client that stops reading. The relay
    // closes the stuck one at its outbound cap (1 MiB by default), and its peak RSS stays within
    // 32 MiB of where it started.
    constexpr qint64 BoundKiB = 32 * 1024;
    QProcess relay;
    // Under AddressSanitizer freed memory sits in a quarantine (256 MiB) instead of being reused,
    // which would be measured as growth; it is switched off for this process.
    QProcessEnvironment env = cleanEnv();
    env.insert(u"ASAN_OPTIONS"_s,
               env.value(u"ASAN_OPTIONS"_s) + u":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"_s);
    QVERIFY(startRelay(
        relay,
        {u"--port"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s, u"--in-process"_s, u"--rate-limit"_s, u"0"_s},
        env));
    QString log;
    const quint16 port = waitForPort(relay, &log);
    QVERIFY2(port != 0, qPrintable(log));

    TestClient sender;
    QVERIFY(sender.open(QUrl(u"ws://127.0.0.1:%1"_s.arg(port))));
    RawWebSocket reader, stuck;
    QVERIFY(reader.open(port));
    QVERIFY(stuck.open(port));
    qint64 readerBytes = 0;
    connect(&reader.socket(), &QTcpSocket::readyRead, this,
            [&] { readerBytes += reader.socket().readAll().size(); });
    const QByteArray join = RawWebSocket::textFrame(R"({"type":"join","roomId":"busy"})");
    reader.send(join);
    stuck.send(join);
    QTRY_VERIFY(readerBytes > 0 && stuck.socket().bytesAvailable() > 0); // both acks
    stuck.stopReading();

    const qint64 pid = relay.processId();
    const qint64 baseline = statusKiB(pid, "VmRSS:");
    QVERIFY(baseline > 0);
    const QString filler(16 * 1024, u'x');
    constexpr int Messages = 4096; // 64 MiB
    for (int sent = 0; sent < Messages; ++sent) {
        // The reader stays within 32 messages (512 KiB) of the sender, under the 1 MiB cap: on a
        // loaded machine this process may read late, and the relay must not close the reader too.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return sender.socket().bytesToWrite() < 512 * 1024 &&
                       readerBytes >= qint64(sent - 32) * 16 * 1024;
            },
            30000));
        sender.send(
            {{u"type"_s, u"message"_s}, {u"roomId"_s, u"busy"_s}, {u"user"_s, u"u"_s}, {u"text"_s, filler}});
    }
    // Everything reached the reader (16 KiB and a little framing per message).
    QTRY_VERIFY_WITH_TIMEOUT(readerBytes >= qint64(Messages) * 16 * 1024, 60000);
    const qint64 peak = statusKiB(pid, "VmHWM:");
    log += QString::fromUtf8(relay.readAllStandardError());
    qInfo() << "relay RSS: baseline" << baseline << "KiB, peak" << peak << "KiB while" << Messages * 16 / 1024
            << "MiB flowed";
    QVERIFY2(log.contains(u"is not reading"_s) && log.contains(u"closing with 4001"_s), qPrintable(log));
    QVERIFY2(peak - baseline < BoundKiB,
             qPrintable(u"peak %1 KiB, baseline %2 KiB"_s.arg(peak).arg(baseline)));
    relay.terminate();
    QVERIFY(exitsWithin(relay, 5000));
}

QTEST_MAIN(tst_RelayApp)
#include "tst_relayapp.moc"
