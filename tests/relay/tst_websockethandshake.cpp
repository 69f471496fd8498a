// SPDX-License-Identifier: MIT
#include "websockethandshake.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QByteArray Key = "dGhlIHNhbXBsZSBub25jZQ=="_ba; // RFC 6455 section 1.3's example

QByteArray request(const QByteArray &requestLine, const QByteArrayList &headers)
{
    QByteArray out = requestLine + "\r\n";
    for (const QByteArray &h : headers)
        out += h + "\r\n";
    return out + "\r\n";
}

QByteArrayList goodHeaders()
{
    return {"Host: relay.example", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: " + Key,
            "Sec-WebSocket-Version: 13"};
}

QByteArrayList without(const QByteArray &prefix)
{
    QByteArrayList h = goodHeaders();
    h.removeIf([&](const QByteArray &line) { return line.startsWith(prefix); });
    return h;
}

} // namespace

class tst_WebSocketHandshake : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acceptKeyIsTheRfcsExample();
    void requests_data();
    void requests();
    void plainHttpRequests_data();
    void plainHttpRequests();
    void incompleteUntilTheBlankLine();
    void requestEndFoundFromAnyResumePoint();
    void oversizedRequestIsRefused();
    void fieldsAreRead();
    void answers();
};

void tst_WebSocketHandshake::acceptKeyIsTheRfcsExample()
{
    QCOMPARE(WebSocketHandshake::acceptKey(Key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="_ba);
}

void tst_WebSocketHandshake::requests_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");        // 101 when accepted
    QTest::addColumn<QByteArray>("header"); // a header the refusal must carry
    QTest::newRow("valid") << request("GET /chat HTTP/1.1", goodHeaders()) << 101 << QByteArray();
    QTest::newRow("HTTP/2.0 request line is at least 1.1")
        << request("GET / HTTP/2.0", goodHeaders()) << 101 << QByteArray();
    QTest::newRow("header names in any case, tokens in lists")
        << request("GET / HTTP/1.1", {"host: h", "upgrade: WebSocket", "connection: keep-alive, upgrade",
                                      "sec-websocket-key: " + Key, "sec-websocket-version: 13"})
        << 101 << QByteArray();
    QTest::newRow("bare LF line ends")
        << QByteArray(request("GET / HTTP/1.1", goodHeaders())).replace("\r\n", "\n") << 101 << QByteArray();
    QTest::newRow("POST") << request("POST / HTTP/1.1", goodHeaders()) << 405 << "Allow: GET"_ba;
    QTest::newRow("HTTP/1.0") << request("GET / HTTP/1.0", goodHeaders()) << 505 << QByteArray();
    QTest::newRow("malformed request line") << request("GET /", goodHeaders()) << 400 << QByteArray();
    QTest::newRow("missing Host") << request("GET / HTTP/1.1", without("Host")) << 400 << QByteArray();
    QTest::newRow("plain HTTP (no Upgrade)")
        << request("GET / HTTP/1.1", without("Upgrade")) << 426 << "Upgrade: websocket"_ba;
    QTest::newRow("Upgrade: h2c") << request("GET / HTTP/1.1", without("Upgrade") << "Upgrade: h2c") << 426
                                  << "Upgrade: websocket"_ba;
    QTest::newRow("Connection without Upgrade")
        << request("GET / HTTP/1.1", without("Connection") << "Connection: close") << 400 << QByteArray();
    QTest::newRow("version 8") << request("GET / HTTP/1.1", without("Sec-WebSocket-Version")
                                                                << "Sec-WebSocket-Version: 8")
                               << 426 << "Sec-WebSocket-Version: 13"_ba;
    QTest::newRow("no version") << request("GET / HTTP/1.1", without("Sec-WebSocket-Version")) << 426
                                << "Sec-WebSocket-Version: 13"_ba;
    QTest::newRow("no key") << request("GET / HTTP/1.1", without("Sec-WebSocket-Key")) << 400 << QByteArray();
    QTest::newRow("key of 8 bytes") << request("GET / HTTP/1.1", without("Sec-WebSocket-Key")
                                                                     << "Sec-WebSocket-Key: AQIDBAUGBwg=")
                                    << 400 << QByteArray();
    QTest::newRow("key not base64") << request("GET / HTTP/1.1",
                                               without("Sec-WebSocket-Key")
                                                   << "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==")
                                    << 400 << QByteArray();
    QTest::newRow("two keys") << request("GET / HTTP/1.1", goodHeaders() << "Sec-WebSocket-Key: " + Key)
                              << 400 << QByteArray();
    QTest::newRow("header line without a colon")
        << request("GET / HTTP/1.1", goodHeaders() << "Nonsense") << 400 << QByteArray();
    QTest::newRow("folded header line")
        << request("GET / HTTP/1.1", goodHeaders() << " folded") << 400 << QByteArray();
}

void tst_WebSocketHandshake::requests()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(QByteArray, header);
    const WebSocketHandshake::Result r = WebSocketHandshake::parse(bytes);
    if (status == 101) {
        QCOMPARE(r.status, WebSocketHandshake::Result::Status::Complete);
        QCOMPARE(r.consumed, bytes.size());
        return;
    }
    QCOMPARE(r.status, WebSocketHandshake::Result::Status::Refused);
    QCOMPARE(r.httpStatus, status);
    QVERIFY(!r.reason.isEmpty());
    const QByteArray answer = WebSocketHandshake::refusal(r.httpStatus, r.reason, r.headers);
    QVERIFY2(answer.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '), answer.constData());
    QVERIFY(answer.endsWith(r.reason + '\n'));
    if (!header.isEmpty())
        QVERIFY2(answer.contains("\r\n" + header + "\r\n"), answer.constData());
}

void tst_WebSocketHandshake::plainHttpRequests_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("plain"); // refused only for not being an upgrade
    const QByteArrayList browser{"Host: 127.0.0.1:3000", "Accept: text/html", "Connection: keep-alive"};
    QTest::newRow("a browser's GET /") << request("GET / HTTP/1.1", browser) << 426 << true;
    QTest::newRow("GET /other?x=1") << request("GET /other?x=1 HTTP/1.1", browser) << 426 << true;
    QTest::newRow("Upgrade: h2c") << request("GET / HTTP/1.1", without("Upgrade") << "Upgrade: h2c") << 426
                                  << true;
    QTest::newRow("HEAD /") << request("HEAD / HTTP/1.1", browser) << 405 << true;
    QTest::newRow("HEAD with upgrade headers") << request("HEAD / HTTP/1.1", goodHeaders()) << 405 << true;
    QTest::newRow("an upgrade") << request("GET / HTTP/1.1", goodHeaders()) << 101 << false;
    QTest::newRow("GET without Host") << request("GET / HTTP/1.1", {"Accept: */*"}) << 400 << false;
    QTest::newRow("HEAD without Host") << request("HEAD / HTTP/1.1", {"Accept: */*"}) << 405 << false;
    QTest::newRow("HEAD HTTP/1.0") << request("HEAD / HTTP/1.0", browser) << 405 << false;
    QTest::newRow("HEAD, folded header")
        << request("HEAD / HTTP/1.1", QByteArrayList(browser) << " folded"_ba) << 405 << false;
    QTest::newRow("GET HTTP/1.0") << request("GET / HTTP/1.0", browser) << 505 << false;
    QTest::newRow("POST") << request("POST / HTTP/1.1", browser) << 405 << false;
    QTest::newRow("GET, malformed header")
        << request("GET / HTTP/1.1", QByteArrayList(browser) << "Nonsense"_ba) << 400 << false;
    QTest::newRow("version 8") << request("GET / HTTP/1.1", without("Sec-WebSocket-Version")
                                                                << "Sec-WebSocket-Version: 8")
                               << 426 << false;
}

void tst_WebSocketHandshake::plainHttpRequests()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(bool, plain);
    const WebSocketHandshake::Result r = WebSocketHandshake::parse(bytes);
    QCOMPARE(r.status, status == 101 ? WebSocketHandshake::Result::Status::Complete
                                     : WebSocketHandshake::Result::Status::Refused);
    if (status != 101)
        QCOMPARE(r.httpStatus, status);
    QCOMPARE(r.plainHttp, plain);
    if (plain) {
        QCOMPARE(r.consumed, bytes.size());
        QCOMPARE(r.request.method, bytes.first(bytes.indexOf(' ')));
        QVERIFY(bytes.startsWith(r.request.method + ' ' + r.request.target + " HTTP/1.1\r\n"));
        QVERIFY(!r.request.host.isEmpty());
    }
}

void tst_WebSocketHandshake::incompleteUntilTheBlankLine()
{
    const QByteArray bytes =
        request("GET / HTTP/1.1", goodHeaders()) + "\x81\x85"_ba; // a frame right behind it
    const qsizetype end = bytes.indexOf("\r\n\r\n") + 4;
    for (qsizetype n = 0; n < end; ++n)
        QCOMPARE(WebSocketHandshake::parse(QByteArrayView(bytes).first(n)).status,
                 WebSocketHandshake::Result::Status::Incomplete);
    const WebSocketHandshake::Result r = WebSocketHandshake::parse(bytes);
    QCOMPARE(r.status, WebSocketHandshake::Result::Status::Complete);
    QCOMPARE(r.consumed, end);
}

void tst_WebSocketHandshake::requestEndFoundFromAnyResumePoint()
{
    // A connection receiving the request in pieces looks for the end from two bytes before each
    // new piece: every split of the blank line must still be found.
    for (const QByteArray &bytes :
         {request("GET / HTTP/1.1", goodHeaders()),
          QByteArray(request("GET / HTTP/1.1", goodHeaders())).replace("\r\n", "\n")}) {
        const qsizetype end = WebSocketHandshake::requestEnd(bytes);
        QCOMPARE(end, bytes.size());
        for (qsizetype piece = 0; piece < bytes.size(); ++piece) {
            const qsizetype from = piece - 2;
            if (piece < end - 2)
                QCOMPARE(WebSocketHandshake::requestEnd(QByteArrayView(bytes).first(piece), from), -1);
            QCOMPARE(WebSocketHandshake::requestEnd(bytes, qMin(from, end - 3)), end);
        }
    }
}

void tst_WebSocketHandshake::oversizedRequestIsRefused()
{
    const QByteArray huge =
        "GET / HTTP/1.1\r\nX-Filler: " + QByteArray(WebSocketHandshake::MaxRequestBytes, 'f');
    const WebSocketHandshake::Result r = WebSocketHandshake::parse(huge);
    QCOMPARE(r.status, WebSocketHandshake::Result::Status::Refused);
    QCOMPARE(r.httpStatus, 431);
}

void tst_WebSocketHandshake::fieldsAreRead()
{
    const WebSocketHandshake::Result r = WebSocketHandshake::parse(
        request("GET /room?token=abc HTTP/1.1", goodHeaders() << "Origin: https://app.example"
                                                              << "Sec-WebSocket-Protocol: switchboard"
                                                              << "Sec-WebSocket-Protocol: bearer.xyz"
                                                              << "Authorization: Bearer t"));
    QCOMPARE(r.status, WebSocketHandshake::Result::Status::Complete);
    QCOMPARE(r.request.target, "/room?token=abc"_ba);
    QCOMPARE(r.request.host, "relay.example"_ba);
    QCOMPARE(r.request.origin, "https://app.example"_ba);
    QCOMPARE(r.request.protocols, "switchboard, bearer.xyz"_ba);
    QCOMPARE(r.request.authorization, "Bearer t"_ba);
    QVERIFY(WebSocketHandshake::listsToken(r.request.protocols, "switchboard"));
    QVERIFY(!WebSocketHandshake::listsToken(r.request.protocols, "switch"));
}

void tst_WebSocketHandshake::answers()
{
    const QByteArray ok = WebSocketHandshake::switchingProtocols(Key, "switchboard");
    QVERIFY(ok.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(ok.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(ok.contains("\r\nSec-WebSocket-Protocol: switchboard\r\n"));
    QVERIFY(ok.endsWith("\r\n\r\n"));
    QVERIFY(!WebSocketHandshake::switchingProtocols(Key, {}).contains("Sec-WebSocket-Protocol"));
}

QTEST_MAIN(tst_WebSocketHandshake)
#include "tst_websockethandshake.moc"
