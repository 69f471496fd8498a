// SPDX-License-Identifier: MIT
#include "localbus.h"
#include "redisbus.h"
#include "redisserver.h"
#include "relayserver.h"
#include "testclient.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

QJsonObject joinFrame(const QJsonValue &room)
{
    return {{u"type"_s, u"join"_s}, {u"roomId"_s, room}};
}

QJsonObject chat(const QString &text, const QJsonValue &room = QJsonValue::Undefined,
                 const QString &user = u"u"_s)
{
    QJsonObject o{{u"type"_s, u"message"_s}, {u"user"_s, user}, {u"text"_s, text}};
    if (!room.isUndefined())
        o.insert(u"roomId"_s, room);
    return o;
}

auto textIs(const QString &text)
{
    return [text](const QJsonObject &f) {
        return f.value("type"_L1) == "message"_L1 && f.value("text"_L1) == text;
    };
}

} // namespace

class tst_RelayServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void joinAck_data();
    void joinAck();
    void roomDeliveryAcrossInstancesExactlyOnce();
    void broadcastReachesAll();
    void leaveStopsDelivery();
    void plainPublishReachesRoomMembersOnly();
    void numsubReturnsToZero_data();
    void numsubReturnsToZero();
    void thousandMessagesInOrderNoDuplicates();
    void badInput_data();
    void badInput();
    void binaryFrameIsAnError();
    void redisRestartDeliversAgainWithin3s();
    void heartbeatClosesSilentClients();
    void shutdownClosesWith1001();
    void relayConnectionsAreNamed();
    void channelPrefix();
    void inProcessBus();
    void kick();

private:
    struct Instance
    {
        MessageBus *bus = nullptr;
        RelayServer *server = nullptr;
    };
    Instance startRelay(const QString &instanceId, const QByteArray &prefix = {},
                        std::chrono::milliseconds ping = 30s, bool inProcess = false);
    TestClient *connectTo(const Instance &relay);
    qint64 numsub(const QByteArray &channel) const;

    std::unique_ptr<RedisServer> m_redis;
    QList<QObject *> m_owned;
};

void tst_RelayServer::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_RelayServer::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
    m_redis.reset();
}

tst_RelayServer::Instance tst_RelayServer::startRelay(const QString &instanceId, const QByteArray &prefix,
                                                      std::chrono::milliseconds ping, bool inProcess)
{
    Instance i;
    if (inProcess) {
        i.bus = new LocalBus;
    } else {
        RedisConnectionOptions o;
        o.url = RedisUrl::parse(m_redis->url());
        o.clientName = u"switchboard-relay:"_s + instanceId;
        i.bus = new RedisBus(o);
    }
    m_owned.append(i.bus);
    i.bus->start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = instanceId;
    so.channelPrefix = prefix;
    so.pingInterval = ping;
    i.server = new RelayServer(so, i.bus);
    m_owned.prepend(i.server); // deleted before its bus
    if (!i.server->listen())
        qWarning("listen failed");
    return i;
}

TestClient *tst_RelayServer::connectTo(const Instance &relay)
{
    auto *c = new TestClient;
    m_owned.prepend(c);
    if (!c->open(relay.server->url()))
        qWarning("client could not connect");
    return c;
}

qint64 tst_RelayServer::numsub(const QByteArray &channel) const
{
    const RedisValue r = m_redis->command({"PUBSUB", "NUMSUB", channel});
    return r.elements().size() == 2 ? r.elements()[1].toInteger() : -1;
}

void tst_RelayServer::joinAck_data()
{
    QTest::addColumn<QJsonValue>("room");
    QTest::addColumn<QByteArray>("channel");
    QTest::newRow("string") << QJsonValue(u"lobby"_s) << "room:lobby"_ba;
    QTest::newRow("number") << QJsonValue(42) << "room:42"_ba;
    QTest::newRow("unicode") << QJsonValue(u"café"_s) << "room:caf\xc3\xa9"_ba;
}

void tst_RelayServer::joinAck()
{
    QFETCH(QJsonValue, room);
    QFETCH(QByteArray, channel);
    const Instance a = startRelay(u"a"_s);
    TestClient *c = connectTo(a);
    c->send(joinFrame(room));
    const QJsonObject ack = c->waitForType(u"joined"_s);
    QCOMPARE(ack.value("roomId"_L1), room);
    QCOMPARE(ack.size(), 2);
    // The ack means Redis already has the subscription.
    QCOMPARE(numsub(channel), 1);
    QCOMPARE(a.server->roomMemberCount(room.isDouble() ? QString::number(room.toInt()) : room.toString()), 1);
}

void tst_RelayServer::roomDeliveryAcrossInstancesExactlyOnce()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *a1 = connectTo(a), *a2 = connectTo(a), *b1 = connectTo(b), *b2 = connectTo(b);
    for (TestClient *c : {a1, a2, b1})
        QVERIFY(c->join(u"r"_s));
    QVERIFY(b2->join(u"other"_s));

    a1->send(chat(u"hello"_s, u"r"_s, u"alice"_s));
    a1->send(chat(u"marker"_s)); // broadcast after it: everyone sees the marker after any copy of "hello"
    for (TestClient *c : {a1, a2, b1, b2})
        QVERIFY(!c->waitFor(textIs(u"marker"_s)).isEmpty());
    for (TestClient *c : {a1, a2, b1})
        QCOMPARE(c->count(textIs(u"hello"_s)), 1);
    QCOMPARE(b2->count(textIs(u"hello"_s)), 0);

    const QJsonObject m = b1->waitFor(textIs(u"hello"_s));
    QCOMPARE(m.value("user"_L1).toString(), u"alice"_s);
    QCOMPARE(m.value("roomId"_L1).toString(), u"r"_s);
    QVERIFY(m.value("timestamp"_L1).isDouble());
    QVERIFY(qAbs(m.value("timestamp"_L1).toDouble() - double(QDateTime::currentMSecsSinceEpoch())) < 60000);
    QVERIFY(m.value("id"_L1).toString().startsWith(u"a-"_s));
    // Every client received the identical bytes.
    QCOMPARE(a2->rawFrames().filter(u"hello"_s), b1->rawFrames().filter(u"hello"_s));
    QVERIFY(a.server->stats().echoesSuppressed >= 2);
}

void tst_RelayServer::broadcastReachesAll()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    QList<TestClient *> all{connectTo(a), connectTo(a), connectTo(b), connectTo(b)};
    QVERIFY(all[3]->join(u"some-room"_s));
    QTRY_VERIFY(a.bus->isSubscribed("broadcast"_ba) && b.bus->isSubscribed("broadcast"_ba));
    all[2]->send(chat(u"to everyone"_s));
    for (TestClient *c : all) {
        const QJsonObject m = c->waitFor(textIs(u"to everyone"_s));
        QVERIFY(!m.isEmpty());
        QVERIFY(!m.contains("roomId"_L1));
    }
    for (TestClient *c : all)
        QCOMPARE(c->count(textIs(u"to everyone"_s)), 1);
}

void tst_RelayServer::leaveStopsDelivery()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *sender = connectTo(a), *leaver = connectTo(b), *stayer = connectTo(b);
    for (TestClient *c : {sender, leaver, stayer})
        QVERIFY(c->join(7));
    leaver->send(QJsonObject{{u"type"_s, u"leave"_s}, {u"roomId"_s, 7}});
    const QJsonObject left = leaver->waitForType(u"left"_s);
    QCOMPARE(left.value("roomId"_L1), QJsonValue(7));

    sender->send(chat(u"after leave"_s, 7));
    sender->send(chat(u"marker"_s));
    QVERIFY(!leaver->waitFor(textIs(u"marker"_s)).isEmpty());
    QVERIFY(!stayer->waitFor(textIs(u"after leave"_s)).isEmpty());
    QCOMPARE(leaver->count(textIs(u"after leave"_s)), 0);
}

void tst_RelayServer::plainPublishReachesRoomMembersOnly()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *m1 = connectTo(a), *m2 = connectTo(b), *outsider = connectTo(b);
    QVERIFY(m1->join(u"ops"_s));
    QVERIFY(m2->join(u"ops"_s));
    QVERIFY(outsider->join(u"elsewhere"_s));
    // A backend service publishes its own JSON, with its own key order and spacing.
    const QByteArray payload = R"({"kind": "deploy",  "version":"1.2.3", "emoji":"🚀"})"_ba;
    QCOMPARE(m_redis->command({"PUBLISH", "room:ops", payload}).toInteger(), 2);
    QTRY_COMPARE(m1->rawFrames().size(), 2);
    QTRY_COMPARE(m2->rawFrames().size(), 2);
    QCOMPARE(m1->rawFrames().last().toUtf8(), payload);
    QCOMPARE(m2->rawFrames().last().toUtf8(), payload);
    m_redis->command({"PUBLISH", "broadcast", "marker"});
    QTRY_COMPARE(outsider->rawFrames().size(), 2);
    QCOMPARE(outsider->rawFrames().last(), u"marker"_s);
}

void tst_RelayServer::numsubReturnsToZero_data()
{
    QTest::addColumn<bool>("byDisconnect");
    QTest::newRow("last member leaves") << false;
    QTest::newRow("last member disconnects") << true;
}

void tst_RelayServer::numsubReturnsToZero()
{
    QFETCH(bool, byDisconnect);
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *c1 = connectTo(a), *c2 = connectTo(a), *c3 = connectTo(b);
    for (TestClient *c : {c1, c2, c3})
        QVERIFY(c->join(u"R"_s));
    QCOMPARE(numsub("room:R"_ba), 2); // one subscription per instance, not per client
    auto drop = [&](TestClient *c) {
        if (byDisconnect)
            c->close();
        else
            c->send(QJsonObject{{u"type"_s, u"leave"_s}, {u"roomId"_s, u"R"_s}});
    };
    drop(c1);
    drop(c3);
    QTRY_COMPARE(numsub("room:R"_ba), 1);
    drop(c2);
    QTRY_COMPARE(numsub("room:R"_ba), 0);
    QTRY_COMPARE(a.server->roomCount(), 0);
    QCOMPARE(numsub("broadcast"_ba), 2);
}

void tst_RelayServer::thousandMessagesInOrderNoDuplicates()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *sender = connectTo(a), *local = connectTo(a), *remote = connectTo(b);
    for (TestClient *c : {sender, local, remote})
        QVERIFY(c->join(u"flood"_s));
    constexpr int N = 1000;
    for (int i = 0; i < N; ++i)
        sender->send(chat(QString::number(i), u"flood"_s));
    for (TestClient *c : {sender, local, remote}) {
        QTRY_COMPARE_WITH_TIMEOUT(c->count(textIs(QString::number(N - 1))), 1, 20000);
        QList<int> seen;
        QSet<QString> ids;
        for (const QJsonObject &f : c->frames()) {
            if (f.value("type"_L1) != "message"_L1)
                continue;
            seen << f.value("text"_L1).toString().toInt();
            ids.insert(f.value("id"_L1).toString());
        }
        QCOMPARE(seen.size(), N);
        QCOMPARE(ids.size(), N);
        for (int i = 0; i < N; ++i)
            QCOMPARE(seen[i], i);
    }
}

void tst_RelayServer::badInput_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("code");
    QTest::newRow("not json") << u"hello there"_s << u"invalid_json"_s;
    QTest::newRow("truncated") << u"{\"type\":"_s << u"invalid_json"_s;
    QTest::newRow("array") << u"[]"_s << u"not_an_object"_s;
    QTest::newRow("no type") << u"{}"_s << u"missing_type"_s;
    QTest::newRow("type number") << u"{\"type\":1}"_s << u"invalid_type"_s;
    QTest::newRow("unknown type") << u"{\"type\":\"shout\"}"_s << u"unknown_type"_s;
    QTest::newRow("join without room") << u"{\"type\":\"join\"}"_s << u"missing_field"_s;
    QTest::newRow("join with object room") << u"{\"type\":\"join\",\"roomId\":{}}"_s << u"invalid_field"_s;
    QTest::newRow("message without text") << u"{\"type\":\"message\",\"user\":\"u\"}"_s << u"missing_field"_s;
    QTest::newRow("message numeric text")
        << u"{\"type\":\"message\",\"user\":\"u\",\"text\":1}"_s << u"invalid_field"_s;
}

void tst_RelayServer::badInput()
{
    QFETCH(QString, frame);
    QFETCH(QString, code);
    const Instance a = startRelay(u"a"_s);
    TestClient *c = connectTo(a);
    c->sendText(frame);
    const QJsonObject error = c->waitForType(u"error"_s);
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY(!error.value("message"_L1).toString().isEmpty());
    // The connection stays usable.
    c->send(QJsonObject{{u"type"_s, u"ping"_s}});
    QVERIFY(!c->waitForType(u"pong"_s).isEmpty());
    QVERIFY(c->join(u"still-works"_s));
    QVERIFY(c->isConnected());
}

void tst_RelayServer::binaryFrameIsAnError()
{
    const Instance a = startRelay(u"a"_s);
    TestClient *c = connectTo(a);
    c->sendBinary("\x01\x02"_ba);
    QCOMPARE(c->waitForType(u"error"_s).value("code"_L1).toString(), u"binary_not_supported"_s);
    c->send(QJsonObject{{u"type"_s, u"ping"_s}});
    QVERIFY(!c->waitForType(u"pong"_s).isEmpty());
}

void tst_RelayServer::redisRestartDeliversAgainWithin3s()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *sender = connectTo(a), *receiver = connectTo(b);
    QVERIFY(sender->join(u"x"_s));
    QVERIFY(receiver->join(u"x"_s));

    QVERIFY(m_redis->restart());
    QElapsedTimer sinceBack;
    sinceBack.start();
    int probe = 0;
    auto crossed = [&] {
        sender->send(chat(u"probe-"_s + QString::number(probe++), u"x"_s));
        return receiver->count([](const QJsonObject &f) {
            return f.value("text"_L1).toString().startsWith(u"probe-"_s);
        }) > 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(crossed(), 3000);
    qInfo() << "room delivered across instances again" << sinceBack.elapsed()
            << "ms after redis-server was back";
    QTRY_COMPARE(numsub("room:x"_ba), 2); // the sender's relay may resubscribe a moment later
    // Still exactly once per message after the reconnect.
    receiver->clearFrames();
    sender->send(chat(u"after-restart"_s, u"x"_s));
    sender->send(chat(u"marker"_s));
    QVERIFY(!receiver->waitFor(textIs(u"marker"_s)).isEmpty());
    QCOMPARE(receiver->count(textIs(u"after-restart"_s)), 1);
}

void tst_RelayServer::heartbeatClosesSilentClients()
{
    const Instance a = startRelay(u"a"_s, {}, 100ms);
    TestClient *polite = connectTo(a); // QWebSocket answers pings by itself

    // A raw socket that completes the handshake and then never answers a ping.
    QTcpSocket silent;
    silent.connectToHost(QHostAddress::LocalHost, a.server->port());
    QVERIFY(silent.waitForConnected(5000));
    silent.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_VERIFY(silent.bytesAvailable() > 0 || silent.waitForReadyRead(50));
    QVERIFY(silent.readAll().startsWith("HTTP/1.1 101"));
    QTRY_COMPARE(a.server->clientCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(a.server->clientCount(), 1);
    QVERIFY(a.server->stats().heartbeatTimeouts >= 1);
    QVERIFY(polite->isConnected());
}

void tst_RelayServer::shutdownClosesWith1001()
{
    const Instance a = startRelay(u"a"_s);
    TestClient *c1 = connectTo(a), *c2 = connectTo(a);
    QVERIFY(c1->join(u"s"_s));
    QSignalSpy finished(a.server, &RelayServer::finished);
    a.server->shutdown();
    QVERIFY(c1->waitForClose());
    QVERIFY(c2->waitForClose());
    QCOMPARE(c1->closeCode(), 1001);
    QCOMPARE(c1->closeReason(), u"going away"_s);
    QCOMPARE(c2->closeCode(), 1001);
    QVERIFY(finished.wait(2000));
    QTRY_COMPARE(numsub("room:s"_ba), 0);
}

void tst_RelayServer::relayConnectionsAreNamed()
{
    const Instance a = startRelay(u"node-7"_s);
    QTRY_VERIFY(a.bus->isSubscribed("broadcast"_ba)); // a connection is "pubsub" once it subscribes
    const QByteArray list = m_redis->command({"CLIENT", "LIST", "TYPE", "pubsub"}).bytes();
    QVERIFY2(list.contains("name=switchboard-relay:node-7 "), list.constData());
}

void tst_RelayServer::channelPrefix()
{
    const Instance a = startRelay(u"a"_s, "app:chat:"_ba);
    TestClient *c = connectTo(a);
    QVERIFY(c->join(u"9"_s));
    QCOMPARE(numsub("app:chat:room:9"_ba), 1);
    QCOMPARE(numsub("room:9"_ba), 0);
    m_redis->command({"PUBLISH", "app:chat:broadcast", "to prefixed"});
    QTRY_VERIFY(c->rawFrames().contains(u"to prefixed"_s));
    m_redis->command({"PUBLISH", "broadcast", "unprefixed"});
    m_redis->command({"PUBLISH", "app:chat:room:9", "room msg"});
    QTRY_VERIFY(c->rawFrames().contains(u"room msg"_s));
    QVERIFY(!c->rawFrames().contains(u"unprefixed"_s));
}

void tst_RelayServer::inProcessBus()
{
    const Instance a = startRelay(u"solo"_s, {}, 30s, true);
    TestClient *c1 = connectTo(a), *c2 = connectTo(a), *c3 = connectTo(a);
    QVERIFY(c1->join(u"r"_s));
    QVERIFY(c2->join(u"r"_s));
    c1->send(chat(u"local"_s, u"r"_s));
    c1->send(chat(u"all"_s));
    for (TestClient *c : {c1, c2, c3})
        QVERIFY(!c->waitFor(textIs(u"all"_s)).isEmpty());
    QCOMPARE(c1->count(textIs(u"local"_s)), 1);
    QCOMPARE(c2->count(textIs(u"local"_s)), 1);
    QCOMPARE(c3->count(textIs(u"local"_s)), 0);
    QCOMPARE(c3->count(textIs(u"all"_s)), 1);
}

void tst_RelayServer::kick()
{
    const Instance a = startRelay(u"a"_s);
    TestClient *c = connectTo(a);
    QTRY_COMPARE(a.server->clientCount(), 1);
    const quint64 id = a.server->clients().first().id;
    QVERIFY(a.server->kick(id, u"bye"_s));
    QVERIFY(c->waitForClose());
    QCOMPARE(c->closeCode(), 1008);
    QCOMPARE(c->closeReason(), u"bye"_s);
    QVERIFY(!a.server->kick(9999));
}

QTEST_MAIN(tst_RelayServer)
#include "tst_relayserver.moc"
