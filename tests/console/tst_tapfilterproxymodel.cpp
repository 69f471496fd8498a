// SPDX-License-Identifier: MIT
#include "tapfilterproxymodel.h"
#include "tapmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TapFilterProxyModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filters_data();
    void filters();
    void invalidRegexFiltersNothingAndSaysWhy();
};

void tst_TapFilterProxyModel::filters_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("regex");
    QTest::addColumn<QList<quint64>>("expected");
    QTest::newRow("none") << QString() << QString() << false << QList<quint64>{1, 2, 3, 4};
    QTest::newRow("channel substring") << u"ROOM"_s << QString() << false << QList<quint64>{1, 2, 3};
    QTest::newRow("channel glob") << u"room:1*"_s << QString() << false << QList<quint64>{1, 3};
    QTest::newRow("glob is anchored") << u"oom:*"_s << QString() << false << QList<quint64>{};
    QTest::newRow("text") << QString() << u"hello"_s << false << QList<quint64>{1, 4};
    QTest::newRow("regex") << QString() << u"^\\{.*\"level\":\"crit"_s << true << QList<quint64>{2};
    QTest::newRow("both") << u"room:*"_s << u"HELLO"_s << false << QList<quint64>{1};
}

void tst_TapFilterProxyModel::filters()
{
    QFETCH(QString, channel);
    QFETCH(QString, text);
    QFETCH(bool, regex);
    QFETCH(QList<quint64>, expected);
    TapModel model;
    TapFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append({1, 0, "room:1", {}, "hello there", 11});
    model.append({2, 0, "room:2", {}, "{\"level\":\"critical\"}", 20});
    model.append({3, 0, "room:10", {}, "bye", 3});
    model.append({4, 0, "broadcast", {}, "Hello all", 9});
    model.flush();
    proxy.setChannelFilter(channel);
    proxy.setPayloadFilter(text, regex);
    QList<quint64> shown;
    for (int r = 0; r < proxy.rowCount(); ++r)
        shown << proxy.index(r, 0).data(TapModel::SeqRole).toULongLong();
    QCOMPARE(shown, expected);
}

void tst_TapFilterProxyModel::invalidRegexFiltersNothingAndSaysWhy()
{
    TapModel model;
    TapFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    model.append({1, 0, "a", {}, "x", 1});
    model.flush();
    proxy.setPayloadFilter(u"(unclosed"_s, true);
    QCOMPARE(proxy.rowCount(), 1);
    QVERIFY(!proxy.errorString().isEmpty());
    proxy.setPayloadFilter(u"x"_s, true);
    QVERIFY(proxy.errorString().isEmpty());
}

QTEST_GUILESS_MAIN(tst_TapFilterProxyModel)
#include "tst_tapfilterproxymodel.moc"
