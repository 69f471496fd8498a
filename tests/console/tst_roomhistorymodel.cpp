// SPDX-License-Identifier: MIT
#include "roomhistorymodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RoomHistoryModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void offsetMs_data();
    void offsetMs();
    void rows_data();
    void rows();
    void pages();
};

void tst_RoomHistoryModel::offsetMs_data()
{
    QTest::addColumn<QByteArray>("offset");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("offset") << "1700000000123-4"_ba << qint64(1700000000123);
    QTest::newRow("no dash") << "1700000000123"_ba << qint64(-1);
    QTest::newRow("not a number") << "abc-1"_ba << qint64(-1);
    QTest::newRow("empty") << ""_ba << qint64(-1);
}

void tst_RoomHistoryModel::offsetMs()
{
    QFETCH(QByteArray, offset);
    QFETCH(qint64, ms);
    QCOMPARE(RoomHistoryModel::offsetMs(offset), ms);
}

void tst_RoomHistoryModel::rows_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("hasUser");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("type");
    QTest::newRow("message") << R"({"type":"message","user":"alice","text":"hi\nthere"})"_ba << u"alice"_s
                             << true << u"hi\nthere"_s << u"message"_s;
    QTest::newRow("no user") << R"({"type":"message","text":"x"})"_ba << QString() << false << u"x"_s
                             << u"message"_s;
    QTest::newRow("other type") << R"({"type":"notice","level":1})"_ba << QString() << false
                                << uR"([notice] {"level":1,"type":"notice"})"_s << u"notice"_s;
    QTest::newRow("not json") << "oops"_ba << QString() << false << u"oops"_s << QString();
}

void tst_RoomHistoryModel::rows()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, user);
    QFETCH(bool, hasUser);
    QFETCH(QString, text);
    QFETCH(QString, type);
    RoomHistoryModel model;
    QAbstractItemModelTester tester(&model);
    model.setEntries({{"1700000000000-0", json}});
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex i = model.index(0, 0);
    QCOMPARE(i.data(RoomHistoryModel::OffsetRole).toByteArray(), "1700000000000-0"_ba);
    QCOMPARE(i.data(RoomHistoryModel::TextRole).toString(), text);
    QCOMPARE(i.data(RoomHistoryModel::TypeRole).toString(), type);
    QCOMPARE(i.data(RoomHistoryModel::UserRole).isNull(), !hasUser);
    QCOMPARE(model.index(0, RoomHistoryModel::User).data().toString(), user);
    QVERIFY(!model.index(0, RoomHistoryModel::Text).data().toString().contains(u'\n'));
    QCOMPARE(i.data(RoomHistoryModel::JsonRole).toByteArray(), json);
    QCOMPARE(i.data(RoomHistoryModel::TimeRole).toDateTime().toMSecsSinceEpoch(), qint64(1700000000000));
    const QString pretty = i.data(RoomHistoryModel::PrettyJsonRole).toString();
    QVERIFY2(type.isEmpty() ? pretty.startsWith(u"Not JSON"_s) : pretty.startsWith(u"{\n    "_s),
             qPrintable(pretty));
    QCOMPARE(model.index(0, RoomHistoryModel::Offset).data().toString(), u"1700000000000-0"_s);
    QVERIFY(!model.headerData(RoomHistoryModel::Text, Qt::Horizontal).toString().isEmpty());
    QVERIFY(model.roleNames().contains(RoomHistoryModel::PrettyJsonRole));
}

void tst_RoomHistoryModel::pages()
{
    RoomHistoryModel model;
    QAbstractItemModelTester tester(&model);
    QVERIFY(model.newestOffset().isEmpty());
    model.setEntries({{"3-0", "{}"}, {"2-0", "{}"}, {"1-0", "{}"}});
    QCOMPARE(model.newestOffset(), "3-0"_ba);
    QCOMPARE(model.oldestOffset(), "1-0"_ba);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_RoomHistoryModel)
#include "tst_roomhistorymodel.moc"
