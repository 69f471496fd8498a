// SPDX-License-Identifier: MIT
#include "jwtverifier.h"
#include "redisclustertopology.h"
#include "relayfixture.h"
#include "relaykeys.h"
#include "relayprocess.h"
#include "testcluster.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

RelayServerOptions presenceOptions(const QString &instance, bool events = false, int maxMembers = 1000)
{
    RelayServerOptions o;
    o.instanceId = instance;
    o.presence.enabled = true;
    o.presence.events = events;
    o.presence.maxMembers = maxMembers;
    return o;
}

QJsonObject joinAs(const QJsonValue &room, const QString &user)
{
    return {{u"type"_s, u"join"_s}, {u"roomId"_s, room}, {u"user"_s, user}};
}

QJsonObject presenceFrame(const QJsonValue &room)
{
    return {{u"type"_s, u"presence"_s}, {u"roomId"_s, room}};
}

std::function<bool(const QJsonObject &)> typeIs(const QString &type)
{
    return [type](const QJsonObject &o) {
        return o.value("type"_L1).toString() == type;
    };
}

std::function<bool(const QJsonObject &)> eventOf(const QString &type, const QString &user)
{
    return [type, user](const QJsonObject &o) {
        return o.value("type"_L1).toString() == type && o.value("user"_L1).toString() == user;
    };
}

// Sends a presence frame and returns the answer (or the error), frames before it dropped.
QJsonObject ask(TestClient *client, const QJsonValue &room)
{
    client->clearFrames();
    client->send(presenceFrame(room));
    return client->waitFor([](const QJsonObject &o) {
        return o.value("type"_L1) == "presence"_L1 || o.value("type"_L1) == "error"_L1;
    });
}

// The users of a presence answer, sorted; "<null>" for a member without one.
QStringList usersIn(const QJsonObject &answer)
{
    QStringList users;
    for (const QJsonValue &m : answer.value("members"_L1).toArray())
        users.append(m.toObject().value("user"_L1).isNull() ? u"<null>"_s
                                                            : m.toObject().value("user"_L1).toString());
    users.sort();
    return users;
}

} // namespace

// Presence (docs/protocol.md, "Presence"): a room's members across the fleet, on real Redis
// (one server, a 3-primary Cluster) and on the in-process bus; a killed relay's members vanish
// within the ttl; presence_join / presence_leave with a rate limit.
class tst_RelayPresence : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(RelayFixture::init()); }
    void cleanupTestCase() { RelayFixture::cleanup(); }
    void cleanup() { releaseAndFlush(); }
    void membersAcrossRelays();
    void storedFormat();
    void whoTheUserIs();
    void leaveAndDisconnectRemoveAtOnce_data();
    void leaveAndDisconnectRemoveAtOnce();
    void killedRelayVanishesWithinTtl();
    void stoppedRelayRemovesAtOnce();
    void eventsOnEveryRelay_data();
    void eventsOnEveryRelay();
    void eventRateLimit();
    void maxMembersTruncates_data();
    void maxMembersTruncates();
    void presenceOff();
    void notAMember();
    void unavailableWhenRedisFails();
    void acrossACluster_data();
    void acrossACluster();

private:
    // Two relays with presence on one bus (Redis at url, or in-process when inProcess).
    QList<RelayServer *> twoRelays(bool events, const QString &url = {},
                                   const RedisBusOptions &busOptions = {});
};

QList<RelayServer *> tst_RelayPresence::twoRelays(bool events, const QString &url,
                                                  const RedisBusOptions &busOptions)
{
    const QString redis = url.isEmpty() ? m_redis->url() : url;
    return {startRelayOn(presenceOptions(u"r1"_s, events), redis, busOptions),
            startRelayOn(presenceOptions(u"r2"_s, events), redis, busOptions)};
}

void tst_RelayPresence::membersAcrossRelays()
{
    const QList<RelayServer *> relays = twoRelays(false);
    TestClient *ann = connectTo(relays[0]->url());
    TestClient *bob = connectTo(relays[1]->url());
    TestClient *anon = connectTo(relays[1]->url());
    ann->send(joinAs(u"lobby"_s, u"ann"_s));
    // What a seed client saw before presence existed: joined as it was, nothing unasked.
    QCOMPARE(ann->waitForType(u"joined"_s),
             (QJsonObject{{u"type"_s, u"joined"_s}, {u"roomId"_s, u"lobby"_s}}));
    bob->send(joinAs(u"lobby"_s, u"bob"_s));
    QVERIFY(!bob->waitForType(u"joined"_s).isEmpty());
    QVERIFY(anon->join(u"lobby"_s));
    QCOMPARE(ann->rawFrames(), QStringList{uR"({"type":"joined","roomId":"lobby"})"_s});
    QVERIFY(anon->join(7)); // another room: not listed in lobby

    const QJsonObject answer = ask(ann, u"lobby"_s);
    QCOMPARE(answer.value("type"_L1).toString(), u"presence"_s);
    QCOMPARE(answer.value("roomId"_L1).toString(), u"lobby"_s);
    QCOMPARE(usersIn(answer), (QStringList{u"<null>"_s, u"ann"_s, u"bob"_s}));
    QVERIFY(!answer.contains("truncated"_L1));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QJsonValue &m : answer.value("members"_L1).toArray()) {
        const qint64 since = qint64(m.toObject().value("since"_L1).toDouble());
        QVERIFY2(since > now - 60000 && since <= now, QByteArray::number(since));
        QCOMPARE(m.toObject().keys(), (QStringList{u"since"_s, u"user"_s}));
    }
    // A numeric room id is echoed as a number, and the same answer comes from the other relay.
    const QJsonObject seven = ask(anon, 7);
    QCOMPARE(seven.value("roomId"_L1), QJsonValue(7));
    QCOMPARE(usersIn(seven), QStringList{u"<null>"_s});
    QCOMPARE(usersIn(ask(bob, u"lobby"_s)), usersIn(answer));
    QCOMPARE(relays[0]->stats().presenceQueries, quint64(1));
    QCOMPARE(relays[1]->stats().presenceQueries, quint64(2));
}

void tst_RelayPresence::storedFormat()
{
    RelayServerOptions o = presenceOptions(u"fmt"_s);
    o.presence.ttl = 30s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    a->send(joinAs(u"lobby"_s, u"ann \"q\""_s));
    QVERIFY(!a->waitForType(u"joined"_s).isEmpty());
    const QByteArray key = RelayKeys::presenceKey({}, "room:lobby");
    QTRY_COMPARE(m_redis->command({"HLEN", key}).toInteger(), 1);
    const RedisValue all = m_redis->command({"HGETALL", key});
    QVERIFY(
        QRegularExpression(u"^fmt:\\d+$"_s).match(QString::fromUtf8(all.elements()[0].bytes())).hasMatch());
    const QString value = QString::fromUtf8(all.elements()[1].bytes());
    QVERIFY2(
        QRegularExpression(uR"(^\{"user":"ann \\"q\\"","since":\d{13},"relay":"fmt","expires":\d{13}\}$)"_s)
            .match(value)
            .hasMatch(),
        qPrintable(value));
    // expires is Redis's TIME + ttl; the key expires with it.
    const RedisValue time = m_redis->command({"TIME"});
    const qint64 redisNow = time.elements()[0].bytes().toLongLong() * 1000;
    const qint64 expires = QJsonDocument::fromJson(value.toUtf8()).object().value("expires"_L1).toInteger();
    QVERIFY2(expires > redisNow + 25000 && expires <= redisNow + 31000,
             QByteArray::number(expires - redisNow));
    const qint64 pttl = m_redis->command({"PTTL", key}).toInteger();
    QVERIFY2(pttl > 25000 && pttl <= 30000, QByteArray::number(pttl));
}

void tst_RelayPresence::whoTheUserIs()
{
    // With tokens the token's identity wins over a join's user; a resumed session keeps its user.
    const QByteArray secret = "0123456789abcdef0123456789abcdef-presence-secret";
    RelayServerOptions o = presenceOptions(u"who"_s);
    o.auth.jwtSecret = secret;
    o.sessions.enabled = true;
    RelayServer *relay = startRelayWith(o);
    auto urlFor = [relay, &secret](const QString &subject) {
        QUrl url = relay->url();
        url.setQuery(u"token="_s + QString::fromLatin1(JwtVerifier::sign({{u"sub"_s, subject}}, secret)));
        return url;
    };
    TestClient *alice = connectTo(urlFor(u"alice"_s));
    alice->send(joinAs(u"lobby"_s, u"not-alice"_s));
    QVERIFY(!alice->waitForType(u"joined"_s).isEmpty());
    RelayServerOptions plain = presenceOptions(u"who2"_s);
    plain.sessions.enabled = true;
    RelayServer *other = startRelayWith(plain);
    TestClient *first = connectTo(other->url());
    first->send(joinAs(u"lobby"_s, u"ann"_s));
    const QString session = first->waitForType(u"joined"_s).value("session"_L1).toString();
    QVERIFY(!session.isEmpty());
    first->close();
    QVERIFY(first->waitForClose());
    TestClient *again = connectTo(other->url());
    again->send({{u"type"_s, u"resume"_s}, {u"session"_s, session}});
    QVERIFY(!again->waitForType(u"joined"_s).isEmpty());
    QTRY_COMPARE(other->clientCount(), 1);
    QCOMPARE(usersIn(ask(again, u"lobby"_s)), (QStringList{u"alice"_s, u"ann"_s}));
}

void tst_RelayPresence::leaveAndDisconnectRemoveAtOnce_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis") << false;
    QTest::newRow("in-process") << true;
}

void tst_RelayPresence::leaveAndDisconnectRemoveAtOnce()
{
    QFETCH(bool, inProcess);
    RelayServer *relay = startRelayWith(presenceOptions(u"ld"_s), inProcess);
    QList<TestClient *> clients;
    for (const QString &user : {u"ann"_s, u"bob"_s, u"cat"_s}) {
        clients.append(connectTo(relay->url()));
        clients.last()->send(joinAs(u"lobby"_s, user));
        QVERIFY(!clients.last()->waitForType(u"joined"_s).isEmpty());
    }
    QCOMPARE(usersIn(ask(clients[0], u"lobby"_s)), (QStringList{u"ann"_s, u"bob"_s, u"cat"_s}));
    clients[1]->send({{u"type"_s, u"leave"_s}, {u"roomId"_s, u"lobby"_s}});
    QVERIFY(!clients[1]->waitForType(u"left"_s).isEmpty());
    QCOMPARE(usersIn(ask(clients[0], u"lobby"_s)), (QStringList{u"ann"_s, u"cat"_s}));
    clients[2]->close();
    QVERIFY(clients[2]->waitForClose());
    QTRY_COMPARE(relay->clientCount(), 2);
    QCOMPARE(usersIn(ask(clients[0], u"lobby"_s)), QStringList{u"ann"_s});
    if (!inProcess)
        QCOMPARE(m_redis->command({"HLEN", RelayKeys::presenceKey({}, "room:lobby")}).toInteger(), 1);
}

void tst_RelayPresence::killedRelayVanishesWithinTtl()
{
    RelayProcess doomed;
    QVERIFY2(doomed.start({u"--redis"_s, m_redis->url(), u"--presence"_s, u"--presence-ttl"_s, u"3"_s,
                           u"--instance-id"_s, u"doomed"_s}),
             qPrintable(doomed.log()));
    RelayServerOptions o = presenceOptions(u"alive"_s);
    o.presence.ttl = 3s;
    RelayServer *alive = startRelayWith(o);
    TestClient *ghost = connectTo(doomed.url());
    ghost->send(joinAs(u"lobby"_s, u"ghost"_s));
    QVERIFY(!ghost->waitForType(u"joined"_s).isEmpty());
    TestClient *ann = connectTo(alive->url());
    ann->send(joinAs(u"lobby"_s, u"ann"_s));
    QVERIFY(!ann->waitForType(u"joined"_s).isEmpty());
    QCOMPARE(usersIn(ask(ann, u"lobby"_s)), (QStringList{u"ann"_s, u"ghost"_s}));
    QCOMPARE(usersIn(ask(ghost, u"lobby"_s)), (QStringList{u"ann"_s, u"ghost"_s}));

    // The doomed relay refreshes its entry (every ttl/3) while it lives.
    const QByteArray key = RelayKeys::presenceKey({}, "room:lobby");
    auto ghostExpires = [this, &key] {
        const RedisValue values = m_redis->command({"HVALS", key});
        for (const RedisValue &v : values.elements()) {
            const QJsonObject o = QJsonDocument::fromJson(v.bytes()).object();
            if (o.value("relay"_L1) == "doomed"_L1)
                return o.value("expires"_L1).toInteger();
        }
        return qint64(0);
    };
    const qint64 firstExpires = ghostExpires();
    QVERIFY(firstExpires > 0);
    QTRY_VERIFY_WITH_TIMEOUT(ghostExpires() > firstExpires, 3000);
    QElapsedTimer sinceKill;
    doomed.kill();
    sinceKill.start();
    QTRY_COMPARE_WITH_TIMEOUT(usersIn(ask(ann, u"lobby"_s)), QStringList{u"ann"_s}, 5000);
    QVERIFY2(sinceKill.elapsed() <= 5000, QByteArray::number(sinceKill.elapsed()));
    // The read deleted the dead relay's entry; the live one is still there.
    QCOMPARE(m_redis->command({"HLEN", key}).toInteger(), 1);
    QVERIFY(m_redis->command({"HKEYS", key}).elements()[0].bytes().startsWith("alive:"));
}

void tst_RelayPresence::stoppedRelayRemovesAtOnce()
{
    RelayProcess stopping;
    QVERIFY2(
        stopping.start({u"--redis"_s, m_redis->url(), u"--presence-events"_s, u"--instance-id"_s, u"stop"_s}),
        qPrintable(stopping.log()));
    RelayServer *alive = startRelayWith(presenceOptions(u"stay"_s, true));
    TestClient *ann = connectTo(alive->url());
    ann->send(joinAs(u"lobby"_s, u"ann"_s));
    QVERIFY(!ann->waitForType(u"joined"_s).isEmpty());
    TestClient *bob = connectTo(stopping.url());
    bob->send(joinAs(u"lobby"_s, u"bob"_s));
    QVERIFY(!bob->waitForType(u"joined"_s).isEmpty());
    QCOMPARE(usersIn(ask(ann, u"lobby"_s)), (QStringList{u"ann"_s, u"bob"_s}));
    // SIGTERM: the relay closes its clients, which leave their rooms: entries deleted, events sent.
    stopping.process().terminate();
    QVERIFY(stopping.process().waitForFinished(5000));
    QCOMPARE(stopping.process().exitCode(), 0);
    QVERIFY(!ann->waitFor(eventOf(u"presence_leave"_s, u"bob"_s)).isEmpty());
    QCOMPARE(usersIn(ask(ann, u"lobby"_s)), QStringList{u"ann"_s});
}

void tst_RelayPresence::eventsOnEveryRelay_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis") << false;
    QTest::newRow("in-process") << true;
}

void tst_RelayPresence::eventsOnEveryRelay()
{
    QFETCH(bool, inProcess);
    QList<RelayServer *> relays;
    if (inProcess)
        relays = {startRelayWith(presenceOptions(u"e1"_s, true), true)};
    else
        relays = twoRelays(true);
    TestClient *ann = connectTo(relays.first()->url());
    TestClient *bob = connectTo(relays.last()->url());
    ann->send(joinAs(u"lobby"_s, u"ann"_s));
    QVERIFY(!ann->waitForType(u"joined"_s).isEmpty());
    bob->send(joinAs(u"lobby"_s, u"bob"_s));
    QVERIFY(!bob->waitForType(u"joined"_s).isEmpty());
    // Each member hears bob's join once, whichever relay it is on (bob included).
    for (TestClient *c : {ann, bob}) {
        const QJsonObject join = c->waitFor(eventOf(u"presence_join"_s, u"bob"_s));
        QCOMPARE(join.value("roomId"_L1).toString(), u"lobby"_s);
        QVERIFY(join.value("since"_L1).toDouble() > 0);
        QCOMPARE(join.keys(), (QStringList{u"roomId"_s, u"since"_s, u"type"_s, u"user"_s}));
    }
    TestClient *cat = connectTo(relays.last()->url());
    cat->send(joinAs(u"lobby"_s, u"cat"_s));
    QVERIFY(!ann->waitFor(eventOf(u"presence_join"_s, u"cat"_s)).isEmpty());
    bob->send({{u"type"_s, u"leave"_s}, {u"roomId"_s, u"lobby"_s}});
    const QJsonObject leave = ann->waitFor(eventOf(u"presence_leave"_s, u"bob"_s));
    QCOMPARE(leave, (QJsonObject{
                        {u"type"_s, u"presence_leave"_s}, {u"roomId"_s, u"lobby"_s}, {u"user"_s, u"bob"_s}}));
    QVERIFY(!cat->waitFor(eventOf(u"presence_leave"_s, u"bob"_s)).isEmpty());
    cat->close();
    QVERIFY(!ann->waitFor(eventOf(u"presence_leave"_s, u"cat"_s)).isEmpty());
    // Once each: no echo of the relay's own event, no copy through another path.
    QTRY_COMPARE(relays.last()->clientCount(), inProcess ? 2 : 1);
    QCOMPARE(ann->count(eventOf(u"presence_join"_s, u"bob"_s)), 1);
    QCOMPARE(ann->count(eventOf(u"presence_leave"_s, u"bob"_s)), 1);
    QCOMPARE(ann->count(eventOf(u"presence_join"_s, u"cat"_s)), 1);
    QCOMPARE(ann->count(eventOf(u"presence_leave"_s, u"cat"_s)), 1);
    quint64 events = 0;
    for (RelayServer *r : relays)
        events += r->stats().presenceEvents;
    QCOMPARE(events, quint64(5)); // joins of ann, bob, cat; leaves of bob, cat
}

void tst_RelayPresence::eventRateLimit()
{
    RelayServerOptions o = presenceOptions(u"rl"_s, true);
    o.presence.eventsPerSecond = 1;
    RelayServer *relay = startRelayWith(o);
    TestClient *ann = connectTo(relay->url());
    QVERIFY(ann->join(u"lobby"_s));
    QList<TestClient *> crowd;
    for (int i = 0; i < 8; ++i) {
        crowd.append(connectTo(relay->url()));
        crowd.last()->send(joinAs(u"lobby"_s, u"c%1"_s.arg(i)));
    }
    for (TestClient *c : crowd)
        QVERIFY(!c->waitForType(u"joined"_s).isEmpty());
    const RelayStats &stats = relay->stats();
    QCOMPARE(stats.presenceEvents + stats.presenceEventsDropped, quint64(9));
    QVERIFY2(stats.presenceEventsDropped >= 4, QByteArray::number(stats.presenceEventsDropped));
    QTRY_COMPARE(quint64(ann->count(typeIs(u"presence_join"_s))), stats.presenceEvents);
    // Another room has its own budget.
    QVERIFY(crowd[0]->join(u"other"_s));
    QVERIFY(!crowd[0]
                 ->waitFor([](const QJsonObject &f) {
                     return f.value("roomId"_L1) == "other"_L1 && f.value("type"_L1) == "presence_join"_L1;
                 })
                 .isEmpty());
}

void tst_RelayPresence::maxMembersTruncates_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("redis") << false;
    QTest::newRow("in-process") << true;
}

void tst_RelayPresence::maxMembersTruncates()
{
    QFETCH(bool, inProcess);
    RelayServer *relay = startRelayWith(presenceOptions(u"mm"_s, false, 3), inProcess);
    QList<TestClient *> clients;
    for (int i = 0; i < 5; ++i) {
        clients.append(connectTo(relay->url()));
        clients.last()->send(joinAs(u"lobby"_s, u"u%1"_s.arg(i)));
        QVERIFY(!clients.last()->waitForType(u"joined"_s).isEmpty());
    }
    const QJsonObject answer = ask(clients[0], u"lobby"_s);
    QCOMPARE(answer.value("members"_L1).toArray().size(), 3);
    QCOMPARE(answer.value("truncated"_L1), QJsonValue(true));
    QCOMPARE(answer.value("total"_L1), QJsonValue(5));
    clients[4]->close();
    clients[3]->close();
    QTRY_COMPARE(relay->clientCount(), 3);
    const QJsonObject exact = ask(clients[0], u"lobby"_s);
    QCOMPARE(usersIn(exact), (QStringList{u"u0"_s, u"u1"_s, u"u2"_s}));
    QVERIFY(!exact.contains("truncated"_L1));
    QVERIFY(!exact.contains("total"_L1));
}

void tst_RelayPresence::presenceOff()
{
    RelayServerOptions o;
    o.instanceId = u"off"_s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    a->send(joinAs(u"lobby"_s, u"ann"_s));
    // Exactly what a seed client saw before presence existed.
    QCOMPARE(a->waitForType(u"joined"_s), (QJsonObject{{u"type"_s, u"joined"_s}, {u"roomId"_s, u"lobby"_s}}));
    const QJsonObject error = ask(a, u"lobby"_s);
    QCOMPARE(error.value("code"_L1).toString(), u"presence_off"_s);
    QCOMPARE(error.value("roomId"_L1).toString(), u"lobby"_s);
    QCOMPARE(m_redis->command({"EXISTS", RelayKeys::presenceKey({}, "room:lobby")}).toInteger(), 0);
    QCOMPARE(relay->stats().presenceEvents, quint64(0));
}

void tst_RelayPresence::notAMember()
{
    RelayServer *relay = startRelayWith(presenceOptions(u"nm"_s));
    TestClient *a = connectTo(relay->url());
    TestClient *b = connectTo(relay->url());
    QVERIFY(b->join(u"lobby"_s));
    QJsonObject error = ask(a, u"lobby"_s);
    QCOMPARE(error.value("code"_L1).toString(), u"not_member"_s);
    QCOMPARE(error.value("roomId"_L1).toString(), u"lobby"_s);
    QVERIFY(a->join(u"lobby"_s));
    QCOMPARE(ask(a, u"lobby"_s).value("members"_L1).toArray().size(), 2);
    a->send({{u"type"_s, u"leave"_s}, {u"roomId"_s, u"lobby"_s}});
    QVERIFY(!a->waitForType(u"left"_s).isEmpty());
    QCOMPARE(ask(a, u"lobby"_s).value("code"_L1).toString(), u"not_member"_s);
    // Malformed frames get the join's errors.
    a->clearFrames();
    a->send({{u"type"_s, u"presence"_s}});
    QCOMPARE(a->waitForType(u"error"_s).value("code"_L1).toString(), u"missing_field"_s);
    a->clearFrames();
    a->send(presenceFrame(u"a b"_s));
    QCOMPARE(a->waitForType(u"error"_s).value("code"_L1).toString(), u"invalid_room"_s);
}

void tst_RelayPresence::unavailableWhenRedisFails()
{
    RelayServerOptions o = presenceOptions(u"fail"_s);
    o.presence.ttl = 3s;
    RelayServer *relay = startRelayWith(o);
    TestClient *a = connectTo(relay->url());
    QVERIFY(a->join(u"lobby"_s));
    // The key holds something else: every script on it fails with WRONGTYPE.
    const QByteArray key = RelayKeys::presenceKey({}, "room:lobby");
    QTRY_COMPARE(m_redis->command({"HLEN", key}).toInteger(), 1);
    m_redis->command({"DEL", key});
    m_redis->command({"SET", key, "x"});
    const QJsonObject error = ask(a, u"lobby"_s);
    QCOMPARE(error.value("code"_L1).toString(), u"presence_unavailable"_s);
    QCOMPARE(error.value("roomId"_L1).toString(), u"lobby"_s);
    QVERIFY(relay->stats().presenceFailures >= 1);
    // Once the key is usable again, the next refresh (every ttl/3) writes the member back.
    m_redis->command({"DEL", key});
    QTRY_COMPARE_WITH_TIMEOUT(m_redis->command({"HLEN", key}).toInteger(), 1, 3000);
    QCOMPARE(ask(a, u"lobby"_s).value("members"_L1).toArray().size(), 1);
}

void tst_RelayPresence::acrossACluster_data()
{
    QTest::addColumn<RedisBusOptions::ClusterPubSub>("mode");
    QTest::newRow("sharded") << RedisBusOptions::ClusterPubSub::Sharded;
    QTest::newRow("classic") << RedisBusOptions::ClusterPubSub::Classic;
}

void tst_RelayPresence::acrossACluster()
{
    QFETCH(RedisBusOptions::ClusterPubSub, mode);
    TestCluster *nodes = cluster();
    QVERIFY(nodes);
    RedisBusOptions bo;
    bo.clusterPubSub = mode;
    const QList<RelayServer *> relays = twoRelays(true, nodes->url(), bo);
    // Rooms on every shard: each room's key is in its channel's slot.
    QSet<int> shards;
    for (int i = 0; i < 6; ++i) {
        const QString room = u"room%1"_s.arg(i);
        TestClient *a = connectTo(relays[0]->url());
        TestClient *b = connectTo(relays[1]->url());
        a->send(joinAs(room, u"a%1"_s.arg(i)));
        QVERIFY(!a->waitForType(u"joined"_s).isEmpty());
        b->send(joinAs(room, u"b%1"_s.arg(i)));
        QVERIFY(!b->waitForType(u"joined"_s).isEmpty());
        QVERIFY(!a->waitFor(eventOf(u"presence_join"_s, u"b%1"_s.arg(i))).isEmpty());
        QCOMPARE(usersIn(ask(a, room)), (QStringList{u"a%1"_s.arg(i), u"b%1"_s.arg(i)}));
        const QByteArray channel = "room:" + room.toUtf8();
        const QByteArray key = RelayKeys::presenceKey({}, channel);
        QCOMPARE(RedisClusterTopology::keySlot(key), RedisClusterTopology::keySlot(channel));
        QCOMPARE(nodes->commandFor(key, {"HLEN", key}).toInteger(), 2);
        shards.insert(
            nodes->primaries().indexOf(nodes->primaryOf(RedisClusterTopology::keySlot(key))));
        b->close();
        QVERIFY(!a->waitFor(eventOf(u"presence_leave"_s, u"b%1"_s.arg(i))).isEmpty());
        QCOMPARE(usersIn(ask(a, room)), (QStringList{u"a%1"_s.arg(i)}));
    }
    QVERIFY2(shards.size() > 1, "six rooms on one shard of three");
}

QTEST_MAIN(tst_RelayPresence)
#include "tst_relaypresence.moc"
