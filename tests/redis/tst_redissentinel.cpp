// SPDX-License-Identifier: MIT
#include "redisconnection.h"
#include "redissentinelset.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "respreader.h"
#include "testpki.h"

#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
// A Sentinel that names host:port as every primary's address and answers PONG to the rest.
class FakeSentinel
{
public:
    FakeSentinel(const QString &host, quint16 port)
        : m_answer(RespReader::formatCommand({host.toUtf8(), QByteArray::number(port)}))
    {}
    bool listen()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                auto reader = std::make_shared<RespReader>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, reader] {
                    reader->feed(socket->readAll());
                    while (std::optional<RedisValue> command = reader->next()) {
                        const bool sentinel = command->isArray() && !command->elements().empty() &&
                                              command->elements()[0].bytes().toUpper() == "SENTINEL";
                        socket->write(sentinel ? m_answer : "+PONG\r\n"_ba);
                    }
                });
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QByteArray m_answer; // an array of two bulk strings, as a command is written
    QTcpServer m_server;
};
} // namespace

// RedisConnection and RedisSubscriber on a redis-sentinel:// URL against a real Sentinel set
// (a primary, a replica, three redis-sentinel processes): resolution, its errors, the ROLE
// check, and following a SENTINEL FAILOVER. One set for the whole binary: starting one takes
// seconds. Bounds are generous (20 s where a failover is involved): the tests share two cores
// with other test binaries, and Sentinel acts on its own timers (hello every 2 s, INFO every
// 1-10 s, down-after 1 s).
class tst_RedisSentinel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void resolvesAndConnects();
    void unknownPrimaryName();
    void noSentinelAnswered();
    void skipsADeadSentinel();
    void replicaIsNotAPrimary();
    void deletedFromItsOwnSignals_data();
    void deletedFromItsOwnSignals();
    void pipelineAcrossFailover();
    void subscriberFollowsFailover();
    void heartbeatLeavesAStalledPrimary();
    void servesOverTls();

private:
    RedisConnectionOptions optionsFor(const QString &url) const;
    std::unique_ptr<RedisSentinelSet> m_set;
};

RedisConnectionOptions tst_RedisSentinel::optionsFor(const QString &url) const
{
    RedisConnectionOptions o;
    QString why;
    o.url = RedisUrl::parse(url, &why);
    if (!o.url.isValid())
        qWarning("bad URL %s: %s", qPrintable(url), qPrintable(why));
    o.connectTimeout = 2000ms;
    o.reconnectMaxDelay = 200ms;
    return o;
}

void tst_RedisSentinel::initTestCase()
{
    m_set = std::make_unique<RedisSentinelSet>();
    QVERIFY2(m_set->start(), qPrintable(m_set->errorString()));
}

void tst_RedisSentinel::resolvesAndConnects()
{
    RedisConnection c(optionsFor(m_set->url()));
    QSignalSpy moved(&c, &RedisConnection::primaryChanged);
    c.open();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 10000);
    QCOMPARE(c.currentNode().port, m_set->primaryPort());
    QCOMPARE(c.currentNode().host, u"127.0.0.1"_s);
    QCOMPARE(moved.size(), 1);
    QCOMPARE(moved.first().at(1).value<quint16>(), m_set->primaryPort());

    RedisValue role;
    c.command({"SET"_ba, "sentinel:key"_ba, "v"_ba}, this, [](const RedisValue &) {});
    c.command({"ROLE"_ba}, this, [&role](const RedisValue &r) { role = r; });
    QTRY_VERIFY(role.isArray());
    QCOMPARE(role.elements().at(0).bytes(), "master"_ba);
    QCOMPARE(m_set->primary().command({"GET"_ba, "sentinel:key"_ba}).bytes(), "v"_ba);
}

void tst_RedisSentinel::unknownPrimaryName()
{
    QString url = m_set->url();
    url.replace(u"#"_s + m_set->primaryName(), u"#nosuch"_s);
    RedisConnection c(optionsFor(url));
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QVERIFY(reconnecting.wait(10000));
    QCOMPARE(reconnecting.first().at(2).toString(), u"the Sentinels do not know a primary named 'nosuch'"_s);
    QVERIFY(!c.isReady());
}

void tst_RedisSentinel::noSentinelAnswered()
{
    // Ports nothing listens on: every Sentinel is down.
    const quint16 a = RedisServer::freePort();
    quint16 b = RedisServer::freePort();
    while (b == a)
        b = RedisServer::freePort();
    RedisConnection c(optionsFor(u"redis-sentinel://127.0.0.1:%1,127.0.0.1:%2#mymaster"_s.arg(a).arg(b)));
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QVERIFY(reconnecting.wait(10000));
    QCOMPARE(
        reconnecting.first().at(2).toString(),
        u"no Sentinel answered for 'mymaster': 127.0.0.1:%1: Connection refused; 127.0.0.1:%2: Connection refused"_s
            .arg(a)
            .arg(b));
}

void tst_RedisSentinel::skipsADeadSentinel()
{
    m_set->stopSentinel(0);
    const auto restart = qScopeGuard([this] { QVERIFY(m_set->startSentinel(0)); });
    RedisConnection c(optionsFor(m_set->url()));
    c.open();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 10000);
    QCOMPARE(c.currentNode().port, m_set->primaryPort());
}

void tst_RedisSentinel::replicaIsNotAPrimary()
{
    // A Sentinel that still names the former primary (or is wrong): it points at the replica.
    FakeSentinel fake(u"127.0.0.1"_s, m_set->replicaPort());
    QVERIFY(fake.listen());
    RedisConnection c(
        optionsFor(u"redis-sentinel://127.0.0.1:%1#%2"_s.arg(fake.port()).arg(m_set->primaryName())));
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QVERIFY(reconnecting.wait(10000));
    QCOMPARE(reconnecting.first().at(2).toString(),
             u"127.0.0.1:%1 is a replica, not the primary of '%2' (a failover in progress?)"_s
                 .arg(m_set->replicaPort())
                 .arg(m_set->primaryName()));
    QVERIFY(!c.isReady());
}

void tst_RedisSentinel::deletedFromItsOwnSignals_data()
{
    QTest::addColumn<QString>("signal");
    QTest::addColumn<bool>("sentinelsDown");
    QTest::newRow("reconnecting, no Sentinel") << u"reconnecting"_s << true;
    QTest::newRow("primaryChanged") << u"primaryChanged"_s << false;
    QTest::newRow("ready") << u"ready"_s << false;
}

// The resolver's failure and the handshake's end run inside the Sentinel client's own
// connections: a handler deleting the data connection there must not pull them from under it.
void tst_RedisSentinel::deletedFromItsOwnSignals()
{
    QFETCH(QString, signal);
    QFETCH(bool, sentinelsDown);
    const QString url =
        sentinelsDown ? u"redis-sentinel://127.0.0.1:%1#m"_s.arg(RedisServer::freePort()) : m_set->url();
    QPointer<RedisConnection> c = new RedisConnection(optionsFor(url));
    const auto cleanup = qScopeGuard([&] { delete c.data(); });
    auto kill = [&c] {
        delete c.data();
    };
    if (signal == u"reconnecting")
        connect(c, &RedisConnection::reconnecting, this, kill);
    else if (signal == u"primaryChanged")
        connect(c, &RedisConnection::primaryChanged, this, kill);
    else
        connect(c, &RedisConnection::ready, this, kill);
    c->open();
    QTRY_VERIFY_WITH_TIMEOUT(c.isNull(), 10000);
    QTest::qWait(50); // what was deleted later goes now, under valgrind or ASan
}

void tst_RedisSentinel::pipelineAcrossFailover()
{
    RedisConnection c(optionsFor(m_set->url()));
    QSignalSpy moved(&c, &RedisConnection::primaryChanged);
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 10000);
    const quint16 before = m_set->primaryPort();

    // A command every 5 ms while the set fails over; each must get exactly one reply, an OK or
    // a connection failure (in flight when the connection was dropped), never anything else.
    int sent = 0;
    int ok = 0;
    int connectionFailures = 0;
    QStringList others;
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        c.command({"RPUSH"_ba, "sentinel:pipeline"_ba, QByteArray::number(sent++)}, this,
                  [&](const RedisValue &r) {
                      if (r.isInteger())
                          ++ok;
                      else if (RedisConnection::isConnectionFailure(r))
                          ++connectionFailures;
                      else
                          others.append(r.toDisplayString());
                  });
    });
    pump.start(5);
    QVERIFY2(m_set->failover(), qPrintable(m_set->errorString()));
    QVERIFY(m_set->primaryPort() != before);
    QTRY_COMPARE_WITH_TIMEOUT(c.currentNode().port, m_set->primaryPort(), 20000);
    QTRY_VERIFY(c.isReady());
    const int sentAtSwitch = sent;
    QTRY_VERIFY_WITH_TIMEOUT(sent > sentAtSwitch + 20, 10000);
    pump.stop();
    QTRY_COMPARE_WITH_TIMEOUT(ok + connectionFailures + int(others.size()), sent, 10000);
    QVERIFY2(others.isEmpty(), qPrintable(others.join(u", "_s)));

    QVERIFY(moved.size() >= 2);
    QCOMPARE(moved.last().at(1).value<quint16>(), m_set->primaryPort());
    QStringList errors;
    for (const QList<QVariant> &r : std::as_const(reconnecting))
        errors.append(r.at(2).toString());
    QVERIFY2(
        errors.contains(u"primary '%1' moved to 127.0.0.1:%2 (Sentinel failover)"_s.arg(m_set->primaryName())
                            .arg(m_set->primaryPort())),
        qPrintable(errors.join(u" | "_s)));
    // The last commands went to the new primary.
    const RedisValue tail = m_set->primary().command({"LRANGE"_ba, "sentinel:pipeline"_ba, "-1"_ba, "-1"_ba});
    QCOMPARE(tail.elements().at(0).bytes(), QByteArray::number(sent - 1));
}

// Also: the subscriber's Sentinel dies while it is on the primary, and the failover is run
// by another one. The subscriber must hear of it from the next Sentinel it watches, not from
// Sentinel's CLIENT KILL of the old primary's clients 10-20 s later.
void tst_RedisSentinel::subscriberFollowsFailover()
{
    RedisSubscriber s(optionsFor(m_set->url()));
    QByteArrayList received;
    connect(&s, &RedisSubscriber::message, this,
            [&received](const QByteArray &, const QByteArray &payload) { received.append(payload); });
    QSignalSpy reconnecting(s.connection(), &RedisConnection::reconnecting);
    s.open();
    s.subscribe("news");
    QTRY_VERIFY_WITH_TIMEOUT(s.isSubscribed("news"), 10000);
    QCOMPARE(m_set->primary().command({"PUBLISH"_ba, "news"_ba, "before"_ba}).toInteger(), 1);
    QTRY_COMPARE(received, QByteArrayList{"before"});

    m_set->stopSentinel(0); // the one it watches: the first of the URL
    const auto restart = qScopeGuard([this] { QVERIFY(m_set->startSentinel(0)); });
    QSignalSpy resubscribed(&s, &RedisSubscriber::resubscribed);
    QVERIFY2(m_set->failover(), qPrintable(m_set->errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(s.connection()->currentNode().port == m_set->primaryPort() && s.isSettled(),
                             20000);
    QVERIFY(resubscribed.size() >= 1);
    QStringList errors;
    for (const QList<QVariant> &r : std::as_const(reconnecting))
        errors.append(r.at(2).toString());
    // One drop, and the first attempt reaches the new primary (+switch-master named it).
    QVERIFY2(errors == QStringList{u"primary '%1' moved to 127.0.0.1:%2 (Sentinel failover)"_s
                                       .arg(m_set->primaryName())
                                       .arg(m_set->primaryPort())},
             qPrintable(errors.join(u" | "_s)));
    QCOMPARE(m_set->primary().command({"PUBLISH"_ba, "news"_ba, "after"_ba}).toInteger(), 1);
    QTRY_COMPARE(received, (QByteArrayList{"before", "after"}));
}

// The primary stalls (SIGSTOP): the data connection's heartbeat drops it, the Sentinels fail over
// on their own (down-after 1 s, then an election), and the connection reaches the former replica.
// Last: the stalled primary is converted to a replica only 10-20 s after it resumes.
void tst_RedisSentinel::heartbeatLeavesAStalledPrimary()
{
    // A Sentinel restarted with a stale config, or a former primary not yet demoted, would
    // send the connection to the wrong node for a while (and it would move, correctly).
    QVERIFY2(m_set->waitUntilSettled(), qPrintable(m_set->errorString()));
    RedisConnectionOptions o = optionsFor(m_set->url());
    o.heartbeat.interval = 200ms;
    o.heartbeat.timeout = 500ms;
    RedisConnection c(o);
    QSignalSpy reconnecting(&c, &RedisConnection::reconnecting);
    c.open();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 10000);
    QCOMPARE(c.currentNode().port, m_set->primaryPort());
    RedisServer &stalled = m_set->primary();
    QVERIFY(stalled.pause());
    const auto resume = qScopeGuard([&stalled] { stalled.resume(); });
    QVERIFY2(m_set->awaitFailover(30000), qPrintable(m_set->errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady() && c.currentNode().port == m_set->primaryPort(), 20000);
    QVERIFY(!reconnecting.isEmpty());
    QCOMPARE(reconnecting.first().at(2).toString(), u"no reply to PING within 500 ms (heartbeat)"_s);
}

// rediss-sentinel://: the Sentinels asked over TLS name the primary's TLS port (they monitor it
// over TLS); the connection follows a SENTINEL FAILOVER there too.
void tst_RedisSentinel::servesOverTls()
{
    TestPki pki;
    QVERIFY2(pki.create(), qPrintable(pki.errorString()));
    RedisSentinelSet tls(u"tlsprimary"_s);
    tls.setTls({pki.serverCert(), pki.serverKey(), pki.caCert(), false, pki.clientCert(), pki.clientKey()});
    QVERIFY2(tls.start(), qPrintable(tls.errorString()));
    RedisConnection c(optionsFor(tls.tlsUrl()));
    QSignalSpy moved(&c, &RedisConnection::primaryChanged);
    c.open();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 10000);
    QCOMPARE(c.currentNode().port, tls.primary().tlsPort());
    RedisValue reply;
    c.command({"SET"_ba, "sentinel:tls"_ba, "v"_ba}, this, [&reply](const RedisValue &r) { reply = r; });
    QTRY_COMPARE(reply.bytes(), "OK"_ba);
    QCOMPARE(tls.primary().command({"GET"_ba, "sentinel:tls"_ba}).bytes(), "v"_ba);

    const quint16 before = c.currentNode().port;
    QVERIFY2(tls.failover(), qPrintable(tls.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady() && c.currentNode().port != before, 30000);
    QCOMPARE(c.currentNode().port, tls.primary().tlsPort());
    QVERIFY(moved.size() >= 2);
    reply = RedisValue();
    c.command({"ROLE"_ba}, this, [&reply](const RedisValue &r) { reply = r; });
    QTRY_VERIFY(reply.isArray());
    QCOMPARE(reply.elements().at(0).bytes(), "master"_ba);
}

QTEST_GUILESS_MAIN(tst_RedisSentinel)
#include "tst_redissentinel.moc"
