// SPDX-License-Identifier: MIT
#include "localbus.h"
#include "relayfixture.h"
#include "relaykeys.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

RelayServerOptions historyOptions(const QString &instance, qsizetype size = 1000)
{
    RelayServerOptions o;
    o.instanceId = instance;
    o.history.size = size;
    return o;
}

QJsonObject joinSince(const QJsonValue &room, const QString &since)
{
    return {{u"type"_s, u"join"_s}, {u"roomId"_s, room}, {u"since"_s, since}};
}

QJsonObject say(const QJsonValue &room, const QString &text)
{
    return {{u"type"_s, u"message"_s}, {u"roomId"_s, room}, {u"user"_s, u"p"_s}, {u"text"_s, text}};
}

QStringList textsOf(const TestClient *client, const QJsonValue &room)
{
    QStringList out;
    for (const auto &m : roomMessages(client, room))
        out.append(m.first);
    return out;
}

} // namespace

// History and recovery (docs/protocol.md, "History and recovery"): offsets on room messages, a
// join with "since" recovers exactly what came after it, then live messages, none twice.
class tst_RelayHistory : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(RelayFixture::init()); }
    void cleanupTestCase() { RelayFixture::cleanup(); }
    void cleanup() { releaseAndFlush(); }
    void offsets_data();
    void offsets();
    void seedClientsSeeNothingNewWithoutHistory();
    void recoversWhatCameAfter_data();
    void recoversWhatCameAfter();
    void noGapNoDuplicateWhilePublishing_data();
    void noGapNoDuplicateWhilePublishing();
    void trimmed_data();
    void trimmed();
    void reset_data();
    void reset();
    void historyOff();
    void recordedOnceWhenSentTwice_data();
    void recordedOnceWhenSentTwice();
    void ttl();
    void tenThousand_data();
    void tenThousand();
    void incompleteWhenTooFarBehind();
    void onACluster_data();
    void onACluster();

private:
    // Publishes texts through a client of relay and waits until a member (watcher) has them all.
    void publish(TestClient *from, TestClient *watcher, const QJsonValue &room, const QStringList &texts);
};

void tst_RelayHistory::publish(TestClient *from, TestClient *watcher, const QJsonValue &room,
                               const QStringList &texts)
{
    const qsizetype before = roomMessages(watcher, room).size();
    for (const QString &t : texts)
        from->send(say(room, t));
    QTRY_COMPARE_WITH_TIMEOUT(roomMessages(watcher, room).size(), before + texts.size(), 20000);
}

void tst_RelayHistory::offsets_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis") << false;
    QTest::newRow("in-process") << true;
}

void tst_RelayHistory::offsets()
{
    QFETCH(bool, inProcess);
    RelayServer *relay = startRelayWith(historyOptions(u"h1"_s), inProcess);
    TestClient *a = connectTo(relay->url());
    TestClient *b = connectTo(relay->url());
    QVERIFY(a->join(u"lobby"_s));
    QVERIFY(b->join(u"lobby"_s));
    publish(a, b, u"lobby"_s, numbered(u"m"_s, 1, 5));
    // The sender gets its own message with its offset too: from the bus, in the history's order.
    QTRY_COMPARE(roomMessages(a, u"lobby"_s).size(), 5);
    QString previous;
    for (const auto &[text, offset] : roomMessages(b, u"lobby"_s)) {
        QVERIFY2(!offset.isEmpty(), qPrintable(text));
        QVERIFY(previous.isEmpty() || offsetLess(previous, offset));
        previous = offset;
    }
    QCOMPARE(roomMessages(a, u"lobby"_s), roomMessages(b, u"lobby"_s));
    // Broadcasts keep no history and carry no offset.
    a->send(chat(u"to all"_s));
    const QJsonObject all = b->waitFor(textIs(u"to all"_s));
    QVERIFY(!all.contains("offset"_L1));
    if (!inProcess)
        QCOMPARE(m_redis->command({"XLEN", RelayKeys::historyKey({}, "room:lobby")}).toInteger(), 5);
}

void tst_RelayHistory::seedClientsSeeNothingNewWithoutHistory()
{
    RelayServerOptions o;
    o.instanceId = u"plain"_s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    a->send(joinFrame(u"lobby"_s));
    QCOMPARE(a->waitForType(u"joined"_s), (QJsonObject{{u"type"_s, u"joined"_s}, {u"roomId"_s, u"lobby"_s}}));
    a->send(say(u"lobby"_s, u"hi"_s));
    const QJsonObject m = a->waitFor(textIs(u"hi"_s));
    QVERIFY(!m.contains("offset"_L1));
    QCOMPARE(m_redis->command({"EXISTS", RelayKeys::historyKey({}, "room:lobby")}).toInteger(), 0);
}

void tst_RelayHistory::recoversWhatCameAfter_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::addColumn<bool>("otherRelay");
    QTest::newRow("redis, same relay") << false << false;
    QTest::newRow("redis, another relay") << false << true;
    QTest::newRow("in-process") << true << false;
}

void tst_RelayHistory::recoversWhatCameAfter()
{
    QFETCH(bool, inProcess);
    QFETCH(bool, otherRelay);
    RelayServer *first = startRelayWith(historyOptions(u"r1"_s), inProcess);
    RelayServer *second = otherRelay ? startRelayWith(historyOptions(u"r2"_s)) : first;
    TestClient *pub = connectTo(first->url());
    TestClient *watcher = connectTo(first->url());
    QVERIFY(watcher->join(7));
    publish(pub, watcher, 7, numbered(u"m"_s, 1, 10));
    const QString third = roomMessages(watcher, 7).at(2).second;

    TestClient *late = connectTo(second->url());
    late->send(joinSince(7, third));
    const QJsonObject joined = late->waitFor(joinedTo(7));
    QCOMPARE(joined.value("recovered"_L1), QJsonValue(true));
    QVERIFY(!joined.contains("reason"_L1));
    QTRY_COMPARE(textsOf(late, 7), numbered(u"m"_s, 4, 10));
    publish(pub, late, 7, {u"live"_s});
    QCOMPARE(textsOf(late, 7), numbered(u"m"_s, 4, 10) + QStringList{u"live"_s});
    // The joined frame came before the recovered messages.
    const QList<QJsonObject> frames = late->frames();
    QCOMPARE(frames.first().value("type"_L1).toString(), u"joined"_s);
    // The newest offset recovers nothing, and says so: recovered.
    TestClient *upToDate = connectTo(second->url());
    upToDate->send(joinSince(7, roomMessages(late, 7).last().second));
    QCOMPARE(upToDate->waitFor(joinedTo(7)).value("recovered"_L1), QJsonValue(true));
    publish(pub, upToDate, 7, {u"next"_s});
    QCOMPARE(textsOf(upToDate, 7), QStringList{u"next"_s});
}

void tst_RelayHistory::noGapNoDuplicateWhilePublishing_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis") << false;
    QTest::newRow("in-process") << true;
}

void tst_RelayHistory::noGapNoDuplicateWhilePublishing()
{
    QFETCH(bool, inProcess);
    RelayServerOptions o = historyOptions(u"g1"_s, 5000);
    o.history.pageSize = 7; // many pages, so live messages arrive between them
    o.limits.messagesPerSecond = 0;
    RelayServer *relay = startRelayWith(o, inProcess);
    TestClient *pub = connectTo(relay->url());
    TestClient *watcher = connectTo(relay->url());
    QVERIFY(watcher->join(u"busy"_s));
    publish(pub, watcher, u"busy"_s, numbered(u"m"_s, 1, 100));
    const QString since = roomMessages(watcher, u"busy"_s).at(9).second;
    TestClient *late = connectTo(relay->url());
    late->send(joinSince(u"busy"_s, since));
    // Published while the join subscribes, reads and catches up.
    for (int i = 101; i <= 300; ++i)
        pub->send(say(u"busy"_s, u"m"_s + QString::number(i)));
    QCOMPARE(late->waitFor(joinedTo(u"busy"_s)).value("recovered"_L1), QJsonValue(true));
    QTRY_COMPARE_WITH_TIMEOUT(roomMessages(late, u"busy"_s).size(), 290, 20000);
    QCOMPARE(textsOf(late, u"busy"_s), numbered(u"m"_s, 11, 300));
    QCOMPARE(roomMessages(late, u"busy"_s), roomMessages(watcher, u"busy"_s).mid(10));
    publish(pub, late, u"busy"_s, {u"after"_s});
    QCOMPARE(roomMessages(late, u"busy"_s).size(), 291);
}

void tst_RelayHistory::trimmed_data()
{
    offsets_data();
}

void tst_RelayHistory::trimmed()
{
    QFETCH(bool, inProcess);
    RelayServer *relay = startRelayWith(historyOptions(u"t1"_s, 5), inProcess);
    TestClient *pub = connectTo(relay->url());
    TestClient *watcher = connectTo(relay->url());
    QVERIFY(watcher->join(u"small"_s));
    publish(pub, watcher, u"small"_s, numbered(u"m"_s, 1, 10));
    const auto seen = roomMessages(watcher, u"small"_s);
    // m5 is the newest entry gone (the stream keeps m6..m10): from m5 on nothing is missing.
    TestClient *edge = connectTo(relay->url());
    edge->send(joinSince(u"small"_s, seen.at(4).second));
    QCOMPARE(edge->waitFor(joinedTo(u"small"_s)).value("recovered"_L1), QJsonValue(true));
    QTRY_COMPARE(textsOf(edge, u"small"_s), numbered(u"m"_s, 6, 10));
    // From m4, m5 is lost.
    TestClient *late = connectTo(relay->url());
    late->send(joinSince(u"small"_s, seen.at(3).second));
    const QJsonObject joined = late->waitFor(joinedTo(u"small"_s));
    QCOMPARE(joined.value("recovered"_L1), QJsonValue(false));
    QCOMPARE(joined.value("reason"_L1).toString(), u"offset_trimmed"_s);
    publish(pub, late, u"small"_s, {u"live"_s});
    QCOMPARE(textsOf(late, u"small"_s), QStringList{u"live"_s});
    QCOMPARE(relay->stats().recoveriesFailed, quint64(1));
}

void tst_RelayHistory::reset_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::addColumn<bool>("future");
    QTest::newRow("redis: the stream was dropped") << false << false;
    QTest::newRow("redis: an offset from the future") << false << true;
    QTest::newRow("in-process: an offset from the future") << true << true;
    QTest::newRow("in-process: an unknown room") << true << false;
}

void tst_RelayHistory::reset()
{
    QFETCH(bool, inProcess);
    QFETCH(bool, future);
    RelayServer *relay = startRelayWith(historyOptions(u"x1"_s), inProcess);
    TestClient *pub = connectTo(relay->url());
    TestClient *watcher = connectTo(relay->url());
    const QString room = !inProcess || future ? u"r"_s : u"elsewhere"_s;
    QVERIFY(watcher->join(u"r"_s));
    publish(pub, watcher, u"r"_s, numbered(u"m"_s, 1, 3));
    QString since = roomMessages(watcher, u"r"_s).at(0).second;
    if (future)
        since = u"99999999999999-0"_s;
    else if (!inProcess)
        m_redis->command(
            {"DEL", RelayKeys::historyKey({}, "room:r"), RelayKeys::historyKey({}, "room:r") + ":meta"});
    if (!future && !inProcess)
        publish(pub, watcher, u"r"_s, {u"after the reset"_s}); // a new stream, newer offsets
    TestClient *late = connectTo(relay->url());
    late->send(joinSince(room, since));
    const QJsonObject joined = late->waitFor(joinedTo(room));
    QCOMPARE(joined.value("recovered"_L1), QJsonValue(false));
    QCOMPARE(joined.value("reason"_L1).toString(), u"stream_reset"_s);
    QVERIFY(textsOf(late, room).isEmpty());
}

void tst_RelayHistory::historyOff()
{
    RelayServerOptions o;
    o.instanceId = u"nohistory"_s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    a->send(joinSince(u"lobby"_s, u"1733480000000-0"_s));
    const QJsonObject joined = a->waitFor(joinedTo(u"lobby"_s));
    QCOMPARE(joined.value("recovered"_L1), QJsonValue(false));
    QCOMPARE(joined.value("reason"_L1).toString(), u"history_off"_s);
    a->send(say(u"lobby"_s, u"hi"_s));
    QVERIFY(!a->waitFor(textIs(u"hi"_s)).isEmpty());
}

void tst_RelayHistory::recordedOnceWhenSentTwice_data()
{
    offsets_data();
}

void tst_RelayHistory::recordedOnceWhenSentTwice()
{
    // What the replay after a lost reply does: the same origin and sequence number again.
    QFETCH(bool, inProcess);
    RelayServer *relay = startRelayWith(historyOptions(u"d1"_s), inProcess);
    TestClient *watcher = connectTo(relay->url());
    QVERIFY(watcher->join(u"dup"_s));
    const QByteArray payload = R"({"type":"message","roomId":"dup","user":"u","text":"once"})";
    for (int i = 0; i < 3; ++i)
        relay->bus()->publishRecorded("room:dup", payload, "origin-1", 1);
    relay->bus()->publishRecorded("room:dup", payload, "origin-1", 2);
    QTRY_COMPARE(roomMessages(watcher, u"dup"_s).size(), 2);
    relay->bus()->publishRecorded("room:dup", R"({"type":"message","roomId":"dup","text":"last"})", {}, 0);
    QTRY_COMPARE(roomMessages(watcher, u"dup"_s).size(), 3);
    QCOMPARE(textsOf(watcher, u"dup"_s), (QStringList{u"once"_s, u"once"_s, u"last"_s}));
    if (!inProcess)
        QCOMPARE(m_redis->command({"XLEN", RelayKeys::historyKey({}, "room:dup")}).toInteger(), 3);
}

void tst_RelayHistory::ttl()
{
    RelayServerOptions o = historyOptions(u"ttl"_s);
    o.history.ttl = 120s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    QVERIFY(a->join(u"brief"_s));
    publish(a, a, u"brief"_s, {u"one"_s});
    const QByteArray key = RelayKeys::historyKey({}, "room:brief");
    for (const QByteArray &k : {key, key + ":meta"}) {
        const qint64 pttl = m_redis->command({"PTTL", k}).toInteger();
        QVERIFY2(pttl > 100'000 && pttl <= 120'000,
                 qPrintable(QString::fromLatin1(k) + u' ' + QString::number(pttl)));
    }
}

void tst_RelayHistory::tenThousand_data()
{
    offsets_data();
}

void tst_RelayHistory::tenThousand()
{
    QFETCH(bool, inProcess);
    RelayServerOptions o = historyOptions(u"big"_s, 20000);
    o.limits.messagesPerSecond = 0;
    RelayServer *relay = startRelayWith(o, inProcess);
    TestClient *pub = connectTo(relay->url());
    TestClient *watcher = connectTo(relay->url());
    QVERIFY(watcher->join(u"big"_s));
    watcher->send(say(u"big"_s, u"start"_s));
    QTRY_COMPARE(roomMessages(watcher, u"big"_s).size(), 1);
    const QString since = roomMessages(watcher, u"big"_s).first().second;
    for (int i = 1; i <= 10000; ++i)
        pub->send(say(u"big"_s, u"m"_s + QString::number(i)));
    QTRY_COMPARE_WITH_TIMEOUT(roomMessages(watcher, u"big"_s).size(), 10001, 60000);
    TestClient *late = connectTo(relay->url());
    late->send(joinSince(u"big"_s, since));
    QCOMPARE(late->waitFor(joinedTo(u"big"_s), 20000).value("recovered"_L1), QJsonValue(true));
    QTRY_COMPARE_WITH_TIMEOUT(roomMessages(late, u"big"_s).size(), 10000, 60000);
    QCOMPARE(textsOf(late, u"big"_s), numbered(u"m"_s, 1, 10000));
    QCOMPARE(relay->stats().recoveredMessages, quint64(10000));
}

void tst_RelayHistory::incompleteWhenTooFarBehind()
{
    RelayServerOptions o = historyOptions(u"behind"_s, 5000);
    o.history.pageSize = 1;
    o.history.maxBuffered = 3;
    o.limits.messagesPerSecond = 0;
    RelayServer *relay = startRelayWith(o);
    TestClient *pub = connectTo(relay->url());
    TestClient *watcher = connectTo(relay->url());
    QVERIFY(watcher->join(u"slow"_s));
    publish(pub, watcher, u"slow"_s, numbered(u"m"_s, 1, 200));
    TestClient *late = connectTo(relay->url());
    late->send(joinSince(u"slow"_s, roomMessages(watcher, u"slow"_s).first().second));
    for (int i = 201; i <= 260; ++i)
        pub->send(say(u"slow"_s, u"m"_s + QString::number(i)));
    const QJsonObject error =
        late->waitFor([](const QJsonObject &f) { return f.value("type"_L1) == "error"_L1; }, 20000);
    QCOMPARE(error.value("code"_L1).toString(), u"recovery_incomplete"_s);
    QCOMPARE(error.value("roomId"_L1).toString(), u"slow"_s);
    QCOMPARE(relay->stats().recoveriesIncomplete, quint64(1));
    // Still a member: live messages keep coming.
    pub->send(say(u"slow"_s, u"still here"_s));
    QVERIFY(!late->waitFor(textIs(u"still here"_s), 20000).isEmpty());
}

void tst_RelayHistory::onACluster_data()
{
    QTest::addColumn<RedisBusOptions::ClusterPubSub>("mode");
    QTest::newRow("sharded") << RedisBusOptions::ClusterPubSub::Sharded;
    QTest::newRow("classic") << RedisBusOptions::ClusterPubSub::Classic;
}

void tst_RelayHistory::onACluster()
{
    QFETCH(RedisBusOptions::ClusterPubSub, mode);
    TestCluster *nodes = cluster();
    QVERIFY(nodes);
    RedisBusOptions bo;
    bo.clusterPubSub = mode;
    RelayServer *first = startRelayOn(historyOptions(u"c1"_s), nodes->url(), bo);
    RelayServer *second = startRelayOn(historyOptions(u"c2"_s), nodes->url(), bo);
    const QString tag = QString::fromLatin1(QTest::currentDataTag());
    // Rooms on every shard.
    for (int r = 0; r < 6; ++r) {
        const QString room = tag + u"-room"_s + QString::number(r);
        TestClient *pub = connectTo(first->url());
        TestClient *watcher = connectTo(first->url());
        QVERIFY(watcher->join(room));
        publish(pub, watcher, room, numbered(u"m"_s, 1, 20));
        TestClient *late = connectTo(second->url());
        late->send(joinSince(room, roomMessages(watcher, room).at(4).second));
        QCOMPARE(late->waitFor(joinedTo(room)).value("recovered"_L1), QJsonValue(true));
        publish(pub, late, room, {u"live"_s});
        QCOMPARE(textsOf(late, room), numbered(u"m"_s, 6, 20) + QStringList{u"live"_s});
    }
}

QTEST_MAIN(tst_RelayHistory)
#include "tst_relayhistory.moc"
