// SPDX-License-Identifier: MIT
#include "demopage.h"
#include "localbus.h"
#include "relayserver.h"
#include "testclient.h"
#include "testpki.h"

#include <QCryptographicHash>
#include <QMap>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct HttpAnswer
{
    int status = 0;
    QMap<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
    bool closed = false;
};

// Sends request on a connected socket and reads the answer until the relay closes the connection.
HttpAnswer exchange(QTcpSocket &socket, const QByteArray &request)
{
    HttpAnswer answer;
    QByteArray bytes;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { bytes += socket.readAll(); });
    socket.write(request);
    answer.closed =
        QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000);
    bytes += socket.readAll();
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return answer;
    const QByteArrayList lines = bytes.first(end).split('\n');
    const QByteArrayList statusLine = lines.value(0).trimmed().split(' ');
    answer.status = statusLine.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            answer.headers.insert(lines[i].first(colon).toLower(), lines[i].sliced(colon + 1).trimmed());
    }
    answer.body = bytes.sliced(end + 4);
    return answer;
}

// The same on a raw (plain) socket.
HttpAnswer exchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    QSignalSpy connected(&socket, &QTcpSocket::connected);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!connected.wait(5000))
        return {};
    return exchange(socket, request);
}

QByteArray get(const QByteArray &target, const QByteArray &method = "GET")
{
    return method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n";
}

// The hash a browser computes for an inline element, from the page itself.
QByteArray hashOf(const QByteArray &html, const QByteArray &tag)
{
    const qsizetype start = html.indexOf('<' + tag + '>') + tag.size() + 2;
    const qsizetype end = html.indexOf("</" + tag + '>');
    return "'sha256-" +
           QCryptographicHash::hash(html.sliced(start, end - start), QCryptographicHash::Sha256).toBase64() +
           '\'';
}

} // namespace

class tst_DemoPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup();
    void pageIsSelfContained();
    void served_data();
    void served();
    void policyAllowsOnlyItselfAndItsRelay();
    void hosts_data();
    void hosts();
    void offByDefault_data();
    void offByDefault();
    void upgradeStillWorksWithThePageOn();
    void servedOverTlsConnectsWithWss();

private:
    quint16 startRelay(bool demoPage, const TestPki *pki = nullptr);

    std::unique_ptr<LocalBus> m_bus;
    std::unique_ptr<RelayServer> m_server;
};

quint16 tst_DemoPage::startRelay(bool demoPage, const TestPki *pki)
{
    m_bus = std::make_unique<LocalBus>();
    m_bus->start();
    RelayServerOptions options;
    options.bindAddress = QHostAddress::LocalHost;
    options.port = 0;
    options.demoPage = demoPage;
    if (pki) {
        options.tlsCertificateFile = pki->serverCert();
        options.tlsKeyFile = pki->serverKey();
    }
    m_server = std::make_unique<RelayServer>(options, m_bus.get());
    QString error;
    if (!m_server->listen(&error))
        qWarning("%s", qPrintable(error));
    return m_server->port();
}

void tst_DemoPage::cleanup()
{
    m_server.reset();
    m_bus.reset();
}

void tst_DemoPage::pageIsSelfContained()
{
    const QByteArray html = DemoPage(false).html();
    QVERIFY(html.startsWith("<!doctype html>"));
    QCOMPARE(html.count("<script>"), 1);
    QCOMPARE(html.count("<style>"), 1);
    // nothing from elsewhere, and nothing a peer sent is parsed as HTML
    for (const char *bad : {"src=", "href=", "@import", "url(", "http://", "https://", "innerHTML",
                            "outerHTML", "insertAdjacentHTML", "document.write", "eval("})
        QVERIFY2(!html.contains(bad), bad);
    QVERIFY(html.contains("textContent"));
}

void tst_DemoPage::served_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("page"); // the page's headers (and its body unless HEAD)
    QTest::newRow("GET /") << get("/") << 200 << true;
    QTest::newRow("GET /?name=ana&room=lobby") << get("/?name=ana&room=lobby") << 200 << true;
    QTest::newRow("HEAD /") << get("/", "HEAD") << 200 << true;
    QTest::newRow("GET /favicon.ico") << get("/favicon.ico") << 404 << false;
    QTest::newRow("GET /index.html") << get("/index.html") << 404 << false;
    QTest::newRow("HEAD /other") << get("/other", "HEAD") << 404 << false;
    QTest::newRow("POST / (as before)") << get("/", "POST") << 405 << false;
    QTest::newRow("GET / with a Host that is no host")
        << "GET / HTTP/1.1\r\nHost: x; script-src *\r\n\r\n"_ba << 400 << false;
    QTest::newRow("GET / HTTP/1.0 (as before)")
        << "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"_ba << 505 << false;
}

void tst_DemoPage::served()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(bool, page);
    const quint16 port = startRelay(true);
    QVERIFY(port != 0);
    const HttpAnswer a = exchange(port, request);
    QVERIFY(a.closed);
    QCOMPARE(a.status, status);
    QCOMPARE(a.headers.value("connection"), "close"_ba);
    const bool head = request.startsWith("HEAD");
    if (status == 404 || status == 400)
        QCOMPARE(a.headers.value("cache-control"), "no-store"_ba);
    if (head)
        QCOMPARE(a.body, QByteArray());
    if (!page) {
        QVERIFY(!a.headers.contains("content-security-policy"));
        QVERIFY(a.headers.value("content-type").startsWith("text/plain"));
        QVERIFY(!a.body.contains("<html"));
        return;
    }
    const QByteArray html = DemoPage(false).html();
    QCOMPARE(a.headers.value("content-type"), "text/html; charset=utf-8"_ba);
    QCOMPARE(a.headers.value("content-length"), QByteArray::number(html.size()));
    QCOMPARE(a.headers.value("cache-control"), "no-store"_ba);
    QCOMPARE(a.headers.value("x-content-type-options"), "nosniff"_ba);
    const QByteArray csp = a.headers.value("content-security-policy");
    QVERIFY2(csp.startsWith("default-src 'none'; "), csp.constData());
    QVERIFY2(csp.contains("; connect-src 'self' ws://127.0.0.1; "), csp.constData());
    QVERIFY2(csp.contains("script-src " + hashOf(html, "script") + ';'), csp.constData());
    QVERIFY2(csp.contains("style-src " + hashOf(html, "style") + ';'), csp.constData());
    if (!head)
        QCOMPARE(a.body, html);
}

void tst_DemoPage::policyAllowsOnlyItselfAndItsRelay()
{
    const QByteArray plain = DemoPage(false).contentSecurityPolicy("relay.example:3000");
    const QByteArray tls = DemoPage(true).contentSecurityPolicy("[::1]:443");
    QVERIFY2(plain.contains("connect-src 'self' ws://relay.example:3000;"), plain.constData());
    QVERIFY2(tls.contains("connect-src 'self' wss://[::1]:443;"), tls.constData());
    for (const QByteArray &policy : {plain, tls}) {
        // every directive names only the page itself, its hashes or its relay: no wildcard, no
        // inline permission, no other host
        QVERIFY(!policy.contains('*'));
        QVERIFY(!policy.contains("unsafe"));
        QVERIFY(!policy.contains("http"));
        QVERIFY(policy.contains("frame-ancestors 'none'"));
        QVERIFY(policy.contains("form-action 'none'"));
    }
}

void tst_DemoPage::hosts_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("valid");
    QTest::newRow("name") << "relay.example"_ba << true;
    QTest::newRow("name:port") << "relay-1.example:3000"_ba << true;
    QTest::newRow("IPv4:port") << "127.0.0.1:38123"_ba << true;
    QTest::newRow("[IPv6]") << "[::1]"_ba << true;
    QTest::newRow("[IPv6]:port") << "[fe80::1]:3000"_ba << true;
    QTest::newRow("empty") << ""_ba << false;
    QTest::newRow("space and directive") << "x; script-src *"_ba << false;
    QTest::newRow("quote") << "x'"_ba << false;
    QTest::newRow("port not a number") << "x:abc"_ba << false;
    QTest::newRow("port too long") << "x:123456"_ba << false;
    QTest::newRow("empty port") << "x:"_ba << false;
    QTest::newRow("no name") << ":3000"_ba << false;
    QTest::newRow("IPv6 unclosed") << "[::1"_ba << false;
    QTest::newRow("after IPv6") << "[::1]x"_ba << false;
    QTest::newRow("user info") << "user@host"_ba << false;
}

void tst_DemoPage::hosts()
{
    QFETCH(QByteArray, host);
    QTEST(DemoPage::isValidHost(host), "valid");
}

void tst_DemoPage::offByDefault_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("header"); // as the relay has always answered
    QTest::newRow("GET /") << get("/") << 426 << "upgrade"_ba;
    QTest::newRow("GET /other") << get("/other") << 426 << "upgrade"_ba;
    QTest::newRow("HEAD /") << get("/", "HEAD") << 405 << "allow"_ba;
}

void tst_DemoPage::offByDefault()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    QVERIFY(!RelayServerOptions().demoPage);
    const quint16 port = startRelay(RelayServerOptions().demoPage);
    QVERIFY(port != 0);
    const HttpAnswer a = exchange(port, request);
    QCOMPARE(a.status, status);
    QVERIFY(a.headers.contains(header));
    QVERIFY(!a.body.contains("<html"));
    QVERIFY(!a.headers.contains("content-security-policy"));
}

void tst_DemoPage::upgradeStillWorksWithThePageOn()
{
    const quint16 port = startRelay(true);
    QVERIFY(port != 0);
    QVERIFY(exchange(port, get("/")).status == 200);
    TestClient client;
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/"_s.arg(port)));
    QVERIFY(client.open(request, {u"switchboard"_s}));
    QCOMPARE(client.socket().subprotocol(), u"switchboard"_s);
    QVERIFY(client.join(u"lobby"_s));
    client.send(QJsonObject{{u"type"_s, u"message"_s},
                            {u"roomId"_s, u"lobby"_s},
                            {u"user"_s, u"ana"_s},
                            {u"text"_s, u"<b>hi</b>"_s}});
    const QJsonObject m = client.waitForType(u"message"_s);
    QCOMPARE(m.value(u"text"_s).toString(), u"<b>hi</b>"_s);
    // and the page is still served beside an open connection
    QCOMPARE(exchange(port, get("/")).status, 200);
}

void tst_DemoPage::servedOverTlsConnectsWithWss()
{
    TestPki pki;
    QVERIFY2(pki.create(), qPrintable(pki.errorString()));
    const quint16 port = startRelay(true, &pki);
    QVERIFY(port != 0);
    QSslSocket socket;
    QSslConfiguration tls = socket.sslConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(pki.caCert()));
    socket.setSslConfiguration(tls);
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(u"localhost"_s, port); // the relay runs in this thread: no waitFor*()
    QVERIFY2(encrypted.wait(5000), qPrintable(socket.errorString()));
    const QByteArray host = "localhost:" + QByteArray::number(port);
    const HttpAnswer a = exchange(socket, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    QCOMPARE(a.status, 200);
    QCOMPARE(a.body, DemoPage(true).html());
    const QByteArray csp = a.headers.value("content-security-policy");
    QVERIFY2(csp.contains("; connect-src 'self' wss://" + host + "; "), csp.constData());
    QVERIFY(!csp.contains("ws://"));
}

QTEST_MAIN(tst_DemoPage)
#include "tst_demopage.moc"
