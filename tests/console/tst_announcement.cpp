// SPDX-License-Identifier: MIT
#include "announcement.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_Announcement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void json_data();
    void json();
    void validate_data();
    void validate();
    void channels_data();
    void channels();
    void stampGivesFreshIds();
};

void tst_Announcement::json_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("level");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("info")
        << u"Maintenance at 22:00"_s << 0
        << "{\"type\":\"announcement\",\"level\":\"info\",\"text\":\"Maintenance at 22:00\","
           "\"timestamp\":1700000000000,\"id\":\"abc\"}"_ba;
    QTest::newRow("critical with escapes")
        << u"Say \"now\"\n\\ ✓"_s << 2
        << "{\"type\":\"announcement\",\"level\":\"critical\",\"text\":\"Say "
           "\\\"now\\\"\\n\\\\ ✓\",\"timestamp\":1700000000000,\"id\":\"abc\"}"_ba;
}

void tst_Announcement::json()
{
    QFETCH(QString, text);
    QFETCH(int, level);
    QFETCH(QByteArray, expected);
    Announcement a;
    a.text = text;
    a.level = Announcement::Level(level);
    a.timestampMs = 1700000000000;
    a.id = u"abc"_s;
    QCOMPARE(a.toJson(), expected);
    QCOMPARE(QJsonDocument::fromJson(a.toJson()).object().value(u"text"_s).toString(), text);
}

void tst_Announcement::validate_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("broadcast");
    QTest::addColumn<QString>("rooms");
    QTest::addColumn<QString>("error");
    QTest::newRow("ok broadcast") << u"hi"_s << true << QString() << QString();
    QTest::newRow("ok rooms") << u"hi"_s << false << u"1, lobby"_s << QString();
    QTest::newRow("empty text") << u"  "_s << true << QString() << u"text"_s;
    QTest::newRow("too long") << QString(5000, u'x') << true << QString() << u"limited"_s;
    QTest::newRow("no rooms") << u"hi"_s << false << QString() << u"room"_s;
    QTest::newRow("bad room") << u"hi"_s << false << u"lobby, a b"_s << u"invalid"_s;
}

void tst_Announcement::validate()
{
    QFETCH(QString, text);
    QFETCH(bool, broadcast);
    QFETCH(QString, rooms);
    QFETCH(QString, error);
    Announcement a;
    a.text = text;
    a.broadcast = broadcast;
    QStringList invalid;
    a.rooms = Announcement::parseRooms(rooms, &invalid);
    a.rooms += invalid;
    const QString result = a.validate();
    if (error.isEmpty())
        QVERIFY2(result.isEmpty(), qPrintable(result));
    else
        QVERIFY2(result.contains(error, Qt::CaseInsensitive), qPrintable(result));
}

void tst_Announcement::channels_data()
{
    QTest::addColumn<bool>("broadcast");
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("broadcast") << true << QStringList() << QByteArray() << QByteArrayList{"broadcast"};
    QTest::newRow("prefixed") << true << QStringList() << "app:"_ba << QByteArrayList{"app:broadcast"};
    QTest::newRow("rooms") << false << QStringList{u"1"_s, u"lobby"_s} << "x:"_ba
                           << QByteArrayList{"x:room:1", "x:room:lobby"};
}

void tst_Announcement::channels()
{
    QFETCH(bool, broadcast);
    QFETCH(QStringList, rooms);
    QFETCH(QByteArray, prefix);
    QFETCH(QByteArrayList, expected);
    Announcement a;
    a.broadcast = broadcast;
    a.rooms = rooms;
    QCOMPARE(a.channels(prefix), expected);
}

void tst_Announcement::stampGivesFreshIds()
{
    Announcement a;
    a.stamp();
    const QString first = a.id;
    a.stamp();
    QVERIFY(a.id != first);
    QVERIFY(!a.id.startsWith(u'{'));
    QVERIFY(a.timestampMs > 1700000000000);
}

QTEST_GUILESS_MAIN(tst_Announcement)
#include "tst_announcement.moc"
