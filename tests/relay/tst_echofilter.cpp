// SPDX-License-Identifier: MIT
// EchoFilter on its own: message ids, echoes, and which payloads count as a relay's repeat.
#include "echofilter.h"
#include "relayprotocol.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_EchoFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messageIds();
    void repeats_data();
    void repeats();
    void echoes();
};

void tst_EchoFilter::messageIds()
{
    EchoFilter f(u"relay-1"_s, 10);
    QVERIFY(f.origin().startsWith("relay-1-"));
    QByteArrayList ids;
    for (int i = 0; i < 37; ++i)
        ids.append(f.nextMessageId());
    QCOMPARE(ids.first(), f.origin() + "-1");
    QCOMPARE(ids[34], f.origin() + "-z");  // 35
    QCOMPARE(ids[35], f.origin() + "-10"); // 36
    QCOMPARE(ids[36], f.origin() + "-11");
}

void tst_EchoFilter::repeats_data()
{
    QTest::addColumn<QByteArrayList>("payloads");
    QTest::addColumn<QList<bool>>("repeat");
    const auto relay = [](const char *origin, const char *seq, const char *text = "hi") {
        return RelayProtocol::chatMessage(u"u"_s, QString::fromLatin1(text), 1, nullptr,
                                          QByteArray(origin) + '-' + seq, origin);
    };
    QTest::newRow("rising") << QByteArrayList{relay("a-x", "1"), relay("a-x", "2"), relay("a-x", "a")}
                            << QList<bool>{false, false, false};
    QTest::newRow("the same again") << QByteArrayList{relay("a-x", "1"), relay("a-x", "2"), relay("a-x", "2")}
                                    << QList<bool>{false, false, true};
    QTest::newRow("an older one") << QByteArrayList{relay("a-x", "5"), relay("a-x", "3")} << QList<bool>{false, true};
    QTest::newRow("two relays") << QByteArrayList{relay("a-x", "5"), relay("b-y", "1"), relay("b-y", "1")}
                                << QList<bool>{false, false, true};
    QTest::newRow("text that looks like the tail")
        << QByteArrayList{relay("a-x", "5", R"(","id":"a-x-9","relay":"a-x"})"), relay("a-x", "4")}
        << QList<bool>{false, true};
    const QByteArray backend = R"({"type":"message","user":"b","text":"x","id":"order-3"})";
    QTest::newRow("a backend's id, no relay field") << QByteArrayList{backend, backend} << QList<bool>{false, false};
    const QByteArray foreignId = R"({"type":"message","user":"b","id":"z-1","relay":"a-x"})";
    QTest::newRow("an id of another origin") << QByteArrayList{foreignId, foreignId} << QList<bool>{false, false};
    const QByteArray escaped = R"({"type":"message","user":"b","id":"a\"x-1","relay":"a\"x"})";
    QTest::newRow("an escaped quote in the origin") << QByteArrayList{escaped, escaped} << QList<bool>{false, false};
    const QByteArray notBase36 = R"({"type":"message","user":"b","id":"a-x-1!","relay":"a-x"})";
    QTest::newRow("a sequence that is no number") << QByteArrayList{notBase36, notBase36}
                                                  << QList<bool>{false, false};
    const QByteArray joined = R"({"type":"joined","id":"a-x-1","relay":"a-x"})";
    QTest::newRow("not a message") << QByteArrayList{joined, joined} << QList<bool>{false, false};
    QTest::newRow("truncated") << QByteArrayList{relay("a-x", "1").chopped(2), R"(","relay":"a-x"})"_ba}
                               << QList<bool>{false, false};
}

void tst_EchoFilter::repeats()
{
    QFETCH(QByteArrayList, payloads);
    QFETCH(QList<bool>, repeat);
    EchoFilter f(u"self"_s, 10);
    QList<bool> got;
    for (const QByteArray &p : payloads)
        got.append(f.isRepeat("room:a", p));
    QCOMPARE(got, repeat);
    // Per channel: the same payloads on another channel are new there.
    QVERIFY(!f.isRepeat("room:b", payloads.first()));
}

void tst_EchoFilter::echoes()
{
    EchoFilter f(u"self"_s, 2);
    f.expectEcho("room:a", "one");
    f.expectEcho("room:a", "two");
    f.expectEcho("room:a", "three"); // over the bound: "one" is forgotten
    QVERIFY(!f.consumeEcho("room:a", "one"));
    QVERIFY(!f.consumeEcho("room:b", "two"));
    QVERIFY(f.consumeEcho("room:a", "two"));
    QVERIFY(!f.consumeEcho("room:a", "two"));
    QVERIFY(f.consumeEcho("room:a", "three"));
}

QTEST_MAIN(tst_EchoFilter)
#include "tst_echofilter.moc"
