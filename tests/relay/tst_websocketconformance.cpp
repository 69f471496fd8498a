// SPDX-License-Identifier: MIT
// RFC 6455 conformance of the relay's WebSocket layer: the Autobahn testsuite's cases of sections
// 1-7 and 10 (tests/relay/autobahncases.h), the RFC's rules Autobahn does not test, a message over
// the relay's limit and the opening handshake's errors. A raw client (ConformanceClient) talks to
// an in-process relay on a LocalBus; every row checks what the RFC requires of the server.
#include "autobahncases.h"
#include "conformanceclient.h"
#include "relayfixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using Event = ConformanceClient::Event;

namespace {

// Generous for loaded CI machines; a row that fails by timing out costs this much.
constexpr int AnswerMs = 5000;
// The relay closes the TCP connection after the closing handshake, or after its own close when
// the client stays silent (a lingering close gives it a few seconds).
constexpr int TcpCloseMs = 8000;

QByteArray describe(const Event &e)
{
    return e.describe().toUtf8();
}

QJsonObject jsonOf(const Event &e)
{
    return e.kind == Event::Kind::Text ? QJsonDocument::fromJson(e.payload).object() : QJsonObject();
}

} // namespace

class tst_WebSocketConformance : public QObject, protected RelayFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { releaseRelays(); }

    void framing_data() { table(Autobahn::addFramingCases); }
    void framing() { run(); }
    void pingPong_data() { table(Autobahn::addPingPongCases); }
    void pingPong() { run(); }
    void reservedBits_data() { table(Autobahn::addReservedBitsCases); }
    void reservedBits() { run(); }
    void opcodes_data() { table(Autobahn::addOpcodeCases); }
    void opcodes() { run(); }
    void fragmentation_data() { table(Autobahn::addFragmentationCases); }
    void fragmentation() { run(); }
    void utf8_data() { table(Autobahn::addUtf8Cases); }
    void utf8() { run(); }
    void utf8Sequences_data() { table(Autobahn::addUtf8SequenceCases); }
    void utf8Sequences() { run(); }
    void closeHandling_data() { table(Autobahn::addCloseCases); }
    void closeHandling() { run(); }
    void misc_data() { table(Autobahn::addMiscCases); }
    void misc() { run(); }
    void rfc_data() { table(Autobahn::addRfcCases); }
    void rfc() { run(); }

    void messageOverTheLimitIsClosedWith1009();
    void openingHandshakeErrors_data();
    void openingHandshakeErrors();

private:
    static void table(void (*add)())
    {
        QTest::addColumn<ConformanceCase>("conformanceCase");
        add();
    }
    void run();
    static void expect(ConformanceClient &client, const ConformanceStep &step);
    static void expectAlive(ConformanceClient &client);
    static void expectFail(ConformanceClient &client, const ConformanceEnding &ending);
    static void expectCloseEcho(ConformanceClient &client, const ConformanceEnding &ending);
    static void expectTcpClose(ConformanceClient &client);

    RelayServer *m_relay = nullptr;
};

void tst_WebSocketConformance::initTestCase()
{
    RelayServerOptions options;
    options.instanceId = u"conformance"_s;
    options.pingInterval = std::chrono::hours(1); // no heartbeat pings among the rows' frames
    options.limits.maxMessageBytes = 1024 * 1024; // 7.1.6 sends 256 KiB
    options.limits.maxOutboundBytes = 8 * 1024 * 1024;
    options.limits.messagesPerSecond = 0;
    m_relay = startRelayWith(options, true);
    QVERIFY(m_relay->port() != 0);
}

void tst_WebSocketConformance::run()
{
    QFETCH(ConformanceCase, conformanceCase);
    ConformanceClient client;
    QVERIFY2(client.open(m_relay->port()), "opening handshake");
    for (const ConformanceStep &step : conformanceCase.steps) {
        if (step.kind == ConformanceStep::Kind::Send)
            client.send(step.bytes, step.chop);
        else
            expect(client, step);
        if (QTest::currentTestFailed())
            return;
    }
    switch (conformanceCase.ending.kind) {
    case ConformanceEnding::Kind::Answered:
        expectAlive(client);
        break;
    case ConformanceEnding::Kind::Fail:
        expectFail(client, conformanceCase.ending);
        break;
    case ConformanceEnding::Kind::CloseEcho:
        expectCloseEcho(client, conformanceCase.ending);
        break;
    }
}

void tst_WebSocketConformance::expect(ConformanceClient &client, const ConformanceStep &step)
{
    const Event e = client.next(AnswerMs);
    if (step.kind == ConformanceStep::Kind::Pong) {
        QVERIFY2(e.kind == Event::Kind::Pong, ("expected a pong frame, got " + describe(e)).constData());
        QCOMPARE(e.payload.toHex(), step.bytes.toHex());
        return;
    }
    const QJsonObject o = jsonOf(e);
    if (step.kind == ConformanceStep::Kind::Error) {
        QVERIFY2(o.value("type"_L1) == "error"_L1,
                 ("expected an error " + step.bytes + ", got " + describe(e)).constData());
        QCOMPARE(o.value("code"_L1).toString(), QString::fromUtf8(step.bytes));
        return;
    }
    QVERIFY2(o.value("type"_L1) == "message"_L1, ("expected the message, got " + describe(e)).constData());
    const QString text = o.value("text"_L1).toString();
    const QString sent = QString::fromUtf8(step.bytes);
    QVERIFY2(text == sent,
             qPrintable(u"the delivered text (%1 characters) differs from the text sent (%2 characters): %3"_s
                            .arg(text.size())
                            .arg(sent.size())
                            .arg(text.left(80))));
}

void tst_WebSocketConformance::expectAlive(ConformanceClient &client)
{
    client.send(Autobahn::text(R"({"type":"ping"})"));
    const Event e = client.next(AnswerMs);
    QVERIFY2(
        jsonOf(e).value("type"_L1) == "pong"_L1,
        ("connection not alive and in sync: expected {\"type\":\"pong\"}, got " + describe(e)).constData());
}

void tst_WebSocketConformance::expectTcpClose(ConformanceClient &client)
{
    QList<Event> after;
    const bool closed = client.waitDisconnected(TcpCloseMs, &after);
    QByteArray extra;
    for (const Event &e : after)
        extra += describe(e) + "; ";
    QVERIFY2(after.isEmpty(), ("frames after the close frame: " + extra).constData());
    QVERIFY2(closed, "the relay did not close the TCP connection");
}

void tst_WebSocketConformance::expectFail(ConformanceClient &client, const ConformanceEnding &ending)
{
    const Event e = client.next(AnswerMs);
    QVERIFY2(e.kind == Event::Kind::Close && e.closeCode == ending.code,
             ("expected a close frame with " + QByteArray::number(ending.code) + ", got " + describe(e))
                 .constData());
    if (ending.replyClose && client.isConnected())
        client.send(Autobahn::close(ending.code));
    expectTcpClose(client);
}

void tst_WebSocketConformance::expectCloseEcho(ConformanceClient &client, const ConformanceEnding &ending)
{
    Event e = client.next(AnswerMs);
    while (ending.skipMessages && e.kind == Event::Kind::Text)
        e = client.next(AnswerMs);
    const bool codeMatches =
        ending.code == 0 ? e.closeCode == 1000 || e.closeCode == -1 : e.closeCode == ending.code;
    QVERIFY2(e.kind == Event::Kind::Close && codeMatches,
             ("expected a close frame with " +
              (ending.code ? QByteArray::number(ending.code) : QByteArray("1000 or no code")) + ", got " +
              describe(e))
                 .constData());
    expectTcpClose(client);
}

void tst_WebSocketConformance::messageOverTheLimitIsClosedWith1009()
{
    // RFC 6455 section 7.4.1: 1009, a message too big to process. The relay's default limit is
    // 64 KiB; the client sends 4 MiB and reads meanwhile: the close frame must reach it (a
    // lingering close), not only a reset, although it is still sending.
    RelayServerOptions options;
    options.instanceId = u"conformance-limit"_s;
    RelayServer *relay = startRelayWith(options, true);
    QCOMPARE(options.limits.maxMessageBytes, qint64(64 * 1024));
    ConformanceClient client;
    QVERIFY(client.open(relay->port()));
    client.send(Autobahn::text(Autobahn::chatOfSize(4 * 1024 * 1024)));
    const Event e = client.next(10000);
    QVERIFY2(e.kind == Event::Kind::Close && e.closeCode == 1009,
             ("expected a close frame with 1009, got " + describe(e)).constData());
    expectTcpClose(client);
}

void tst_WebSocketConformance::openingHandshakeErrors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QList<int>>("statuses");
    QTest::addColumn<QByteArray>("header"); // "Name: value" the reply must carry, or empty
    const QByteArray host = "Host: 127.0.0.1\r\n";
    const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const QByteArray version = "Sec-WebSocket-Version: 13\r\n";
    QTest::newRow("RFC 4.2.2 valid handshake: 101 with the accept value")
        << "GET / HTTP/1.1\r\n" + host + upgrade + key + version + "\r\n"
        << QList<int>{101} << QByteArray("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    QTest::newRow("RFC 4.4 version 8: 426 naming version 13")
        << "GET / HTTP/1.1\r\n" + host + upgrade + key + "Sec-WebSocket-Version: 8\r\n\r\n"
        << QList<int>{426} << QByteArray("Sec-WebSocket-Version: 13");
    QTest::newRow("RFC 4.2.1 no Sec-WebSocket-Key: 400")
        << "GET / HTTP/1.1\r\n" + host + upgrade + version + "\r\n"
        << QList<int>{400} << QByteArray();
    QTest::newRow("RFC 4.2.1 Sec-WebSocket-Key of 8 octets: 400")
        << "GET / HTTP/1.1\r\n" + host + upgrade + "Sec-WebSocket-Key: AAAAAAAAAAA=\r\n" + version + "\r\n"
        << QList<int>{400} << QByteArray();
    QTest::newRow("RFC 4.2.1 Sec-WebSocket-Key not base64: 400")
        << "GET / HTTP/1.1\r\n" + host + upgrade + "Sec-WebSocket-Key: not a key!\r\n" + version + "\r\n"
        << QList<int>{400} << QByteArray();
    QTest::newRow("RFC 4.2.1 POST: 405 or 400")
        << "POST / HTTP/1.1\r\n" + host + upgrade + key + version + "Content-Length: 0\r\n\r\n"
        << QList<int>{405, 400} << QByteArray();
    QTest::newRow("RFC 4.2.1 no Upgrade header: 426 or 400")
        << "GET / HTTP/1.1\r\n" + host + "Connection: Upgrade\r\n" + key + version + "\r\n"
        << QList<int>{426, 400} << QByteArray();
    QTest::newRow("RFC 4.2.1 Connection without Upgrade: 400 or 426")
        << "GET / HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: keep-alive\r\n" + key + version +
               "\r\n"
        << QList<int>{400, 426} << QByteArray();
    QTest::newRow("RFC 4.2.1 no Host header: 400") << "GET / HTTP/1.1\r\n" + upgrade + key + version + "\r\n"
                                                   << QList<int>{400} << QByteArray();
}

void tst_WebSocketConformance::openingHandshakeErrors()
{
    QFETCH(QByteArray, request);
    QFETCH(QList<int>, statuses);
    QFETCH(QByteArray, header);
    ConformanceClient client;
    const ConformanceClient::HttpReply reply = client.request(m_relay->port(), request);
    QVERIFY2(statuses.contains(reply.status),
             ("HTTP reply: " +
              (reply.head.isEmpty()
                   ? QByteArray(reply.closed ? "none, the relay closed the connection" : "none (timeout)")
                   : reply.head))
                 .constData());
    if (!header.isEmpty()) {
        const qsizetype colon = header.indexOf(':');
        QCOMPARE(reply.header(header.left(colon)), header.mid(colon + 1).trimmed());
    }
}

QTEST_MAIN(tst_WebSocketConformance)
#include "tst_websocketconformance.moc"
