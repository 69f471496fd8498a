// SPDX-License-Identifier: MIT
// What a relay must never do to its users (issue 18): drop or duplicate a payload, let a client
// speak as someone else, keep a connection past its token, close a room for one large backend
// message, or hold sockets beyond its limits. Real redis-server, real sockets.
#include "jwtverifier.h"
#include "rawwebsocket.h"
#include "redisbus.h"
#include "relayfixture.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray Secret = "integrity-test-secret-0123456789abcdef";

// A room message with user as given, or without "user" when it is Undefined.
QJsonObject chatAs(const QString &text, const QString &room, const QJsonValue &user)
{
    QJsonObject o = chat(text, room);
    o.remove(u"user"_s);
    if (!user.isUndefined())
        o.insert(u"user"_s, user);
    return o;
}

} // namespace

class tst_RelayIntegrity : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void backendPayloadsAreDeliveredByteForByte_data();
    void backendPayloadsAreDeliveredByteForByte();
    void relayMessagesNameTheirOrigin();
    void ownRepeatIsDeliveredOnceLocally();
    void tokenIdentityIsStamped_data();
    void tokenIdentityIsStamped();
    void expiredTokenClosesTheConnection();
    void oversizeBusMessageDoesNotCloseTheRoom();
    void startupRefusesMessagesLargerThanTheOutboundCap();
    void kickedClientThatNeverAnswersIsCut();
    void pendingHandshakesCountAgainstTheLimit();
    void refusedSubscriptionAnswersTheJoin();
    void refusedResubscriptionTellsTheMembers();
    void refusedBroadcastIsAskedForAgain();

private:
    QUrl withToken(QUrl url, const QJsonObject &claims) const;
    // The URL of ACL user name (password pw) that may use every key and command, and only the
    // channels given (Redis 7: "&pattern").
    QString aclUser(const QByteArray &name, const QByteArrayList &channels) const;
    bool isSubscribeRefused(const QJsonObject &frame, const QString &room) const;
};

void tst_RelayIntegrity::initTestCase()
{
    // One server for the whole binary: every test uses its own room names.
    QVERIFY(RelayFixture::init());
}

void tst_RelayIntegrity::cleanupTestCase()
{
    RelayFixture::cleanup();
}

void tst_RelayIntegrity::cleanup()
{
    releaseRelays();
}

QUrl tst_RelayIntegrity::withToken(QUrl url, const QJsonObject &claims) const
{
    url.setQuery(u"token="_s + QString::fromLatin1(JwtVerifier::sign(claims, Secret)));
    return url;
}

QString tst_RelayIntegrity::aclUser(const QByteArray &name, const QByteArrayList &channels) const
{
    QByteArrayList rules{"ACL", "SETUSER", name, "reset", "on", ">pw", "~*", "+@all", "resetchannels"};
    for (const QByteArray &channel : channels)
        rules.append('&' + channel);
    const RedisValue acl = m_redis->command(rules);
    if (acl.isError())
        qWarning("ACL SETUSER failed: %s", acl.bytes().constData());
    QUrl url(m_redis->url());
    url.setUserName(QString::fromLatin1(name));
    url.setPassword(u"pw"_s);
    return url.toString();
}

bool tst_RelayIntegrity::isSubscribeRefused(const QJsonObject &frame, const QString &room) const
{
    return frame.value("type"_L1) == "error"_L1 && frame.value("code"_L1) == "subscribe_refused"_L1 &&
           frame.value("roomId"_L1) == room &&
           frame.value("message"_L1) == u"the relay may not subscribe to room \"%1\""_s.arg(room);
}

void tst_RelayIntegrity::backendPayloadsAreDeliveredByteForByte_data()
{
    QTest::addColumn<QByteArrayList>("payloads");
    // The issue's reproduction: "order-3" after "order-17" read as a lower sequence number.
    QTest::newRow("backend ids") << QByteArrayList{
        R"({"type":"message","user":"bot","text":"first","id":"order-17"})",
        R"({"type":"message","user":"bot","text":"second","id":"order-3"})"};
    QTest::newRow("relay-like ids without the relay field") << QByteArrayList{
        R"({"type":"message","user":"u","text":"one","timestamp":1,"roomId":"i","id":"x-abc-2"})",
        R"({"type":"message","user":"u","text":"two","timestamp":2,"roomId":"i","id":"x-abc-1"})"};
    QTest::newRow("the same backend payload twice") << QByteArrayList{
        R"({"type":"message","user":"bot","text":"same","id":"job-1"})",
        R"({"type":"message","user":"bot","text":"same","id":"job-1"})"};
    QTest::newRow("relay field naming another origin than the id") << QByteArrayList{
        R"({"type":"message","user":"u","text":"a","id":"r-n-5","relay":"q-n"})",
        R"({"type":"message","user":"u","text":"b","id":"r-n-4","relay":"q-n"})"};
}

void tst_RelayIntegrity::backendPayloadsAreDeliveredByteForByte()
{
    QFETCH(QByteArrayList, payloads);
    RelayServerOptions so;
    so.instanceId = u"b"_s;
    RelayServer *relay = startRelayWith(so);
    TestClient *member = connectTo(relay->url());
    static int rows = 0;
    const QString room = u"bytes%1"_s.arg(++rows);
    QVERIFY(member->join(room));
    for (const QByteArray &payload : payloads)
        m_redis->command({"PUBLISH", "room:" + room.toUtf8(), payload});
    m_redis->command({"PUBLISH", "room:" + room.toUtf8(), R"({"type":"message","text":"end"})"});
    QVERIFY(!member->waitFor(textIs(u"end"_s)).isEmpty());
    QStringList expected;
    for (const QByteArray &p : payloads)
        expected << QString::fromUtf8(p);
    expected << u"{\"type\":\"message\",\"text\":\"end\"}"_s;
    QCOMPARE(member->rawFrames().mid(member->rawFrames().size() - expected.size()), expected);
    QCOMPARE(relay->stats().duplicatesDropped, 0u);
}

void tst_RelayIntegrity::relayMessagesNameTheirOrigin()
{
    RelayServerOptions so;
    so.instanceId = u"origin-a"_s;
    RelayServer *relay = startRelayWith(so);
    TestClient *member = connectTo(relay->url());
    QVERIFY(member->join(u"origin"_s));
    member->send(chat(u"hi"_s, u"origin"_s));
    const QJsonObject got = member->waitFor(textIs(u"hi"_s));
    const QString id = got.value("id"_L1).toString();
    const QString origin = got.value("relay"_L1).toString();
    QVERIFY2(origin.startsWith(u"origin-a-"_s), qPrintable(origin));
    QCOMPARE(id, origin + u"-1"_s);
    QVERIFY(member->rawFrames().last().endsWith(u",\"relay\":\"%1\"}"_s.arg(origin)));
}

void tst_RelayIntegrity::ownRepeatIsDeliveredOnceLocally()
{
    // The relay's PUBLISH reached Redis but its reply was lost; the bus sends it again, and Redis
    // delivers both copies. The sender's own relay already delivered it locally and must drop
    // both: the first as its echo, the second as a repeat.
    RelayServerOptions so;
    so.instanceId = u"own"_s;
    RelayServer *relay = startRelayWith(so);
    TestClient *member = connectTo(relay->url());
    QVERIFY(member->join(u"own"_s));
    member->send(chat(u"once"_s, u"own"_s));
    QVERIFY(!member->waitFor(textIs(u"once"_s)).isEmpty());
    QTRY_COMPARE(relay->stats().echoesSuppressed, 1u);
    const QByteArray payload = member->rawFrames().last().toUtf8();
    m_redis->command({"PUBLISH", "room:own", payload});
    m_redis->command({"PUBLISH", "room:own", R"({"type":"message","text":"end"})"});
    QVERIFY(!member->waitFor(textIs(u"end"_s)).isEmpty());
    QCOMPARE(member->count(textIs(u"once"_s)), 1);
    QCOMPARE(relay->stats().duplicatesDropped, 1u);
}

void tst_RelayIntegrity::tokenIdentityIsStamped_data()
{
    QTest::addColumn<QJsonObject>("claims");
    QTest::addColumn<QJsonValue>("user");     // what the client writes; Undefined = left out
    QTest::addColumn<QString>("deliveredAs"); // empty = refused with user_mismatch
    const QJsonObject sub{{u"sub"_s, u"alice"_s}};
    const QJsonObject named{{u"sub"_s, u"u-17"_s}, {u"name"_s, u"Alice"_s}};
    const QJsonObject anonymous{{u"rooms"_s, QJsonArray{u"*"_s}}};
    QTest::newRow("sub, user left out") << sub << QJsonValue(QJsonValue::Undefined) << u"alice"_s;
    QTest::newRow("sub, same user") << sub << QJsonValue(u"alice"_s) << u"alice"_s;
    QTest::newRow("sub, someone else") << sub << QJsonValue(u"mallory"_s) << QString();
    QTest::newRow("name wins over sub") << named << QJsonValue(QJsonValue::Undefined) << u"Alice"_s;
    QTest::newRow("name, the sub is not the name") << named << QJsonValue(u"u-17"_s) << QString();
    QTest::newRow("no identity: the frame's user") << anonymous << QJsonValue(u"guest"_s) << u"guest"_s;
}

void tst_RelayIntegrity::tokenIdentityIsStamped()
{
    QFETCH(QJsonObject, claims);
    QFETCH(QJsonValue, user);
    QFETCH(QString, deliveredAs);
    RelayServerOptions so;
    so.auth.jwtSecret = Secret;
    RelayServer *relay = startRelayWith(so);
    TestClient *sender = connectTo(withToken(relay->url(), claims));
    TestClient *witness = connectTo(withToken(relay->url(), {{u"sub"_s, u"witness"_s}}));
    QVERIFY(sender->join(u"stamp"_s));
    QVERIFY(witness->join(u"stamp"_s));
    sender->send(chatAs(u"hello"_s, u"stamp"_s, user));
    sender->send(QJsonObject{{u"type"_s, u"ping"_s}});
    QVERIFY(!sender->waitForType(u"pong"_s).isEmpty());
    if (deliveredAs.isEmpty()) {
        const QJsonObject error = sender->waitForType(u"error"_s);
        QCOMPARE(error.value("code"_L1).toString(), u"user_mismatch"_s);
        QCOMPARE(relay->stats().userMismatches, 1u);
        QCOMPARE(relay->stats().published, 0u);
        witness->send(chatAs(u"after"_s, u"stamp"_s, QJsonValue::Undefined));
        QVERIFY(!witness->waitFor(textIs(u"after"_s)).isEmpty());
        QCOMPARE(witness->count(textIs(u"hello"_s)), 0);
        return;
    }
    const QJsonObject got = witness->waitFor(textIs(u"hello"_s));
    QCOMPARE(got.value("user"_L1).toString(), deliveredAs);
    QCOMPARE(relay->stats().userMismatches, 0u);
}

void tst_RelayIntegrity::expiredTokenClosesTheConnection()
{
    RelayServerOptions so;
    so.auth.jwtSecret = Secret;
    RelayServer *relay = startRelayWith(so);
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 2;
    TestClient *expiring = connectTo(withToken(relay->url(), {{u"sub"_s, u"a"_s}, {u"exp"_s, exp}}));
    TestClient *lasting = connectTo(withToken(relay->url(), {{u"sub"_s, u"b"_s}, {u"exp"_s, exp + 3600}}));
    QVERIFY(expiring->isConnected() && lasting->isConnected());
    // exp is in whole seconds: closed within about 2 s of connecting, not at the handshake.
    QVERIFY(expiring->waitForClose(10000));
    QVERIFY(QDateTime::currentSecsSinceEpoch() >= exp);
    QCOMPARE(expiring->closeCode(), 1008);
    QVERIFY2(expiring->closeReason().startsWith(u"token_expired"_s), qPrintable(expiring->closeReason()));
    QCOMPARE(relay->stats().tokenExpiredCloses, 1u);
    QTRY_COMPARE(relay->clientCount(), 1);
    QVERIFY(lasting->isConnected());
}

void tst_RelayIntegrity::oversizeBusMessageDoesNotCloseTheRoom()
{
    RelayServerOptions so;
    so.limits.maxOutboundBytes = 64 * 1024;
    so.limits.maxMessageBytes = 16 * 1024;
    RelayServer *relay = startRelayWith(so);
    TestClient *first = connectTo(relay->url()), *second = connectTo(relay->url());
    QVERIFY(first->join(u"big"_s));
    QVERIFY(second->join(u"big"_s));
    // Larger than the kernel takes at once, so without the check both would be slow consumers.
    m_redis->command({"PUBLISH", "room:big", QByteArray(16 * 1024 * 1024, 'x')});
    m_redis->command({"PUBLISH", "room:big", R"({"type":"message","text":"after"})"});
    for (TestClient *c : {first, second}) {
        QVERIFY(!c->waitFor(textIs(u"after"_s), 10000).isEmpty());
        QVERIFY(c->isConnected());
        QCOMPARE(c->rawFrames().size(), 2); // joined, after
    }
    QCOMPARE(relay->stats().oversizeBusMessages, 1u);
    QCOMPARE(relay->stats().slowConsumerCloses, 0u);
}

void tst_RelayIntegrity::startupRefusesMessagesLargerThanTheOutboundCap()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    RedisBus bus(o);
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.limits.maxMessageBytes = 2 * 1024 * 1024;
    so.limits.maxOutboundBytes = 1024 * 1024;
    RelayServer relay(so, &bus);
    QString error;
    QVERIFY(!relay.listen(&error));
    QCOMPARE(error, u"--max-message-bytes (2097152) must not exceed --max-outbound-bytes (1048576)"_s);
    QVERIFY(!relay.isListening());
}

void tst_RelayIntegrity::kickedClientThatNeverAnswersIsCut()
{
    RelayServerOptions so;
    so.pingInterval = 0ms; // no heartbeat to find it either
    so.shutdownGrace = 300ms;
    RelayServer *relay = startRelayWith(so);
    RawWebSocket silent;
    QVERIFY(silent.open(relay->port()));
    QTRY_COMPARE(relay->clientCount(), 1);
    silent.stopReading(); // never reads the close frame, never answers it
    QVERIFY(relay->kick(relay->clients().first().id, u"bye"_s));
    QTRY_COMPARE_WITH_TIMEOUT(relay->clientCount(), 0, 10000);
}

void tst_RelayIntegrity::pendingHandshakesCountAgainstTheLimit()
{
    RelayServerOptions so;
    so.limits.maxConnections = 2;
    so.limits.handshakeTimeout = 60s; // the mute sockets stay pending for the whole test
    RelayServer *relay = startRelayWith(so);
    const int holdable = so.limits.maxConnections + 16; // RelayAcceptor::RefusalReserve
    std::vector<std::unique_ptr<QTcpSocket>> mute;
    for (int i = 0; i < holdable; ++i) {
        mute.push_back(std::make_unique<QTcpSocket>());
        mute.back()->connectToHost(QHostAddress::LocalHost, relay->port());
        QVERIFY(mute.back()->waitForConnected(5000));
    }
    QTRY_COMPARE(relay->pendingConnections(), holdable);
    QTcpSocket over;
    over.connectToHost(QHostAddress::LocalHost, relay->port());
    QVERIFY(over.waitForConnected(5000));
    over.write("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QByteArray response;
    QTRY_VERIFY_WITH_TIMEOUT((response += over.readAll()).contains("\r\n\r\nserver full"), 10000);
    QVERIFY2(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response.constData());
    QCOMPARE(relay->stats().handshakesRefused, 1u);
    QCOMPARE(relay->stats().connectionsRefused, 1u);
    // Once the pending ones go away, their places are free at once (not at the handshake timeout).
    mute.clear();
    QTRY_COMPARE_WITH_TIMEOUT(relay->pendingConnections(), 0, 10000);
    TestClient *later = connectTo(relay->url());
    QVERIFY2(later->isConnected(), qPrintable(later->errorString()));
}

// Redis refuses SUBSCRIBE of a channel outside the user's ACL (NOPERM). Before, the join was never
// answered and the room stayed open; now every pending join gets subscribe_refused (naming the
// room), the relay holds nothing for it, and a later join asks Redis again.
void tst_RelayIntegrity::refusedSubscriptionAnswersTheJoin()
{
    RelayServerOptions so;
    so.instanceId = u"acl-join"_s;
    RelayServer *relay = startRelayOn(so, aclUser("acl-join", {"broadcast", "room:acl-open"}));
    TestClient *a = connectTo(relay->url());
    TestClient *b = connectTo(relay->url());
    QVERIFY(a->join(u"acl-open"_s));
    a->send(joinFrame(u"acl-secret"_s));
    b->send(joinFrame(u"acl-secret"_s));
    for (TestClient *c : {a, b}) {
        const QJsonObject refused = c->waitForType(u"error"_s);
        QVERIFY2(isSubscribeRefused(refused, u"acl-secret"_s),
                 QJsonDocument(refused).toJson(QJsonDocument::Compact).constData());
    }
    QCOMPARE(a->count([](const QJsonObject &f) { return f.value("type"_L1) == "joined"_L1; }), 1);
    QCOMPARE(relay->rooms(), QStringList{u"acl-open"_s});
    QCOMPARE(relay->roomMemberCount(u"acl-secret"_s), 0);
    QVERIFY(relay->stats().subscribeRefusals >= 1);
    QCOMPARE(numsub("room:acl-secret"), 0);
    // Nothing else is disturbed: the allowed room still carries messages.
    QVERIFY(b->join(u"acl-open"_s));
    a->send(chat(u"still here"_s, u"acl-open"_s));
    QVERIFY(!b->waitFor(textIs(u"still here"_s)).isEmpty());
    // Once the ACL allows it, a join asks Redis again and succeeds.
    aclUser("acl-join", {"broadcast", "room:acl-open", "room:acl-secret"});
    QVERIFY(a->join(u"acl-secret"_s));
    QTRY_COMPARE(numsub("room:acl-secret"), 1);
    m_redis->command({"ACL", "DELUSER", "acl-join"});
}

// Redis 7 disconnects a subscriber whose ACL loses a channel it listens to; the relay reconnects
// and resubscribes, Redis refuses the room, and its members are told and are no longer members.
void tst_RelayIntegrity::refusedResubscriptionTellsTheMembers()
{
    RelayServerOptions so;
    so.instanceId = u"acl-members"_s;
    RelayServer *relay = startRelayOn(so, aclUser("acl-members", {"broadcast", "room:acl-kept", "room:acl-lost"}));
    TestClient *member = connectTo(relay->url());
    QVERIFY(member->join(u"acl-kept"_s));
    QVERIFY(member->join(u"acl-lost"_s));
    aclUser("acl-members", {"broadcast", "room:acl-kept"});
    const QJsonObject refused = member->waitForType(u"error"_s, 15000);
    QVERIFY2(isSubscribeRefused(refused, u"acl-lost"_s),
             QJsonDocument(refused).toJson(QJsonDocument::Compact).constData());
    QCOMPARE(relay->rooms(), QStringList{u"acl-kept"_s});
    QCOMPARE(relay->roomMemberCount(u"acl-lost"_s), 0);
    QTRY_COMPARE(numsub("room:acl-kept"), 1);
    QCOMPARE(numsub("room:acl-lost"), 0);
    QCOMPARE(m_redis->command({"PUBLISH", "room:acl-kept", R"({"type":"message","text":"kept"})"}).toInteger(), 1);
    QVERIFY(!member->waitFor(textIs(u"kept"_s)).isEmpty());
    // A leave of the refused room is answered as for any room the connection is not in.
    member->send(QJsonObject{{u"type"_s, u"leave"_s}, {u"roomId"_s, u"acl-lost"_s}});
    QVERIFY(!member->waitForType(u"left"_s).isEmpty());
    m_redis->command({"ACL", "DELUSER", "acl-members"});
}

// Without the broadcast channel an instance's clients miss every other instance's broadcast: the
// relay says so (critical), counts it, and asks again whenever the bus reconnects.
void tst_RelayIntegrity::refusedBroadcastIsAskedForAgain()
{
    RelayServerOptions so;
    so.instanceId = u"acl-broadcast"_s;
    const QString url = aclUser("acl-broadcast", {"room:acl-b"});
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"refused the subscription to broadcast"_s));
    RelayServer *relay = startRelayOn(so, url);
    QTRY_COMPARE(relay->stats().subscribeRefusals, 1u);
    TestClient *client = connectTo(relay->url());
    QVERIFY(client->join(u"acl-b"_s));
    QCOMPARE(numsub("broadcast"), 0);

    aclUser("acl-broadcast", {"room:acl-b", "broadcast"});
    QVERIFY(m_redis->command({"CLIENT", "KILL", "USER", "acl-broadcast"}).toInteger() >= 1);
    QTRY_COMPARE_WITH_TIMEOUT(numsub("broadcast"), 1, 10000);
    QTRY_VERIFY(relay->bus()->isSubscribed("broadcast"));
    m_redis->command({"PUBLISH", "broadcast", R"({"type":"message","text":"to all"})"});
    QVERIFY(!client->waitFor(textIs(u"to all"_s)).isEmpty());
    QCOMPARE(relay->stats().subscribeRefusals, 1u);
    m_redis->command({"ACL", "DELUSER", "acl-broadcast"});
}

QTEST_MAIN(tst_RelayIntegrity)
#include "tst_relayintegrity.moc"
