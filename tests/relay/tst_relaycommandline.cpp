// SPDX-License-Identifier: MIT
#include "relaycommandline.h"
#include "testenvironment.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Outcome = RelayCommandLine::Outcome;
using BusMode = RelayCommandLine::BusMode;

Q_DECLARE_METATYPE(RelayCommandLine::BusMode)

class tst_RelayCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void statsInterval_data();
    void statsInterval();
    void redisHeartbeat_data();
    void redisHeartbeat();
    void subscriberProbe_data();
    void subscriberProbe();
    void help();
    void limits();
    void eventLoop_data();
    void eventLoop();
    void sessions_data();
    void sessions();
    void history_data();
    void history();
    void admin_data();
    void admin();
    void presence_data();
    void presence();
    void presenceErrors_data();
    void presenceErrors();
    void demoPage_data();
    void demoPage();
};

void tst_RelayCommandLine::valid_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<int>("port");
    QTest::addColumn<BusMode>("bus");
    QTest::addColumn<QString>("redis");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<int>("pingMs");

    QTest::newRow("defaults") << QStringList{} << QStringList{} << 3000 << BusMode::Auto
                              << u"redis://127.0.0.1:6379"_s << ""_ba << 30000;
    QTest::newRow("env PORT") << QStringList{} << QStringList{u"PORT=8080"_s} << 8080 << BusMode::Auto
                              << u"redis://127.0.0.1:6379"_s << ""_ba << 30000;
    QTest::newRow("--port beats PORT")
        << QStringList{u"--port"_s, u"9000"_s} << QStringList{u"PORT=8080"_s} << 9000 << BusMode::Auto
        << u"redis://127.0.0.1:6379"_s << ""_ba << 30000;
    QTest::newRow("port 0") << QStringList{u"-p"_s, u"0"_s} << QStringList{} << 0 << BusMode::Auto
                            << u"redis://127.0.0.1:6379"_s << ""_ba << 30000;
    QTest::newRow("REDIS_URL") << QStringList{} << QStringList{u"REDIS_URL=redis://r:1"_s} << 3000
                               << BusMode::Redis << u"redis://r:1"_s << ""_ba << 30000;
    QTest::newRow("seed REDIS_HOST") << QStringList{} << QStringList{u"REDIS_HOST=cache"_s} << 3000
                                     << BusMode::Redis << u"redis://cache:6379"_s << ""_ba << 30000;
    QTest::newRow("--redis beats env")
        << QStringList{u"--redis"_s, u"redis://a:2"_s} << QStringList{u"REDIS_URL=redis://r:1"_s} << 3000
        << BusMode::Redis << u"redis://a:2"_s << ""_ba << 30000;
    QTest::newRow("in-process") << QStringList{u"--in-process"_s} << QStringList{u"REDIS_URL=redis://r:1"_s}
                                << 3000 << BusMode::InProcess << u""_s << ""_ba << 30000;
    QTest::newRow("prefix") << QStringList{u"--channel-prefix"_s, u"app:chat:"_s} << QStringList{} << 3000
                            << BusMode::Auto << u"redis://127.0.0.1:6379"_s << "app:chat:"_ba << 30000;
    QTest::newRow("ping fraction") << QStringList{u"--ping-interval"_s, u"0.5"_s} << QStringList{} << 3000
                                   << BusMode::Auto << u"redis://127.0.0.1:6379"_s << ""_ba << 500;
    QTest::newRow("ping off") << QStringList{u"--ping-interval=0"_s} << QStringList{} << 3000 << BusMode::Auto
                              << u"redis://127.0.0.1:6379"_s << ""_ba << 0;
    QTest::newRow("cluster --redis")
        << QStringList{u"--redis"_s, u"redis-cluster://a:7000,b:7001"_s} << QStringList{} << 3000 << BusMode::Redis
        << u"redis-cluster://a:7000,b:7001"_s << ""_ba << 30000;
    QTest::newRow("cluster REDIS_URL, classic")
        << QStringList{u"--cluster-pubsub"_s, u"classic"_s} << QStringList{u"REDIS_URL=redis-cluster://a:7000"_s}
        << 3000 << BusMode::Redis << u"redis-cluster://a:7000"_s << ""_ba << 30000;
    QTest::newRow("sentinel --redis")
        << QStringList{u"--redis"_s, u"redis-sentinel://:pw@s1:26379,s2:26380/2#mymaster"_s} << QStringList{} << 3000
        << BusMode::Redis << u"redis-sentinel://:pw@s1:26379,s2:26380/2#mymaster"_s << ""_ba << 30000;
    QTest::newRow("sentinel REDIS_URL") << QStringList{} << QStringList{u"REDIS_URL=rediss-sentinel://s#m"_s} << 3000
                                        << BusMode::Redis << u"rediss-sentinel://s:26379#m"_s << ""_ba << 30000;
}

void tst_RelayCommandLine::valid()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(BusMode, bus);
    const RelayCommandLine r =
        RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, environmentFrom(env));
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(int(r.server.port), "port");
    QCOMPARE(r.busMode, bus);
    if (bus != BusMode::InProcess)
        QTEST(r.redis.toString(), "redis");
    QTEST(r.server.channelPrefix, "prefix");
    QTEST(int(r.server.pingInterval.count()), "pingMs");
    QVERIFY(!r.server.instanceId.isEmpty());
    QCOMPARE(r.outage.clusterPubSub, args.contains(u"classic"_s) ? RedisBusOptions::ClusterPubSub::Classic
                                                                 : RedisBusOptions::ClusterPubSub::Sharded);
}

void tst_RelayCommandLine::invalid_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<QString>("error");

    QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << QStringList{} << u"Unknown option"_s;
    QTest::newRow("missing value") << QStringList{u"--port"_s} << QStringList{} << u"Missing value"_s;
    QTest::newRow("demo page takes no value")
        << QStringList{u"--demo-page=yes"_s} << QStringList{} << u"Unexpected value after '--demo-page'"_s;
    QTest::newRow("port text") << QStringList{u"--port"_s, u"http"_s} << QStringList{}
                               << u"--port: invalid port 'http'"_s;
    QTest::newRow("port too big") << QStringList{u"--port"_s, u"65536"_s} << QStringList{}
                                  << u"invalid port '65536'"_s;
    QTest::newRow("bad PORT env") << QStringList{} << QStringList{u"PORT=-1"_s}
                                  << u"PORT: invalid port '-1'"_s;
    QTest::newRow("bad bind") << QStringList{u"--bind"_s, u"example.com"_s} << QStringList{}
                              << u"--bind: 'example.com'"_s;
    QTest::newRow("advertise http") << QStringList{u"--advertise-url"_s, u"http://relay:3000"_s}
                                    << QStringList{}
                                    << u"--advertise-url: 'http://relay:3000' is not a ws:// or wss:// URL"_s;
    QTest::newRow("advertise no host") << QStringList{} << QStringList{u"SWITCHBOARD_ADVERTISE_URL=ws://"_s}
                                       << u"--advertise-url: 'ws://'"_s;
    QTest::newRow("bad redis") << QStringList{u"--redis"_s, u"redis://h:99999"_s} << QStringList{}
                               << u"--redis: invalid port '99999'"_s;
    QTest::newRow("bad REDIS_URL") << QStringList{} << QStringList{u"REDIS_URL=mysql://x"_s}
                                   << u"REDIS_URL:"_s;
    QTest::newRow("bad --cluster-pubsub")
        << QStringList{u"--redis"_s, u"redis-cluster://a:7000"_s, u"--cluster-pubsub"_s, u"shard"_s} << QStringList{}
        << u"--cluster-pubsub: 'shard' must be sharded or classic"_s;
    QTest::newRow("--cluster-pubsub without a cluster")
        << QStringList{u"--redis"_s, u"redis://a:7000"_s, u"--cluster-pubsub"_s, u"classic"_s} << QStringList{}
        << u"--cluster-pubsub only applies to a Redis Cluster"_s;
    QTest::newRow("bad cluster URL") << QStringList{u"--redis"_s, u"redis-cluster://a:1/3"_s} << QStringList{}
                                     << u"--redis: a Redis Cluster has only database 0"_s;
    QTest::newRow("both buses") << QStringList{u"--in-process"_s, u"--redis"_s, u"redis://h"_s}
                                << QStringList{} << u"cannot be used together"_s;
    QTest::newRow("bad instance id") << QStringList{u"--instance-id"_s, u"a b"_s} << QStringList{}
                                     << u"--instance-id:"_s;
    QTest::newRow("long instance id")
        << QStringList{u"--instance-id"_s, QString(65, u'x')} << QStringList{} << u"--instance-id:"_s;
    QTest::newRow("prefix with space")
        << QStringList{u"--channel-prefix"_s, u"a b"_s} << QStringList{} << u"--channel-prefix:"_s;
    QTest::newRow("negative ping") << QStringList{u"--ping-interval"_s, u"-1"_s} << QStringList{}
                                   << u"--ping-interval:"_s;
    QTest::newRow("ping text") << QStringList{u"--ping-interval"_s, u"soon"_s} << QStringList{}
                               << u"--ping-interval:"_s;
    QTest::newRow("negative stats") << QStringList{u"--stats-interval"_s, u"-2"_s} << QStringList{}
                                    << u"--stats-interval:"_s;
    QTest::newRow("stats text") << QStringList{u"--stats-interval"_s, u"often"_s} << QStringList{}
                                << u"--stats-interval: 'often'"_s;
    QTest::newRow("admin port text") << QStringList{u"--admin-port"_s, u"metrics"_s} << QStringList{}
                                     << u"--admin-port: invalid port 'metrics': expected 0-65535"_s;
    QTest::newRow("admin port too big")
        << QStringList{u"--admin-port=70000"_s} << QStringList{} << u"--admin-port: invalid port '70000'"_s;
    QTest::newRow("admin port is the relay's")
        << QStringList{u"--port=9000"_s, u"--admin-port=9000"_s} << QStringList{}
        << u"--admin-port: 9000 is the WebSocket port (--port)"_s;
    QTest::newRow("admin port is PORT") << QStringList{u"--admin-port=8080"_s} << QStringList{u"PORT=8080"_s}
                                        << u"--admin-port: 8080 is the WebSocket port"_s;
    QTest::newRow("admin bind without port")
        << QStringList{u"--admin-bind=0.0.0.0"_s} << QStringList{} << u"--admin-bind needs --admin-port"_s;
    QTest::newRow("admin bind name") << QStringList{u"--admin-port=9100"_s, u"--admin-bind=metrics.local"_s}
                                     << QStringList{}
                                     << u"--admin-bind: 'metrics.local' is not an IP address"_s;
    QTest::newRow("session ttl without sessions")
        << QStringList{u"--session-ttl=60"_s} << QStringList{} << u"--session-ttl needs sessions"_s;
    QTest::newRow("session ttl zero")
        << QStringList{u"--sessions"_s, u"--session-ttl=0"_s} << QStringList{}
        << u"--session-ttl: '0' must be a number of seconds between 1 and 2592000"_s;
    QTest::newRow("history ttl without history")
        << QStringList{u"--history-ttl=60"_s} << QStringList{} << u"--history-ttl needs history"_s;
    QTest::newRow("history size negative")
        << QStringList{u"--history-size=-1"_s} << QStringList{}
        << u"--history-size: '-1' must be a number between 1 and 1000000, or 0"_s;
    QTest::newRow("history size huge")
        << QStringList{u"--history-size=2000000"_s} << QStringList{} << u"--history-size: '2000000'"_s;
    QTest::newRow("history size text")
        << QStringList{u"--history-size=lots"_s} << QStringList{} << u"--history-size: 'lots'"_s;
    QTest::newRow("session ttl text") << QStringList{u"--sessions"_s, u"--session-ttl=long"_s}
                                      << QStringList{} << u"--session-ttl: 'long'"_s;
    QTest::newRow("stats too small") << QStringList{u"--stats-interval=0.001"_s} << QStringList{}
                                     << u"--stats-interval:"_s;
    QTest::newRow("redis ping interval text")
        << QStringList{u"--redis-ping-interval=often"_s} << QStringList{}
        << u"--redis-ping-interval: 'often' must be a number of seconds between 0.1 and 3600, or 0"_s;
    QTest::newRow("negative redis ping interval")
        << QStringList{u"--redis-ping-interval"_s, u"-1"_s} << QStringList{}
        << u"--redis-ping-interval: '-1' must be a number of seconds between 0.1 and 3600, or 0"_s;
    QTest::newRow("redis ping interval too small")
        << QStringList{u"--redis-ping-interval=0.01"_s} << QStringList{}
        << u"--redis-ping-interval: '0.01' must be a number of seconds between 0.1 and 3600, or 0"_s;
    QTest::newRow("redis ping timeout off")
        << QStringList{u"--redis-ping-timeout=0"_s} << QStringList{}
        << u"--redis-ping-timeout: '0' must be a number of seconds between 0.1 and 3600"_s;
    QTest::newRow("redis ping timeout too big")
        << QStringList{u"--redis-ping-timeout=7200"_s} << QStringList{}
        << u"--redis-ping-timeout: '7200' must be a number of seconds between 0.1 and 3600"_s;
    QTest::newRow("cluster subscribe-on value")
        << QStringList{u"--redis=redis-cluster://127.0.0.1:7000"_s, u"--cluster-subscribe-on=any"_s}
        << QStringList{} << u"--cluster-subscribe-on: 'any' must be primary or replica"_s;
    QTest::newRow("cluster subscribe-on without a Cluster")
        << QStringList{u"--redis=redis://127.0.0.1:7000"_s, u"--cluster-subscribe-on=replica"_s}
        << QStringList{}
        << u"--cluster-subscribe-on only applies to a Redis Cluster (a redis-cluster:// URL)"_s;
    QTest::newRow("redis probe interval text")
        << QStringList{u"--redis-probe-interval=often"_s} << QStringList{}
        << u"--redis-probe-interval: 'often' must be a number of seconds between 0.1 and 3600, or 0"_s;
    QTest::newRow("redis probe timeout off")
        << QStringList{u"--redis-probe-timeout=0"_s} << QStringList{}
        << u"--redis-probe-timeout: '0' must be a number of seconds between 0.1 and 3600"_s;
    QTest::newRow("redis ping timeout missing") << QStringList{u"--redis-ping-timeout"_s} << QStringList{}
                                                << u"Missing value after '--redis-ping-timeout'"_s;
    QTest::newRow("positional") << QStringList{u"extra"_s} << QStringList{}
                                << u"unexpected argument 'extra'"_s;
    QTest::newRow("message size text") << QStringList{u"--max-message-bytes=big"_s} << QStringList{}
                                       << u"--max-message-bytes: 'big' must be a number between 16 and"_s;
    QTest::newRow("message size too small")
        << QStringList{u"--max-message-bytes=8"_s} << QStringList{} << u"--max-message-bytes: '8'"_s;
    QTest::newRow("negative rate")
        << QStringList{u"--rate-limit=-1"_s} << QStringList{}
        << u"--rate-limit: '-1' must be a number between 0.01 and 10000000, or 0"_s;
    QTest::newRow("zero burst") << QStringList{u"--rate-burst=0"_s} << QStringList{}
                                << u"--rate-burst: '0'"_s;
    QTest::newRow("zero rooms") << QStringList{u"--max-rooms=0"_s} << QStringList{} << u"--max-rooms: '0'"_s;
    QTest::newRow("zero connections")
        << QStringList{u"--max-connections=0"_s} << QStringList{} << u"--max-connections: '0'"_s;
    QTest::newRow("handshake off") << QStringList{u"--handshake-timeout=0"_s} << QStringList{}
                                   << u"--handshake-timeout: '0'"_s;
    QTest::newRow("outbound tiny") << QStringList{u"--max-outbound-bytes=10"_s} << QStringList{}
                                   << u"--max-outbound-bytes: '10'"_s;
    QTest::newRow("room ids") << QStringList{u"--room-ids=loose"_s} << QStringList{}
                              << u"--room-ids: 'loose' must be strict or seed"_s;
    QTest::newRow("event loop") << QStringList{u"--event-loop=select"_s} << QStringList{}
                                << u"--event-loop: 'select' must be epoll or qt"_s;
    QTest::newRow("replay delay") << QStringList{u"--replay-delay=-3"_s} << QStringList{}
                                  << u"--replay-delay: '-3'"_s;
    QTest::newRow("missing secret file") << QStringList{u"--jwt-secret-file=/nonexistent/secret"_s}
                                         << QStringList{} << u"--jwt-secret-file: "_s;
    QTest::newRow("short secret env")
        << QStringList{} << QStringList{u"SWITCHBOARD_JWT_SECRET=short"_s}
        << u"SWITCHBOARD_JWT_SECRET: the JWT secret must be at least 32 bytes (it has 5)"_s;
    QTest::newRow("origin with path")
        << QStringList{u"--allowed-origins=https://a.example/app"_s} << QStringList{}
        << u"--allowed-origins: 'https://a.example/app' is not an origin"_s;
    QTest::newRow("origin without scheme")
        << QStringList{} << QStringList{u"SWITCHBOARD_ALLOWED_ORIGINS=a.example"_s}
        << u"--allowed-origins: 'a.example' is not an origin"_s;
    QTest::newRow("cert without key") << QStringList{u"--tls-cert=/etc/hostname"_s} << QStringList{}
                                      << u"--tls-cert and --tls-key must be given together"_s;
    QTest::newRow("unreadable cert") << QStringList{u"--tls-cert=/nonexistent.pem"_s,
                                                    u"--tls-key=/etc/hostname"_s}
                                     << QStringList{} << u"--tls-cert: cannot read '/nonexistent.pem'"_s;
}

void tst_RelayCommandLine::limits()
{
    const RelayCommandLine defaults = RelayCommandLine::parse({u"switchboard-relay"_s}, {});
    const RelayLimits &d = defaults.server.limits;
    QCOMPARE(d.maxMessageBytes, 65536);
    QCOMPARE(d.messagesPerSecond, 100.0);
    QCOMPARE(d.messageBurst, 200.0);
    QCOMPARE(d.rateLimitGrace, 5000ms);
    QCOMPARE(d.maxRoomsPerConnection, 100);
    QCOMPARE(d.maxConnections, 10000);
    QCOMPARE(d.handshakeTimeout, 10000ms);
    QCOMPARE(d.idleTimeout, 0ms);
    QCOMPARE(d.maxOutboundBytes, 1024 * 1024);
    QCOMPARE(d.roomIds, RelayProtocol::RoomIds::Strict);
    QCOMPARE(defaults.outage.maxQueuedMessages, 10000);
    QCOMPARE(defaults.outage.maxQueuedBytes, 16 * 1024 * 1024);
    QVERIFY(defaults.server.auth.jwtSecret.isEmpty());
    QVERIFY(defaults.server.auth.allowedOrigins.isEmpty());

    QTemporaryDir dir;
    const QString secretFile = dir.filePath(u"secret"_s);
    QFile f(secretFile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("0123456789abcdef0123456789abcdef\n");
    f.close();
    const RelayCommandLine r = RelayCommandLine::parse(
        {u"switchboard-relay"_s, u"--max-message-bytes=1024"_s, u"--rate-limit=0"_s, u"--rate-burst=10"_s,
         u"--rate-limit-grace=0.5"_s, u"--max-rooms=3"_s, u"--max-connections=7"_s,
         u"--handshake-timeout=2"_s, u"--idle-timeout=60"_s, u"--max-outbound-bytes=4096"_s,
         u"--room-ids=seed"_s, u"--outage-queue-messages=5"_s, u"--outage-queue-bytes=0"_s,
         u"--replay-delay=0.1"_s, u"--jwt-secret-file"_s, secretFile, u"--jwt-leeway=5"_s,
         u"--allowed-origins=https://a.example, http://localhost:8080"_s},
        {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    const RelayLimits &l = r.server.limits;
    QCOMPARE(l.maxMessageBytes, 1024);
    QCOMPARE(l.messagesPerSecond, 0.0);
    QCOMPARE(l.messageBurst, 10.0);
    QCOMPARE(l.rateLimitGrace, 500ms);
    QCOMPARE(l.maxRoomsPerConnection, 3);
    QCOMPARE(l.maxConnections, 7);
    QCOMPARE(l.handshakeTimeout, 2000ms);
    QCOMPARE(l.idleTimeout, 60000ms);
    QCOMPARE(l.maxOutboundBytes, 4096);
    QCOMPARE(l.roomIds, RelayProtocol::RoomIds::Seed);
    QCOMPARE(r.outage.maxQueuedMessages, 5);
    QCOMPARE(r.outage.maxQueuedBytes, 0);
    QCOMPARE(r.outage.replayDelay, 100ms);
    QCOMPARE(r.server.auth.jwtSecret, "0123456789abcdef0123456789abcdef"_ba);
    QCOMPARE(r.server.auth.jwtLeeway, std::chrono::seconds(5));
    QCOMPARE(r.server.auth.allowedOrigins, (QStringList{u"https://a.example"_s, u"http://localhost:8080"_s}));
}

void tst_RelayCommandLine::invalid()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(QString, error);
    const RelayCommandLine r =
        RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, environmentFrom(env));
    QCOMPARE(r.outcome, Outcome::Error);
    QVERIFY2(r.message.contains(error), qPrintable(r.message));
}

void tst_RelayCommandLine::statsInterval_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("statsMs");
    QTest::newRow("default") << QStringList{} << 2000;
    QTest::newRow("seconds") << QStringList{u"--stats-interval"_s, u"5"_s} << 5000;
    QTest::newRow("fraction") << QStringList{u"--stats-interval=0.25"_s} << 250;
    QTest::newRow("off") << QStringList{u"--stats-interval"_s, u"0"_s} << 0;
}

void tst_RelayCommandLine::statsInterval()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(int(r.statsInterval.count()), "statsMs");
}

void tst_RelayCommandLine::redisHeartbeat_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("timeoutMs");
    QTest::newRow("defaults") << QStringList{} << 5000 << 5000;
    QTest::newRow("both") << QStringList{u"--redis-ping-interval=2"_s, u"--redis-ping-timeout"_s, u"1.5"_s}
                          << 2000 << 1500;
    QTest::newRow("interval only") << QStringList{u"--redis-ping-interval"_s, u"30"_s} << 30000 << 5000;
    QTest::newRow("off") << QStringList{u"--redis-ping-interval=0"_s} << 0 << 5000;
    QTest::newRow("smallest") << QStringList{u"--redis-ping-interval=0.1"_s, u"--redis-ping-timeout=0.1"_s}
                              << 100 << 100;
}

void tst_RelayCommandLine::redisHeartbeat()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(int(r.redisHeartbeat.interval.count()), "intervalMs");
    QTEST(int(r.redisHeartbeat.timeout.count()), "timeoutMs");
}

void tst_RelayCommandLine::subscriberProbe_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QByteArray>("channel");
    QTest::newRow("defaults") << QStringList{u"--instance-id=r1"_s} << 5000 << 3000
                              << "switchboard:probe:r1"_ba;
    QTest::newRow("prefixed, both") << QStringList{u"--instance-id=r2"_s, u"--channel-prefix=app:"_s,
                                                   u"--redis-probe-interval=1"_s,
                                                   u"--redis-probe-timeout=0.5"_s}
                                    << 1000 << 500 << "app:switchboard:probe:r2"_ba;
    QTest::newRow("off") << QStringList{u"--instance-id=r3"_s, u"--redis-probe-interval=0"_s} << 0 << 3000
                         << "switchboard:probe:r3"_ba;
}

void tst_RelayCommandLine::subscriberProbe()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(int(r.outage.probe.interval.count()), "intervalMs");
    QTEST(int(r.outage.probe.timeout.count()), "timeoutMs");
    QTEST(r.outage.probe.channel, "channel");
}

void tst_RelayCommandLine::help()
{
    const RelayCommandLine r = RelayCommandLine::parse({u"switchboard-relay"_s, u"--help"_s}, {});
    QCOMPARE(r.outcome, Outcome::Help);
    for (const char *option : {"--port", "--bind", "--redis", "--channel-prefix", "--instance-id",
                               "--ping-interval", "--stats-interval", "--redis-ping-interval",
                               "--redis-ping-timeout", "--admin-port", "--admin-bind"})
        QVERIFY2(r.message.contains(QLatin1StringView(option)), option);
}

void tst_RelayCommandLine::eventLoop_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<RelayCommandLine::EventLoop>("expected");
    using EventLoop = RelayCommandLine::EventLoop;
    QTest::newRow("default") << QStringList{} << EventLoop::Epoll;
    QTest::newRow("epoll") << QStringList{u"--event-loop=epoll"_s} << EventLoop::Epoll;
    QTest::newRow("qt, one argument") << QStringList{u"--event-loop=qt"_s} << EventLoop::Qt;
    QTest::newRow("qt, two arguments")
        << QStringList{u"--port"_s, u"0"_s, u"--event-loop"_s, u"qt"_s} << EventLoop::Qt;
    QTest::newRow("qt is an option value, not the option")
        << QStringList{u"--instance-id"_s, u"qt"_s} << EventLoop::Epoll;
}

void tst_RelayCommandLine::eventLoop()
{
    QFETCH(QStringList, args);
    const QStringList all = QStringList{u"switchboard-relay"_s} + args;
    const RelayCommandLine r = RelayCommandLine::parse(all, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(r.eventLoop, "expected");
    // what main() decides before the application exists agrees with the parser
    QList<QByteArray> bytes;
    std::vector<const char *> argv;
    for (const QString &a : all)
        bytes.append(a.toLocal8Bit());
    for (const QByteArray &b : bytes)
        argv.push_back(b.constData());
    QTEST(RelayCommandLine::eventLoopBeforeParsing(int(argv.size()), argv.data()), "expected");
}

void tst_RelayCommandLine::sessions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<int>("ttl");
    QTest::newRow("off by default") << QStringList{} << false << 300;
    QTest::newRow("--sessions") << QStringList{u"--sessions"_s} << true << 300;
    QTest::newRow("--session-ttl") << QStringList{u"--sessions"_s, u"--session-ttl"_s, u"30"_s} << true << 30;
}

void tst_RelayCommandLine::sessions()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(r.server.sessions.enabled, "enabled");
    QTEST(int(r.server.sessions.ttl.count()), "ttl");
}

void tst_RelayCommandLine::history_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("ttl");
    QTest::addColumn<bool>("sessions");
    QTest::newRow("off by default") << QStringList{} << 0 << 0 << false;
    QTest::newRow("size") << QStringList{u"--history-size=100"_s} << 100 << 0 << true;
    QTest::newRow("size and ttl") << QStringList{u"--history-size"_s, u"50"_s, u"--history-ttl"_s, u"600"_s}
                                  << 50 << 600 << true;
    QTest::newRow("size 0 is off") << QStringList{u"--history-size=0"_s} << 0 << 0 << false;
}

void tst_RelayCommandLine::history()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(int(r.server.history.size), "size");
    QTEST(int(r.server.history.ttl.count()), "ttl");
    QTEST(r.server.sessions.enabled, "sessions");
}

void tst_RelayCommandLine::admin_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QString>("bind");
    QTest::addColumn<int>("port");
    QTest::newRow("off by default") << QStringList{} << false << u"127.0.0.1"_s << 0;
    QTest::newRow("port") << QStringList{u"--admin-port"_s, u"9100"_s} << true << u"127.0.0.1"_s << 9100;
    QTest::newRow("any free port") << QStringList{u"--admin-port=0"_s} << true << u"127.0.0.1"_s << 0;
    QTest::newRow("both 0") << QStringList{u"--port=0"_s, u"--admin-port=0"_s} << true << u"127.0.0.1"_s << 0;
    QTest::newRow("bind all") << QStringList{u"--admin-port=9100"_s, u"--admin-bind"_s, u"0.0.0.0"_s} << true
                              << u"0.0.0.0"_s << 9100;
    QTest::newRow("bind IPv6") << QStringList{u"--admin-port=9100"_s, u"--admin-bind=::1"_s} << true
                               << u"::1"_s << 9100;
    QTest::newRow("bind localhost") << QStringList{u"--admin-port=9100"_s, u"--admin-bind=localhost"_s}
                                    << true << u"127.0.0.1"_s << 9100;
}

void tst_RelayCommandLine::admin()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(r.admin.enabled, "enabled");
    QTEST(r.admin.bindAddress.toString(), "bind");
    QTEST(int(r.admin.port), "port");
}

void tst_RelayCommandLine::presence_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("events");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("ttl");
    QTest::addColumn<int>("maxMembers");
    QTest::newRow("off by default") << QStringList{} << false << false << 50.0 << 30 << 1000;
    QTest::newRow("--presence") << QStringList{u"--presence"_s} << true << false << 50.0 << 30 << 1000;
    QTest::newRow("--presence-events implies --presence")
        << QStringList{u"--presence-events"_s} << true << true << 50.0 << 30 << 1000;
    QTest::newRow("all") << QStringList{u"--presence-events"_s, u"--presence-events-rate=5"_s,
                                        u"--presence-ttl"_s, u"3"_s, u"--presence-max-members=10"_s}
                         << true << true << 5.0 << 3 << 10;
}

void tst_RelayCommandLine::presence()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(r.server.presence.enabled, "enabled");
    QTEST(r.server.presence.events, "events");
    QTEST(r.server.presence.eventsPerSecond, "rate");
    QTEST(int(r.server.presence.ttl.count()), "ttl");
    QTEST(r.server.presence.maxMembers, "maxMembers");
}

void tst_RelayCommandLine::presenceErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    QTest::newRow("ttl without presence")
        << QStringList{u"--presence-ttl=10"_s} << u"--presence-ttl needs presence: add --presence"_s;
    QTest::newRow("max members without presence")
        << QStringList{u"--presence-max-members=10"_s} << u"--presence-max-members needs presence"_s;
    QTest::newRow("rate without events") << QStringList{u"--presence"_s, u"--presence-events-rate=5"_s}
                                         << u"--presence-events-rate needs --presence-events"_s;
    QTest::newRow("ttl under 3") << QStringList{u"--presence"_s, u"--presence-ttl=2"_s}
                                 << u"--presence-ttl: '2' must be a number of seconds between 3 and 86400"_s;
    QTest::newRow("ttl text") << QStringList{u"--presence"_s, u"--presence-ttl=long"_s}
                              << u"--presence-ttl: 'long'"_s;
    QTest::newRow("rate zero") << QStringList{u"--presence-events"_s, u"--presence-events-rate=0"_s}
                               << u"--presence-events-rate: '0' must be a number between 1 and 100000"_s;
    QTest::newRow("max members zero")
        << QStringList{u"--presence"_s, u"--presence-max-members=0"_s}
        << u"--presence-max-members: '0' must be a number between 1 and 100000"_s;
    QTest::newRow("max members fraction") << QStringList{u"--presence"_s, u"--presence-max-members=1e9"_s}
                                          << u"--presence-max-members: '1e9'"_s;
}

void tst_RelayCommandLine::presenceErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QCOMPARE(r.outcome, Outcome::Error);
    QVERIFY2(r.message.contains(error), qPrintable(r.message));
}

void tst_RelayCommandLine::demoPage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("on");
    QTest::newRow("off by default") << QStringList{} << false;
    QTest::newRow("--demo-page") << QStringList{u"--demo-page"_s} << true;
    QTest::newRow("with other options")
        << QStringList{u"--port"_s, u"0"_s, u"--demo-page"_s, u"--in-process"_s} << true;
}

void tst_RelayCommandLine::demoPage()
{
    QFETCH(QStringList, args);
    const RelayCommandLine r = RelayCommandLine::parse(QStringList{u"switchboard-relay"_s} + args, {});
    QVERIFY2(r.outcome == Outcome::Run, qPrintable(r.message));
    QTEST(r.server.demoPage, "on");
    const RelayCommandLine advertised = RelayCommandLine::parse(
        {u"switchboard-relay"_s, u"--advertise-url"_s, u"wss://chat.example.com/ws"_s}, {});
    QCOMPARE(advertised.server.advertiseUrl, QUrl(u"wss://chat.example.com/ws"_s));
    const RelayCommandLine help = RelayCommandLine::parse({u"switchboard-relay"_s, u"--help"_s}, {});
    QVERIFY(help.message.contains(u"--demo-page"_s));
}

QTEST_MAIN(tst_RelayCommandLine)
#include "tst_relaycommandline.moc"
