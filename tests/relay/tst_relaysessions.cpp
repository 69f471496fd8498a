// SPDX-License-Identifier: MIT
#include "jwtverifier.h"
#include "redisclustertopology.h"
#include "relayfixture.h"
#include "relaykeys.h"
#include "testcluster.h"

#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray Secret = "0123456789abcdef0123456789abcdef-sessions-secret";

RelayServerOptions sessionOptions(const QString &instance, std::chrono::seconds ttl = 300s)
{
    RelayServerOptions o;
    o.instanceId = instance;
    o.sessions.enabled = true;
    o.sessions.ttl = ttl;
    return o;
}

QJsonObject resumeFrame(const QString &session, const QJsonObject &offsets = {})
{
    QJsonObject o{{u"type"_s, u"resume"_s}, {u"session"_s, session}};
    if (!offsets.isEmpty())
        o.insert(u"offsets"_s, offsets);
    return o;
}

std::function<bool(const QJsonObject &)> typeIs(const QString &type)
{
    return [type](const QJsonObject &o) {
        return o.value("type"_L1).toString() == type;
    };
}

} // namespace

// Sessions (docs/protocol.md, "Sessions"): joined names the session, a resume on any relay gets
// its rooms back, unknown, expired and foreign sessions get session_unknown and nothing else.
class tst_RelaySessions : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(RelayFixture::init()); }
    void cleanupTestCase() { RelayFixture::cleanup(); }
    void cleanup() { releaseAndFlush(); }
    void joinedNamesTheSession_data();
    void joinedNamesTheSession();
    void offByDefault();
    void resumeRejoinsRooms_data();
    void resumeRejoinsRooms();
    void unknownSessions_data();
    void unknownSessions();
    void sessionOfAnotherSubject();
    void keptForTheTtlAfterDisconnect();
    void restoredWhenRedisLosesIt();
    void malformedResume_data();
    void malformedResume();
    void resumeOnACluster_data();
    void resumeOnACluster();

private:
    // A client of relay that joined rooms and returns its session id.
    QString joinRooms(TestClient *client, const QList<QJsonValue> &rooms);
};

QString tst_RelaySessions::joinRooms(TestClient *client, const QList<QJsonValue> &rooms)
{
    QString session;
    for (const QJsonValue &room : rooms) {
        client->send(joinFrame(room));
        const QJsonObject joined = client->waitFor([room](const QJsonObject &o) {
            return o.value("type"_L1) == "joined"_L1 && o.value("roomId"_L1) == room;
        });
        if (joined.isEmpty())
            return {};
        const QString s = joined.value("session"_L1).toString();
        if (!session.isEmpty() && s != session)
            return {}; // one session per connection
        session = s;
    }
    return session;
}

void tst_RelaySessions::joinedNamesTheSession_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis") << false;
    QTest::newRow("in-process") << true;
}

void tst_RelaySessions::joinedNamesTheSession()
{
    QFETCH(bool, inProcess);
    RelayServer *relay = startRelayWith(sessionOptions(u"s1"_s), inProcess);
    TestClient *a = connectTo(relay->url());
    TestClient *b = connectTo(relay->url());
    const QString sa = joinRooms(a, {u"lobby"_s, 7});
    const QString sb = joinRooms(b, {u"lobby"_s});
    QCOMPARE(sa.size(), 22); // 128 bits, base64url
    QVERIFY(QRegularExpression(u"^[A-Za-z0-9_-]{22}$"_s).match(sa).hasMatch());
    QVERIFY(sb != sa);
    if (inProcess)
        return;
    const QByteArray key = RelayKeys::sessionKey({}, sa.toLatin1());
    QTRY_COMPARE(m_redis->command({"HGET", key, "relay"}).bytes(), "s1"_ba);
    const RedisValue rooms = m_redis->command({"HGETALL", RelayKeys::sessionRoomsKey({}, sa.toLatin1())});
    QCOMPARE(rooms.elements().size(), size_t(4));
    const qint64 ttl = m_redis->command({"TTL", key}).toInteger();
    QVERIFY2(ttl > 290 && ttl <= 300, QByteArray::number(ttl));
}

void tst_RelaySessions::offByDefault()
{
    RelayServerOptions o;
    o.instanceId = u"plain"_s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    a->send(joinFrame(u"lobby"_s));
    const QJsonObject joined = a->waitForType(u"joined"_s);
    // Exactly what a seed client saw before sessions existed.
    QCOMPARE(joined, (QJsonObject{{u"type"_s, u"joined"_s}, {u"roomId"_s, u"lobby"_s}}));
    a->send(resumeFrame(u"AAAAAAAAAAAAAAAAAAAAAA"_s));
    QCOMPARE(a->waitForType(u"error"_s).value("code"_L1).toString(), u"session_unknown"_s);
    QCOMPARE(m_redis->command({"DBSIZE"}).toInteger(), 0);
}

void tst_RelaySessions::resumeRejoinsRooms_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis, another relay") << false;
    QTest::newRow("in-process, the same relay") << true;
}

void tst_RelaySessions::resumeRejoinsRooms()
{
    QFETCH(bool, inProcess);
    RelayServer *first = startRelayWith(sessionOptions(u"r1"_s), inProcess);
    RelayServer *second = inProcess ? first : startRelayWith(sessionOptions(u"r2"_s));
    TestClient *a = connectTo(first->url());
    const QString session = joinRooms(a, {u"lobby"_s, 42, u"gone"_s});
    QVERIFY(!session.isEmpty());
    a->send({{u"type"_s, u"leave"_s}, {u"roomId"_s, u"gone"_s}});
    QVERIFY(!a->waitForType(u"left"_s).isEmpty());
    a->close();
    QVERIFY(a->waitForClose());

    TestClient *b = connectTo(second->url());
    b->send(resumeFrame(session));
    const QJsonObject resumed = b->waitForType(u"resumed"_s);
    QCOMPARE(resumed.value("session"_L1).toString(), session);
    QJsonArray rooms = resumed.value("rooms"_L1).toArray();
    QCOMPARE(rooms.size(), 2);
    QVERIFY(rooms.contains(u"lobby"_s));
    QVERIFY(rooms.contains(42)); // the room id as it was joined: a number stays a number
    for (const QJsonValue &room : {QJsonValue(u"lobby"_s), QJsonValue(42)}) {
        const QJsonObject joined = b->waitFor([room](const QJsonObject &o) {
            return o.value("type"_L1) == "joined"_L1 && o.value("roomId"_L1) == room;
        });
        QCOMPARE(joined.value("session"_L1).toString(), session);
        QVERIFY(!joined.contains("recovered"_L1)); // no offset named: nothing to recover
    }
    QCOMPARE(b->count(typeIs(u"joined"_s)), 2);
    // b is a member again: a message from the first relay's side reaches it.
    TestClient *c = connectTo(first->url());
    c->send(chat(u"welcome back"_s, u"lobby"_s));
    QVERIFY(!b->waitFor(textIs(u"welcome back"_s)).isEmpty());
    // A room joined after the resume belongs to the same session.
    QCOMPARE(joinRooms(b, {u"later"_s}), session);
}

void tst_RelaySessions::unknownSessions_data()
{
    QTest::addColumn<QString>("session");
    QTest::newRow("never given out") << u"AAAAAAAAAAAAAAAAAAAAAA"_s;
    QTest::newRow("not an id") << u"../../etc"_s;
    QTest::newRow("empty") << QString();
}

void tst_RelaySessions::unknownSessions()
{
    QFETCH(QString, session);
    RelayServer *relay = startRelayWith(sessionOptions(u"u1"_s));
    TestClient *a = connectTo(relay->url());
    a->send(resumeFrame(session));
    const QJsonObject error = a->waitForType(u"error"_s);
    QCOMPARE(error.value("code"_L1).toString(), u"session_unknown"_s);
    // ... and nothing else happens: no resumed, no joined, no key written, no room opened.
    a->send({{u"type"_s, u"ping"_s}});
    QVERIFY(!a->waitForType(u"pong"_s).isEmpty());
    QCOMPARE(a->frames().size(), 2);
    QCOMPARE(relay->roomCount(), 0);
    QCOMPARE(m_redis->command({"KEYS", "*session*"}).elements().size(), size_t(0));
}

void tst_RelaySessions::sessionOfAnotherSubject()
{
    RelayServerOptions o = sessionOptions(u"t1"_s);
    o.auth.jwtSecret = Secret;
    RelayServer *relay = startRelayWith(o);
    auto urlFor = [relay](const QString &subject) {
        QUrl url = relay->url();
        url.setQuery(u"token="_s + QString::fromLatin1(JwtVerifier::sign({{u"sub"_s, subject}}, Secret)));
        return url;
    };
    TestClient *alice = connectTo(urlFor(u"alice"_s));
    const QString session = joinRooms(alice, {u"lobby"_s});
    QVERIFY(!session.isEmpty());
    TestClient *mallory = connectTo(urlFor(u"mallory"_s));
    mallory->send(resumeFrame(session));
    QCOMPARE(mallory->waitForType(u"error"_s).value("code"_L1).toString(), u"session_unknown"_s);
    QCOMPARE(mallory->count(typeIs(u"joined"_s)), 0);
    TestClient *alice2 = connectTo(urlFor(u"alice"_s));
    alice2->send(resumeFrame(session));
    QCOMPARE(alice2->waitForType(u"resumed"_s).value("rooms"_L1).toArray(), QJsonArray{u"lobby"_s});
    QCOMPARE(mallory->count(typeIs(u"resumed"_s)), 0);
}

void tst_RelaySessions::keptForTheTtlAfterDisconnect()
{
    RelayServer *relay = startRelayWith(sessionOptions(u"k1"_s, 2s));
    TestClient *a = connectTo(relay->url());
    const QString session = joinRooms(a, {u"lobby"_s});
    const QByteArray key = RelayKeys::sessionKey({}, session.toLatin1());
    QTRY_COMPARE(m_redis->command({"EXISTS", key}).toInteger(), 1);
    // While connected its TTL is refreshed: seen running down, then back up.
    qint64 lowest = m_redis->command({"PTTL", key}).toInteger();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const qint64 now = m_redis->command({"PTTL", key}).toInteger();
            lowest = std::min(lowest, now);
            return lowest > 0 && lowest < 1700 && now > lowest + 250;
        }(),
        5000);
    a->close();
    QVERIFY(a->waitForClose());
    // After the disconnect: resumable for the TTL, then unknown.
    TestClient *b = connectTo(relay->url());
    b->send(resumeFrame(session));
    QVERIFY(!b->waitForType(u"resumed"_s).isEmpty());
    b->close();
    QVERIFY(b->waitForClose());
    QTRY_COMPARE_WITH_TIMEOUT(m_redis->command({"EXISTS", key}).toInteger(), 0, 5000);
    TestClient *c = connectTo(relay->url());
    c->send(resumeFrame(session));
    QCOMPARE(c->waitForType(u"error"_s).value("code"_L1).toString(), u"session_unknown"_s);
}

void tst_RelaySessions::restoredWhenRedisLosesIt()
{
    RelayServer *relay = startRelayWith(sessionOptions(u"f1"_s, 3s));
    TestClient *a = connectTo(relay->url());
    const QString session = joinRooms(a, {u"lobby"_s, u"kitchen"_s});
    const QByteArray rooms = RelayKeys::sessionRoomsKey({}, session.toLatin1());
    QTRY_COMPARE(m_redis->command({"HLEN", rooms}).toInteger(), 2);
    m_redis->command({"FLUSHALL"});
    // The next refresh (every TTL/3) finds it gone and writes it again, rooms included.
    QTRY_COMPARE_WITH_TIMEOUT(m_redis->command({"HLEN", rooms}).toInteger(), 2, 5000);
    QCOMPARE(m_redis->command({"HGET", RelayKeys::sessionKey({}, session.toLatin1()), "relay"}).bytes(),
             "f1"_ba);
    QCOMPARE(relay->stats().sessionsRestored, 1u);
}

void tst_RelaySessions::malformedResume_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    QTest::newRow("no session") << R"({"type":"resume"})"_ba << u"missing_field"_s;
    QTest::newRow("session number") << R"({"type":"resume","session":5})"_ba << u"invalid_field"_s;
    QTest::newRow("offsets array") << R"({"type":"resume","session":"x","offsets":[]})"_ba
                                   << u"invalid_field"_s;
    QTest::newRow("offset number") << R"({"type":"resume","session":"x","offsets":{"a":1}})"_ba
                                   << u"invalid_offset"_s;
    QTest::newRow("offset text") << R"({"type":"resume","session":"x","offsets":{"a":"last"}})"_ba
                                 << u"invalid_offset"_s;
    QTest::newRow("offset room") << R"({"type":"resume","session":"x","offsets":{"a b":"1-0"}})"_ba
                                 << u"invalid_room"_s;
}

void tst_RelaySessions::malformedResume()
{
    QFETCH(QByteArray, frame);
    RelayServer *relay = startRelayWith(sessionOptions(u"m1"_s), true);
    TestClient *a = connectTo(relay->url());
    a->sendText(QString::fromUtf8(frame));
    QTEST(a->waitForType(u"error"_s).value("code"_L1).toString(), "code");
}

void tst_RelaySessions::resumeOnACluster_data()
{
    QTest::addColumn<RedisBusOptions::ClusterPubSub>("mode");
    QTest::newRow("sharded") << RedisBusOptions::ClusterPubSub::Sharded;
    QTest::newRow("classic") << RedisBusOptions::ClusterPubSub::Classic;
}

void tst_RelaySessions::resumeOnACluster()
{
    QFETCH(RedisBusOptions::ClusterPubSub, mode);
    TestCluster *nodes = cluster();
    QVERIFY(nodes);
    RedisBusOptions bo;
    bo.clusterPubSub = mode;
    RelayServer *first = startRelayOn(sessionOptions(u"c1"_s), nodes->url(), bo);
    RelayServer *second = startRelayOn(sessionOptions(u"c2"_s), nodes->url(), bo);
    // Sessions land on every shard: ids are random, each lives in its own slot.
    QList<TestClient *> clients;
    QStringList sessions;
    for (int i = 0; i < 6; ++i) {
        clients.append(connectTo(first->url()));
        sessions.append(joinRooms(clients.last(), {u"lobby"_s, u"room%1"_s.arg(i)}));
        QVERIFY(!sessions.last().isEmpty());
    }
    QSet<int> shards;
    for (const QString &s : sessions) {
        const QByteArray key = RelayKeys::sessionKey({}, s.toLatin1());
        QTRY_COMPARE(nodes->commandFor(key, {"HGET", key, "relay"}).bytes(), "c1"_ba);
        shards.insert(
            nodes->primaries().indexOf(nodes->primaryOf(RedisClusterTopology::keySlot(key))));
    }
    QVERIFY2(shards.size() > 1, "six random sessions on one shard of three");
    for (int i = 0; i < clients.size(); ++i) {
        clients[i]->close();
        QVERIFY(clients[i]->waitForClose());
        TestClient *again = connectTo(second->url());
        again->send(resumeFrame(sessions[i]));
        const QJsonObject resumed = again->waitForType(u"resumed"_s);
        QCOMPARE(resumed.value("rooms"_L1).toArray().size(), 2);
        QTRY_COMPARE(again->count(typeIs(u"joined"_s)), 2);
    }
}

QTEST_MAIN(tst_RelaySessions)
#include "tst_relaysessions.moc"
