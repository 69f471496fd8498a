// SPDX-License-Identifier: MIT
#include "redisclustertopology.h"
#include "relaykeys.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RelayKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roomKeysShareTheChannelsSlot_data();
    void roomKeysShareTheChannelsSlot();
    void sessionKeys();
    void tagForSlot_data();
    void tagForSlot();
};

void tst_RelayKeys::roomKeysShareTheChannelsSlot_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("history");
    QTest::newRow("plain") << QByteArray() << "room:lobby"_ba
                           << "history:{room:lobby}"_ba;
    QTest::newRow("prefixed") << "app:"_ba
                              << "app:room:7"_ba
                              << "app:history:{app:room:7}"_ba;
    QTest::newRow("empty room") << QByteArray() << "room:"_ba
                                << "history:{room:}"_ba;
    // The channel's own hash tag decides its slot: the key must not wrap it in another.
    QTest::newRow("tag in room") << QByteArray() << "room:{a}b"_ba << QByteArray();
    QTest::newRow("close brace") << QByteArray() << "room:a}b"_ba << QByteArray();
    QTest::newRow("braces in prefix") << "{app}:"_ba
                                      << "{app}:room:x"_ba << QByteArray();
}

void tst_RelayKeys::roomKeysShareTheChannelsSlot()
{
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, history);
    const QByteArray h = RelayKeys::historyKey(prefix, channel);
    const QByteArray p = RelayKeys::presenceKey(prefix, channel);
    if (!history.isEmpty())
        QCOMPARE(h, history);
    QVERIFY(h.startsWith(prefix + "history:"));
    QVERIFY(p.startsWith(prefix + "presence:"));
    QVERIFY(h.endsWith(channel) || h.endsWith(channel + '}'));
    const int slot = RedisClusterTopology::keySlot(channel);
    QCOMPARE(RedisClusterTopology::keySlot(h), slot);
    QCOMPARE(RedisClusterTopology::keySlot(p), slot);
    QVERIFY(h != RelayKeys::historyKey(prefix, channel + 'x'));
}

void tst_RelayKeys::sessionKeys()
{
    QCOMPARE(RelayKeys::sessionKey("app:", "abc"), "app:session:{abc}"_ba);
    QCOMPARE(RelayKeys::sessionRoomsKey("app:", "abc"), "app:session:{abc}:rooms"_ba);
    QCOMPARE(RedisClusterTopology::keySlot(RelayKeys::sessionKey("", "abc")),
             RedisClusterTopology::keySlot(RelayKeys::sessionRoomsKey("", "abc")));
}

void tst_RelayKeys::tagForSlot_data()
{
    QTest::addColumn<int>("slot");
    for (int slot : {0, 1, 866, 8191, 12182, 16383})
        QTest::addRow("%d", slot) << slot;
}

void tst_RelayKeys::tagForSlot()
{
    QFETCH(int, slot);
    QCOMPARE(RedisClusterTopology::keySlot(RelayKeys::tagForSlot(slot)), slot);
}

QTEST_APPLESS_MAIN(tst_RelayKeys)
#include "tst_relaykeys.moc"
