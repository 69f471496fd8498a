// SPDX-License-Identifier: MIT
#include "redisconnection.h"
#include "redisserver.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RedisConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pipelineKeepsOrder_data();
    void pipelineKeepsOrder();
    void commandsQueuedBeforeReady();
    void callbackCancelledWhenContextDies();
    void clientNameVisibleInClientList();
    void selectsDatabase();
    void authentication_data();
    void authentication();
    void unixSocket();
    void connectTimeout();
    void reconnectsAfterServerRestart();
    void closeFailsPending();
    void binarySafePayloads();
    void emptyCommandIsRefused_data();
    void emptyCommandIsRefused();
    void heartbeatDetectsStalledServer();
    void heartbeatOff();
    void callbacksNeverRunInsideCommand_data();
    void callbacksNeverRunInsideCommand();

private:
    RedisConnectionOptions optionsFor(const QString &url) const;
    std::unique_ptr<RedisServer> m_redis;
};

RedisConnectionOptions tst_RedisConnection::optionsFor(const QString &url) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(url);
    return o;
}

void tst_RedisConnection::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_RedisConnection::pipelineKeepsOrder_data()
{
    QTest::addColumn<int>("rounds");
    QTest::newRow("small") << 1;
    QTest::newRow("large pipeline") << 2000;
}

void tst_RedisConnection::pipelineKeepsOrder()
{
    QFETCH(int, rounds);
    RedisConnection c(optionsFor(m_redis->url()));
    c.open();
    QTRY_VERIFY(c.isReady());

    // Mixed replies and errors, all pipelined, must come back in the order sent.
    QStringList got;
    QStringList expected;
    for (int i = 0; i < rounds; ++i) {
        const QByteArray key = "k" + QByteArray::number(i);
        c.command({"SET", key, "v" + QByteArray::number(i)}, this,
                  [&](const RedisValue &r) { got << r.toDisplayString(); });
        c.command({"GET", key}, this, [&](const RedisValue &r) { got << r.toDisplayString(); });
        c.command({"INCR", key}, this, [&](const RedisValue &r) { got << (r.isError() ? u"E"_s : u"?"_s); });
        c.command({"NOSUCHCOMMAND"}, this,
                  [&](const RedisValue &r) { got << (r.isError() ? u"E"_s : u"?"_s); });
        c.command({"DEL", key}, this, [&](const RedisValue &r) { got << r.toDisplayString(); });
        c.command({"GET", key}, this, [&](const RedisValue &r) { got << r.toDisplayString(); });
        expected << u"OK"_s << u"\"v%1\""_s.arg(i) << u"E"_s << u"E"_s << u"(integer) 1"_s << u"(nil)"_s;
    }
    QVERIFY(c.inFlightCount() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(got.size(), expected.size(), 20000);
    QCOMPARE(got, expected);
    QCOMPARE(c.inFlightCount(), 0);
}

void tst_RedisConnection::commandsQueuedBeforeReady()
{
    RedisConnection c(optionsFor(m_redis->url()));
    QList<RedisValue> replies;
    c.command({"PING"}, this, [&](const RedisValue &r) { replies << r; });
    c.command({"ECHO", "x"}, this, [&](const RedisValue &r) { replies << r; });
    QCOMPARE(c.queuedCount(), 2);
    c.open();
    QTRY_COMPARE(replies.size(), 2);
    QCOMPARE(replies[0].bytes(), "PONG"_ba);
    QCOMPARE(replies[1].bytes(), "x"_ba);
}

void tst_RedisConnection::callbackCancelledWhenContextDies()
{
    RedisConnection c(optionsFor(m_redis->url()));
    c.open();
    QTRY_VERIFY(c.isReady());
    int called = 0;
    auto *context = new QObject;
    c.command({"PING"}, context, [&](const RedisValue &) { ++called; });
    bool lastDone = false;
    delete context; // before the reply arrives
    c.command({"PING"}, this, [&](const RedisValue &) { lastDone = true; });
    QTRY_VERIFY(lastDone);
    QCOMPARE(called, 0);

    // Queued work for a dead context is never sent.
    RedisConnection d(optionsFor(m_redis->url()));
    auto *context2 = new QObject;
    d.command({"SET", "cancelled-key", "1"}, context2, [&](const RedisValue &) { ++called; });
    delete context2;
    bool done = false;
    d.command({"EXISTS", "cancelled-key"}, this, [&](const RedisValue &r) {
        QCOMPARE(r.toInteger(), 0);
        done = true;
    });
    d.open();
    QTRY_VERIFY(done);
    QCOMPARE(called, 0);
}

void tst_RedisConnection::clientNameVisibleInClientList()
{
    RedisConnectionOptions o = optionsFor(m_redis->url());
    o.clientName = u"switchboard-test:abc"_s;
    RedisConnection c(o);
    c.open();
    QTRY_VERIFY(c.isReady());
    const RedisValue list = m_redis->command({"CLIENT", "LIST"});
    QVERIFY(list.bytes().contains("name=switchboard-test:abc "));
}

void tst_RedisConnection::selectsDatabase()
{
    RedisConnection c(optionsFor(m_redis->url() + u"/5"_s));
    c.open();
    bool done = false;
    c.command({"SET", "in-db5", "1"}, this, [&](const RedisValue &) { done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(m_redis->command({"EXISTS", "in-db5"}).toInteger(), 0); // db 0
    m_redis->command({"SELECT", "5"});
    RedisConnection check(optionsFor(m_redis->url() + u"/5"_s));
    check.open();
    qint64 exists = -1;
    check.command({"EXISTS", "in-db5"}, this, [&](const RedisValue &r) { exists = r.toInteger(); });
    QTRY_COMPARE(exists, 1);
}

void tst_RedisConnection::authentication_data()
{
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<bool>("accepted");
    // The handshake step Redis refuses, as the documented error names it, and that command as
    // sent on a fresh connection: Redis's own answer to it completes the expected error.
    QTest::addColumn<QString>("failedStep");
    QTest::addColumn<QByteArrayList>("refusedCommand");
    QTest::newRow("requirepass") << u":masterpw@"_s << true << QString() << QByteArrayList();
    QTest::newRow("acl user") << u"alice:alicepw@"_s << true << QString() << QByteArrayList();
    // Refused CLIENT SETNAME (NOPERM): connected, unnamed.
    QTest::newRow("acl user without setname") << u"bob:bobpw@"_s << true << QString() << QByteArrayList();
    QTest::newRow("wrong password") << u":nope@"_s << false << u"AUTH"_s << QByteArrayList{"AUTH", "nope"};
    QTest::newRow("wrong acl password")
        << u"alice:nope@"_s << false << u"AUTH"_s << QByteArrayList{"AUTH", "alice", "nope"};
    QTest::newRow("no credentials") << u""_s << false << u"CLIENT SETNAME"_s
                                    << QByteArrayList{"CLIENT", "SETNAME", "auth-test"};
}

void tst_RedisConnection::authentication()
{
    QFETCH(QString, credentials);
    QFETCH(bool, accepted);
    RedisServer secured({u"--requirepass"_s, u"masterpw"_s});
    QVERIFY2(secured.start(), qPrintable(secured.errorString()));
    QCOMPARE(secured.command({"ACL", "SETUSER", "alice", "on", ">alicepw", "~*", "&*", "+@all"}, "masterpw")
                 .bytes(),
             "OK"_ba);
    QCOMPARE(secured
                 .command({"ACL", "SETUSER", "bob", "on", ">bobpw", "~*", "&*", "+@all", "-client|setname"},
                          "masterpw")
                 .bytes(),
             "OK"_ba);

    RedisConnectionOptions o =
        optionsFor(u"redis://"_s + credentials + u"127.0.0.1:"_s + QString::number(secured.port()));
    o.clientName = u"auth-test"_s;
    RedisConnection c(o);
    QSignalSpy states(&c, &RedisConnection::stateChanged);
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    if (accepted) {
        QTRY_VERIFY(c.isReady());
        RedisValue who;
        c.command({"ACL", "WHOAMI"}, this, [&](const RedisValue &r) { who = r; });
        QTRY_VERIFY(!who.isNil());
        const QString user = credentials.section(u':', 0, 0);
        QCOMPARE(who.bytes(), user.isEmpty() ? "default"_ba : user.toUtf8());
        const QByteArray clients = secured.command({"CLIENT", "LIST"}, "masterpw").bytes();
        QCOMPARE(clients.contains("name=auth-test "), user != u"bob"_s);
    } else {
        QFETCH(QString, failedStep);
        QFETCH(QByteArrayList, refusedCommand);
        const RedisValue refusal = secured.command(refusedCommand);
        QVERIFY2(refusal.isError() && !refusal.bytes().startsWith("ERR test:"),
                 qPrintable(refusal.toDisplayString()));
        // Documented in redisconnection.h: "<step> failed: <Redis's error>".
        const QString expected = failedStep + u" failed: "_s + QString::fromUtf8(refusal.bytes());
        QVERIFY(reconnecting.wait(5000));
        QVERIFY(!c.isReady());
        QCOMPARE(reconnecting.first().at(2).toString(), expected);
        QCOMPARE(c.lastError(), expected);
    }
}

void tst_RedisConnection::unixSocket()
{
    RedisConnection c(optionsFor(u"unix://"_s + m_redis->unixSocketPath()));
    c.open();
    RedisValue reply;
    c.command({"PING"}, this, [&](const RedisValue &r) { reply = r; });
    QTRY_COMPARE(reply.bytes(), "PONG"_ba);
}

void tst_RedisConnection::connectTimeout()
{
    // A server that accepts and never answers: the handshake (CLIENT SETNAME) must time out.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    RedisConnectionOptions o = optionsFor(u"redis://127.0.0.1:%1"_s.arg(silent.serverPort()));
    o.clientName = u"timeout-test"_s;
    o.connectTimeout = 300ms;
    o.autoReconnect = false;
    RedisConnection c(o);
    QSignalSpy closed(&c, &RedisConnection::closed);
    QElapsedTimer t;
    t.start();
    c.open();
    QVERIFY(closed.wait(5000));
    QVERIFY(closed.first().first().toString().contains(u"connect timeout after 300 ms"_s));
    QVERIFY(t.elapsed() >= 250);
    QCOMPARE(c.state(), RedisConnection::State::Closed);
}

void tst_RedisConnection::reconnectsAfterServerRestart()
{
    RedisServer server;
    QVERIFY(server.start());
    RedisConnection c(optionsFor(server.url()));
    QSignalSpy states(&c, &RedisConnection::stateChanged);
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QTRY_VERIFY(c.isReady());

    RedisValue inFlightReply;
    server.stop();
    QTRY_VERIFY(!c.isReady());
    QVERIFY(reconnecting.size() >= 1);
    QVERIFY(!c.lastError().isEmpty());
    // Backoff starts near 50 ms and grows, capped at 2 s.
    QVERIFY(reconnecting.first().at(1).toInt() <= 50);

    // A command issued during the outage is queued and answered after the reconnect.
    RedisValue reply;
    c.command({"PING"}, this, [&](const RedisValue &r) { reply = r; });
    QVERIFY(server.start());
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 5000);
    QTRY_COMPARE(reply.bytes(), "PONG"_ba);

    QList<RedisConnection::State> seen;
    for (const auto &args : states)
        seen << args.first().value<RedisConnection::State>();
    QVERIFY(seen.contains(RedisConnection::State::Connecting));
    QVERIFY(seen.contains(RedisConnection::State::Reconnecting));
    QCOMPARE(seen.last(), RedisConnection::State::Ready);
    QVERIFY(c.reconnectCount() >= 1);
}

void tst_RedisConnection::closeFailsPending()
{
    RedisConnection c(optionsFor(m_redis->url()));
    RedisValue reply;
    c.command({"PING"}, this, [&](const RedisValue &r) { reply = r; });
    c.close();
    QVERIFY(reply.isError());
    QVERIFY(reply.bytes().contains("connection closed"));
    // After close, new commands fail at once instead of queueing forever.
    RedisValue late;
    c.command({"PING"}, this, [&](const RedisValue &r) { late = r; });
    QVERIFY(late.isNil()); // from the event loop, not from inside command()
    QTRY_VERIFY(late.isError());
    QCOMPARE(late.bytes(), "ERR switchboard: connection closed"_ba);
}

void tst_RedisConnection::binarySafePayloads()
{
    RedisConnection c(optionsFor(m_redis->url()));
    c.open();
    QByteArray payload;
    for (int i = 0; i < 256; ++i)
        payload.append(char(i));
    payload = payload.repeated(1000); // 256 KB crossing many reads
    RedisValue got;
    c.command({"SET", "bin", payload}, this, [](const RedisValue &) {});
    c.command({"GET", "bin"}, this, [&](const RedisValue &r) { got = r; });
    QTRY_VERIFY(got.isString());
    QCOMPARE(got.bytes(), payload);
}

void tst_RedisConnection::emptyCommandIsRefused_data()
{
    QTest::addColumn<bool>("beforeReady");
    QTest::newRow("ready") << false;
    QTest::newRow("queued before ready") << true;
}

void tst_RedisConnection::emptyCommandIsRefused()
{
    QFETCH(bool, beforeReady);
    RedisConnection c(optionsFor(m_redis->url()));
    if (!beforeReady) {
        c.open();
        QTRY_VERIFY(c.isReady());
    }
    QList<RedisValue> refused;
    QByteArrayList echoes;
    c.command({}, this, [&](const RedisValue &r) { refused << r; });
    c.command(QByteArrayList{}); // fire and forget
    QVERIFY(refused.isEmpty()); // delivered later, never from inside command()
    QCOMPARE(c.bytesToWrite(), 0);
    QCOMPARE(c.queuedCount(), 0);
    c.command({"ECHO", "a"}, this, [&](const RedisValue &r) { echoes << r.bytes(); });
    c.command({"ECHO", "b"}, this, [&](const RedisValue &r) { echoes << r.bytes(); });
    if (beforeReady)
        c.open();
    QTRY_COMPARE(echoes, (QByteArrayList{"a", "b"}));
    QCOMPARE(refused.size(), 1);
    QVERIFY(refused.first().isError());
    QCOMPARE(refused.first().bytes(), "ERR switchboard: empty command (no arguments)"_ba);
    QVERIFY(!RedisConnection::isConnectionFailure(refused.first()));
    QCOMPARE(c.inFlightCount(), 0);
}

void tst_RedisConnection::callbacksNeverRunInsideCommand_data()
{
    QTest::addColumn<bool>("closed");
    QTest::addColumn<QByteArray>("error");
    QTest::newRow("closed") << true << "ERR switchboard: connection closed"_ba;
    QTest::newRow("queue full") << false
                                << "ERR switchboard: command queue full while disconnected (0 commands)"_ba;
}

// A callback that retries on error would recurse without bound if refusals ran inside
// command(); they come from the event loop instead.
void tst_RedisConnection::callbacksNeverRunInsideCommand()
{
    QFETCH(bool, closed);
    QFETCH(QByteArray, error);
    RedisConnectionOptions o = optionsFor(m_redis->url());
    o.maxQueuedCommands = 0;
    RedisConnection c(o);
    if (closed)
        c.close();
    int depth = 0;
    int maxDepth = 0;
    int attempts = 0;
    std::function<void()> issue = [&] {
        maxDepth = qMax(maxDepth, ++depth);
        c.command({"PING"}, this, [&](const RedisValue &r) {
            QCOMPARE(r.bytes(), error);
            if (++attempts < 100)
                issue();
        });
        --depth;
    };
    issue();
    QCOMPARE(attempts, 0);
    QTRY_COMPARE(attempts, 100);
    QCOMPARE(maxDepth, 1);
}

static qint64 pingCalls(const RedisServer &server)
{
    const QByteArray stats = server.command({"INFO", "commandstats"}).bytes();
    const qsizetype at = stats.indexOf("cmdstat_ping:calls=");
    return at < 0 ? 0 : stats.mid(at + 19, stats.indexOf(',', at) - at - 19).toLongLong();
}

// Heartbeat 300 ms + 700 ms, so that detection is expected about 1 s after the last reply.
// The upper bounds (10 s to detect, 15 s to be back) are ten times that: on two loaded cores
// (and under ASan) timers and the event loop can run seconds late. The lower bound is exact:
// without a reply the connection is never given up before interval + timeout.
void tst_RedisConnection::heartbeatDetectsStalledServer()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisConnectionOptions o = optionsFor(server.url());
    o.clientName = u"heartbeat-test"_s;
    o.heartbeat.interval = 300ms;
    o.heartbeat.timeout = 700ms;
    RedisConnection c(o);
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QTRY_VERIFY(c.isReady());
    // Idle and healthy: PINGs go out and the connection stays up.
    const qint64 pingsAtReady = pingCalls(server);
    QTRY_VERIFY_WITH_TIMEOUT(pingCalls(server) >= pingsAtReady + 2, 10000);
    QVERIFY(reconnecting.isEmpty());

    RedisValue last;
    c.command({"ECHO", "last"}, this, [&](const RedisValue &r) { last = r; });
    QTRY_VERIFY(!last.isNil());
    QElapsedTimer sinceLastReply;
    sinceLastReply.start();
    QVERIFY(server.pause()); // the TCP connection stays open; nothing answers
    RedisValue inFlight;
    c.command({"ECHO", "stalled"}, this, [&](const RedisValue &r) { inFlight = r; });
    QVERIFY(reconnecting.wait(10000));
    const qint64 detectedAfter = sinceLastReply.elapsed();
    const QString expected = u"no reply to PING within 700 ms (heartbeat)"_s;
    QCOMPARE(reconnecting.first().at(2).toString(), expected);
    QCOMPARE(c.lastError(), expected);
    QVERIFY(!c.isReady());
    QVERIFY2(detectedAfter >= 300 + 700 - 20, qPrintable(QString::number(detectedAfter)));
    QCOMPARE(inFlight.bytes(), "ERR switchboard: connection lost: "_ba + expected.toUtf8());
    QVERIFY(RedisConnection::isConnectionFailure(inFlight));

    QVERIFY(server.resume());
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 15000);
    RedisValue after;
    c.command({"ECHO", "back"}, this, [&](const RedisValue &r) { after = r; });
    QTRY_COMPARE(after.bytes(), "back"_ba);
}

void tst_RedisConnection::heartbeatOff()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisConnectionOptions o = optionsFor(server.url());
    o.heartbeat.interval = 0ms;
    o.heartbeat.timeout = 1ms;
    RedisConnection c(o);
    c.open();
    QTRY_VERIFY(c.isReady());
    const qint64 pings = pingCalls(server);
    // Time for c's heartbeat, were it on, to have pinged and given up: the probe's PINGs,
    // 100 ms apart, measure it.
    RedisConnectionOptions other = optionsFor(server.url());
    other.heartbeat.interval = 100ms;
    RedisConnection probe(other);
    probe.open();
    QTRY_VERIFY_WITH_TIMEOUT(pingCalls(server) >= pings + 3, 10000);
    QVERIFY(c.isReady());
    QCOMPARE(c.reconnectCount(), 0u);
}

QTEST_MAIN(tst_RedisConnection)
#include "tst_redisconnection.moc"
