// SPDX-License-Identifier: MIT
#include "channelfilterproxymodel.h"
#include "channellistmodel.h"
#include "channeltreemodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ChannelColumns;

namespace {

PubSubSnapshot snapshotOf(const QList<QPair<QByteArray, qint64>> &channels)
{
    PubSubSnapshot s;
    for (const auto &[name, subs] : channels)
        s.channels.append({name, subs});
    std::sort(s.channels.begin(), s.channels.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    return s;
}

const PubSubSnapshot Sample = snapshotOf({{"broadcast", 40},
                                          {"room:1", 3},
                                          {"room:2", 25},
                                          {"room:10", 100},
                                          {"app:chat:room:1", 7},
                                          {"Lobby", 9},
                                          {"files/a", 1}});

QStringList visible(const QAbstractItemModel &m, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        if (i.data(IsChannelRole).toBool())
            out.append(QString::fromUtf8(i.data(ChannelNameRole).toByteArray()));
        out += visible(m, i);
    }
    return out;
}

} // namespace

class tst_ChannelFilterProxyModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filterList_data();
    void filterList();
    void filterTree_data();
    void filterTree();
    void numericSort_data();
    void numericSort();
    void followsUpdates();
    void hidesPlumbing_data();
    void hidesPlumbing();
};

void tst_ChannelFilterProxyModel::filterList_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("none") << u""_s
                          << QStringList{u"Lobby"_s,  u"app:chat:room:1"_s, u"broadcast"_s, u"files/a"_s,
                                         u"room:1"_s, u"room:10"_s,         u"room:2"_s};
    QTest::newRow("substring") << u"room:1"_s << QStringList{u"app:chat:room:1"_s, u"room:1"_s, u"room:10"_s};
    QTest::newRow("substring ignores case") << u"lob"_s << QStringList{u"Lobby"_s};
    QTest::newRow("glob anchored") << u"room:*"_s << QStringList{u"room:1"_s, u"room:10"_s, u"room:2"_s};
    QTest::newRow("glob ?") << u"room:?"_s << QStringList{u"room:1"_s, u"room:2"_s};
    QTest::newRow("glob class") << u"room:[12]"_s << QStringList{u"room:1"_s, u"room:2"_s};
    QTest::newRow("glob inner") << u"*room:1"_s << QStringList{u"app:chat:room:1"_s, u"room:1"_s};
    QTest::newRow("glob crosses slash") << u"files*"_s << QStringList{u"files/a"_s};
    QTest::newRow("glob is case sensitive") << u"lobby*"_s << QStringList{};
    QTest::newRow("no match") << u"zzz"_s << QStringList{};
    QTest::newRow("whitespace trimmed") << u"  broad "_s << QStringList{u"broadcast"_s};
}

void tst_ChannelFilterProxyModel::filterList()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    ChannelListModel source;
    source.applySnapshot(Sample);
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(filter);
    QStringList got = visible(proxy);
    got.sort();
    QCOMPARE(got, expected);
    QCOMPARE(proxy.isGlob(), ChannelFilterProxyModel::isGlobText(filter));
}

void tst_ChannelFilterProxyModel::filterTree_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("topLevel");
    QTest::newRow("glob keeps groups")
        << u"room:*"_s << QStringList{u"room:1"_s, u"room:10"_s, u"room:2"_s} << QStringList{u"room"_s};
    QTest::newRow("deep match keeps ancestors")
        << u"chat:room"_s << QStringList{u"app:chat:room:1"_s} << QStringList{u"app"_s};
    QTest::newRow("substring") << u"10"_s << QStringList{u"room:10"_s} << QStringList{u"room"_s};
}

void tst_ChannelFilterProxyModel::filterTree()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, topLevel);
    ChannelTreeModel source;
    source.applySnapshot(Sample);
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(filter);
    QStringList got = visible(proxy);
    got.sort();
    QCOMPARE(got, expected);
    QStringList top;
    for (int r = 0; r < proxy.rowCount(); ++r)
        top.append(proxy.index(r, 0).data().toString());
    QCOMPARE(top, topLevel);
}

void tst_ChannelFilterProxyModel::numericSort_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QStringList>("descending");
    QTest::newRow("subscribers") << int(Subscribers)
                                 << QStringList{u"room:10"_s,         u"broadcast"_s, u"room:2"_s, u"Lobby"_s,
                                                u"app:chat:room:1"_s, u"room:1"_s,    u"files/a"_s};
}

void tst_ChannelFilterProxyModel::numericSort()
{
    QFETCH(int, column);
    ChannelListModel source;
    source.applySnapshot(Sample);
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    proxy.sort(column, Qt::DescendingOrder);
    QStringList got;
    for (int r = 0; r < proxy.rowCount(); ++r)
        got.append(proxy.index(r, Name).data().toString());
    QTEST(got, "descending");
}

void tst_ChannelFilterProxyModel::followsUpdates()
{
    ChannelListModel source;
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setFilterText(u"room:*"_s);
    proxy.sort(Subscribers, Qt::DescendingOrder);
    source.applySnapshot(Sample);
    QCOMPARE(proxy.rowCount(), 3);
    source.applySnapshot(snapshotOf({{"room:1", 500}, {"room:3", 2}, {"broadcast", 1}}));
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.index(0, Name).data().toString(), u"room:1"_s);
    QCOMPARE(proxy.index(1, Name).data().toString(), u"room:3"_s);
}

void tst_ChannelFilterProxyModel::hidesPlumbing_data()
{
    QTest::addColumn<bool>("tree");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QStringList>("topLevel");
    const QStringList all{u"room:1"_s, u"room:lobby"_s, u"switchboard:notes"_s};
    QTest::newRow("list") << false << QString() << all << QStringList();
    QTest::newRow("tree: a group of plumbing only goes")
        << true << QString() << all << QStringList{u"room"_s, u"switchboard"_s};
    QTest::newRow("tree with a filter")
        << true << u"room:*"_s << QStringList{u"room:1"_s, u"room:lobby"_s} << QStringList{u"room"_s};
}

void tst_ChannelFilterProxyModel::hidesPlumbing()
{
    QFETCH(bool, tree);
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, topLevel);
    const PubSubSnapshot snapshot = snapshotOf({{"room:1", 3},
                                                {"room:lobby", 2},
                                                {"room:switchboard-canary", 3},
                                                {"switchboard:probe:relay-1", 1},
                                                {"switchboard:probe:relay-2{a}", 1},
                                                {"switchboard:notes", 1},
                                                {"app:switchboard:relays", 1}});
    ChannelTreeModel treeSource;
    ChannelListModel listSource;
    QAbstractItemModel *source = tree ? static_cast<QAbstractItemModel *>(&treeSource) : &listSource;
    treeSource.applySnapshot(snapshot);
    listSource.applySnapshot(snapshot);
    ChannelFilterProxyModel proxy;
    proxy.setSourceModel(source);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(visible(proxy).size(), 7);
    proxy.setHidePlumbing(true);
    proxy.setFilterText(filter);
    QStringList got = visible(proxy);
    got.sort();
    QCOMPARE(got, expected);
    if (tree) {
        QStringList top;
        for (int r = 0; r < proxy.rowCount(); ++r)
            top.append(proxy.index(r, 0).data().toString());
        QCOMPARE(top, topLevel);
    }
    proxy.setHidePlumbing(false);
    proxy.setFilterText({});
    QCOMPARE(visible(proxy).size(), 7);
}

QTEST_MAIN(tst_ChannelFilterProxyModel)
#include "tst_channelfilterproxymodel.moc"
