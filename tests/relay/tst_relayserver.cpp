// SPDX-License-Identifier: MIT
#include "relayfixture.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// The relay on real buses: the protocol, rooms across instances, delivery exactly once, echo and
// duplicate suppression, heartbeat, shutdown, naming, prefix, kick. Limits, authentication and
// Redis outages have their own tests (tst_relaylimits, tst_relayauth, tst_relayoutage).
class tst_RelayServer : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(RelayFixture::init()); }
    void cleanup() { RelayFixture::cleanup(); }

    void joinAck_data();
    void joinAck();
    void roomDeliveryAcrossInstancesExactlyOnce();
    void broadcastReachesAll();
    void leaveStopsDelivery();
    void plainPublishReachesRoomMembersOnly();
    void busPayloadFraming_data();
    void busPayloadFraming();
    void numsubReturnsToZero_data();
    void numsubReturnsToZero();
    void thousandMessagesInOrderNoDuplicates();
    void badInput_data();
    void badInput();
    void binaryFrameIsAnError();
    void heartbeatClosesSilentClients();
    void shutdownClosesWith1001();
    void relayConnectionsAreNamed();
    void channelPrefix();
    void inProcessBus();
    void kick();
    void republishedMessageIsDeliveredOnce();
};

void tst_RelayServer::joinAck_data()
{
    QTest::addColumn<QJsonValue>("room");
    QTest::addColumn<QByteArray>("channel");
    QTest::newRow("string") << QJsonValue(u"lobby"_s) << "room:lobby"_ba;
    QTest::newRow("number") << QJsonValue(42) << "room:42"_ba;
    QTest::newRow("room syntax") << QJsonValue(u"a-b_c.d:e"_s) << "room:a-b_c.d:e"_ba;
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

void tst_RelayServer::busPayloadFraming_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("expected");
    // Frame length encodings: 7-bit up to 125, 16-bit up to 65,535, 64-bit above.
    for (const int size : {0, 1, 125, 126, 127, 65535, 65536, 200000}) {
        const QByteArray payload(size, 'p');
        QTest::addRow("%d bytes", size) << payload << QString::fromLatin1(payload);
    }
    QTest::newRow("multi-byte UTF-8") << "é 🚀 中"_ba << u"é 🚀 中"_s;
    // A text frame must be valid UTF-8: broken sequences arrive as U+FFFD, the client stays.
    QTest::newRow("invalid UTF-8") << "a\xff\xfe" "b"_ba << u"a\ufffd\ufffdb"_s;
    QTest::newRow("truncated sequence") << "ok \xe2\x82"_ba << QString::fromUtf8("ok \xe2\x82");
}

void tst_RelayServer::busPayloadFraming()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, expected);
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *m1 = connectTo(a), *m2 = connectTo(a), *m3 = connectTo(b);
    for (TestClient *c : {m1, m2, m3})
        QVERIFY(c->join(u"frames"_s));
    QCOMPARE(m_redis->command({"PUBLISH", "room:frames", payload}).toInteger(), 2);
    m_redis->command({"PUBLISH", "room:frames", "after"});
    for (TestClient *c : {m1, m2, m3}) {
        QTRY_COMPARE(c->rawFrames().size(), 3);
        QCOMPARE(c->rawFrames().at(1), expected);
        QCOMPARE(c->rawFrames().at(2), u"after"_s);
        QVERIFY(c->isConnected());
    }
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
    RelayLimits unlimited;
    unlimited.messagesPerSecond = 0;
    const Instance a = startRelay(u"a"_s, unlimited), b = startRelay(u"b"_s);
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

void tst_RelayServer::republishedMessageIsDeliveredOnce()
{
    // A relay whose PUBLISH was executed but whose reply was lost publishes it again; the other
    // relays deliver it once. Payloads that are not a relay's messages (no "relay" field naming
    // the id's origin) always pass: tst_relayintegrity has more of those.
    const Instance b = startRelay(u"b"_s);
    TestClient *member = connectTo(b);
    QVERIFY(member->join(u"d"_s));
    const QByteArray first =
        R"({"type":"message","user":"u","text":"one","timestamp":1,"roomId":"d","id":"x-abc-1","relay":"x-abc"})";
    const QByteArray second =
        R"({"type":"message","user":"u","text":"two","timestamp":2,"roomId":"d","id":"x-abc-2","relay":"x-abc"})";
    const QByteArray foreign = R"({"type":"message","user":"seed","text":"same","timestamp":3})";
    for (const QByteArray &payload : {first, first, second, first, second, foreign, foreign})
        m_redis->command({"PUBLISH", "room:d", payload});
    const QByteArray marker =
        R"({"type":"message","user":"u","text":"end","timestamp":4,"roomId":"d","id":"x-abc-3","relay":"x-abc"})";
    m_redis->command({"PUBLISH", "room:d", marker});
    QVERIFY(!member->waitFor(textIs(u"end"_s)).isEmpty());
    QCOMPARE(member->count(textIs(u"one"_s)), 1);
    QCOMPARE(member->count(textIs(u"two"_s)), 1);
    QCOMPARE(member->count(textIs(u"same"_s)), 2);
    QCOMPARE(b.server->stats().duplicatesDropped, 3u);
}

QTEST_MAIN(tst_RelayServer)
#include "tst_relayserver.moc"
