// SPDX-License-Identifier: MIT
#include "connectioncontroller.h"
#include "privateredisserver.h"
#include "redisserver.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_ConnectionController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connectsAndReportsServer();
    void refusesInvalidProfile();
    void passwordIsUsed();
    void disconnectAnnouncesNull();
    void privateServerLivesWithItsOwner();

private:
    std::unique_ptr<RedisServer> m_redis;
};

void tst_ConnectionController::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_ConnectionController::connectsAndReportsServer()
{
    ConnectionController controller;
    controller.setPingInterval(50ms);
    QSignalSpy changed(&controller, &ConnectionController::connectionChanged);
    QSignalSpy info(&controller, &ConnectionController::serverInfoChanged);
    ConnectionProfile p;
    p.name = u"test"_s;
    p.url = m_redis->url();
    QVERIFY(controller.connectTo(p, QString()));
    QCOMPARE(changed.size(), 1);
    QVERIFY(changed.at(0).at(0).value<RedisConnection *>() != nullptr);
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    QTRY_VERIFY(!controller.serverVersion().isEmpty());
    QVERIFY(controller.serverVersion().at(0).isDigit());
    QCOMPARE(controller.serverMode(), u"standalone"_s);
    QTRY_VERIFY(controller.roundTripMs() >= 0);
    // The console names its connection so operators can tell it apart in CLIENT LIST.
    const QByteArray clients = m_redis->command({"CLIENT"_ba, "LIST"_ba}).bytes();
    QVERIFY2(clients.contains("name=switchboard-console:"), clients.constData());
    QVERIFY(controller.options().has_value());
    QVERIFY(controller.options()->clientName.isEmpty());
}

void tst_ConnectionController::refusesInvalidProfile()
{
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"bad"_s;
    p.url = u"http://nope"_s;
    QString error;
    QVERIFY(!controller.connectTo(p, QString(), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!controller.isConnected());
}

void tst_ConnectionController::passwordIsUsed()
{
    RedisServer secured({u"--requirepass"_s, u"hunter2"_s});
    QVERIFY2(secured.start(), qPrintable(secured.errorString()));
    ConnectionProfile p;
    p.name = u"secured"_s;
    p.url = secured.url();
    ConnectionController wrong;
    QVERIFY(wrong.connectTo(p, u"nope"_s));
    QTRY_VERIFY(!wrong.lastError().isEmpty());
    QVERIFY(wrong.state() != RedisConnection::State::Ready);
    ConnectionController right;
    QVERIFY(right.connectTo(p, u"hunter2"_s));
    QTRY_VERIFY(right.state() == RedisConnection::State::Ready);
}

void tst_ConnectionController::disconnectAnnouncesNull()
{
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"test"_s;
    p.url = m_redis->url();
    QVERIFY(controller.connectTo(p, QString()));
    QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    QSignalSpy changed(&controller, &ConnectionController::connectionChanged);
    controller.disconnectFromServer();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<RedisConnection *>(), nullptr);
    QVERIFY(!controller.isConnected());
    QVERIFY(!controller.options());
    QCOMPARE(controller.roundTripMs(), -1.0);
}

void tst_ConnectionController::privateServerLivesWithItsOwner()
{
    if (PrivateRedisServer::executable().isEmpty())
        QSKIP("redis-server is not installed");
    QString url;
    {
        PrivateRedisServer server;
        QSignalSpy ready(&server, &PrivateRedisServer::ready);
        server.start();
        QVERIFY(ready.wait(10000));
        url = ready.at(0).at(0).toString();
        QVERIFY(server.port() != 6379);
        QVERIFY(url.startsWith(u"redis://127.0.0.1:"_s));
        ConnectionController controller;
        ConnectionProfile p;
        p.name = u"private"_s;
        p.url = url;
        QVERIFY(controller.connectTo(p, QString()));
        QTRY_VERIFY(controller.state() == RedisConnection::State::Ready);
    }
    // Gone with its owner: nothing listens on that port any more.
    ConnectionController controller;
    ConnectionProfile p;
    p.name = u"private"_s;
    p.url = url;
    QVERIFY(controller.connectTo(p, QString()));
    QTRY_VERIFY(!controller.lastError().isEmpty());
}

QTEST_GUILESS_MAIN(tst_ConnectionController)
#include "tst_connectioncontroller.moc"
