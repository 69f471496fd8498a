// SPDX-License-Identifier: MIT
#include "roomset.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RoomSet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void insertContainsRemove_data();
    void insertContainsRemove();
    void duplicatesAreIgnored();
    void emptiedSetBecomesSmallAgain();
};

namespace {
QString room(int i)
{
    return u"room:%1"_s.arg(i);
}
} // namespace

void tst_RoomSet::insertContainsRemove_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("small");
    QTest::newRow("none") << 0 << true;
    QTest::newRow("one") << 1 << true;
    QTest::newRow("SmallSize") << int(RoomSet::SmallSize) << true;
    QTest::newRow("SmallSize + 1") << int(RoomSet::SmallSize) + 1 << false;
    QTest::newRow("1,000") << 1000 << false;
}

void tst_RoomSet::insertContainsRemove()
{
    QFETCH(int, count);
    QFETCH(bool, small);
    RoomSet rooms;
    for (int i = 0; i < count; ++i)
        QVERIFY(rooms.insert(room(i)));
    QCOMPARE(rooms.size(), count);
    QCOMPARE(rooms.isSmall(), small);
    for (int i = 0; i < count; ++i)
        QVERIFY2(rooms.contains(room(i)), qPrintable(room(i)));
    QVERIFY(!rooms.contains(room(count)));
    QStringList listed = rooms.toList();
    listed.sort();
    QStringList expected;
    for (int i = 0; i < count; ++i)
        expected << room(i);
    expected.sort();
    QCOMPARE(listed, expected);

    // Remove every other room, then the rest.
    for (int i = 0; i < count; i += 2)
        QVERIFY(rooms.remove(room(i)));
    QCOMPARE(rooms.size(), count / 2);
    for (int i = 0; i < count; ++i)
        QCOMPARE(rooms.contains(room(i)), i % 2 == 1);
    QVERIFY(!rooms.remove(room(0)));
    for (int i = 1; i < count; i += 2)
        QVERIFY(rooms.remove(room(i)));
    QVERIFY(rooms.isEmpty());
    QVERIFY(rooms.toList().isEmpty());
}

void tst_RoomSet::duplicatesAreIgnored()
{
    RoomSet rooms;
    QVERIFY(rooms.insert(u"a"_s));
    QVERIFY(!rooms.insert(u"a"_s));
    QCOMPARE(rooms.size(), 1);
    for (int i = 0; i < 20; ++i)
        rooms.insert(room(i));
    QVERIFY(!rooms.insert(u"a"_s));
    QVERIFY(!rooms.insert(room(19)));
    QCOMPARE(rooms.size(), 21);
    rooms.clear();
    QVERIFY(rooms.isEmpty());
    QVERIFY(!rooms.contains(u"a"_s));
}

void tst_RoomSet::emptiedSetBecomesSmallAgain()
{
    RoomSet rooms;
    for (int i = 0; i < 50; ++i)
        rooms.insert(room(i));
    QVERIFY(!rooms.isSmall());
    for (int i = 0; i < 50; ++i)
        rooms.remove(room(i));
    QVERIFY(rooms.isSmall());
    QVERIFY(rooms.insert(u"again"_s));
    QVERIFY(rooms.contains(u"again"_s));
    QCOMPARE(rooms.toList(), QStringList{u"again"_s});
}

QTEST_MAIN(tst_RoomSet)
#include "tst_roomset.moc"
