// SPDX-License-Identifier: MIT
#include "redisprobe.h"
#include "redisserver.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RedisProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void reachability_data();
    void reachability();
    void stalledServerTimesOut();
    void callbackDroppedWithContext();

private:
    std::optional<RedisProbe::Result> probe(const QString &url, std::chrono::milliseconds timeout = 2000ms);
    std::unique_ptr<RedisServer> m_redis;
    QByteArray m_version;
};

void tst_RedisProbe::initTestCase()
{
    m_redis = std::make_unique<RedisServer>(QStringList{u"--requirepass"_s, u"masterpw"_s});
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    QCOMPARE(
        m_redis->command({"ACL", "SETUSER", "blind", "on", ">blindpw", "~*", "+@all", "-info"}, "masterpw")
            .bytes(),
        "OK"_ba);
    for (const QByteArray &line : m_redis->command({"INFO", "server"}, "masterpw").bytes().split('\n')) {
        if (line.startsWith("redis_version:"))
            m_version = line.mid(14).trimmed();
    }
    QVERIFY(!m_version.isEmpty());
}

std::optional<RedisProbe::Result> tst_RedisProbe::probe(const QString &url, std::chrono::milliseconds timeout)
{
    std::optional<RedisProbe::Result> result;
    RedisProbe::probe(RedisUrl::parse(url), timeout, this, [&](const RedisProbe::Result &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
        return std::nullopt;
    return result;
}

void tst_RedisProbe::reachability_data()
{
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<bool>("reachable");
    QTest::addColumn<bool>("knowsVersion");
    QTest::addColumn<QString>("error"); // start of the error when unreachable
    QTest::newRow("answers") << u":masterpw@"_s << true << true << QString();
    // A server that refuses INFO (ACL) still answered: reachable, version unknown.
    QTest::newRow("info refused") << u"blind:blindpw@"_s << true << false << QString();
    QTest::newRow("wrong password") << u":nope@"_s << false << false << u"AUTH failed: WRONGPASS"_s;
    QTest::newRow("no password") << QString() << false << false << u"CLIENT SETNAME failed: NOAUTH"_s;
}

void tst_RedisProbe::reachability()
{
    QFETCH(QString, credentials);
    QFETCH(bool, reachable);
    QFETCH(bool, knowsVersion);
    QFETCH(QString, error);
    const auto r = probe(u"redis://"_s + credentials + u"127.0.0.1:"_s + QString::number(m_redis->port()));
    QVERIFY(r);
    QCOMPARE(r->reachable, reachable);
    QCOMPARE(r->serverVersion, knowsVersion ? QString::fromLatin1(m_version) : QString());
    if (reachable)
        QVERIFY2(r->error.isEmpty(), qPrintable(r->error));
    else
        QVERIFY2(r->error.startsWith(error), qPrintable(r->error));
}

void tst_RedisProbe::stalledServerTimesOut()
{
    RedisServer stalled;
    QVERIFY2(stalled.start(), qPrintable(stalled.errorString()));
    QVERIFY(stalled.pause());
    const auto r = probe(stalled.url(), 300ms);
    QVERIFY(r);
    QVERIFY(!r->reachable);
    QVERIFY(!r->error.isEmpty());
}

void tst_RedisProbe::callbackDroppedWithContext()
{
    auto context = std::make_unique<QObject>();
    bool called = false;
    RedisProbe::probe(RedisUrl::parse(u"redis://:masterpw@127.0.0.1:"_s + QString::number(m_redis->port())),
                      2000ms, context.get(), [&](const RedisProbe::Result &) { called = true; });
    context.reset();
    // A probe that was not dropped answers this fast server within a few event-loop turns.
    const auto control = probe(u"redis://:masterpw@127.0.0.1:"_s + QString::number(m_redis->port()));
    QVERIFY(control && control->reachable);
    QVERIFY(!called);
}

QTEST_MAIN(tst_RedisProbe)
#include "tst_redisprobe.moc"
