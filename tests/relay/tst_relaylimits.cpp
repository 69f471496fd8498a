// SPDX-License-Identifier: MIT
#include "rawwebsocket.h"
#include "relayfixture.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// The relay's limits (docs/security.md): message size, rate, rooms, room ids, connections,
// handshake and idle timeouts, slow consumers.
class tst_RelayLimits : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(RelayFixture::init()); }
    void cleanup() { RelayFixture::cleanup(); }

    void messageSizeLimit_data();
    void messageSizeLimit();
    void rateLimitWarnsThenCloses();
    void floodDoesNotDelayAnotherRoom();
    void roomsPerConnection();
    void roomIdSyntax_data();
    void roomIdSyntax();
    void connectionLimit();
    void handshakeTimeout();
    void idleTimeout();
    void slowConsumerIsClosedAtTheCap();
};

void tst_RelayLimits::messageSizeLimit_data()
{
    QTest::addColumn<int>("frameBytes");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("exactly 64 KiB") << 64 * 1024 << true;
    QTest::newRow("one byte over") << 64 * 1024 + 1 << false;
    QTest::newRow("1 MiB") << 1024 * 1024 << false;
}

void tst_RelayLimits::messageSizeLimit()
{
    QFETCH(int, frameBytes);
    QFETCH(bool, accepted);
    const Instance a = startRelay(u"a"_s); // default limits: 64 KiB
    TestClient *big = connectTo(a), *other = connectTo(a);
    QVERIFY(big->join(u"r"_s));
    QVERIFY(other->join(u"r"_s));
    // A message frame of exactly frameBytes bytes.
    const QByteArray head = R"({"type":"message","roomId":"r","user":"u","text":")";
    const QByteArray tail = R"("})";
    const QString text(frameBytes - head.size() - tail.size(), u'x');
    big->sendText(QString::fromUtf8(head) + text + QString::fromUtf8(tail));
    if (accepted) {
        QVERIFY(!other->waitFor(textIs(text)).isEmpty());
        QVERIFY(big->isConnected());
        QCOMPARE(a.server->stats().oversizeCloses, 0u);
    } else {
        QVERIFY(big->waitForClose());
        QCOMPARE(big->closeCode(), 1009);
        QTRY_COMPARE(a.server->stats().oversizeCloses, 1u);
    }
    // The other member is unaffected either way.
    other->send(chat(u"still here"_s, u"r"_s));
    QVERIFY(!other->waitFor(textIs(u"still here"_s)).isEmpty());
    QVERIFY(other->isConnected());
}

void tst_RelayLimits::rateLimitWarnsThenCloses()
{
    RelayLimits limits;
    limits.messagesPerSecond = 10;
    limits.messageBurst = 5;
    limits.rateLimitGrace = 300ms;
    const Instance a = startRelay(u"a"_s, limits);
    TestClient *flooder = connectTo(a), *calm = connectTo(a);
    const auto pongs = [flooder] {
        return flooder->count([](const QJsonObject &f) { return f.value("type"_L1) == "pong"_L1; });
    };
    QElapsedTimer sending;
    sending.start();
    for (int i = 0; i < 50; ++i)
        flooder->send({{u"type"_s, u"ping"_s}});
    const QJsonObject error =
        flooder->waitFor([](const QJsonObject &f) { return f.value("code"_L1) == "rate_limited"_L1; });
    QVERIFY(!error.isEmpty());
    // The burst was served, the rest dropped; one error frame, not one per dropped frame. The
    // bucket refills 10 tokens/s while the 50 frames are read: on an idle machine that takes a few
    // ms and exactly 5 are served, but two loaded cores can spread them over more than 100 ms.
    // So: at least the burst, at most the burst plus what refilled by the time all 50 were
    // counted, and every frame either served or counted as dropped.
    QTRY_COMPARE(qint64(a.server->stats().rateLimitedFrames) + pongs(), 50);
    const qint64 refilled = sending.elapsed() * limits.messagesPerSecond / 1000;
    QVERIFY2(pongs() >= 5 && pongs() <= 5 + refilled,
             qPrintable(u"%1 served in %2 ms"_s.arg(pongs()).arg(sending.elapsed())));
    QCOMPARE(flooder->count([](const QJsonObject &f) { return f.value("code"_L1) == "rate_limited"_L1; }), 1);
    QVERIFY(flooder->isConnected());

    // Still over the limit after the grace: closed with 1008.
    QElapsedTimer t;
    t.start();
    QTRY_VERIFY_WITH_TIMEOUT((flooder->send({{u"type"_s, u"ping"_s}}), !flooder->isConnected()), 5000);
    QVERIFY(t.elapsed() >= 250);
    QCOMPARE(flooder->closeCode(), 1008);
    QCOMPARE(flooder->closeReason(), u"rate limit exceeded"_s);
    QCOMPARE(a.server->stats().rateLimitCloses, 1u);
    calm->send({{u"type"_s, u"ping"_s}});
    QVERIFY(!calm->waitForType(u"pong"_s).isEmpty());
}

void tst_RelayLimits::floodDoesNotDelayAnotherRoom()
{
    // Default limits. One client floods room "f" as fast as TCP lets it while two others talk
    // in room "calm"; the calm room keeps being served. On an idle machine its p99 latency is a
    // few ms (printed below; 100 ms is the target docs/benchmarks.md holds the relay to). What is
    // asserted is isolation, on two cores shared with parallel tests and builds: a relay that
    // served the flood's backlog before the calm room would delay it by seconds (the flood sends
    // 2,000 frames a millisecond for as long as the probes run), while a loaded scheduler can add
    // a few hundred ms; hence 1 s (3 s in the ASan+UBSan build, several times slower per frame).
#ifdef SWITCHBOARD_SANITIZED
    constexpr qint64 BoundMs = 3000;
#else
    constexpr qint64 BoundMs = 1000;
#endif
    const Instance a = startRelay(u"a"_s);
    TestClient *sender = connectTo(a), *receiver = connectTo(a);
    QVERIFY(receiver->join(u"calm"_s));
    RawWebSocket flooder;
    QVERIFY(flooder.open(a.server->port()));
    QByteArray chunk;
    const QByteArray frame =
        RawWebSocket::textFrame(R"({"type":"message","roomId":"f","user":"x","text":"flood"})");
    for (int i = 0; i < 2000; ++i)
        chunk += frame;

    QElapsedTimer clock;
    clock.start();
    QHash<QString, qint64> sentAt;
    QList<qint64> latencies;
    connect(&receiver->socket(), &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        const QJsonObject f = QJsonDocument::fromJson(text.toUtf8()).object();
        const auto it = sentAt.constFind(f.value("text"_L1).toString());
        if (it != sentAt.cend())
            latencies.append(clock.elapsed() - *it);
    });
    QTimer floodTimer, probeTimer;
    connect(&floodTimer, &QTimer::timeout, this, [&] {
        if (flooder.socket().bytesToWrite() < chunk.size())
            flooder.send(chunk);
    });
    int probes = 0;
    connect(&probeTimer, &QTimer::timeout, this, [&] {
        if (probes == 150)
            return;
        const QString text = u"probe-%1"_s.arg(probes++);
        sentAt.insert(text, clock.elapsed());
        sender->send(chat(text, u"calm"_s));
    });
    floodTimer.start(1);
    probeTimer.start(10); // 100 messages/s: the sender stays within its own limit
    QTRY_COMPARE_WITH_TIMEOUT(latencies.size(), 150, 20000);
    floodTimer.stop();
    std::sort(latencies.begin(), latencies.end());
    const qint64 p99 = latencies.at(latencies.size() * 99 / 100);
    qInfo() << "calm room latency under flood: p50" << latencies.at(latencies.size() / 2) << "ms, p99" << p99
            << "ms; flood frames dropped by the rate limit:" << a.server->stats().rateLimitedFrames;
    QVERIFY(a.server->stats().rateLimitedFrames > 1000);
    QVERIFY2(p99 < BoundMs, qPrintable(u"p99 %1 ms"_s.arg(p99)));
}

void tst_RelayLimits::roomsPerConnection()
{
    RelayLimits limits;
    limits.maxRoomsPerConnection = 3;
    const Instance a = startRelay(u"a"_s, limits);
    TestClient *c = connectTo(a);
    for (const char *room : {"r1", "r2", "r3"})
        QVERIFY(c->join(QString::fromLatin1(room)));
    c->send(joinFrame(u"r4"_s));
    const QJsonObject error = c->waitForType(u"error"_s);
    QCOMPARE(error.value("code"_L1).toString(), u"too_many_rooms"_s);
    QCOMPARE(numsub("room:r4"_ba), 0);
    c->send({{u"type"_s, u"leave"_s}, {u"roomId"_s, u"r1"_s}});
    QVERIFY(c->join(u"r4"_s));
}

void tst_RelayLimits::roomIdSyntax_data()
{
    QTest::addColumn<QJsonValue>("roomId");
    QTest::addColumn<bool>("strictAccepts");
    QTest::newRow("plain") << QJsonValue(u"team-1:chat_2.x"_s) << true;
    QTest::newRow("number") << QJsonValue(42) << true;
    QTest::newRow("128 chars") << QJsonValue(QString(128, u'a')) << true;
    QTest::newRow("129 chars") << QJsonValue(QString(129, u'a')) << false;
    QTest::newRow("space") << QJsonValue(u"a b"_s) << false;
    QTest::newRow("glob") << QJsonValue(u"*"_s) << false;
    QTest::newRow("non-ASCII") << QJsonValue(u"räum"_s) << false;
    QTest::newRow("newline") << QJsonValue(u"a\nb"_s) << false;
}

void tst_RelayLimits::roomIdSyntax()
{
    QFETCH(QJsonValue, roomId);
    QFETCH(bool, strictAccepts);
    RelayLimits seed;
    seed.roomIds = RelayProtocol::RoomIds::Seed;
    const Instance strict = startRelay(u"strict"_s), lax = startRelay(u"seed"_s, seed);
    TestClient *c = connectTo(strict), *d = connectTo(lax);
    c->send(joinFrame(roomId));
    const QJsonObject reply = c->waitFor([](const QJsonObject &f) {
        return f.value("type"_L1) == "joined"_L1 || f.value("type"_L1) == "error"_L1;
    });
    if (strictAccepts) {
        QCOMPARE(reply.value("type"_L1).toString(), u"joined"_s);
    } else {
        QCOMPARE(reply.value("code"_L1).toString(), u"invalid_room"_s);
        // Nothing was subscribed on the client's behalf.
        const RedisValue channels = m_redis->command({"PUBSUB", "CHANNELS", "room:*"});
        QCOMPARE(channels.elements().size(), size_t(0));
    }
    // The seed policy takes any id up to 128 characters.
    const bool seedAccepts = !(roomId.isString() && roomId.toString().size() > 128);
    QCOMPARE(d->join(roomId), seedAccepts);
}

void tst_RelayLimits::connectionLimit()
{
    RelayLimits limits;
    limits.maxConnections = 2;
    const Instance a = startRelay(u"a"_s, limits);
    TestClient *first = connectTo(a), *second = connectTo(a);
    QTRY_COMPARE(a.server->clientCount(), 2);
    auto *third = new TestClient;
    m_owned.prepend(third);
    third->open(a.server->url());
    QVERIFY(third->waitForClose());
    QCOMPARE(third->closeCode(), 4013);
    QCOMPARE(a.server->stats().connectionsRefused, 1u);
    QVERIFY(first->isConnected() && second->isConnected());
    first->close();
    QTRY_COMPARE(a.server->clientCount(), 1);
    TestClient *fourth = connectTo(a);
    fourth->send({{u"type"_s, u"ping"_s}});
    QVERIFY(!fourth->waitForType(u"pong"_s).isEmpty());
}

void tst_RelayLimits::handshakeTimeout()
{
    RelayLimits limits;
    limits.handshakeTimeout = 200ms;
    const Instance a = startRelay(u"a"_s, limits);
    QTcpSocket mute, partial;
    for (QTcpSocket *s : {&mute, &partial}) {
        s->connectToHost(QHostAddress::LocalHost, a.server->port());
        QVERIFY(s->waitForConnected(5000));
    }
    partial.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // never finished
    QTRY_COMPARE_WITH_TIMEOUT(mute.state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(partial.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(a.server->clientCount(), 0);
}

void tst_RelayLimits::idleTimeout()
{
    RelayLimits limits;
    // The chatty client pings every 50 ms; 1 s (not less) so that a loaded machine stalling the
    // test for a few hundred ms does not make it look idle.
    limits.idleTimeout = 1s;
    const Instance a = startRelay(u"a"_s, limits);
    TestClient *quiet = connectTo(a), *chatty = connectTo(a);
    QTimer keepTalking;
    connect(&keepTalking, &QTimer::timeout, this, [chatty] { chatty->send({{u"type"_s, u"ping"_s}}); });
    keepTalking.start(50);
    QVERIFY(quiet->waitForClose());
    QCOMPARE(quiet->closeCode(), 4002);
    QCOMPARE(a.server->stats().idleCloses, 1u);
    QVERIFY(chatty->isConnected());
}

void tst_RelayLimits::slowConsumerIsClosedAtTheCap()
{
    RelayLimits limits;
    limits.maxOutboundBytes = 256 * 1024;
    limits.messagesPerSecond = 0;
    const Instance a = startRelay(u"a"_s, limits);
    TestClient *sender = connectTo(a), *reader = connectTo(a);
    QVERIFY(reader->join(u"busy"_s));
    RawWebSocket stuck;
    QVERIFY(stuck.open(a.server->port()));
    stuck.send(RawWebSocket::textFrame(R"({"type":"join","roomId":"busy"})"));
    QTRY_COMPARE(a.server->roomMemberCount(u"busy"_s), 2);
    stuck.stopReading();

    const QString filler(16 * 1024, u'x');
    int sent = 0;
    // Until the relay gives up on the stuck client; the kernel's buffers absorb the first MBs.
    while (a.server->stats().slowConsumerCloses == 0 && sent < 10000) {
        QVERIFY(QTest::qWaitFor([&] { return sender->socket().bytesToWrite() < 1024 * 1024; }, 20000));
        sender->send(chat(filler + QString::number(sent++), u"busy"_s));
    }
    QCOMPARE(a.server->stats().slowConsumerCloses, 1u);
    QTRY_COMPARE(a.server->roomMemberCount(u"busy"_s), 1);
    qInfo() << "stuck client closed after" << sent << "messages of 16 KiB";
    // The reader got every message, in order.
    sender->send(chat(u"last"_s, u"busy"_s));
    QVERIFY(!reader->waitFor(textIs(u"last"_s), 20000).isEmpty());
    QCOMPARE(reader->count([](const QJsonObject &f) { return f.value("type"_L1) == "message"_L1; }),
             sent + 1);
}

QTEST_MAIN(tst_RelayLimits)
#include "tst_relaylimits.moc"
