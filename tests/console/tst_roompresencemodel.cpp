// SPDX-License-Identifier: MIT
#include "roompresencemodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RoomPresenceModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void rows();
};

void tst_RoomPresenceModel::parse_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("anonymous");
    QTest::addColumn<QString>("relay");
    QTest::newRow("user") << R"({"user":"alice","since":1000,"relay":"r1","expires":5000})"_ba << true
                          << u"alice"_s << false << u"r1"_s;
    QTest::newRow("null user") << R"({"user":null,"since":1000,"relay":"r1","expires":5000})"_ba << true
                               << QString() << true << u"r1"_s;
    QTest::newRow("relay from field")
        << R"({"since":1,"expires":2})"_ba << true << QString() << true << u"relay-a"_s;
    QTest::newRow("not json") << "x"_ba << false << QString() << false << QString();
    QTest::newRow("array") << "[]"_ba << false << QString() << false << QString();
    QTest::newRow("since a string") << R"({"user":"a","since":"1","expires":2})"_ba << false << QString()
                                    << false << QString();
    QTest::newRow("no expires") << R"({"user":"a","since":1})"_ba << false << QString() << false << QString();
    QTest::newRow("user a number") << R"({"user":1,"since":1,"expires":2})"_ba << false << QString() << false
                                   << QString();
}

void tst_RoomPresenceModel::parse()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, valid);
    QString error;
    const auto m = RoomMember::parse("relay-a:c1", value, &error);
    QCOMPARE(m.has_value(), valid);
    QCOMPARE(error.isEmpty(), valid);
    if (!valid)
        return;
    QFETCH(QString, user);
    QFETCH(bool, anonymous);
    QFETCH(QString, relay);
    QCOMPARE(m->user, user);
    QCOMPARE(m->anonymous, anonymous);
    QCOMPARE(m->relay, relay);
}

void tst_RoomPresenceModel::rows()
{
    RoomPresenceModel model;
    QAbstractItemModelTester tester(&model);
    RoomMember late{"r2:c2", u"bob"_s, false, 2000, u"r2"_s, 40000};
    RoomMember early{"r1:c1", {}, true, 1000, u"r1"_s, 31000};
    model.setMembers({late, early}, 10000);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(RoomPresenceModel::ColumnCount));
    // Sorted by since.
    QCOMPARE(model.index(0, 0).data(RoomPresenceModel::FieldRole).toByteArray(), "r1:c1"_ba);
    QCOMPARE(model.index(0, RoomPresenceModel::User).data().toString(), u"(anonymous)"_s);
    QVERIFY(model.index(0, 0).data(RoomPresenceModel::UserRole).isNull());
    QCOMPARE(model.index(1, 0).data(RoomPresenceModel::UserRole).toString(), u"bob"_s);
    QCOMPARE(model.index(1, 0).data(RoomPresenceModel::ExpiresInRole).toLongLong(), 30000);
    QCOMPARE(model.index(1, RoomPresenceModel::Expires).data(RoomPresenceModel::SortRole).toLongLong(),
             30000);
    QCOMPARE(model.index(1, RoomPresenceModel::Connection).data().toString(), u"c2"_s);
    QCOMPARE(model.index(1, 0).data(RoomPresenceModel::SinceRole).toDateTime().toMSecsSinceEpoch(), 2000);
    QCOMPARE(model.index(1, RoomPresenceModel::Since).data(RoomPresenceModel::SortRole).toLongLong(), 2000);
    QCOMPARE(model.relayCount(), 2);
    QVERIFY(model.roleNames().contains(RoomPresenceModel::ExpiresInRole));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.relayCount(), 0);
}

QTEST_MAIN(tst_RoomPresenceModel)
#include "tst_roompresencemodel.moc"
