// SPDX-License-Identifier: MIT
#include "channelfilterproxymodel.h"
#include "channellistmodel.h"
#include "channeltreemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ChannelFilterProxyModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filterList_data();
    void filterList();
    void treeKeepsGroupsOfMatches();
    void sortsNumerically();

private:
    static PubSubSnapshot snapshot()
    {
        PubSubSnapshot s;
        s.channels = {{"app:room:1", 1}, {"broadcast", 10}, {"room:1", 2}, {"room:10", 30}, {"room:2", 4}};
        return s;
    }
};

void tst_ChannelFilterProxyModel::filterList_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("empty") << QString()
                           << QStringList{u"app:room:1"_s, u"broadcast"_s, u"room:1"_s, u"room:10"_s,
                                          u"room:2"_s};
    QTest::newRow("substring, any case")
        << u"ROOM:1"_s << QStringList{u"app:room:1"_s, u"room:1"_s, u"room:10"_s};
    QTest::newRow("glob anchored") << u"room:*"_s << QStringList{u"room:1"_s, u"room:10"_s, u"room:2"_s};
    QTest::newRow("glob single char") << u"room:?"_s << QStringList{u"room:1"_s, u"room:2"_s};
    QTest::newRow("glob class") << u"room:[12]"_s << QStringList{u"room:1"_s, u"room:2"_s};
    QTest::newRow("no match") << u"nothing"_s << QStringList{};
}

void tst_ChannelFilterProxyModel::filterList()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    ChannelListModel model;
    model.applySnapshot(snapshot());
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(filter);
    QStringList shown;
    for (int r = 0; r < proxy.rowCount(); ++r)
        shown << proxy.index(r, 0).data().toString();
    QCOMPARE(shown, expected);
}

void tst_ChannelFilterProxyModel::treeKeepsGroupsOfMatches()
{
    ChannelTreeModel model;
    model.applySnapshot(snapshot());
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(u"room:1*"_s);
    QCOMPARE(proxy.rowCount(), 1); // only the group "room"
    const QModelIndex room = proxy.index(0, 0);
    QCOMPARE(room.data().toString(), u"room"_s);
    QCOMPARE(proxy.rowCount(room), 2);
}

void tst_ChannelFilterProxyModel::sortsNumerically()
{
    ChannelListModel model;
    model.applySnapshot(snapshot());
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(ChannelColumns::Subscribers, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"room:10"_s);
    QCOMPARE(proxy.index(1, 0).data().toString(), u"broadcast"_s);
    QCOMPARE(proxy.index(4, 0).data().toString(), u"app:room:1"_s);
}

QTEST_GUILESS_MAIN(tst_ChannelFilterProxyModel)
#include "tst_channelfilterproxymodel.moc"
