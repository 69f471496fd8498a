// SPDX-License-Identifier: MIT
#include "canaryclient.h"
#include "canaryhistory.h"
#include "canarymonitor.h"
#include "canaryprobe.h"
#include "canarystatusmodel.h"
#include "localbus.h"
#include "redisbus.h"
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "relaydirectory.h"
#include "relayprocess.h"
#include "relayserver.h"
#include "relaystatspublisher.h"
#include "testcluster.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// One in-process relay on its own Redis bus with a heartbeat every 200 ms.
struct Relay
{
    RedisBus *bus = nullptr;
    RelayServer *server = nullptr;
    RelayStatsPublisher *heartbeat = nullptr;

    void destroy()
    {
        delete std::exchange(heartbeat, nullptr);
        delete std::exchange(server, nullptr);
        delete std::exchange(bus, nullptr);
    }
};

} // namespace

class tst_CanaryMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void canaryUrlAddsTheMark_data();
    void canaryUrlAddsTheMark();
    void probeCarriesTheMarks();
    void measuresEveryRelay();
    void stoppedRelayTurnsUnreachable();
    void readOnlyPublishesNothing();
    void autoStartSetting();
    void intervalIsClamped();
    void stoppedMonitorForgetsLeftRelays();
    void relayWantingTokenIsUnreachable();
    void deafRelayTurnsMissing();
    void killedRelayProcessTurnsUnreachable();
    void clusterRelaysOfBothKindsGetProbes();

private:
    Relay startRelay(const QString &instanceId, const QByteArray &secret = {},
                     const QStringList &allowedOrigins = {});
    RedisConnectionOptions options() const;
    // A monitor on a running directory and a command connection, probing every 200 ms.
    std::unique_ptr<CanaryMonitor> makeMonitor();

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<RelayDirectory> m_directory;
    std::unique_ptr<RedisConnection> m_connection;
    QList<Relay> m_relays;
};

void tst_CanaryMonitor::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_directory = std::make_unique<RelayDirectory>();
    m_directory->start(options());
    QTRY_VERIFY_WITH_TIMEOUT(m_directory->isListening(), 10000);
    m_connection = std::make_unique<RedisConnection>(options());
    m_connection->open();
    QTRY_VERIFY_WITH_TIMEOUT(m_connection->isReady(), 10000);
}

void tst_CanaryMonitor::cleanup()
{
    for (Relay &r : m_relays)
        r.destroy();
    m_relays.clear();
    m_connection.reset();
    m_directory.reset();
    m_redis.reset();
}

RedisConnectionOptions tst_CanaryMonitor::options() const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    return o;
}

Relay tst_CanaryMonitor::startRelay(const QString &instanceId, const QByteArray &secret,
                                    const QStringList &allowedOrigins)
{
    RedisConnectionOptions o = options();
    o.clientName = u"switchboard-relay:"_s + instanceId;
    Relay r;
    r.bus = new RedisBus(o);
    r.bus->start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = instanceId;
    so.auth.jwtSecret = secret;
    so.auth.allowedOrigins = allowedOrigins;
    r.server = new RelayServer(so, r.bus);
    if (!r.server->listen())
        qWarning("listen failed");
    r.heartbeat = new RelayStatsPublisher(r.server, 200ms);
    r.heartbeat->start();
    m_relays.append(r);
    return r;
}

std::unique_ptr<CanaryMonitor> tst_CanaryMonitor::makeMonitor()
{
    auto monitor = std::make_unique<CanaryMonitor>(m_directory.get());
    monitor->setInterval(200ms);
    monitor->setConnection(m_connection.get());
    return monitor;
}

void tst_CanaryMonitor::canaryUrlAddsTheMark_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"ws://127.0.0.1:3000"_s << u"ws://127.0.0.1:3000?switchboard=canary"_s;
    QTest::newRow("path") << u"wss://relay.example.com/ws"_s
                          << u"wss://relay.example.com/ws?switchboard=canary"_s;
    QTest::newRow("query kept") << u"ws://h:1/?a=b"_s << u"ws://h:1/?a=b&switchboard=canary"_s;
    QTest::newRow("mark once") << u"ws://h:1?switchboard=x"_s << u"ws://h:1?switchboard=canary"_s;
}

void tst_CanaryMonitor::canaryUrlAddsTheMark()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(CanaryClient::canaryUrl(QUrl(url)).toString(), expected);
}

void tst_CanaryMonitor::probeCarriesTheMarks()
{
    const QByteArray payload = CanaryProbe::payload("switchboard-canary-abc", 41, 1'700'000'000'123);
    const QJsonObject o = QJsonDocument::fromJson(payload).object();
    QCOMPARE(o.value("type"_L1).toString(), u"message"_s);
    QCOMPARE(o.value("user"_L1).toString(), u"switchboard-canary"_s);
    QCOMPARE(o.value("roomId"_L1).toString(), u"switchboard-canary"_s);
    QCOMPARE(o.value("canary"_L1).toBool(), true);
    QCOMPARE(o.value("seq"_L1).toInteger(), 41);
    QCOMPARE(o.value("timestamp"_L1).toInteger(), 1'700'000'000'123);
    QCOMPARE(o.value("id"_L1).toString(), u"switchboard-canary-abc-15"_s); // 41 in base 36
    QCOMPARE(o.value("relay"_L1).toString(), u"switchboard-canary-abc"_s);
    QVERIFY(payload.startsWith(R"({"type":"message","user":"switchboard-canary",)"));
    QVERIFY(payload.endsWith(R"("relay":"switchboard-canary-abc"})")); // relays' repeat check applies
    const auto parsed = CanaryProbe::parse(payload);
    QVERIFY(parsed);
    QCOMPARE(parsed->seq, 41u);
    QCOMPARE(parsed->origin, "switchboard-canary-abc"_ba);
    QVERIFY(!CanaryProbe::parse(R"({"type":"message","user":"a","text":"canary","roomId":"x"})"));
    QVERIFY(!CanaryProbe::parse("not json \"canary\":true"));
    QCOMPARE(CanaryProbe::channel("chat:"), "chat:room:switchboard-canary"_ba);
}

void tst_CanaryMonitor::measuresEveryRelay()
{
    startRelay(u"relay-a"_s);
    startRelay(u"relay-b"_s);
    auto monitor = makeMonitor();
    CanaryStatusModel model(monitor.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->isRunning(), 10000); // started by default once relays are listed
    QVERIFY(monitor->isActive());
    for (const QString &id : {u"relay-a"_s, u"relay-b"_s}) {
        QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, id).received >= 5, 30000);
        const CanaryStatus s = monitor->status({}, id);
        QCOMPARE(s.state, CanaryState::Ok);
        QCOMPARE(s.lost, 0u);
        QVERIFY(s.p50 >= 0);
        QVERIFY(s.p99 >= s.p50);
        QVERIFY(s.sent >= s.received);
        QVERIFY(s.lastReceived.isValid());
        QVERIFY(s.url.startsWith("ws://127.0.0.1:"_L1));
    }
    QCOMPARE(monitor->statuses().size(), 2);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0, CanaryStatusModel::Relay)).toString(), u"relay-a"_s);
    QCOMPARE(model.data(model.index(1, CanaryStatusModel::State), CanaryStatusModel::StateRole).toInt(),
             int(CanaryState::Ok));
    QTRY_VERIFY_WITH_TIMEOUT(
        monitor->history()->points(u"relay-a"_s, CanaryHistory::Percentile::P99).size() >= 2, 10000);
    QCOMPARE(monitor->history()->relays(), (QStringList{u"relay-a"_s, u"relay-b"_s}));
    QVERIFY(monitor->probesPublished() > 0);
    QVERIFY(monitor->publishError().isEmpty());

    monitor->stop();
    QVERIFY(!monitor->isRunning());
    QCOMPARE(monitor->status({}, u"relay-a"_s).state, CanaryState::Off);
    QVERIFY(!monitor->status({}, u"relay-a"_s).reason.isEmpty());
}

void tst_CanaryMonitor::stoppedRelayTurnsUnreachable()
{
    startRelay(u"relay-a"_s);
    startRelay(u"relay-b"_s);
    auto monitor = makeMonitor();
    monitor->setDropAfter(1s);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"relay-a"_s).received >= 3, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"relay-b"_s).received >= 3, 30000);

    m_relays[1].destroy(); // relay-b is gone: its socket closes, its heartbeats stop
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"relay-b"_s).state == CanaryState::Unreachable ||
                                 monitor->status({}, u"relay-b"_s).state == CanaryState::Missing,
                             10000);
    QVERIFY(!monitor->status({}, u"relay-b"_s).reason.isEmpty());
    const quint64 before = monitor->status({}, u"relay-a"_s).received;
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"relay-a"_s).received >= before + 3, 30000);
    QCOMPARE(monitor->status({}, u"relay-a"_s).state, CanaryState::Ok);
    QCOMPARE(monitor->status({}, u"relay-a"_s).lost, 0u);

    // Out of the directory (3 missed heartbeats), then dropped after a while.
    QTRY_VERIFY_WITH_TIMEOUT(!monitor->status({}, u"relay-b"_s).inDirectory, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(monitor->statuses().size(), 1, 10000);
    QCOMPARE(monitor->statuses().first().instance, u"relay-a"_s);
    QTRY_COMPARE_WITH_TIMEOUT(monitor->history()->relays(), QStringList{u"relay-a"_s}, 10000);
}

void tst_CanaryMonitor::readOnlyPublishesNothing()
{
    RedisSubscriber listener(options());
    QList<QByteArray> heard;
    connect(&listener, &RedisSubscriber::message, this,
            [&heard](const QByteArray &, const QByteArray &payload) { heard.append(payload); });
    QSignalSpy subscribed(&listener, &RedisSubscriber::subscribed);
    listener.subscribe(CanaryProbe::channel({}));
    listener.open();
    QVERIFY(subscribed.wait(10000));

    startRelay(u"relay-a"_s);
    auto monitor = std::make_unique<CanaryMonitor>(m_directory.get());
    monitor->setInterval(200ms);
    monitor->setReadOnly(true, u"production"_s);
    monitor->setConnection(m_connection.get());
    QSignalSpy changed(monitor.get(), &CanaryMonitor::changed);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->isRunning(), 10000);
    QVERIFY(!monitor->isActive());
    QVERIFY(monitor->offReason().contains("read-only"_L1));
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 5, 20000); // several probe intervals went by
    QCOMPARE(monitor->probesPublished(), 0u);
    QCOMPARE(monitor->status({}, u"relay-a"_s).state, CanaryState::Off);
    QVERIFY(monitor->status({}, u"relay-a"_s).reason.contains("production"_L1));
    QCOMPARE(monitor->status({}, u"relay-a"_s).sent, 0u);

    // The same monitor on a writable profile: the listener hears marked probes.
    QVERIFY(heard.isEmpty());
    monitor->setReadOnly(false);
    QTRY_VERIFY_WITH_TIMEOUT(!heard.isEmpty(), 10000);
    const auto probe = CanaryProbe::parse(heard.first());
    QVERIFY(probe);
    QCOMPARE(probe->origin, monitor->origin());
    QVERIFY(heard.first().contains(R"("user":"switchboard-canary")"));
}

void tst_CanaryMonitor::autoStartSetting()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"console.ini"_s), QSettings::IniFormat);
    {
        CanaryMonitor monitor(m_directory.get());
        monitor.setSettings(&settings);
        QVERIFY(monitor.autoStart());
        monitor.setAutoStart(false);
        monitor.setInterval(750ms);
    }
    QCOMPARE(settings.value(u"canaries/autoStart"_s).toBool(), false);
    startRelay(u"relay-a"_s);
    CanaryMonitor monitor(m_directory.get());
    monitor.setSettings(&settings);
    monitor.setConnection(m_connection.get());
    QCOMPARE(monitor.interval(), 750ms);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.statuses().size(), 1, 10000);
    QVERIFY(!monitor.isRunning());
    QCOMPARE(monitor.status({}, u"relay-a"_s).state, CanaryState::Off);
    monitor.start(); // on request
    QVERIFY(monitor.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(monitor.status({}, u"relay-a"_s).state, CanaryState::Ok, 30000);
}

void tst_CanaryMonitor::intervalIsClamped()
{
    CanaryMonitor monitor(nullptr);
    QCOMPARE(monitor.interval(), 1000ms);
    QCOMPARE(monitor.timeout(), 5000ms);
    monitor.setInterval(10ms);
    QCOMPARE(monitor.interval(), CanaryMonitor::MinInterval);
    monitor.setInterval(10min);
    QCOMPARE(monitor.interval(), CanaryMonitor::MaxInterval);
    QVERIFY(monitor.statuses().isEmpty());
    QCOMPARE(monitor.status(u"p:"_s, u"x"_s).state, CanaryState::Off);
}

void tst_CanaryMonitor::stoppedMonitorForgetsLeftRelays()
{
    CanaryMonitor monitor(m_directory.get());
    monitor.setAutoStart(false);
    monitor.setConnection(m_connection.get());
    startRelay(u"brief"_s);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.statuses().size(), 1, 10000);
    QCOMPARE(monitor.statuses().first().state, CanaryState::Off);
    m_relays[0].destroy();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.statuses().isEmpty(), 10000); // not kept: nothing was measured
    QVERIFY(!monitor.isRunning());
}

void tst_CanaryMonitor::relayWantingTokenIsUnreachable()
{
    startRelay(u"locked"_s, "0123456789abcdef0123456789abcdef");
    startRelay(u"open"_s);
    startRelay(u"origins"_s, {}, {u"https://app.example.com"_s}); // the canary sends no Origin
    auto monitor = makeMonitor();
    QTRY_COMPARE_WITH_TIMEOUT(monitor->status({}, u"locked"_s).state, CanaryState::Unreachable, 20000);
    QVERIFY2(monitor->status({}, u"locked"_s).reason.contains("token"_L1),
             qPrintable(monitor->status({}, u"locked"_s).reason));
    QTRY_COMPARE_WITH_TIMEOUT(monitor->status({}, u"open"_s).state, CanaryState::Ok, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(monitor->status({}, u"origins"_s).state, CanaryState::Ok, 30000);
}

void tst_CanaryMonitor::deafRelayTurnsMissing()
{
    // A relay that accepts the canary and confirms its join but hears nothing from this Redis: a relay on
    // an in-process bus, listed through a heartbeat fed to the directory by hand.
    LocalBus bus;
    bus.start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = u"deaf"_s;
    RelayServer deaf(so, &bus);
    QVERIFY(deaf.listen());
    startRelay(u"healthy"_s);
    auto monitor = makeMonitor();
    monitor->setTimeout(1s);
    const QJsonObject heartbeat{{u"type"_s, u"relay-stats"_s},
                                {u"instance"_s, u"deaf"_s},
                                {u"url"_s, deaf.url().toString()},
                                {u"interval"_s, 600'000},
                                {u"at"_s, QDateTime::currentMSecsSinceEpoch()}};
    m_directory->handlePayload(QJsonDocument(heartbeat).toJson(QJsonDocument::Compact));
    // Missing as soon as a probe is overdue, then for every probe lost in the window.
    QTRY_COMPARE_WITH_TIMEOUT(monitor->status({}, u"deaf"_s).state, CanaryState::Missing, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"deaf"_s).lost > 0, 10000);
    const CanaryStatus s = monitor->status({}, u"deaf"_s);
    QCOMPARE(s.state, CanaryState::Missing);
    QCOMPARE(s.received, 0u);
    QCOMPARE(s.p50, -1.0);
    QVERIFY2(s.reason.contains("lost"_L1), qPrintable(s.reason));
    QVERIFY(s.lossPercent() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"healthy"_s).received >= 3, 30000);
    QCOMPARE(monitor->status({}, u"healthy"_s).state, CanaryState::Ok);
}

void tst_CanaryMonitor::killedRelayProcessTurnsUnreachable()
{
    QVERIFY2(QFile::exists(RelayProcess::binary()),
             "SWITCHBOARD_RELAY_BINARY must point at switchboard-relay");
    RelayProcess first;
    RelayProcess second;
    for (auto [process, id] : {std::pair{&first, u"process-1"_s}, std::pair{&second, u"process-2"_s}}) {
        QVERIFY2(process->start(
                     {u"--redis"_s, m_redis->url(), u"--instance-id"_s, id, u"--stats-interval"_s, u"1"_s}),
                 qPrintable(process->log()));
    }
    auto monitor = makeMonitor();
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"process-1"_s).received >= 3, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"process-2"_s).received >= 3, 30000);
    QCOMPARE(monitor->status({}, u"process-2"_s).lost, 0u);

    second.kill(); // SIGKILL: no close frame, no relay-stopped
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"process-2"_s).state == CanaryState::Unreachable ||
                                 monitor->status({}, u"process-2"_s).state == CanaryState::Missing,
                             15000);
    const quint64 before = monitor->status({}, u"process-1"_s).received;
    QTRY_VERIFY_WITH_TIMEOUT(monitor->status({}, u"process-1"_s).received >= before + 3, 30000);
    QCOMPARE(monitor->status({}, u"process-1"_s).state, CanaryState::Ok);
    QCOMPARE(monitor->status({}, u"process-1"_s).lost, 0u);
}

void tst_CanaryMonitor::clusterRelaysOfBothKindsGetProbes()
{
    // On a Cluster a relay in sharded mode SSUBSCRIBEs on the room's shard and a classic one SUBSCRIBEs:
    // each must get every probe, once.
    TestCluster cluster(3, 0);
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    RedisConnectionOptions clusterOptions;
    clusterOptions.url = RedisUrl::parse(cluster.url());
    RedisClusterConnection clusterConnection(clusterOptions);
    clusterConnection.open();
    QTRY_VERIFY_WITH_TIMEOUT(clusterConnection.isReady(), 20000);
    RedisConnectionOptions seed;
    seed.url = RedisUrl::parse(cluster.nodes().first()->url());
    RelayDirectory directory;
    directory.start(seed);
    directory.followSharded(&clusterConnection);
    QTRY_VERIFY_WITH_TIMEOUT(directory.isListening(), 10000);

    QList<Relay> relays;
    for (const auto mode :
         {RedisBusOptions::ClusterPubSub::Sharded, RedisBusOptions::ClusterPubSub::Classic}) {
        const bool sharded = mode == RedisBusOptions::ClusterPubSub::Sharded;
        RedisBusOptions bo;
        bo.clusterPubSub = mode;
        Relay r;
        r.bus = new RedisBus(clusterOptions, bo);
        r.bus->start();
        RelayServerOptions so;
        so.bindAddress = QHostAddress::LocalHost;
        so.port = 0;
        so.instanceId = sharded ? u"sharded"_s : u"classic"_s;
        r.server = new RelayServer(so, r.bus);
        QVERIFY(r.server->listen());
        r.heartbeat = new RelayStatsPublisher(r.server, 200ms);
        r.heartbeat->start();
        relays.append(r);
        m_relays.append(r); // cleanup() deletes them
    }
    CanaryMonitor monitor(&directory);
    monitor.setInterval(200ms);
    monitor.setConnection(nullptr, &clusterConnection);
    for (const QString &id : {u"sharded"_s, u"classic"_s}) {
        QTRY_VERIFY_WITH_TIMEOUT(monitor.status({}, id).received >= 5, 30000);
        QCOMPARE(monitor.status({}, id).state, CanaryState::Ok);
        QCOMPARE(monitor.status({}, id).lost, 0u);
    }
    QVERIFY(monitor.publishError().isEmpty());
    for (Relay &r : m_relays)
        r.destroy(); // before the Cluster goes
    m_relays.clear();
}

QTEST_MAIN(tst_CanaryMonitor)
#include "tst_canarymonitor.moc"
