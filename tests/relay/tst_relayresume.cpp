// SPDX-License-Identifier: MIT
#include "redisserver.h"
#include "relayfixture.h"
#include "relayprocess.h"
#include "testclient.h"

#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QJsonObject say(const QString &room, const QString &text)
{
    return {{u"type"_s, u"message"_s}, {u"roomId"_s, room}, {u"user"_s, u"c"_s}, {u"text"_s, text}};
}

} // namespace

// Issue 16's end-to-end promise with real processes: a client whose relay is killed with SIGKILL
// resumes its session on another relay and gets its rooms and exactly the messages it missed, in
// order, then live ones, none twice.
class tst_RelayResume : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { m_redis.reset(); }
    void resumeAfterTheRelayIsKilled_data();
    void resumeAfterTheRelayIsKilled();
    void missedMoreThanTheHistoryHolds();

private:
    QStringList relayArgs(int historySize) const;
    std::unique_ptr<RedisServer> m_redis;
};

void tst_RelayResume::initTestCase()
{
    QVERIFY2(QFile::exists(RelayProcess::binary()),
             "SWITCHBOARD_RELAY_BINARY must point at switchboard-relay");
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

QStringList tst_RelayResume::relayArgs(int historySize) const
{
    return {u"--redis"_s,
            m_redis->url(),
            u"--history-size"_s,
            QString::number(historySize),
            u"--sessions"_s,
            u"--stats-interval"_s,
            u"0"_s};
}

void tst_RelayResume::resumeAfterTheRelayIsKilled_data()
{
    QTest::addColumn<bool>("publishDuringResume");
    QTest::newRow("quiet while resuming") << false;
    QTest::newRow("publishing through the switch-over") << true;
}

void tst_RelayResume::resumeAfterTheRelayIsKilled()
{
    QFETCH(bool, publishDuringResume);
    const QString tag = QString::fromLatin1(QTest::currentDataTag()).left(5) + u'-';
    const QString room = tag + u"room"_s, other = tag + u"other"_s;
    RelayProcess first, second;
    QVERIFY2(first.start(relayArgs(1000) + QStringList{u"--instance-id"_s, u"first"_s}),
             qPrintable(first.log()));
    QVERIFY2(second.start(relayArgs(1000) + QStringList{u"--instance-id"_s, u"second"_s}),
             qPrintable(second.log()));

    TestClient a, c;
    QVERIFY(a.open(first.url()));
    QVERIFY(c.open(second.url()));
    a.send(joinFrame(room));
    const QString session = a.waitFor([&](const QJsonObject &o) { return o.value("roomId"_L1) == room; })
                                .value("session"_L1)
                                .toString();
    QVERIFY(!session.isEmpty());
    QVERIFY(a.join(other));
    for (int i = 1; i <= 20; ++i)
        c.send(say(room, u"m"_s + QString::number(i)));
    c.send(say(other, u"o0"_s));
    QTRY_COMPARE(roomMessages(&a, room).size(), 20);
    QTRY_COMPARE(roomMessages(&a, other).size(), 1);
    const QString lastRoom = roomMessages(&a, room).last().second;
    const QString lastOther = roomMessages(&a, other).last().second;
    QVERIFY2(!lastRoom.isEmpty(), "a room message carries its offset");

    first.kill();
    QVERIFY(a.waitForClose());
    for (int i = 21; i <= 60; ++i)
        c.send(say(room, u"m"_s + QString::number(i)));
    for (int i = 1; i <= 5; ++i)
        c.send(say(other, u"o"_s + QString::number(i)));
    // Published (the publisher is not a member, so it waits for nothing): let Redis hold them all.
    QTRY_COMPARE(m_redis->command({"XLEN", "history:{room:" + room.toUtf8() + '}'}).toInteger(), 60);

    TestClient b;
    QVERIFY(b.open(second.url()));
    b.send({{u"type"_s, u"resume"_s},
            {u"session"_s, session},
            {u"offsets"_s, QJsonObject{{room, lastRoom}, {other, lastOther}}}});
    int last = 60;
    if (publishDuringResume) {
        for (; last < 100; ++last)
            c.send(say(room, u"m"_s + QString::number(last + 1)));
    }
    const QJsonObject resumed = b.waitForType(u"resumed"_s);
    QCOMPARE(resumed.value("session"_L1).toString(), session);
    const QJsonArray rooms = resumed.value("rooms"_L1).toArray();
    QCOMPARE(rooms.size(), 2);
    QVERIFY(rooms.contains(room) && rooms.contains(other));
    for (const QString &r : {room, other}) {
        const QJsonObject joined = b.waitFor([&](const QJsonObject &o) {
            return o.value("type"_L1) == "joined"_L1 && o.value("roomId"_L1) == r;
        });
        QCOMPARE(joined.value("session"_L1).toString(), session);
        QCOMPARE(joined.value("recovered"_L1), QJsonValue(true));
    }
    // Then live ones.
    c.send(say(room, u"live"_s));
    const QStringList expected = numbered(u"m"_s, 21, last) + QStringList{u"live"_s};
    QTRY_COMPARE_WITH_TIMEOUT(roomMessages(&b, room).size(), expected.size(), 10000);
    QTRY_COMPARE(roomMessages(&b, other).size(), 5);
    QStringList got;
    QString previous = lastRoom;
    for (const auto &[text, offset] : roomMessages(&b, room)) {
        got.append(text);
        QVERIFY2(offsetLess(previous, offset), qPrintable(previous + u" then "_s + offset));
        previous = offset;
    }
    QCOMPARE(got, expected); // exactly the missed ones, in order, then live, none twice
    QStringList gotOther;
    for (const auto &m : roomMessages(&b, other))
        gotOther.append(m.first);
    QCOMPARE(gotOther, numbered(u"o"_s, 1, 5));
    // Nothing arrives late as a duplicate either.
    b.send({{u"type"_s, u"ping"_s}});
    QVERIFY(!b.waitForType(u"pong"_s).isEmpty());
    QCOMPARE(roomMessages(&b, room).size(), expected.size());
}

void tst_RelayResume::missedMoreThanTheHistoryHolds()
{
    const QString room = u"capped"_s;
    RelayProcess first, second;
    QVERIFY2(first.start(relayArgs(10)), qPrintable(first.log()));
    QVERIFY2(second.start(relayArgs(10)), qPrintable(second.log()));
    TestClient a, c;
    QVERIFY(a.open(first.url()));
    QVERIFY(c.open(second.url()));
    a.send(joinFrame(room));
    const QString session = a.waitForType(u"joined"_s).value("session"_L1).toString();
    c.send(say(room, u"seen"_s));
    QTRY_COMPARE(roomMessages(&a, room).size(), 1);
    const QString seen = roomMessages(&a, room).first().second;
    first.kill();
    QVERIFY(a.waitForClose());
    for (int i = 1; i <= 30; ++i)
        c.send(say(room, u"x"_s + QString::number(i)));
    TestClient b;
    QVERIFY(b.open(second.url()));
    // Every one recorded (the stream keeps the newest 10): the newest entry is the last one sent.
    QTRY_VERIFY(m_redis->command({"XREVRANGE", "history:{room:capped}", "+", "-", "COUNT", "1"})
                    .toDisplayString()
                    .contains(u"x30"_s));
    QCOMPARE(m_redis->command({"XLEN", "history:{room:capped}"}).toInteger(), 10);
    b.send({{u"type"_s, u"resume"_s}, {u"session"_s, session}, {u"offsets"_s, QJsonObject{{room, seen}}}});
    const QJsonObject joined = b.waitForType(u"joined"_s);
    QCOMPARE(joined.value("recovered"_L1), QJsonValue(false));
    QCOMPARE(joined.value("reason"_L1).toString(), u"offset_trimmed"_s);
    // Live from there on, nothing from the history.
    c.send(say(room, u"after"_s));
    QVERIFY(!b.waitFor([](const QJsonObject &o) { return o.value("text"_L1) == "after"_L1; }).isEmpty());
    QCOMPARE(roomMessages(&b, room).size(), 1);
}

QTEST_MAIN(tst_RelayResume)
#include "tst_relayresume.moc"
