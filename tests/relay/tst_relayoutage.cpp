// SPDX-License-Identifier: MIT
#include "redisbus.h"
#include "relayfixture.h"

#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// The relay across Redis restarts and outages: delivery resumes, and no client message is lost
// (docs/security.md).
class tst_RelayOutage : public QObject, protected RelayFixture
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(RelayFixture::init()); }
    void cleanup() { RelayFixture::cleanup(); }

    void redisRestartDeliversAgain();
    void outageLosesNoClientMessage();
};

void tst_RelayOutage::redisRestartDeliversAgain()
{
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    TestClient *sender = connectTo(a), *receiver = connectTo(b);
    QVERIFY(sender->join(u"x"_s));
    QVERIFY(receiver->join(u"x"_s));

    QVERIFY(m_redis->restart());
    QElapsedTimer sinceBack;
    sinceBack.start();
    int probe = 0;
    auto crossed = [&] {
        sender->send(chat(u"probe-"_s + QString::number(probe++), u"x"_s));
        return receiver->count([](const QJsonObject &f) {
            return f.value("text"_L1).toString().startsWith(u"probe-"_s);
        }) > 0;
    };
    // The relays retry with a backoff capped at 2 s, so on an idle machine delivery resumes within
    // about 2.5 s of redis-server being back (the figure below; docs/benchmarks.md has the
    // target). The bound adds 8 s for two cores shared with parallel tests and builds: what is
    // asserted is that it resumes, and well before a missed reconnect would show (never).
    constexpr int BoundMs = 2000 + 8000;
    QTRY_VERIFY_WITH_TIMEOUT(crossed(), BoundMs);
    qInfo() << "room delivered across instances again" << sinceBack.elapsed()
            << "ms after redis-server was back";
    QTRY_COMPARE(numsub("room:x"_ba), 2); // the sender's relay may resubscribe a moment later
    // Still exactly once per message after the reconnect.
    receiver->clearFrames();
    sender->send(chat(u"after-restart"_s, u"x"_s));
    sender->send(chat(u"marker"_s));
    QVERIFY(!receiver->waitFor(textIs(u"marker"_s)).isEmpty());
    QCOMPARE(receiver->count(textIs(u"after-restart"_s)), 1);
}

void tst_RelayOutage::outageLosesNoClientMessage()
{
    // Five senders on relay A publish 1,000 messages (200 each, within the default rate limit)
    // while redis-server is down for at least 5 s; members on A get them at once, the member on B
    // once Redis is back. Everyone gets each message exactly once, in each sender's order.
    const Instance a = startRelay(u"a"_s), b = startRelay(u"b"_s);
    QList<TestClient *> senders;
    for (int i = 0; i < 5; ++i)
        senders << connectTo(a);
    TestClient *localMember = connectTo(a), *remoteMember = connectTo(b);
    QVERIFY(localMember->join(u"o"_s));
    QVERIFY(remoteMember->join(u"o"_s));

    m_redis->stop();
    QTRY_VERIFY(!a.bus->isConnected() && !b.bus->isConnected());
    QElapsedTimer down;
    down.start();
    int next = 0;
    QTimer pace;
    connect(&pace, &QTimer::timeout, this, [&] {
        if (next == 1000)
            return;
        senders[next % 5]->send(chat(u"%1:%2"_s.arg(next % 5).arg(next / 5), u"o"_s));
        ++next;
    });
    pace.start(5);
    QTRY_COMPARE_WITH_TIMEOUT(next, 1000, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(
        localMember->count([](const QJsonObject &f) { return f.value("type"_L1) == "message"_L1; }), 1000,
        10000);
    QTRY_VERIFY_WITH_TIMEOUT(down.elapsed() >= 5000, 10000);
    QCOMPARE(remoteMember->frames().size(), 1); // only its joined ack: nothing crossed yet
    QVERIFY(m_redis->start());

    auto messages = [](TestClient *c) {
        return c->count([](const QJsonObject &f) { return f.value("type"_L1) == "message"_L1; });
    };
    QTRY_COMPARE_WITH_TIMEOUT(messages(remoteMember), 1000, 20000);
    // Let any duplicate show up: a marker published after the replay arrives after them.
    senders[0]->send(chat(u"marker"_s, u"o"_s));
    for (TestClient *c : {localMember, remoteMember}) {
        QVERIFY(!c->waitFor(textIs(u"marker"_s), 10000).isEmpty());
        QHash<int, int> lastSeen;
        QSet<QString> texts;
        for (const QJsonObject &f : c->frames()) {
            const QString text = f.value("text"_L1).toString();
            if (f.value("type"_L1) != "message"_L1 || text == "marker"_L1)
                continue;
            QVERIFY2(!texts.contains(text), qPrintable(u"duplicate "_s + text));
            texts.insert(text);
            const int sender = text.section(u':', 0, 0).toInt(), seq = text.section(u':', 1).toInt();
            QCOMPARE(seq, lastSeen.value(sender, -1) + 1);
            lastSeen[sender] = seq;
        }
        QCOMPARE(texts.size(), 1000);
    }
    auto *bus = static_cast<RedisBus *>(a.bus);
    QCOMPARE(bus->stats().replayed, 1000u);
    QCOMPARE(bus->stats().dropped, 0u);
}

QTEST_MAIN(tst_RelayOutage)
#include "tst_relayoutage.moc"
