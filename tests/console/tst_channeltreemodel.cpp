// SPDX-License-Identifier: MIT
#include "channeltreemodel.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
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

// "room(room:1 room:2) x" style outline of the tree, full names, for compact comparisons.
QString outline(const QAbstractItemModel &m, const QModelIndex &parent = {})
{
    QStringList parts;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        QString s = QString::fromUtf8(i.data(ChannelNameRole).toByteArray());
        if (i.data(IsChannelRole).toBool())
            s += u'*';
        if (m.rowCount(i) > 0)
            s += u'(' + outline(m, i) + u')';
        parts.append(s);
    }
    return parts.join(u' ');
}

} // namespace

class tst_ChannelTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void structure_data();
    void structure();
    void aggregates();
    void incrementalSignals();
    void patternFor();
    void traffic();
    void bulk();
};

void tst_ChannelTreeModel::structure_data()
{
    QTest::addColumn<QByteArrayList>("before");
    QTest::addColumn<QByteArrayList>("after");
    QTest::addColumn<QString>("expected");
    QTest::newRow("groups") << QByteArrayList{} << QByteArrayList{"room:1", "room:2", "broadcast"}
                            << u"broadcast* room(room:1* room:2*)"_s;
    QTest::newRow("node is channel and group")
        << QByteArrayList{"room:1"} << QByteArrayList{"room", "room:1", "room:1:x"}
        << u"room*(room:1*(room:1:x*))"_s;
    QTest::newRow("channel becomes group only")
        << QByteArrayList{"room", "room:1"} << QByteArrayList{"room:1"} << u"room(room:1*)"_s;
    QTest::newRow("empty group pruned")
        << QByteArrayList{"a:b:c", "a:x", "z"} << QByteArrayList{"a:x", "z"} << u"a(a:x*) z*"_s;
    QTest::newRow("deep new branch under existing")
        << QByteArrayList{"app:chat:room:1"}
        << QByteArrayList{"app:chat:room:1", "app:chat:room:2", "app:news:1"}
        << u"app(app:chat(app:chat:room(app:chat:room:1* app:chat:room:2*)) app:news(app:news:1*))"_s;
    QTest::newRow("all gone") << QByteArrayList{"a:b", "c"} << QByteArrayList{} << u""_s;
    QTest::newRow("empty segments") << QByteArrayList{} << QByteArrayList{"a:", "a::b"} << u"a(a:*(a::b*))"_s;
}

void tst_ChannelTreeModel::structure()
{
    QFETCH(QByteArrayList, before);
    QFETCH(QByteArrayList, after);
    ChannelTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    PubSubSnapshot first;
    for (const auto &n : before)
        first.channels.append({n, 1});
    model.applySnapshot(snapshotOf({}));
    model.applySnapshot(first);
    PubSubSnapshot second;
    for (const auto &n : after)
        second.channels.append({n, 1});
    model.applySnapshot(second);
    QTEST(outline(model), "expected");
    QCOMPARE(model.channelCount(), after.size());
    QCOMPARE(reset.size(), 0);
}

void tst_ChannelTreeModel::aggregates()
{
    ChannelTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(
        snapshotOf({{"room", 1}, {"room:1", 2}, {"room:2", 3}, {"room:2:x", 4}, {"other", 10}}));
    const QModelIndex room = model.indexFor("room", Subscribers);
    QVERIFY(room.isValid());
    QCOMPARE(room.data(SortRole).toLongLong(), 10);
    QCOMPARE(model.indexFor("room:2", Subscribers).data(SortRole).toLongLong(), 7);
    QCOMPARE(model.indexFor("room:1", Subscribers).data(SortRole).toLongLong(), 2);
    QVERIFY(model.indexFor("room").data(IsGroupRole).toBool());
    QVERIFY(model.indexFor("room").data(IsChannelRole).toBool());
    QVERIFY(!model.indexFor("room:1").data(IsGroupRole).toBool());
    QCOMPARE(model.indexFor("room").data().toString(), u"room"_s);
    QCOMPARE(model.indexFor("room:2:x").data().toString(), u"x"_s);
    QVERIFY(model.indexFor("room").data(Qt::ToolTipRole).toString().contains("4 channel"_L1));
    QVERIFY(!model.indexFor("nope").isValid());
    QCOMPARE(model.headerData(Name, Qt::Horizontal).toString(), u"Name"_s);
}

void tst_ChannelTreeModel::incrementalSignals()
{
    ChannelTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(snapshotOf({{"room:1", 1}, {"room:2", 1}, {"lobby", 1}}));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // room:3 and room:4 in one range under room; room:1's count changes: dataChanged for room:1 and room.
    model.applySnapshot(
        snapshotOf({{"room:1", 5}, {"room:2", 1}, {"room:3", 1}, {"room:4", 1}, {"lobby", 1}}));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(0).toModelIndex(), model.indexFor("room"));
    QCOMPARE(inserted.first().at(1).toInt(), 2);
    QCOMPARE(inserted.first().at(2).toInt(), 3);
    QCOMPARE(removed.size(), 0);
    QSet<QByteArray> touched;
    for (const auto &args : changed) {
        const QModelIndex tl = args.at(0).toModelIndex();
        const QModelIndex br = args.at(1).toModelIndex();
        QCOMPARE(tl.parent(), br.parent());
        for (int r = tl.row(); r <= br.row(); ++r)
            touched.insert(model.index(r, 0, tl.parent()).data(ChannelNameRole).toByteArray());
    }
    QVERIFY(touched.contains("room:1"));
    QVERIFY(touched.contains("room"));
    QVERIFY(!touched.contains("lobby"));
    QVERIFY(!touched.contains("room:2"));

    inserted.clear();
    model.applySnapshot(snapshotOf({{"room:1", 5}, {"lobby", 1}}));
    QCOMPARE(removed.size(), 1); // room:2..room:4 in one range
    QCOMPARE(removed.first().at(1).toInt(), 1);
    QCOMPARE(removed.first().at(2).toInt(), 3);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.indexFor("room", Subscribers).data(SortRole).toLongLong(), 5);
}

void tst_ChannelTreeModel::patternFor()
{
    ChannelTreeModel model;
    model.applySnapshot(snapshotOf({{"room:1", 1}, {"app:chat:room:9", 1}, {"solo", 1}}));
    QCOMPARE(model.patternFor(model.indexFor("room")), "room:*"_ba);
    QCOMPARE(model.patternFor(model.indexFor("app:chat")), "app:chat:*"_ba);
    QCOMPARE(model.patternFor(model.indexFor("solo")), QByteArray());
    QCOMPARE(model.patternFor({}), QByteArray());
    QCOMPARE(model.indexFor("app:chat").data(ChannelNameRole).toByteArray(), "app:chat"_ba);
}

void tst_ChannelTreeModel::traffic()
{
    ChannelTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(snapshotOf({{"room:1", 1}, {"room:2", 1}}));
    QCOMPARE(model.indexFor("room", MessagesPerSecond).data().toString(), u"\u2013"_s);
    ChannelTraffic a;
    a.messagesPerSecond = 2;
    a.lastMessageAt = QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC);
    ChannelTraffic b;
    b.messagesPerSecond = 3;
    b.lastMessageAt = QDateTime::fromMSecsSinceEpoch(5000, Qt::UTC);
    model.setTraffic({{"room:1", a}, {"room:2", b}});
    QCOMPARE(model.indexFor("room", MessagesPerSecond).data(SortRole).toDouble(), 5.0);
    QCOMPARE(model.indexFor("room", LastMessage).data(SortRole).toLongLong(), 5000);
    QCOMPARE(model.indexFor("room:1", MessagesPerSecond).data(SortRole).toDouble(), 2.0);
}

void tst_ChannelTreeModel::bulk()
{
    ChannelTreeModel model;
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    PubSubSnapshot first;
    for (int i = 0; i < 10000; ++i)
        first.channels.append({"g" + QByteArray::number(i % 10) + ":room:" + QByteArray::number(i), 1});
    model.applySnapshot(first);
    QCOMPARE(model.channelCount(), 10000);
    QCOMPARE(model.rowCount(), 10);
    PubSubSnapshot second;
    for (int i = 0; i < 10000; ++i)
        if (i % 3 != 0)
            second.channels.append({"g" + QByteArray::number(i % 10) + ":room:" + QByteArray::number(i), 2});
    QElapsedTimer clock;
    clock.start();
    model.applySnapshot(second);
    qDebug() << "tree: 10,000 channels updated in" << clock.elapsed() << "ms";
    QCOMPARE(reset.size(), 0);
    QCOMPARE(model.channelCount(), second.channels.size());
    qint64 total = 0;
    for (int r = 0; r < model.rowCount(); ++r)
        total += model.index(r, Subscribers).data(SortRole).toLongLong();
    QCOMPARE(total, 2 * second.channels.size());
}

QTEST_MAIN(tst_ChannelTreeModel)
#include "tst_channeltreemodel.moc"
