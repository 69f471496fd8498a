// SPDX-License-Identifier: MIT
#include "redisbus.h"
#include "redisserver.h"
#include "relaydirectory.h"
#include "relayserver.h"
#include "relaystatspublisher.h"
#include "testclient.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSysInfo>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RelayDirectory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void reportsRelaysPerChannel();
    void findsRelaysOfEveryPrefix();
    void expiresSilentRelays();
    void heartbeatCarriesLoad();
    void ratesNeedTwoHeartbeats_data();
    void ratesNeedTwoHeartbeats();
    void stoppedRemovesAtOnce();
    void invalidMessagesAreCounted_data();
    void invalidMessagesAreCounted();
    void namedConnection();
    void refusedPatternIsReported();

private:
    RelayServer *startRelay(const QString &instanceId, const QByteArray &prefix = {});
    TestClient *connectTo(RelayServer *relay);
    RedisConnectionOptions options() const;

    std::unique_ptr<RedisServer> m_redis;
    QList<QObject *> m_owned;
};

void tst_RelayDirectory::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_RelayDirectory::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
    m_redis.reset();
}

RedisConnectionOptions tst_RelayDirectory::options() const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    return o;
}

RelayServer *tst_RelayDirectory::startRelay(const QString &instanceId, const QByteArray &prefix)
{
    RedisConnectionOptions o = options();
    o.clientName = u"switchboard-relay:"_s + instanceId;
    auto *bus = new RedisBus(o);
    m_owned.append(bus);
    bus->start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = instanceId;
    so.channelPrefix = prefix;
    auto *server = new RelayServer(so, bus);
    m_owned.prepend(server);
    if (!server->listen())
        qWarning("listen failed");
    return server;
}

TestClient *tst_RelayDirectory::connectTo(RelayServer *relay)
{
    auto *c = new TestClient;
    m_owned.prepend(c);
    if (!c->open(relay->url()))
        qWarning("client could not connect");
    return c;
}

void tst_RelayDirectory::reportsRelaysPerChannel()
{
    RelayDirectory directory;
    QCOMPARE(directory.relaysFor("broadcast"), std::nullopt);
    QCOMPARE(directory.relayClientsFor("broadcast"), std::nullopt);
    directory.start(options());
    QTRY_VERIFY(directory.isListening());

    RelayServer *r1 = startRelay(u"r1"_s);
    RelayServer *r2 = startRelay(u"r2"_s);
    QVERIFY(connectTo(r1)->join(1));
    QVERIFY(connectTo(r1)->join(1));
    QVERIFY(connectTo(r2)->join(1));
    QVERIFY(connectTo(r2)->join(2));
    RelayStatsPublisher p1(r1, 100ms);
    RelayStatsPublisher p2(r2, 100ms);
    p1.start();
    p2.start();

    QTRY_COMPARE(directory.instanceCount(), 2);
    QTRY_COMPARE(directory.relayClientsFor("room:1"), std::optional<qint64>(3));
    QCOMPARE(directory.relaysFor("room:1"), std::optional<int>(2));
    QCOMPARE(directory.relaysFor("room:2"), std::optional<int>(1));
    QCOMPARE(directory.relayClientsFor("room:2"), std::optional<qint64>(1));
    QCOMPARE(directory.relaysFor("broadcast"), std::optional<int>(2));
    QCOMPARE(directory.relayClientsFor("broadcast"), std::optional<qint64>(4));
    QCOMPARE(directory.relaysFor("room:404"), std::optional<int>(0));
    QCOMPARE(directory.relayClientsFor("room:404"), std::optional<qint64>(0));
    const auto instances = directory.instances();
    QCOMPARE(instances.size(), 2);
    QCOMPARE(instances.first().instance, u"r1"_s);
    QCOMPARE(instances.first().clients, 2);
    QCOMPARE(instances.last().interval, 100ms);
    QCOMPARE(directory.invalidMessages(), 0u);
}

void tst_RelayDirectory::findsRelaysOfEveryPrefix()
{
    // One Redis shared by two applications and an unprefixed fleet; instance ids repeat across them.
    RelayDirectory directory;
    directory.start(options());
    QTRY_VERIFY(directory.isListening());
    RelayServer *chat = startRelay(u"relay-1"_s, "chat:"_ba);
    RelayServer *game = startRelay(u"relay-1"_s, "game:"_ba);
    RelayServer *plain = startRelay(u"relay-2"_s);
    QVERIFY(connectTo(chat)->join(1));
    QVERIFY(connectTo(game)->join(1));
    QVERIFY(connectTo(game)->join(1));
    QVERIFY(connectTo(plain)->join(1));
    RelayStatsPublisher p1(chat, 100ms);
    RelayStatsPublisher p2(game, 100ms);
    RelayStatsPublisher p3(plain, 100ms);
    p1.start();
    p2.start();
    p3.start();

    QTRY_COMPARE(directory.instanceCount(), 3);
    QTRY_COMPARE(directory.relayClientsFor("game:room:1"), std::optional<qint64>(2));
    QCOMPARE(directory.relaysFor("chat:room:1"), std::optional<int>(1));
    QCOMPARE(directory.relayClientsFor("chat:room:1"), std::optional<qint64>(1));
    QCOMPARE(directory.relaysFor("game:room:1"), std::optional<int>(1));
    QCOMPARE(directory.relaysFor("room:1"), std::optional<int>(1));
    QCOMPARE(directory.relayClientsFor("room:1"), std::optional<qint64>(1));
    QList<QByteArray> prefixes;
    for (const RelayInstanceStats &s : directory.instances())
        prefixes.append(s.prefix);
    QCOMPARE(prefixes, (QList<QByteArray>{"chat:", "game:", ""}));
    QCOMPARE(directory.invalidMessages(), 0u);

    // relay-stopped of one application's relay-1 leaves the other's.
    p1.publishStopped();
    QTRY_COMPARE(directory.instanceCount(), 2);
    QCOMPARE(directory.relaysFor("game:room:1"), std::optional<int>(1));
    QCOMPARE(directory.relaysFor("chat:room:1"), std::optional<int>(0));
}

void tst_RelayDirectory::expiresSilentRelays()
{
    RelayDirectory directory;
    directory.start(options());
    QTRY_VERIFY(directory.isListening());
    RelayServer *r1 = startRelay(u"quiet"_s);
    RelayServer *r2 = startRelay(u"chatty"_s);
    RelayStatsPublisher p1(r1, 100ms);
    RelayStatsPublisher p2(r2, 100ms);
    p1.start();
    p2.start();
    QTRY_COMPARE(directory.instanceCount(), 2);

    directory.setRemovalFactor(8);
    QTRY_COMPARE(directory.relaysFor("broadcast"), std::optional<int>(2));

    QElapsedTimer silence;
    p1.stop(); // no relay-stopped: only the silence tells
    silence.start();
    QSignalSpy changed(&directory, &RelayDirectory::changed);
    // Stale first: still listed, no longer counted. (Sorted by id: chatty, quiet.)
    QTRY_VERIFY_WITH_TIMEOUT(directory.instances().last().stale, 5000);
    QVERIFY2(silence.elapsed() >= 200, "stale before 3x the interval"); // 300 ms minus one in flight
    QCOMPARE(directory.instances().last().instance, u"quiet"_s);
    QCOMPARE(directory.instanceCount(), 2);
    QCOMPARE(directory.relaysFor("broadcast"), std::optional<int>(1));
    QVERIFY(!directory.instances().first().stale);
    QVERIFY(!changed.isEmpty());
    // Then dropped after the removal factor's intervals.
    QTRY_COMPARE_WITH_TIMEOUT(directory.instanceCount(), 1, 5000);
    QVERIFY2(silence.elapsed() >= 700, "dropped before 8x the interval");
    QCOMPARE(directory.instances().first().instance, u"chatty"_s);

    p2.stop();
    QTRY_COMPARE_WITH_TIMEOUT(directory.instanceCount(), 0, 5000);
    QCOMPARE(directory.relaysFor("broadcast"), std::nullopt);
}

void tst_RelayDirectory::heartbeatCarriesLoad()
{
    RelayDirectory directory;
    directory.start(options());
    QTRY_VERIFY(directory.isListening());
    RelayServer *relay = startRelay(u"loaded"_s);
    TestClient *alice = connectTo(relay);
    TestClient *bob = connectTo(relay);
    QVERIFY(alice->join(u"lobby"_s));
    QVERIFY(bob->join(u"lobby"_s));
    // A console's canary: left out of clients, rooms' audiences and the busiest clients.
    auto *canary = new TestClient;
    m_owned.prepend(canary);
    QUrl canaryUrl = relay->url();
    canaryUrl.setQuery(u"switchboard=canary"_s);
    QVERIFY(canary->open(canaryUrl));
    QVERIFY(canary->join(u"switchboard-canary"_s));
    QVERIFY(canary->join(u"lobby"_s));
    for (int i = 0; i < 5; ++i)
        alice->send({{u"type"_s, u"message"_s},
                     {u"roomId"_s, u"lobby"_s},
                     {u"user"_s, u"alice"_s},
                     {u"text"_s, u"hi %1"_s.arg(i)}});
    QTRY_COMPARE(bob->count([](const QJsonObject &f) { return f.value("type"_L1) == "message"_L1; }), 5);

    RelayStatsPublisher publisher(relay, 150ms);
    publisher.start();
    QTRY_VERIFY(directory.instanceCount() == 1 && directory.instances().first().framesInPerSecond >= 0);
    const RelayInstanceStats s = directory.instances().first();
    QCOMPARE(s.clients, 2);
    QCOMPARE(s.canaries, 1);
    QCOMPARE(s.channels.value("broadcast"), 2);
    QCOMPARE(s.channels.value("room:lobby"), 2);
    QVERIFY2(!s.channels.contains("room:switchboard-canary"), "a room of canaries only is not an audience");
    QCOMPARE(s.rooms, 2);
    QCOMPARE(s.version, QStringLiteral(SWITCHBOARD_VERSION));
    QCOMPARE(s.host, QSysInfo::machineHostName());
    QCOMPARE(s.pid, QCoreApplication::applicationPid());
    QVERIFY(s.startedAt.isValid() && s.startedAt <= QDateTime::currentDateTimeUtc());
    QCOMPARE(s.url, relay->url().toString()); // bound to loopback: advertised as it listens
    QCOMPARE(s.listenUrl, relay->url().toString());
    QVERIFY2(s.traffic.framesIn >= 4 + 5, "four joins and five messages");
    QVERIFY(s.traffic.framesOut >= 5);
    QCOMPARE(s.traffic.published, quint64(5));
    QCOMPARE(s.maxOutboundBytes, relay->options().limits.maxOutboundBytes);
    QCOMPARE(s.queuedBytes, 0);
    QCOMPARE(s.topClients.size(), 2);
    QVERIFY(s.topClients.first().framesIn + s.topClients.first().framesOut >=
            s.topClients.last().framesIn + s.topClients.last().framesOut);
    QCOMPARE(s.topClients.first().rooms, 1);
    QVERIFY(s.topClients.first().connectedAt.isValid());
    QVERIFY(s.busConnected());
    QCOMPARE(s.bus.value("connected"_L1).toBool(), true);
    QVERIFY(s.protection.contains("slowConsumerCloses"_L1));
    QVERIFY(!s.stale);
    QCOMPARE(directory.instance(s.key)->instance, u"loaded"_s);
    QCOMPARE(directory.instance(u"nope"_s), std::nullopt);
}

void tst_RelayDirectory::ratesNeedTwoHeartbeats_data()
{
    QTest::addColumn<qint64>("secondStartedAt");
    QTest::addColumn<qint64>("secondFramesIn");
    QTest::addColumn<double>("expectedInRate");
    QTest::newRow("steady") << qint64(1000) << qint64(300) << 100.0;
    QTest::newRow("restarted: other start") << qint64(5000) << qint64(300) << -1.0;
    QTest::newRow("counters went back") << qint64(1000) << qint64(10) << -1.0;
}

void tst_RelayDirectory::ratesNeedTwoHeartbeats()
{
    QFETCH(qint64, secondStartedAt);
    QFETCH(qint64, secondFramesIn);
    QFETCH(double, expectedInRate);
    RelayDirectory directory;
    const auto beat = [](qint64 at, qint64 startedAt, qint64 framesIn) {
        return uR"({"type":"relay-stats","instance":"r","clients":1,"channels":{},"interval":1000,"at":%1,)"
               uR"("startedAt":%2,"traffic":{"framesIn":%3,"framesOut":%3,"busMessages":0}})"_s.arg(at)
                   .arg(startedAt)
                   .arg(framesIn)
                   .toUtf8();
    };
    directory.handlePayload(beat(100000, 1000, 100));
    QCOMPARE(directory.instances().first().framesInPerSecond, -1.0);
    directory.handlePayload(beat(102000, secondStartedAt, secondFramesIn));
    QCOMPARE(directory.instances().first().framesInPerSecond, expectedInRate);
    QCOMPARE(directory.invalidMessages(), 0u);
}

void tst_RelayDirectory::stoppedRemovesAtOnce()
{
    RelayDirectory directory;
    directory.start(options());
    QTRY_VERIFY(directory.isListening());
    RelayServer *r1 = startRelay(u"leaving"_s);
    RelayStatsPublisher p1(r1, 60s); // would not expire during the test
    p1.start();
    QTRY_COMPARE(directory.instanceCount(), 1);
    p1.publishStopped();
    QTRY_COMPARE_WITH_TIMEOUT(directory.instanceCount(), 0, 2000);
}

void tst_RelayDirectory::invalidMessagesAreCounted_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("not json") << "{nope"_ba;
    QTest::newRow("array") << "[1,2]"_ba;
    QTest::newRow("scalar") << "42"_ba;
    QTest::newRow("unknown type") << R"({"type":"hello","instance":"x"})"_ba;
    QTest::newRow("no instance") << R"({"type":"relay-stats","channels":{}})"_ba;
    QTest::newRow("binary") << QByteArray("\xff\x00\xfe", 3);
}

void tst_RelayDirectory::invalidMessagesAreCounted()
{
    QFETCH(QByteArray, payload);
    RelayDirectory directory;
    directory.start(options());
    QTRY_VERIFY(directory.isListening());
    m_redis->command({"PUBLISH", RelayStatsPublisher::channel(), payload});
    // A valid one after it proves the bad one was processed (messages arrive in order).
    m_redis->command(
        {"PUBLISH", RelayStatsPublisher::channel(),
         R"({"type":"relay-stats","instance":"ok","clients":1,"channels":{"c":1},"interval":60000})"});
    QTRY_COMPARE(directory.instanceCount(), 1);
    QCOMPARE(directory.invalidMessages(), 1u);
    QCOMPARE(directory.relayClientsFor("c"), std::optional<qint64>(1));
}

void tst_RelayDirectory::namedConnection()
{
    RelayDirectory directory;
    directory.start(options());
    QTRY_VERIFY(directory.isListening());
    const QByteArray list = m_redis->command({"CLIENT", "LIST"}).bytes();
    QVERIFY2(list.contains("name=switchboard-console:directory"), list.constData());
    directory.stop();
    QVERIFY(!directory.isRunning());
}

void tst_RelayDirectory::refusedPatternIsReported()
{
    // A console user limited to one application's channels may not watch every prefix.
    const RedisValue acl =
        m_redis->command({"ACL", "SETUSER", "console", "on", ">pw", "+@all", "resetchannels", "&app:*"});
    QVERIFY2(!acl.isError(), acl.bytes().constData());
    RedisConnectionOptions o = options();
    QUrl url(m_redis->url());
    url.setUserName(u"console"_s);
    url.setPassword(u"pw"_s);
    o.url = RedisUrl::parse(url.toString());
    RelayDirectory directory;
    QSignalSpy changed(&directory, &RelayDirectory::changed);
    directory.start(o);
    QVERIFY(changed.wait(5000));
    QVERIFY2(directory.error().startsWith("NOPERM"_L1), qPrintable(directory.error()));
    QVERIFY(!directory.isListening());
    QVERIFY(directory.isRunning());
}

QTEST_MAIN(tst_RelayDirectory)
#include "tst_relaydirectory.moc"
