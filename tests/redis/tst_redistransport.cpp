// SPDX-License-Identifier: MIT
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "testpki.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>
#include <QUrlQuery>

#include <memory>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// RedisConnection / RedisSubscriber over rediss:// against TLS redis-servers using a PKI made
// by the fixture: one server that demands client certificates, one that does not.
class tst_RedisTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connects_data();
    void connects();
    void subscriberOverTls();
    void keepAlive_data();
    void keepAlive();

private:
    enum Server { Strict, Open };
    QString urlFor(Server server, const QStringList &options) const;
    static RedisConnectionOptions optionsFor(const QString &url);

    TestPki m_pki;
    std::unique_ptr<RedisServer> m_strict; // --tls-auth-clients yes
    std::unique_ptr<RedisServer> m_open;   // --tls-auth-clients no
};

void tst_RedisTransport::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    QVERIFY2(m_pki.create(), qPrintable(m_pki.errorString()));

    m_strict = std::make_unique<RedisServer>();
    m_strict->setTls({m_pki.serverCert(), m_pki.serverKey(), m_pki.caCert(), true});
    QVERIFY2(m_strict->start(), qPrintable(m_strict->errorString()));
    QVERIFY(m_strict->tlsPort() != 0 && m_strict->tlsPort() != m_strict->port());

    m_open = std::make_unique<RedisServer>();
    m_open->setTls({m_pki.serverCert(), m_pki.serverKey(), m_pki.caCert(), false});
    QVERIFY2(m_open->start(), qPrintable(m_open->errorString()));
}

// options: "ca", "otherca", "cert", "key" are replaced by the PKI's files; anything else
// ("verify=false", "sni=localhost") is taken as is.
QString tst_RedisTransport::urlFor(Server server, const QStringList &options) const
{
    QUrlQuery query;
    for (const QString &option : options) {
        if (option == "ca"_L1)
            query.addQueryItem(u"ca"_s, m_pki.caCert());
        else if (option == "otherca"_L1)
            query.addQueryItem(u"ca"_s, m_pki.otherCaCert());
        else if (option == "cert"_L1)
            query.addQueryItem(u"cert"_s, m_pki.clientCert());
        else if (option == "key"_L1)
            query.addQueryItem(u"key"_s, m_pki.clientKey());
        else
            query.addQueryItem(option.section(u'=', 0, 0), option.section(u'=', 1));
    }
    const RedisServer &redis = server == Strict ? *m_strict : *m_open;
    return redis.tlsUrl() + (options.isEmpty() ? QString() : u"?"_s + query.toString(QUrl::FullyEncoded));
}

RedisConnectionOptions tst_RedisTransport::optionsFor(const QString &url)
{
    RedisConnectionOptions o;
    QString error;
    o.url = RedisUrl::parse(url, &error);
    if (!o.url.isValid())
        qWarning("invalid URL %s: %s", qPrintable(url), qPrintable(error));
    // One attempt: a failure closes the connection and keeps its reason in lastError().
    o.autoReconnect = false;
    o.connectTimeout = 10s;
    return o;
}

void tst_RedisTransport::connects_data()
{
    QTest::addColumn<int>("server");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<bool>("works");
    QTest::addColumn<QString>("errorContains"); // case-insensitive, when !works

    const QStringList mutual{u"ca"_s, u"cert"_s, u"key"_s};
    QTest::newRow("CA and client certificate") << int(Strict) << mutual << true << QString();
    QTest::newRow("client certificate, SNI localhost")
        << int(Strict) << (mutual + QStringList{u"sni=localhost"_s}) << true << QString();
    QTest::newRow("CA only, server does not ask for a client certificate")
        << int(Open) << QStringList{u"ca"_s} << true << QString();
    QTest::newRow("no client certificate, server requires one")
        << int(Strict) << QStringList{u"ca"_s} << false << u"certificate"_s;
    QTest::newRow("wrong CA, verification on")
        << int(Open) << QStringList{u"otherca"_s} << false << u"certificate"_s;
    QTest::newRow("wrong CA with client certificate, verification on")
        << int(Strict) << QStringList{u"otherca"_s, u"cert"_s, u"key"_s} << false << u"certificate"_s;
    QTest::newRow("wrong CA, verify=false")
        << int(Open) << QStringList{u"otherca"_s, u"verify=false"_s} << true << QString();
    QTest::newRow("wrong CA, verify=false, client certificate")
        << int(Strict) << QStringList{u"otherca"_s, u"cert"_s, u"key"_s, u"verify=false"_s} << true
        << QString();
    QTest::newRow("wrong SNI, verification on")
        << int(Open) << QStringList{u"ca"_s, u"sni=elsewhere.invalid"_s} << false << u"host name"_s;
}

void tst_RedisTransport::connects()
{
    QFETCH(int, server);
    QFETCH(QStringList, options);
    QFETCH(bool, works);
    QFETCH(QString, errorContains);

    const QString url = urlFor(Server(server), options);
    RedisConnectionOptions o = optionsFor(url);
    QVERIFY2(o.url.isValid(), qPrintable(url));
    QCOMPARE(o.url.scheme(), RedisUrl::Scheme::Tls);
    RedisConnection c(o);
    QSignalSpy ready(&c, &RedisConnection::ready);
    QSignalSpy closed(&c, &RedisConnection::closed);
    c.open();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !closed.isEmpty(), 15000);

    if (!works) {
        if (closed.isEmpty())
            QVERIFY2(closed.wait(15000), "the connection should fail");
        QVERIFY2(ready.isEmpty(), "a failed TLS connection must never become ready");
        QCOMPARE(c.state(), RedisConnection::State::Closed);
        QVERIFY2(c.lastError().contains(errorContains, Qt::CaseInsensitive), qPrintable(c.lastError()));
        qInfo().noquote() << "lastError:" << c.lastError();
        return;
    }

    QVERIFY2(closed.isEmpty(), qPrintable(c.lastError()));
    QVERIFY(c.isReady());
    QList<RedisValue> replies;
    const QByteArray key = "tls:"_ba + QTest::currentDataTag();
    c.command({"PING"_ba}, this, [&](const RedisValue &r) { replies << r; });
    c.command({"SET"_ba, key, "secret \x01\xff value"_ba}, this, [&](const RedisValue &r) { replies << r; });
    c.command({"GET"_ba, key}, this, [&](const RedisValue &r) { replies << r; });
    QTRY_COMPARE(replies.size(), 3);
    QVERIFY(replies[0].isStatus());
    QCOMPARE(replies[0].bytes(), "PONG"_ba);
    QCOMPARE(replies[1].bytes(), "OK"_ba);
    QCOMPARE(replies[2].bytes(), "secret \x01\xff value"_ba);
    // The value really went through the server: read it back over the plain port.
    const RedisServer &redis = server == Strict ? *m_strict : *m_open;
    QCOMPARE(redis.command({"GET"_ba, key}).bytes(), "secret \x01\xff value"_ba);
    QVERIFY(closed.isEmpty());
}

void tst_RedisTransport::subscriberOverTls()
{
    RedisSubscriber subscriber(optionsFor(urlFor(Strict, {u"ca"_s, u"cert"_s, u"key"_s})));
    QSignalSpy subscribed(&subscriber, &RedisSubscriber::subscribed);
    QSignalSpy messages(&subscriber, &RedisSubscriber::message);
    subscriber.subscribe("tls-news"_ba);
    subscriber.open();
    QVERIFY(subscribed.wait(10000));
    QCOMPARE(subscribed.first().first().toByteArray(), "tls-news"_ba);
    QVERIFY(subscriber.isSubscribed("tls-news"_ba));

    // Published by a plain client on the same server, received over TLS.
    const RedisValue receivers = m_strict->command({"PUBLISH"_ba, "tls-news"_ba, "hello over TLS"_ba});
    QCOMPARE(receivers.toInteger(), 1);
    QVERIFY(messages.wait(10000));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().at(0).toByteArray(), "tls-news"_ba);
    QCOMPARE(messages.first().at(1).toByteArray(), "hello over TLS"_ba);
    QCOMPARE(subscriber.messagesReceived(), quint64(1));
}

static int socketOption(qintptr fd, int level, int name)
{
    int value = -1;
    socklen_t size = sizeof value;
    return ::getsockopt(int(fd), level, name, &value, &size) == 0 ? value : -1;
}

void tst_RedisTransport::keepAlive_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<int>("idle");
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("defaults");
    QTest::newRow("tcp defaults") << false << true << 10 << 5 << 3 << true;
    QTest::newRow("tls defaults") << true << true << 10 << 5 << 3 << true;
    QTest::newRow("tcp chosen") << false << true << 7 << 2 << 4 << false;
    QTest::newRow("tls chosen") << true << true << 30 << 10 << 6 << false;
    QTest::newRow("off") << false << false << 0 << 0 << 0 << false;
}

// The kernel finds a dead peer after idle + interval * count seconds without traffic, instead of
// its own default of 2 h 11 min: checked on the socket itself.
void tst_RedisTransport::keepAlive()
{
    QFETCH(bool, tls);
    QFETCH(bool, enabled);
    QFETCH(int, idle);
    QFETCH(int, interval);
    QFETCH(int, count);
    QFETCH(bool, defaults);
    RedisConnectionOptions o =
        optionsFor(tls ? urlFor(Open, {u"ca"_s}) : u"redis://127.0.0.1:%1"_s.arg(m_open->port()));
    if (!defaults)
        o.keepAlive = {enabled, std::chrono::seconds(idle), std::chrono::seconds(interval), count};
    RedisConnection c(o);
    c.open();
    QTRY_VERIFY(c.isReady());
    const auto *transport = c.findChild<RedisTransport *>();
    QVERIFY(transport);
    const qintptr fd = transport->socketDescriptor();
    QVERIFY(fd >= 0);
    QCOMPARE(socketOption(fd, IPPROTO_TCP, TCP_NODELAY), 1);
    QCOMPARE(socketOption(fd, SOL_SOCKET, SO_KEEPALIVE), enabled ? 1 : 0);
    if (!enabled)
        return;
    QCOMPARE(socketOption(fd, IPPROTO_TCP, TCP_KEEPIDLE), idle);
    QCOMPARE(socketOption(fd, IPPROTO_TCP, TCP_KEEPINTVL), interval);
    QCOMPARE(socketOption(fd, IPPROTO_TCP, TCP_KEEPCNT), count);
}

QTEST_MAIN(tst_RedisTransport)
#include "tst_redistransport.moc"
