// SPDX-License-Identifier: MIT
#include "jwtverifier.h"
#include "rawwebsocket.h"
#include "redisbus.h"
#include "relayfixture.h"
#include "testpki.h"

#include <QJsonArray>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
const QByteArray Secret = "0123456789abcdef0123456789abcdef-test-secret";

QByteArray tokenFor(const QJsonObject &claims, const QByteArray &secret = Secret)
{
    return JwtVerifier::sign(claims, secret);
}
} // namespace

// Authentication and authorization (docs/security.md): JWTs and their rooms claim, the Origin
// allow-list, wss:// over a TLS-only Redis.
class tst_RelayAuth : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(RelayFixture::init()); }
    void cleanup() { RelayFixture::cleanup(); }

    void tokens_data();
    void tokens();
    void tokenRoomsClaim();
    void originAllowList_data();
    void originAllowList();
    void tlsEndToEnd();
};

void tst_RelayAuth::tokens_data()
{
    QTest::addColumn<QString>("via"); // query, header, subprotocol
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("refusal"); // empty: accepted

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray good = tokenFor({{u"sub"_s, u"alice"_s}, {u"exp"_s, now + 600}});
    QTest::newRow("query") << u"query"_s << good << QString();
    QTest::newRow("bearer header") << u"header"_s << good << QString();
    QTest::newRow("subprotocol") << u"subprotocol"_s << good << QString();
    QTest::newRow("missing") << u"query"_s << QByteArray() << u"token_missing"_s;
    QTest::newRow("forged") << u"header"_s
                            << tokenFor({{u"sub"_s, u"mallory"_s}}, "another-secret-of-32-bytes-or-more!!")
                            << u"token_signature"_s;
    QTest::newRow("expired") << u"query"_s << tokenFor({{u"sub"_s, u"bob"_s}, {u"exp"_s, now - 60}})
                             << u"token_expired"_s;
    QTest::newRow("not yet valid") << u"subprotocol"_s << tokenFor({{u"nbf"_s, now + 3600}})
                                   << u"token_not_yet_valid"_s;
    QTest::newRow("garbage") << u"header"_s << "not.a.token"_ba << u"token_malformed"_s;
}

void tst_RelayAuth::tokens()
{
    QFETCH(QString, via);
    QFETCH(QByteArray, token);
    QFETCH(QString, refusal);
    RelayServerOptions so;
    so.auth.jwtSecret = Secret;
    RelayServer *server = startRelayWith(so);
    QVERIFY(server->isListening());

    QUrl url = server->url();
    QNetworkRequest request;
    QStringList subprotocols;
    if (via == "query"_L1 && !token.isEmpty())
        url.setQuery(u"token="_s + QString::fromLatin1(token));
    else if (via == "header"_L1)
        request.setRawHeader("Authorization", "Bearer " + token);
    else if (via == "subprotocol"_L1)
        subprotocols = {u"switchboard"_s, u"bearer."_s + QString::fromLatin1(token)};
    request.setUrl(url);
    auto *c = new TestClient;
    m_owned.prepend(c);
    const bool opened = c->open(request, subprotocols); // a refusal may close it at once
    if (refusal.isEmpty()) {
        QVERIFY(opened);
        QVERIFY(c->join(u"lobby"_s));
        if (via == "subprotocol"_L1)
            QCOMPARE(c->socket().subprotocol(), u"switchboard"_s);
        QCOMPARE(server->stats().authFailures, 0u);
        return;
    }
    QVERIFY(c->waitForClose());
    QCOMPARE(c->closeCode(), 1008);
    QVERIFY2(c->closeReason().startsWith(refusal), qPrintable(c->closeReason()));
    QCOMPARE(server->stats().authFailures, 1u);
    QCOMPARE(server->clientCount(), 0);
    // No Redis channel was touched on its behalf.
    QCOMPARE(m_redis->command({"PUBSUB", "CHANNELS", "room:*"}).elements().size(), size_t(0));
}

void tst_RelayAuth::tokenRoomsClaim()
{
    RelayServerOptions so;
    so.auth.jwtSecret = Secret;
    RelayServer *server = startRelayWith(so);
    QVERIFY(server->isListening());
    const Instance open = startRelay(u"open"_s); // no tokens: watches room:b
    TestClient *watcher = connectTo(open);
    QVERIFY(watcher->join(u"b"_s));

    QUrl url = server->url();
    url.setQuery(u"token="_s + QString::fromLatin1(tokenFor(
                                   {{u"sub"_s, u"carol"_s}, {u"rooms"_s, QJsonArray{u"a"_s, u"team:*"_s}}})));
    auto *c = new TestClient;
    m_owned.prepend(c);
    QVERIFY(c->open(url));
    QVERIFY(c->join(u"a"_s));
    QVERIFY(c->join(u"team:red"_s));
    c->send(joinFrame(u"b"_s));
    c->send(chat(u"sneaky"_s, u"b"_s));
    c->send(chat(u"to all"_s));
    c->send({{u"type"_s, u"ping"_s}});
    QVERIFY(!c->waitForType(u"pong"_s).isEmpty());
    QCOMPARE(c->count([](const QJsonObject &f) { return f.value("code"_L1) == "forbidden"_L1; }), 3);
    QCOMPARE(server->stats().forbidden, 3u);
    QCOMPARE(server->roomMemberCount(u"b"_s), 0);
    QCOMPARE(server->stats().published, 0u);
    // The watcher in room b saw nothing, and Redis knows only the allowed rooms' channels.
    watcher->send(chat(u"marker"_s, u"b"_s));
    QVERIFY(!watcher->waitFor(textIs(u"marker"_s)).isEmpty());
    QCOMPARE(watcher->count(textIs(u"sneaky"_s)), 0);
    QCOMPARE(watcher->count(textIs(u"to all"_s)), 0);
    QCOMPARE(numsub("room:b"_ba), 1);
    // With tokens the user is the token's subject (tst_relayintegrity::tokenIdentityIsStamped).
    c->send(chat(u"allowed"_s, u"a"_s, u"carol"_s));
    QCOMPARE(c->waitFor(textIs(u"allowed"_s)).value("user"_L1).toString(), u"carol"_s);
}

void tst_RelayAuth::originAllowList_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("listed") << "https://app.example.com"_ba << true;
    QTest::newRow("other site") << "https://evil.example.net"_ba << false;
    QTest::newRow("listed host, other scheme") << "http://app.example.com"_ba << false;
    QTest::newRow("no Origin (not a browser)") << QByteArray() << true;
}

void tst_RelayAuth::originAllowList()
{
    QFETCH(QByteArray, origin);
    QFETCH(bool, allowed);
    RelayServerOptions so;
    so.auth.allowedOrigins = {u"https://app.example.com"_s};
    RelayServer *server = startRelayWith(so, true);
    QVERIFY(server->isListening());
    RawWebSocket raw;
    const bool upgraded =
        raw.open(server->port(), origin.isEmpty() ? QByteArrayList{} : QByteArrayList{"Origin: " + origin});
    QCOMPARE(upgraded, allowed);
    if (!allowed) {
        QVERIFY2(raw.response().startsWith("HTTP/1.1 403"), raw.response().constData());
        QCOMPARE(server->stats().originsRefused, 1u);
        QCOMPARE(server->clientCount(), 0);
    } else {
        QTRY_COMPARE(server->clientCount(), 1);
    }
}

void tst_RelayAuth::tlsEndToEnd()
{
    // wss:// clients on two relays that reach a TLS-only Redis (rediss://, client certificates
    // required, verification on) with certificates from a CA made for this test.
    TestPki pki;
    QVERIFY2(pki.create(), qPrintable(pki.errorString()));
    m_redis.reset();
    m_redis = std::make_unique<RedisServer>();
    m_redis->setTls({pki.serverCert(), pki.serverKey(), pki.caCert(), true});
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));

    QList<RelayServer *> relays;
    for (const QString &id : {u"tls-a"_s, u"tls-b"_s}) {
        RedisConnectionOptions ro;
        QString error;
        ro.url = RedisUrl::parse(m_redis->tlsUrl() + u"?ca=%1&cert=%2&key=%3"_s.arg(
                                                         pki.caCert(), pki.clientCert(), pki.clientKey()),
                                 &error);
        QVERIFY2(ro.url.isValid(), qPrintable(error));
        ro.clientName = u"switchboard-relay:"_s + id;
        auto *bus = new RedisBus(ro);
        m_owned.append(bus);
        bus->start();
        RelayServerOptions so;
        so.bindAddress = QHostAddress::LocalHost;
        so.port = 0;
        so.instanceId = id;
        so.tlsCertificateFile = pki.serverCert();
        so.tlsKeyFile = pki.serverKey();
        auto *server = new RelayServer(so, bus);
        m_owned.prepend(server);
        QString listenError;
        QVERIFY2(server->listen(&listenError), qPrintable(listenError));
        QCOMPARE(server->url().scheme(), u"wss"_s);
        relays << server;
        QTRY_VERIFY(bus->isConnected());
    }
    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromPath(pki.caCert()));
    QList<TestClient *> clients;
    for (RelayServer *r : relays) {
        auto *c = new TestClient;
        m_owned.prepend(c);
        c->socket().setSslConfiguration(trust);
        QVERIFY2(c->open(r->url()), qPrintable(c->errorString()));
        QVERIFY(c->join(u"secure"_s));
        clients << c;
    }
    clients[0]->send(chat(u"over tls"_s, u"secure"_s));
    for (TestClient *c : clients) {
        QVERIFY(!c->waitFor(textIs(u"over tls"_s)).isEmpty());
        QCOMPARE(c->count(textIs(u"over tls"_s)), 1);
    }
    // A client that does not trust the relay's CA cannot connect.
    auto *untrusting = new TestClient;
    m_owned.prepend(untrusting);
    QVERIFY(!untrusting->open(relays[0]->url(), 3000));
    // Redis saw the relays only on its TLS port: each relay's connections (the publisher and the
    // subscriber, named switchboard-relay:<id>) have the TLS port as their local address.
    const QByteArray clientList = m_redis->command({"CLIENT", "LIST"}).bytes();
    const QByteArray tlsAddress = " laddr=127.0.0.1:" + QByteArray::number(m_redis->tlsPort()) + ' ';
    for (const QByteArray &id : {"tls-a"_ba, "tls-b"_ba}) {
        int connections = 0;
        for (const QByteArray &line : clientList.split('\n')) {
            if (!line.contains(" name=switchboard-relay:" + id + ' '))
                continue;
            ++connections;
            QVERIFY2(line.contains(tlsAddress), line.constData());
        }
        QVERIFY2(connections >= 2, clientList.constData());
    }
}

QTEST_MAIN(tst_RelayAuth)
#include "tst_relayauth.moc"
