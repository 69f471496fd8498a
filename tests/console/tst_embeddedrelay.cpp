// SPDX-License-Identifier: MIT
#include "embeddedrelay.h"
#include "redisserver.h"
#include "testclient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_EmbeddedRelay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startChatStopRestart_data();
    void startChatStopRestart();
    void portInUseIsAClearError();
    void servesTheDevelopmentPageByDefault();
};

void tst_EmbeddedRelay::startChatStopRestart_data()
{
    QTest::addColumn<bool>("inProcess");
    QTest::newRow("in-process bus") << true;
    QTest::newRow("redis bus") << false;
}

void tst_EmbeddedRelay::startChatStopRestart()
{
    QFETCH(bool, inProcess);
    RedisServer redis;
    if (!inProcess)
        QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    EmbeddedRelay relay;
    EmbeddedRelay::Settings settings;
    settings.relay.bindAddress = QHostAddress::LocalHost;
    settings.relay.port = 0;
    settings.inProcessBus = inProcess;
    if (!inProcess)
        settings.redis.url = RedisUrl::parse(redis.url());
    for (int round = 0; round < 2; ++round) {
        QSignalSpy started(&relay, &EmbeddedRelay::started);
        QString error;
        QVERIFY2(relay.start(settings, &error), qPrintable(error));
        QCOMPARE(started.size(), 1);
        QVERIFY(relay.isRunning());
        TestClient a, b;
        QVERIFY(a.open(relay.url()));
        QVERIFY(b.open(relay.url()));
        QVERIFY(a.join(u"lobby"_s));
        QVERIFY(b.join(u"lobby"_s));
        a.send({{u"type"_s, u"message"_s},
                {u"roomId"_s, u"lobby"_s},
                {u"user"_s, u"a"_s},
                {u"text"_s, u"hi"_s}});
        QCOMPARE(b.waitForType(u"message"_s).value(u"text"_s).toString(), u"hi"_s);
        if (!inProcess)
            QVERIFY(
                redis.command({"CLIENT"_ba, "LIST"_ba}).bytes().contains("name=switchboard-relay:console-"));
        QSignalSpy stopped(&relay, &EmbeddedRelay::stopped);
        relay.stop();
        QVERIFY(a.waitForClose());
        QCOMPARE(a.closeCode(), 1001);
        QVERIFY(stopped.wait(5000));
        QVERIFY(!relay.isRunning());
        QVERIFY(relay.server() == nullptr);
    }
}

void tst_EmbeddedRelay::portInUseIsAClearError()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    EmbeddedRelay relay;
    EmbeddedRelay::Settings settings;
    settings.relay.bindAddress = QHostAddress::LocalHost;
    settings.relay.port = blocker.serverPort();
    QString error;
    QVERIFY(!relay.start(settings, &error));
    QVERIFY2(!error.isEmpty(), qPrintable(error));
    QVERIFY(!relay.isRunning());
    settings.relay.port = 0;
    QVERIFY2(relay.start(settings, &error), qPrintable(error));
}

void tst_EmbeddedRelay::servesTheDevelopmentPageByDefault()
{
    EmbeddedRelay relay;
    EmbeddedRelay::Settings settings;
    QVERIFY(settings.relay.demoPage);
    settings.relay.bindAddress = QHostAddress::LocalHost;
    settings.relay.port = 0;
    QString error;
    QVERIFY2(relay.start(settings, &error), qPrintable(error));
    QTcpSocket socket;
    QByteArray answer;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { answer += socket.readAll(); });
    QSignalSpy connected(&socket, &QTcpSocket::connected);
    socket.connectToHost(QHostAddress::LocalHost, relay.url().port());
    QVERIFY(connected.wait(5000));
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(answer.contains("</html>"), 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer.left(200).constData());
    QVERIFY(answer.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"));
}

QTEST_GUILESS_MAIN(tst_EmbeddedRelay)
#include "tst_embeddedrelay.moc"
