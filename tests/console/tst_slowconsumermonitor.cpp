// SPDX-License-Identifier: MIT
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "relaydirectory.h"
#include "slowconsumermonitor.h"
#include "testcluster.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(std::optional<OutputBufferLimit>)
Q_DECLARE_METATYPE(NodeOutputLimit)

namespace {

QByteArray resp(const QByteArrayList &args)
{
    QByteArray out = '*' + QByteArray::number(args.size()) + "\r\n";
    for (const QByteArray &a : args)
        out += '$' + QByteArray::number(a.size()) + "\r\n" + a + "\r\n";
    return out;
}

// A subscriber that names itself, SUBSCRIBEs and then never reads again. Its receive buffer is set
// small before connecting, so the kernel holds only a few kilobytes and the rest piles up in Redis's
// output buffer for it.
class StalledSubscriber
{
public:
    StalledSubscriber(quint16 port, const QByteArray &name, const QByteArray &channel)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd < 0)
            return;
        int small = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        timeval timeout{5, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            return;
        const QByteArray request = resp({"CLIENT"_ba, "SETNAME"_ba, name}) + resp({"SUBSCRIBE"_ba, channel});
        if (::send(m_fd, request.constData(), size_t(request.size()), 0) != request.size())
            return;
        // +OK, then the subscribe confirmation (its last line is the count, ":1").
        QByteArray reply;
        char buffer[512];
        while (!reply.endsWith(":1\r\n")) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                return;
            reply.append(buffer, n);
        }
        m_subscribed = reply.startsWith("+OK\r\n");
    }
    ~StalledSubscriber()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    StalledSubscriber(const StalledSubscriber &) = delete;
    StalledSubscriber &operator=(const StalledSubscriber &) = delete;
    bool isSubscribed() const { return m_subscribed; }

private:
    int m_fd = -1;
    bool m_subscribed = false;
};

// Publishes payload to channel every few milliseconds until stopped.
class Flood : public QObject
{
public:
    Flood(RedisConnection *connection, const QByteArray &channel, int payloadBytes)
        : m_connection(connection)
        , m_channel(channel)
        , m_payload(payloadBytes, 'x')
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_connection->isReady())
                m_connection->command({"PUBLISH"_ba, m_channel, m_payload}, this, [](const RedisValue &) {});
        });
        m_timer.start(20);
    }
    void stop() { m_timer.stop(); }
    void setPayloadBytes(int bytes) { m_payload = QByteArray(bytes, 'x'); }

private:
    RedisConnection *m_connection;
    QByteArray m_channel;
    QByteArray m_payload;
    QTimer m_timer;
};

// What Redis holds for the connection named name (omem), -1 when it is not connected.
qint64 outputBytesOf(const RedisServer &redis, const QString &name)
{
    const auto clients = ChannelMonitor::parseClientList(
        redis.command({"CLIENT"_ba, "LIST"_ba, "TYPE"_ba, "pubsub"_ba}).bytes());
    for (const PubSubClient &c : clients) {
        if (c.name == name)
            return c.outputBytes;
    }
    return -1;
}

} // namespace

class tst_SlowConsumerMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parse_data();
    void parse();
    void threshold_data();
    void threshold();
    void goneWhileAboveIsAnEvent();
    void relayClientsNearMaxOutbound_data();
    void relayClientsNearMaxOutbound();
    void followsRelayDirectory();
    void describesLimits_data();
    void describesLimits();
    void limitsFromConfig_data();
    void limitsFromConfig();
    void configRefusedAssumesDefaults();
    void slowSubscriberIsWarnedBeforeRedisDropsIt();
    void clusterNodeIsNamed();

private:
    RedisConnectionOptions options(const QString &user = {}) const;
    static PubSubClient client(qint64 id, const QString &name, qint64 omem);

    std::unique_ptr<RedisServer> m_redis;
};

void tst_SlowConsumerMonitor::initTestCase()
{
    m_redis = std::make_unique<RedisServer>(
        QStringList{u"--client-output-buffer-limit"_s, u"pubsub 2mb 512kb 3"_s});
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

RedisConnectionOptions tst_SlowConsumerMonitor::options(const QString &user) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    if (!user.isEmpty()) {
        o.url.setUsername(user);
        o.url.setPassword(u"pw"_s);
    }
    o.clientName = u"switchboard-console:test"_s;
    return o;
}

PubSubClient tst_SlowConsumerMonitor::client(qint64 id, const QString &name, qint64 omem)
{
    PubSubClient c;
    c.id = id;
    c.name = name;
    c.address = u"127.0.0.1:%1"_s.arg(40000 + id);
    c.channels = 1;
    c.outputBytes = omem;
    return c;
}

void tst_SlowConsumerMonitor::parse_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("clientClass");
    QTest::addColumn<std::optional<OutputBufferLimit>>("expected");
    const std::optional<OutputBufferLimit> none;
    QTest::newRow("redis 7 defaults")
        << "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"_ba
        << "pubsub"_ba << std::optional(OutputBufferLimit{33554432, 8388608, 60});
    QTest::newRow("replica as slave")
        << "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"_ba
        << "replica"_ba << std::optional(OutputBufferLimit{268435456, 67108864, 60});
    QTest::newRow("units") << "pubsub 32mb 8mb 60"_ba
                           << "pubsub"_ba
                           << std::optional(OutputBufferLimit{32 * 1024 * 1024, 8 * 1024 * 1024, 60});
    QTest::newRow("k is 1000, kb 1024")
        << "pubsub 2k 512kb 3"_ba
        << "pubsub"_ba << std::optional(OutputBufferLimit{2000, 512 * 1024, 3});
    QTest::newRow("gigabytes") << "pubsub 1gb 1g 0"_ba
                               << "pubsub"_ba
                               << std::optional(OutputBufferLimit{qint64(1) << 30, 1000000000, 0});
    QTest::newRow("no limit") << "pubsub 0 0 0"_ba
                              << "pubsub"_ba << std::optional(OutputBufferLimit{0, 0, 0});
    QTest::newRow("class upper case") << "PUBSUB 100 50 1"_ba
                                      << "pubsub"_ba << std::optional(OutputBufferLimit{100, 50, 1});
    QTest::newRow("class missing") << "normal 0 0 0"_ba
                                   << "pubsub"_ba << none;
    QTest::newRow("truncated") << "pubsub 1 2"_ba
                               << "pubsub"_ba << none;
    QTest::newRow("not a size") << "pubsub 1xb 2 3"_ba
                                << "pubsub"_ba << none;
    QTest::newRow("negative") << "pubsub -1 2 3"_ba
                              << "pubsub"_ba << none;
    QTest::newRow("empty") << ""_ba
                           << "pubsub"_ba << none;
}

void tst_SlowConsumerMonitor::parse()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, clientClass);
    QFETCH(std::optional<OutputBufferLimit>, expected);
    const auto parsed = OutputBufferLimit::parse(value, clientClass);
    QCOMPARE(parsed.has_value(), expected.has_value());
    if (expected) {
        QCOMPARE(parsed->hardBytes, expected->hardBytes);
        QCOMPARE(parsed->softBytes, expected->softBytes);
        QCOMPARE(parsed->softSeconds, expected->softSeconds);
    }
}

// Without a poll, the limit is Redis's default (soft 8 MiB, hard 32 MiB).
void tst_SlowConsumerMonitor::threshold_data()
{
    QTest::addColumn<double>("share");
    QTest::addColumn<qint64>("omem");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("warned");
    QTest::addColumn<QString>("relay");
    QTest::addColumn<bool>("console");
    const qint64 mb = 1024 * 1024;
    QTest::newRow("below half") << 0.5 << 3 * mb << u"switchboard-relay:r1"_s << false << u""_s << false;
    QTest::newRow("at half") << 0.5 << 4 * mb << u"switchboard-relay:r1"_s << true << u"r1"_s << false;
    QTest::newRow("a quarter") << 0.25 << 3 * mb << u"app"_s << true << u""_s << false;
    QTest::newRow("console") << 0.5 << 9 * mb << u"switchboard-console:tap"_s << true << u""_s << true;
    QTest::newRow("over soft") << 0.9 << 8 * mb << u""_s << true << u""_s << false;
    QTest::newRow("empty") << 0.05 << qint64(0) << u""_s << false << u""_s << false;
}

void tst_SlowConsumerMonitor::threshold()
{
    QFETCH(double, share);
    QFETCH(qint64, omem);
    QFETCH(QString, name);
    QFETCH(bool, warned);
    SlowConsumerMonitor monitor;
    monitor.setThreshold(share);
    QSignalSpy count(&monitor, &SlowConsumerMonitor::warningCountChanged);
    monitor.ingest({}, {client(7, name, omem), client(8, u"quiet"_s, 0)});
    QCOMPARE(monitor.warningCount(), warned ? 1 : 0);
    QCOMPARE(count.size(), warned ? 1 : 0);
    if (!warned)
        return;
    const SlowConsumer c = monitor.warnings().first();
    QCOMPARE(c.id, quint64(7));
    QCOMPARE(c.bytes, omem);
    QTEST(c.relay, "relay");
    QTEST(c.console, "console");
    QCOMPARE(c.softLimit, qint64(8 * 1024 * 1024));
    QCOMPARE(c.hardLimit, qint64(32 * 1024 * 1024));
    QCOMPARE(c.softShare(), double(omem) / (8 * 1024 * 1024));
    QCOMPARE(monitor.events().size(), 1);
    QCOMPARE(monitor.events().first().kind, SlowConsumerEvent::Kind::Warned);
}

void tst_SlowConsumerMonitor::goneWhileAboveIsAnEvent()
{
    SlowConsumerMonitor monitor;
    monitor.setMaxEvents(3);
    const qint64 mb = 1024 * 1024;
    monitor.ingest({}, {client(1, u"switchboard-relay:a"_s, 5 * mb), client(2, u"b"_s, 6 * mb)});
    QCOMPARE(monitor.warningCount(), 2);
    // 1 vanishes while above the share, 2 drops below it.
    monitor.ingest({}, {client(2, u"b"_s, 1 * mb)});
    QCOMPARE(monitor.warningCount(), 0);
    const auto &events = monitor.events();
    QCOMPARE(events.size(), 3); // warned 1, warned 2, cleared 2, gone 1: the oldest dropped
    QCOMPARE(events.at(1).kind, SlowConsumerEvent::Kind::Cleared);
    QCOMPARE(events.at(1).consumer.id, quint64(2));
    QCOMPARE(events.at(2).kind, SlowConsumerEvent::Kind::Disconnected);
    QCOMPARE(events.at(2).consumer.relay, u"a"_s);
    QVERIFY(events.at(2).text().contains(u"likely by Redis"_s));
    monitor.ingest({}, {client(3, u"c"_s, 5 * mb)});
    QCOMPARE(monitor.events().size(), 3);
    QCOMPARE(monitor.events().last().consumer.id, quint64(3));
}

void tst_SlowConsumerMonitor::describesLimits_data()
{
    QTest::addColumn<QList<NodeOutputLimit>>("limits");
    QTest::addColumn<QString>("text");
    const OutputBufferLimit small{2 * 1024 * 1024, 512 * 1024, 3};
    QTest::newRow("waiting") << QList<NodeOutputLimit>{}
                             << u"Waiting for CONFIG GET client-output-buffer-limit."_s;
    QTest::newRow("one server") << QList<NodeOutputLimit>{{u""_s, small, false, u""_s}}
                                << u"Redis's pubsub limit: hard 2.0 MiB at once, soft 512.0 KiB for 3 s"_s;
    QTest::newRow("refused")
        << QList<NodeOutputLimit>{{u""_s, OutputBufferLimit::redisDefault(), true, u"NOPERM no config"_s}}
        << u"CONFIG refused (NOPERM no config): Redis's defaults assumed; Redis's pubsub "
           "limit: hard 32.0 MiB at once, soft 8.0 MiB for 60 s"_s;
    QTest::newRow("no limit")
        << QList<NodeOutputLimit>{{u""_s, {0, 0, 0}, false, u""_s}}
        << u"pubsub 0 0 0: no limit, Redis never disconnects a slow subscriber (nothing to "
           "warn about)"_s;
    QTest::newRow("hard only")
        << QList<NodeOutputLimit>{{u""_s, {1024 * 1024, 0, 0}, false, u""_s}}
        << u"Redis's pubsub limit: hard 1.0 MiB at once, no soft limit (warnings are a share "
           "of the hard one)"_s;
    QTest::newRow("cluster alike")
        << QList<NodeOutputLimit>{{u"a:1"_s, small, false, u""_s}, {u"b:2"_s, small, false, u""_s}}
        << u"every node: Redis's pubsub limit: hard 2.0 MiB at once, soft 512.0 KiB for 3 s"_s;
    QTest::newRow("cluster differs")
        << QList<NodeOutputLimit>{{u"a:1"_s, small, false, u""_s}, {u"b:2"_s, {0, 0, 0}, false, u""_s}}
        << u"a:1: Redis's pubsub limit: hard 2.0 MiB at once, soft 512.0 KiB for 3 s\n"
           "b:2: pubsub 0 0 0: no limit, Redis never disconnects a slow subscriber "
           "(nothing to warn about)"_s;
}

void tst_SlowConsumerMonitor::describesLimits()
{
    QFETCH(QList<NodeOutputLimit>, limits);
    QTEST(SlowConsumerMonitor::describeLimits(limits), "text");
}

void tst_SlowConsumerMonitor::relayClientsNearMaxOutbound_data()
{
    QTest::addColumn<qint64>("maxOutbound");
    QTest::addColumn<qint64>("queued");
    QTest::addColumn<bool>("warned");
    QTest::newRow("below") << qint64(1000) << qint64(499) << false;
    QTest::newRow("at half") << qint64(1000) << qint64(500) << true;
    QTest::newRow("over") << qint64(1000) << qint64(1500) << true;
    QTest::newRow("no limit") << qint64(0) << qint64(1500) << false;
}

// The heartbeat's busiest clients against --max-outbound-bytes: warned with the relay; one that leaves the
// list while above the share is an event; a relay that stops heartbeating takes its warnings along.
void tst_SlowConsumerMonitor::relayClientsNearMaxOutbound()
{
    QFETCH(qint64, maxOutbound);
    QFETCH(qint64, queued);
    QFETCH(bool, warned);
    RelayInstanceStats relay;
    relay.key = u"\nrelay-7"_s;
    relay.instance = u"relay-7"_s;
    relay.maxOutboundBytes = maxOutbound;
    relay.queuedBytes = queued + 10;
    relay.topClients = {
        RelayClientLoad{42, u"10.0.0.9:5555"_s, queued, 3, 10, 900,
                        QDateTime::currentDateTimeUtc().addSecs(-30)},
        RelayClientLoad{43, u"10.0.0.8:5555"_s, 10, 1, 1, 2, QDateTime::currentDateTimeUtc()}};
    SlowConsumerMonitor monitor;
    monitor.ingestRelays({relay});
    QCOMPARE(monitor.warningCount(), warned ? 1 : 0);
    if (!warned)
        return;
    const SlowConsumer c = monitor.warnings().first();
    QCOMPARE(c.kind, SlowConsumer::Kind::RelayClient);
    QCOMPARE(c.relay, u"relay-7"_s);
    QCOMPARE(c.id, quint64(42));
    QCOMPARE(c.bytes, queued);
    QCOMPARE(c.channels, 3);
    QCOMPARE(c.hardShare(), double(queued) / double(maxOutbound));
    QVERIFY(c.ageSeconds >= 30);
    relay.topClients.removeFirst();
    monitor.ingestRelays({relay});
    QCOMPARE(monitor.warningCount(), 0);
    QCOMPARE(monitor.events().last().kind, SlowConsumerEvent::Kind::Disconnected);
    QVERIFY(monitor.events().last().text().contains(u"relay"_s));
    relay.topClients = {RelayClientLoad{44, u"10.0.0.7:1"_s, queued, 1, 1, 1, QDateTime()}};
    monitor.ingestRelays({relay});
    QCOMPARE(monitor.warningCount(), 1);
    const qsizetype events = monitor.events().size();
    monitor.ingestRelays({});
    QCOMPARE(monitor.warningCount(), 0);
    QCOMPARE(monitor.events().size(), events);
}

// A heartbeat as a relay publishes it (RelayStatsPublisher) through RelayDirectory.
void tst_SlowConsumerMonitor::followsRelayDirectory()
{
    RelayDirectory directory;
    SlowConsumerMonitor monitor;
    monitor.followRelays(&directory);
    QSignalSpy count(&monitor, &SlowConsumerMonitor::warningCountChanged);
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - 5000;
    directory.handlePayload(
        R"({"type":"relay-stats","instance":"relay-9","interval":2000,"clients":2,"maxOutboundBytes":1048576,)"
        R"("queuedBytes":900000,"topClients":[{"id":5,"address":"10.0.0.5:4000","queued":800000,"rooms":2,)"
        R"("in":1,"out":4000,"since":)" +
        QByteArray::number(since) + R"(},{"id":6,"address":"10.0.0.6:4000","queued":100,"rooms":1}]})");
    QCOMPARE(monitor.warningCount(), 1);
    QCOMPARE(count.size(), 1);
    const SlowConsumer c = monitor.warnings().first();
    QCOMPARE(c.kind, SlowConsumer::Kind::RelayClient);
    QCOMPARE(c.relay, u"relay-9"_s);
    QCOMPARE(c.id, quint64(5));
    QCOMPARE(c.address, u"10.0.0.5:4000"_s);
    QCOMPARE(c.hardLimit, qint64(1048576));
    QCOMPARE(c.channels, 2);
    QVERIFY(c.ageSeconds >= 4);
    const qsizetype events = monitor.events().size();
    directory.handlePayload(R"({"type":"relay-stopped","instance":"relay-9"})");
    QCOMPARE(monitor.warningCount(), 0);
    QCOMPARE(monitor.events().size(), events); // the relay went, not the client: no event
    monitor.followRelays(nullptr);
    directory.handlePayload(
        R"({"type":"relay-stats","instance":"relay-9","maxOutboundBytes":1000,"topClients":[{"id":5,"queued":900}]})");
    QCOMPARE(monitor.warningCount(), 0);
}

void tst_SlowConsumerMonitor::limitsFromConfig_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<qint64>("hard");
    QTest::addColumn<qint64>("soft");
    QTest::addColumn<qint64>("base");
    QTest::newRow("test server") << "pubsub 2mb 512kb 3"_ba << qint64(2 * 1024 * 1024) << qint64(512 * 1024)
                                 << qint64(512 * 1024);
    QTest::newRow("hard only") << "pubsub 1mb 0 0"_ba << qint64(1024 * 1024) << qint64(0)
                               << qint64(1024 * 1024);
    QTest::newRow("no limit") << "pubsub 0 0 0"_ba << qint64(0) << qint64(0) << qint64(0);
}

void tst_SlowConsumerMonitor::limitsFromConfig()
{
    QFETCH(QByteArray, config);
    QCOMPARE(m_redis->command({"CONFIG"_ba, "SET"_ba, "client-output-buffer-limit"_ba, config}).bytes(),
             "OK"_ba);
    RedisConnection connection(options());
    connection.open();
    SlowConsumerMonitor monitor;
    QSignalSpy rounds(&monitor, &SlowConsumerMonitor::roundFinished);
    monitor.start(&connection);
    QVERIFY(rounds.wait(10000));
    m_redis->command({"CONFIG"_ba, "SET"_ba, "client-output-buffer-limit"_ba, "pubsub 2mb 512kb 3"_ba});
    QCOMPARE(monitor.limits().size(), 1);
    const NodeOutputLimit limit = monitor.limits().first();
    QVERIFY(!limit.assumed);
    QVERIFY(limit.error.isEmpty());
    QTEST(limit.limit.hardBytes, "hard");
    QTEST(limit.limit.softBytes, "soft");
    QTEST(limit.limit.baseBytes(), "base");
    QCOMPARE(limit.limit.isUnlimited(), limit.limit.baseBytes() == 0);
    QVERIFY(monitor.lastError().isEmpty());
}

void tst_SlowConsumerMonitor::configRefusedAssumesDefaults()
{
    QCOMPARE(m_redis
                 ->command({"ACL"_ba, "SETUSER"_ba, "noconfig"_ba, "reset"_ba, "on"_ba, ">pw"_ba, "~*"_ba,
                            "&*"_ba, "+@all"_ba, "-config"_ba})
                 .bytes(),
             "OK"_ba);
    RedisConnection connection(options(u"noconfig"_s));
    connection.open();
    SlowConsumerMonitor monitor;
    QSignalSpy rounds(&monitor, &SlowConsumerMonitor::roundFinished);
    monitor.start(&connection);
    QVERIFY(rounds.wait(10000));
    QCOMPARE(monitor.limits().size(), 1);
    const NodeOutputLimit limit = monitor.limits().first();
    QVERIFY(limit.assumed);
    QVERIFY2(limit.error.startsWith(u"NOPERM"_s), qPrintable(limit.error));
    QCOMPARE(limit.limit, OutputBufferLimit::redisDefault());
    QVERIFY(monitor.lastError().isEmpty()); // CLIENT LIST still works
}

// A real subscriber stops reading while messages pile up: the monitor warns while Redis still keeps it
// (with its share, how long, its relay), then Redis drops it (soft limit 512 KiB for 3 s, or 2 MiB at
// once) and the monitor records that.
void tst_SlowConsumerMonitor::slowSubscriberIsWarnedBeforeRedisDropsIt()
{
    StalledSubscriber stalled(m_redis->port(), "switchboard-relay:slow-1"_ba, "flood"_ba);
    QVERIFY(stalled.isSubscribed());
    RedisConnection connection(options());
    connection.open();
    SlowConsumerMonitor monitor;
    monitor.setInterval(200ms);
    qint64 longestAboveMs = -1;
    double highestShare = 0;
    QString relaySeen;
    connect(&monitor, &SlowConsumerMonitor::warningsChanged, this, [&] {
        for (const SlowConsumer &c : monitor.warnings()) {
            longestAboveMs = std::max(longestAboveMs, c.aboveMs);
            highestShare = std::max(highestShare, c.softShare());
            relaySeen = c.relay;
        }
    });
    monitor.start(&connection);
    QTRY_VERIFY(!monitor.limits().isEmpty());
    QCOMPARE(monitor.limits().first().limit.softBytes, qint64(512 * 1024));

    RedisConnection publisher(options());
    publisher.open();
    // Fast until the kernel's socket buffers are full and Redis starts holding messages, then about 400 KB/s:
    // from there, 256 KiB (the warning) in about 0.6 s, the soft limit in 1.3 s and Redis's disconnect 3 s
    // later.
    Flood flood(&publisher, "flood"_ba, 64 * 1024);
    QTRY_VERIFY_WITH_TIMEOUT(outputBytesOf(*m_redis, u"switchboard-relay:slow-1"_s) > 0, 60000);
    flood.setPayloadBytes(8 * 1024);
    QTRY_VERIFY_WITH_TIMEOUT(monitor.warningCount() == 1, 30000);
    QVERIFY(m_redis->hasClient(u"switchboard-relay:slow-1"_s)); // warned while Redis still keeps it
    const SlowConsumer warned = monitor.warnings().first();
    QCOMPARE(warned.relay, u"slow-1"_s);
    QCOMPARE(warned.name, u"switchboard-relay:slow-1"_s);
    QCOMPARE(warned.channels, 1);
    QVERIFY(warned.softShare() >= 0.5);
    QVERIFY(warned.hardShare() > 0);
    QVERIFY(warned.totalMemory >= warned.bytes);

    QTRY_VERIFY_WITH_TIMEOUT(!m_redis->hasClient(u"switchboard-relay:slow-1"_s), 60000);
    flood.stop();
    QTRY_VERIFY_WITH_TIMEOUT(monitor.warningCount() == 0, 10000);
    const auto &events = monitor.events();
    QVERIFY(events.size() >= 2);
    QCOMPARE(events.first().kind, SlowConsumerEvent::Kind::Warned);
    QCOMPARE(events.last().kind, SlowConsumerEvent::Kind::Disconnected);
    QCOMPARE(events.last().consumer.relay, u"slow-1"_s);
    QVERIFY(events.last().consumer.softShare() >= 0.5);
    QVERIFY2(longestAboveMs > 0, "a later poll saw it still above the share, with a duration");
    QVERIFY(highestShare >= 0.5);
    QCOMPARE(relaySeen, u"slow-1"_s);
}

// On a Cluster the limits come from every node, and a warning names the node its connection is on.
void tst_SlowConsumerMonitor::clusterNodeIsNamed()
{
    TestCluster cluster(3, 0);
    QVERIFY2(cluster.start(), qPrintable(cluster.errorString()));
    for (RedisServer *node : cluster.nodes())
        node->command({"CONFIG"_ba, "SET"_ba, "client-output-buffer-limit"_ba, "pubsub 4mb 1mb 60"_ba});
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(cluster.singleSeedUrl());
    o.clientName = u"switchboard-console:test"_s;
    RedisClusterConnection connection(o);
    connection.open();
    QTRY_VERIFY_WITH_TIMEOUT(connection.isReady(), 10000);
    SlowConsumerMonitor monitor;
    monitor.setInterval(200ms);
    monitor.start(&connection);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.limits().size(), 3, 10000);
    for (const NodeOutputLimit &l : monitor.limits())
        QCOMPARE(l.limit.softBytes, qint64(1024 * 1024));

    RedisServer *target = cluster.nodes().last();
    StalledSubscriber stalled(target->port(), "switchboard-relay:c1"_ba, "flood"_ba);
    QVERIFY(stalled.isSubscribed());
    RedisConnectionOptions direct;
    direct.url = RedisUrl::parse(target->url());
    RedisConnection publisher(direct);
    publisher.open();
    Flood flood(&publisher, "flood"_ba, 64 * 1024);
    QTRY_VERIFY_WITH_TIMEOUT(outputBytesOf(*target, u"switchboard-relay:c1"_s) > 0, 60000);
    flood.setPayloadBytes(8 * 1024);
    QTRY_VERIFY_WITH_TIMEOUT(monitor.warningCount() == 1, 30000);
    flood.stop();
    const SlowConsumer c = monitor.warnings().first();
    QCOMPARE(c.node, u"127.0.0.1:%1"_s.arg(target->port()));
    QCOMPARE(c.relay, u"c1"_s);
    QCOMPARE(c.softLimit, qint64(1024 * 1024));
}

QTEST_MAIN(tst_SlowConsumerMonitor)
#include "tst_slowconsumermonitor.moc"
