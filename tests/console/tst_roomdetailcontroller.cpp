// SPDX-License-Identifier: MIT
// RoomDetailController on a real redis-server and a real Redis Cluster, the keys written as the relay
// writes them (docs/formats): presence across relays with expired and malformed entries skipped, the
// history paged newest first, the stream's figures, and what it says when a key is missing.
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "redissentinelset.h"
#include "redisserver.h"
#include "relaykeys.h"
#include "roomdetailcontroller.h"
#include "roomhistorymodel.h"
#include "roompresencemodel.h"
#include "testcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using State = RoomDetailController::KeyState;

enum class Topology { Standalone, Sentinel, Cluster };
Q_DECLARE_METATYPE(Topology)

namespace {
QByteArray message(int n)
{
    return R"({"type":"message","roomId":"lobby","user":"u)" + QByteArray::number(n) + R"(","text":"hello )" +
           QByteArray::number(n) + R"("})";
}

QByteArray presence(const QByteArray &user, qint64 since, const QByteArray &relay, qint64 expires)
{
    return R"({"user":)" + user + R"(,"since":)" + QByteArray::number(since) + R"(,"relay":")" + relay +
           R"(","expires":)" + QByteArray::number(expires) + '}';
}

QByteArrayList offsetsOf(const RoomHistoryModel *model)
{
    QByteArrayList out;
    for (int row = 0; row < model->rowCount(); ++row)
        out.append(model->index(row, 0).data(RoomHistoryModel::OffsetRole).toByteArray().split('-').back());
    return out;
}
} // namespace

class tst_RoomDetailController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void prefixOf_data();
    void prefixOf();
    void readsRoom_data();
    void readsRoom();
    void missingKeys();
    void wrongTypes();
    void refreshesWhileActive();

private:
    RedisValue run(const QByteArrayList &args, Topology topology = Topology::Standalone);
    void attach(RoomDetailController &c, Topology topology = Topology::Standalone);
    std::unique_ptr<RedisServer> m_server;
    std::unique_ptr<RedisSentinelSet> m_sentinels;
    std::unique_ptr<TestCluster> m_cluster;
    std::unique_ptr<RedisConnection> m_connection;
    std::unique_ptr<RedisConnection> m_sentinelConnection;
    std::unique_ptr<RedisClusterConnection> m_clusterConnection;
};

void tst_RoomDetailController::initTestCase()
{
    m_server = std::make_unique<RedisServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_cluster = std::make_unique<TestCluster>(3, 0);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
    m_sentinels = std::make_unique<RedisSentinelSet>();
    QVERIFY(m_sentinels->start());
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_sentinels->url());
    m_sentinelConnection = std::make_unique<RedisConnection>(o);
    m_sentinelConnection->open();
    o.url = RedisUrl::parse(m_server->url());
    m_connection = std::make_unique<RedisConnection>(o);
    m_connection->open();
    o.url = RedisUrl::parse(m_cluster->url());
    m_clusterConnection = std::make_unique<RedisClusterConnection>(o);
    m_clusterConnection->open();
    QTRY_VERIFY(m_connection->isReady() && m_clusterConnection->isReady() && m_sentinelConnection->isReady());
}

RedisValue tst_RoomDetailController::run(const QByteArrayList &args, Topology topology)
{
    switch (topology) {
    case Topology::Cluster:
        return m_cluster->commandFor(args[1], args);
    case Topology::Sentinel:
        return m_sentinels->primary().command(args);
    case Topology::Standalone:
        break;
    }
    return m_server->command(args);
}

void tst_RoomDetailController::attach(RoomDetailController &c, Topology topology)
{
    if (topology == Topology::Cluster)
        c.attachCluster(m_clusterConnection.get());
    else
        c.attach(topology == Topology::Sentinel ? m_sentinelConnection.get() : m_connection.get());
}

void tst_RoomDetailController::prefixOf_data()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("prefix");
    QTest::newRow("none") << "room:lobby"_ba
                          << ""_ba;
    QTest::newRow("app") << "app:room:lobby"_ba
                         << "app:"_ba;
    QTest::newRow("room in the id") << "a:room:b:room:c"_ba
                                    << "a:"_ba;
    QTest::newRow("not a room") << "broadcast"_ba
                                << ""_ba;
}

void tst_RoomDetailController::prefixOf()
{
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, prefix);
    QCOMPARE(RoomDetailController::prefixOf(channel), prefix);
}

void tst_RoomDetailController::readsRoom_data()
{
    QTest::addColumn<Topology>("topology");
    QTest::newRow("standalone") << Topology::Standalone;
    QTest::newRow("sentinel") << Topology::Sentinel;
    QTest::newRow("cluster") << Topology::Cluster;
}

void tst_RoomDetailController::readsRoom()
{
    QFETCH(Topology, topology);
    const QByteArray channel = "app:room:lobby";
    const QByteArray history = RelayKeys::historyKey("app:", channel);
    const QByteArray presenceKey = RelayKeys::presenceKey("app:", channel);
    for (int i = 1; i <= 7; ++i)
        QVERIFY(!run({"XADD", history, "MAXLEN", "100", "1700000000000-" + QByteArray::number(i), "m",
                      message(i)},
                     topology)
                     .isError());
    const auto time = run({"TIME"}).elements(); // the machine's clock, as the cluster's
    const qint64 now = time[0].bytes().toLongLong() * 1000;
    run({"HSET", presenceKey, "r1:c1", presence(R"("alice")", now - 5000, "r1", now + 30000), "r2:c7",
         presence("null", now - 2000, "r2", now + 30000), "r3:c1",
         presence(R"("ghost")", now - 9000, "r3", now - 1000), "r2:c8", "not json"},
        topology);

    RoomDetailController c;
    QAbstractItemModelTester presenceTester(c.presenceModel());
    QAbstractItemModelTester historyTester(c.historyModel());
    c.setLimits({3, 1000, std::chrono::milliseconds(0)});
    attach(c, topology);
    QSignalSpy historyChanged(&c, &RoomDetailController::historyChanged);
    QSignalSpy presenceChanged(&c, &RoomDetailController::presenceChanged);
    c.setRoom(channel);
    QCOMPARE(c.prefix(), "app:"_ba);
    QCOMPARE(c.historyKey(), history);
    QTRY_COMPARE(c.presenceState(), State::Present);
    QTRY_COMPARE(c.historyState(), State::Present);

    // Presence: the live entries of two relays; the dead relay's and the malformed one are skipped.
    const RoomPresenceModel *p = c.presenceModel();
    QCOMPARE(p->rowCount(), 2);
    QCOMPARE(p->index(0, RoomPresenceModel::User).data().toString(), u"alice"_s);
    QCOMPARE(p->index(0, 0).data(RoomPresenceModel::UserRole).toString(), u"alice"_s);
    QVERIFY(p->index(1, 0).data(RoomPresenceModel::UserRole).isNull());
    QCOMPARE(p->index(1, 0).data(RoomPresenceModel::RelayRole).toString(), u"r2"_s);
    QCOMPARE(p->index(1, RoomPresenceModel::Connection).data().toString(), u"c7"_s);
    QCOMPARE(p->index(0, 0).data(RoomPresenceModel::SinceRole).toDateTime().toMSecsSinceEpoch(), now - 5000);
    QCOMPARE(p->relayCount(), 2);
    QCOMPARE(c.expiredEntries(), 1);
    QCOMPARE(c.badEntries(), 1);
    QVERIFY2(c.presenceError().contains(u"r2:c8"_s), qPrintable(c.presenceError()));
    QVERIFY(c.redisTimeMs() >= now);

    // History: the newest page first, then older, older, newer, newer.
    const RoomHistoryModel *h = c.historyModel();
    QCOMPARE(c.historyLength(), 7);
    QVERIFY(c.historyMemoryBytes() > 0);
    QCOMPARE(c.historyTtlMs(), -1);
    QCOMPARE(offsetsOf(h), (QByteArrayList{"7", "6", "5"}));
    QVERIFY(c.hasOlder());
    QVERIFY(!c.hasNewer());
    QCOMPARE(h->index(0, RoomHistoryModel::User).data().toString(), u"u7"_s);
    QCOMPARE(h->index(0, RoomHistoryModel::Text).data().toString(), u"hello 7"_s);
    QCOMPARE(h->index(0, 0).data(RoomHistoryModel::TimeRole).toDateTime().toMSecsSinceEpoch(), 1700000000000);
    QVERIFY(h->index(0, 0)
                .data(RoomHistoryModel::PrettyJsonRole)
                .toString()
                .contains(u"\n    \"text\": \"hello 7\""_s));
    const auto page = [&](void (RoomDetailController::*step)(), const QByteArrayList &expected, bool older,
                          bool newer) {
        const auto before = historyChanged.size();
        (c.*step)();
        QTRY_VERIFY(historyChanged.size() > before);
        QCOMPARE(offsetsOf(h), expected);
        QCOMPARE(c.hasOlder(), older);
        QCOMPARE(c.hasNewer(), newer);
    };
    page(&RoomDetailController::showOlder, {"4", "3", "2"}, true, true);
    page(&RoomDetailController::showOlder, {"1"}, false, true);
    page(&RoomDetailController::showNewer, {"4", "3", "2"}, true, true);
    page(&RoomDetailController::showNewer, {"7", "6", "5"}, true, false);

    // A refresh while browsing keeps the page; the stream's TTL shows.
    page(&RoomDetailController::showOlder, {"4", "3", "2"}, true, true);
    run({"PEXPIRE", history, "600000"}, topology);
    page(&RoomDetailController::refresh, {"4", "3", "2"}, true, true);
    QVERIFY(c.historyTtlMs() > 590000);
    run({"DEL", history, presenceKey}, topology);
}

void tst_RoomDetailController::missingKeys()
{
    RoomDetailController c;
    attach(c);
    c.setRoom("room:nothing");
    QTRY_COMPARE(c.historyState(), State::Missing);
    QTRY_COMPARE(c.presenceState(), State::Missing);
    QCOMPARE(c.historyModel()->rowCount(), 0);
    QCOMPARE(c.presenceModel()->rowCount(), 0);
    QCOMPARE(c.historyLength(), 0);
    QVERIFY(!c.hasOlder());
    // Detached: everything unknown again.
    c.detach();
    QCOMPARE(c.historyState(), State::Unknown);
    QCOMPARE(c.presenceState(), State::Unknown);
}

void tst_RoomDetailController::wrongTypes()
{
    const QByteArray channel = "room:odd";
    run({"SET", RelayKeys::historyKey("", channel), "x"});
    run({"SET", RelayKeys::presenceKey("", channel), "x"});
    RoomDetailController c;
    attach(c);
    c.setRoom(channel);
    QTRY_COMPARE(c.historyState(), State::WrongType);
    QTRY_COMPARE(c.presenceState(), State::WrongType);
    QVERIFY2(c.historyError().contains(u"not a stream"_s), qPrintable(c.historyError()));
    QVERIFY2(c.presenceError().contains(u"not a hash"_s), qPrintable(c.presenceError()));
}

void tst_RoomDetailController::refreshesWhileActive()
{
    const QByteArray channel = "room:live";
    const QByteArray history = RelayKeys::historyKey("", channel);
    run({"XADD", history, "*", "m", message(1)});
    RoomDetailController c;
    c.setLimits({10, 1000, std::chrono::milliseconds(50)});
    attach(c);
    c.setRoom(channel);
    QTRY_COMPARE(c.historyModel()->rowCount(), 1);
    c.setActive(true);
    run({"XADD", history, "*", "m", message(2)});
    QTRY_COMPARE(c.historyModel()->rowCount(), 2);
    QCOMPARE(c.historyModel()->index(0, RoomHistoryModel::Text).data().toString(), u"hello 2"_s);
    // Inactive: no more refreshes.
    c.setActive(false);
    run({"XADD", history, "*", "m", message(3)});
    QTest::qWait(0); // nothing pending that could have run
    QVERIFY(!c.isActive());
    QCOMPARE(c.historyModel()->rowCount(), 2);
    c.refresh();
    QTRY_COMPARE(c.historyModel()->rowCount(), 3);
}

QTEST_MAIN(tst_RoomDetailController)
#include "tst_roomdetailcontroller.moc"
