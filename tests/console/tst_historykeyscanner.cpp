// SPDX-License-Identifier: MIT
// HistoryKeyScanner on a real redis-server and a real 3-primary Redis Cluster: the history streams the
// relays write (docs/formats: RelayKeys::historyKey) are found, nothing else is, and the limits hold.
#include "historykeyscanner.h"
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "relaykeys.h"
#include "testcluster.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QByteArray Message = R"({"type":"message","roomId":"lobby","user":"alice","text":"hi"})";
} // namespace

class tst_HistoryKeyScanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parseKey_data();
    void parseKey();
    void pattern();
    void findsStreams_data();
    void findsStreams();
    void stopsAtLimits();
    void detachEmpties();

private:
    // Writes a key on the server or, with a Cluster, on the owner of its slot.
    void write(const QByteArrayList &args, bool cluster);
    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<TestCluster> m_cluster;
};

void tst_HistoryKeyScanner::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_cluster = std::make_unique<TestCluster>(3, 0);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
}

void tst_HistoryKeyScanner::write(const QByteArrayList &args, bool cluster)
{
    const RedisValue r = cluster ? m_cluster->commandFor(args[1], args) : m_server->command(args);
    QVERIFY2(!r.isError(), r.bytes().constData());
}

void tst_HistoryKeyScanner::parseKey_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("channel");
    QTest::newRow("no prefix") << "history:{room:lobby}"_ba << true << ""_ba
                               << "room:lobby"_ba;
    QTest::newRow("prefix") << "app:history:{app:room:lobby}"_ba << true << "app:"_ba
                            << "app:room:lobby"_ba;
    QTest::newRow("braces") << RelayKeys::historyKey("", "room:{x}y") << true << ""_ba
                            << "room:{x}y"_ba;
    QTest::newRow("prefix with history:{")
        << RelayKeys::historyKey("history:{a", "history:{aroom:1") << true << "history:{a"_ba
        << "history:{aroom:1"_ba;
    QTest::newRow("meta") << "app:history:{app:room:lobby}:meta"_ba << false << ""_ba
                          << ""_ba;
    QTest::newRow("meta of braces") << RelayKeys::historyKey("", "room:{x}y") + ":meta" << false << ""_ba
                                    << ""_ba;
    QTest::newRow("presence") << RelayKeys::presenceKey("", "room:lobby") << false << ""_ba
                              << ""_ba;
    QTest::newRow("channel without prefix") << "app:history:{room:lobby}"_ba << false << ""_ba
                                            << ""_ba;
    QTest::newRow("empty channel") << "history:{}"_ba << false << ""_ba
                                   << ""_ba;
    QTest::newRow("no braces") << "history:room:lobby"_ba << false << ""_ba
                               << ""_ba;
    QTest::newRow("wrong tag") << "history:{zz}room:{x}y"_ba << false << ""_ba
                               << ""_ba;
}

void tst_HistoryKeyScanner::parseKey()
{
    QFETCH(QByteArray, key);
    QFETCH(bool, valid);
    const auto name = HistoryKeyScanner::parseKey(key);
    QCOMPARE(name.has_value(), valid);
    if (valid) {
        QFETCH(QByteArray, prefix);
        QFETCH(QByteArray, channel);
        QCOMPARE(name->prefix, prefix);
        QCOMPARE(name->channel, channel);
    }
}

void tst_HistoryKeyScanner::pattern()
{
    HistoryKeyScanner scanner;
    QCOMPARE(scanner.pattern(), "*history:*"_ba);
    scanner.setPrefixes({"app:"});
    QCOMPARE(scanner.pattern(), "app:history:*"_ba);
    scanner.setPrefixes({"a*[b]?\\:"});
    QCOMPARE(scanner.pattern(), "a\\*\\[b\\]\\?\\\\:history:*"_ba);
    scanner.setPrefixes({"a:", "b:"});
    QCOMPARE(scanner.pattern(), "*history:*"_ba);
}

void tst_HistoryKeyScanner::findsStreams_data()
{
    QTest::addColumn<bool>("cluster");
    QTest::newRow("standalone") << false;
    QTest::newRow("cluster") << true;
}

void tst_HistoryKeyScanner::findsStreams()
{
    QFETCH(bool, cluster);
    const QByteArrayList rooms{"room:lobby", "room:{x}y", "app:room:a", "app:room:b", "room:12"};
    for (const QByteArray &channel : rooms) {
        const QByteArray key = RelayKeys::historyKey(channel.startsWith("app:") ? "app:" : "", channel);
        write({"XADD", key, "MAXLEN", "100", "*", "m", Message}, cluster);
        write({"HSET", key + ":meta", "epoch", "1"}, cluster);
    }
    write({"SET", "history:not-a-stream", "x"}, cluster);
    write({"HSET", RelayKeys::presenceKey("", "room:lobby"), "r1:c1", "{}"}, cluster);
    for (int i = 0; i < 50; ++i)
        write({"SET", "other:" + QByteArray::number(i), "x"}, cluster);

    RedisConnectionOptions o;
    o.url = RedisUrl::parse(cluster ? m_cluster->url() : m_server->url());
    std::unique_ptr<RedisConnection> server;
    std::unique_ptr<RedisClusterConnection> clusterConnection;
    HistoryKeyScanner scanner;
    if (cluster) {
        clusterConnection = std::make_unique<RedisClusterConnection>(o);
        clusterConnection->open();
        QTRY_VERIFY(clusterConnection->isReady());
        scanner.attachCluster(clusterConnection.get());
    } else {
        server = std::make_unique<RedisConnection>(o);
        server->open();
        scanner.attach(server.get());
    }
    QSignalSpy scanned(&scanner, &HistoryKeyScanner::scanned);
    scanner.scan();
    QVERIFY(scanner.isScanning());
    QVERIFY(scanned.wait());
    QCOMPARE(scanner.channels(), QSet<QByteArray>(rooms.cbegin(), rooms.cend()));
    QVERIFY(!scanner.isPartial());
    QVERIFY2(scanner.lastError().isEmpty(), qPrintable(scanner.lastError()));
    QCOMPARE(scanned.at(0).at(0).value<QByteArrayList>().size(), rooms.size());
    if (cluster) {
        // The streams are spread over more than one primary: every primary was scanned.
        QSet<RedisServer *> owners;
        for (const QByteArray &channel : rooms)
            owners.insert(m_cluster->primaryOf(RedisClusterTopology::keySlot(channel)));
        QVERIFY(owners.size() > 1);
    }

    // A stream that went is reported as changed; scanIfDue waits for the interval.
    write({"DEL", RelayKeys::historyKey("", "room:lobby")}, cluster);
    scanner.setMinInterval(std::chrono::hours(1));
    scanner.scanIfDue();
    QVERIFY(!scanner.isScanning());
    scanner.scan();
    QVERIFY(scanned.wait());
    QCOMPARE(scanned.at(1).at(0).value<QByteArrayList>(), QByteArrayList{"room:lobby"});
    QVERIFY(!scanner.hasHistory("room:lobby"));
    QVERIFY(scanner.hasHistory("app:room:a"));

    // One prefix: only its streams.
    scanner.setPrefixes({"app:"});
    scanner.scan();
    QVERIFY(scanned.wait());
    QCOMPARE(scanner.channels(), (QSet<QByteArray>{"app:room:a", "app:room:b"}));
    for (const QByteArray &channel : rooms)
        write({"DEL", RelayKeys::historyKey(channel.startsWith("app:") ? "app:" : "", channel)}, cluster);
}

void tst_HistoryKeyScanner::stopsAtLimits()
{
    for (int i = 0; i < 200; ++i)
        write({"SET", "filler:" + QByteArray::number(i), "x"}, false);
    write({"XADD", RelayKeys::historyKey("", "room:kept"), "*", "m", Message}, false);
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_server->url());
    RedisConnection server(o);
    server.open();
    HistoryKeyScanner scanner;
    scanner.attach(&server);
    QSignalSpy scanned(&scanner, &HistoryKeyScanner::scanned);
    scanner.scan();
    QVERIFY(scanned.wait());
    QVERIFY(scanner.hasHistory("room:kept"));
    QVERIFY(!scanner.isPartial());

    // Two SCAN calls of 5 keys do not reach through 200 keys: partial, and what was found stays.
    scanner.setLimits({5, 2, 1000});
    scanner.scan();
    QVERIFY(scanned.wait());
    QVERIFY(scanner.isPartial());
    QVERIFY2(scanner.lastError().contains(u"limit of 2 SCAN calls"_s), qPrintable(scanner.lastError()));
    QVERIFY(scanner.hasHistory("room:kept"));

    // At most one channel per round: a scanner that found nothing before keeps one.
    write({"XADD", RelayKeys::historyKey("", "room:kept2"), "*", "m", Message}, false);
    HistoryKeyScanner small;
    small.attach(&server);
    small.setLimits({1000, 100, 1});
    QSignalSpy smallScanned(&small, &HistoryKeyScanner::scanned);
    small.scan();
    QVERIFY(smallScanned.wait());
    QCOMPARE(small.channels().size(), 1);
    QVERIFY(small.isPartial());
}

void tst_HistoryKeyScanner::detachEmpties()
{
    write({"XADD", RelayKeys::historyKey("", "room:d"), "*", "m", Message}, false);
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_server->url());
    RedisConnection server(o);
    server.open();
    HistoryKeyScanner scanner;
    scanner.attach(&server);
    QSignalSpy scanned(&scanner, &HistoryKeyScanner::scanned);
    scanner.scan();
    QVERIFY(scanned.wait());
    QVERIFY(scanner.hasHistory("room:d"));
    scanner.detach();
    QVERIFY(scanner.channels().isEmpty());
    QCOMPARE(scanned.size(), 2);
    QVERIFY(scanned.at(1).at(0).value<QByteArrayList>().contains("room:d"));
    // Detached: a scan does nothing.
    scanner.scan();
    QVERIFY(!scanner.isScanning());
}

QTEST_MAIN(tst_HistoryKeyScanner)
#include "tst_historykeyscanner.moc"
