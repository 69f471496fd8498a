// SPDX-License-Identifier: MIT
#include "channellistmodel.h"

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

QByteArrayList names(const ChannelListModel &m)
{
    QByteArrayList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, Name).data(ChannelNameRole).toByteArray());
    return out;
}

} // namespace

class tst_ChannelListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diff_data();
    void diff();
    void changedCellsOnly();
    void bulkUpdate_data();
    void bulkUpdate();
    void trafficAndUnknowns();
    void sortRoleIsNumeric();
    void headerTooltips();
};

void tst_ChannelListModel::diff_data()
{
    QTest::addColumn<QByteArrayList>("before");
    QTest::addColumn<QByteArrayList>("after");
    QTest::addColumn<int>("removeSignals");
    QTest::addColumn<int>("insertSignals");
    QTest::newRow("empty to three") << QByteArrayList{} << QByteArrayList{"a", "b", "c"} << 0 << 1;
    QTest::newRow("three to empty") << QByteArrayList{"a", "b", "c"} << QByteArrayList{} << 1 << 0;
    QTest::newRow("same") << QByteArrayList{"a", "b"} << QByteArrayList{"a", "b"} << 0 << 0;
    QTest::newRow("middle range removed")
        << QByteArrayList{"a", "b", "c", "d", "e"} << QByteArrayList{"a", "e"} << 1 << 0;
    QTest::newRow("two ranges removed")
        << QByteArrayList{"a", "b", "c", "d", "e"} << QByteArrayList{"a", "c", "e"} << 2 << 0;
    QTest::newRow("inserted in gaps")
        << QByteArrayList{"b", "d"} << QByteArrayList{"a", "b", "c", "c2", "d", "e"} << 0 << 3;
    QTest::newRow("replace all") << QByteArrayList{"a", "b"} << QByteArrayList{"c", "d"} << 1 << 1;
    QTest::newRow("mixed") << QByteArrayList{"a", "b", "c", "x"} << QByteArrayList{"b", "bb", "x", "y"} << 2
                           << 2;
}

void tst_ChannelListModel::diff()
{
    QFETCH(QByteArrayList, before);
    QFETCH(QByteArrayList, after);
    ChannelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    PubSubSnapshot first;
    for (const auto &n : before)
        first.channels.append({n, 1});
    model.applySnapshot(first);
    QCOMPARE(names(model), before);

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    PubSubSnapshot second;
    for (const auto &n : after)
        second.channels.append({n, 2});
    model.applySnapshot(second);
    QCOMPARE(names(model), after);
    QTEST(int(removed.size()), "removeSignals");
    QTEST(int(inserted.size()), "insertSignals");
    QCOMPARE(reset.size(), 0);
    for (int r = 0; r < model.rowCount(); ++r)
        QCOMPARE(model.index(r, Subscribers).data(SortRole).toLongLong(), 2);
    QCOMPARE(model.totalSubscribers(), 2 * after.size());
}

void tst_ChannelListModel::changedCellsOnly()
{
    ChannelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(snapshotOf({{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applySnapshot(snapshotOf({{"a", 1}, {"b", 5}, {"c", 6}, {"d", 1}}));
    QCOMPARE(changed.size(), 1); // b and c are one run in one column
    const QModelIndex tl = changed.first().at(0).toModelIndex();
    const QModelIndex br = changed.first().at(1).toModelIndex();
    QCOMPARE(tl.row(), 1);
    QCOMPARE(br.row(), 2);
    QCOMPARE(tl.column(), int(Subscribers));
    QCOMPARE(br.column(), int(Subscribers));
    const auto roles = changed.first().at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(roles.contains(SortRole));
    QCOMPARE(model.subscribersFor("c"), 6);
    QCOMPARE(model.subscribersFor("zz"), 0);

    changed.clear();
    model.applySnapshot(snapshotOf({{"a", 1}, {"b", 5}, {"c", 6}, {"d", 1}}));
    QCOMPARE(changed.size(), 0);
}

void tst_ChannelListModel::bulkUpdate_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("withTester");
    // The tester re-checks the whole model on every signal, so it watches the smaller run.
    QTest::newRow("300, model tester") << 300 << true;
    QTest::newRow("10,000") << 10000 << false;
}

void tst_ChannelListModel::bulkUpdate()
{
    QFETCH(int, count);
    QFETCH(bool, withTester);
    ChannelListModel model;
    std::unique_ptr<QAbstractItemModelTester> tester;
    if (withTester)
        tester = std::make_unique<QAbstractItemModelTester>(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    PubSubSnapshot first;
    for (int i = 0; i < count; ++i)
        first.channels.append({"chan:" + QByteArray::number(i).rightJustified(5, '0'), i});
    model.applySnapshot(first);
    QCOMPARE(model.rowCount(), count);

    // Every third channel goes, every fifth changes its count, 2,000 new ones appear between the rest.
    QElapsedTimer clock;
    PubSubSnapshot second;
    QHash<QByteArray, qint64> expected;
    for (int i = 0; i < count; ++i) {
        const QByteArray name = "chan:" + QByteArray::number(i).rightJustified(5, '0');
        if (i % 3 != 0) {
            const qint64 subs = i % 5 == 0 ? i + 7 : i;
            second.channels.append({name, subs});
            expected.insert(name, subs);
        }
        if (i % 5 == 1) {
            second.channels.append({name + ":new", 1});
            expected.insert(name + ":new", 1);
        }
    }
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    clock.start();
    model.applySnapshot(second);
    qDebug() << count << "channels updated in" << clock.elapsed() << "ms";
    QCOMPARE(reset.size(), 0);
    QVERIFY(inserted.size() > 0);
    QCOMPARE(model.rowCount(), expected.size());
    QByteArray previous;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QByteArray name = model.channelAt(r);
        QVERIFY(previous < name);
        previous = name;
        QCOMPARE(model.index(r, Subscribers).data(SortRole).toLongLong(), expected.value(name, -1));
    }
}

void tst_ChannelListModel::trafficAndUnknowns()
{
    ChannelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(snapshotOf({{"a", 3}, {"b", 4}}));
    const QString dash = u"\u2013"_s;
    QCOMPARE(model.index(0, Relays).data().toString(), dash);
    QCOMPARE(model.index(0, MessagesPerSecond).data().toString(), dash);
    QCOMPARE(model.index(0, LastMessage).data(SortRole).toLongLong(), -1);

    ChannelTraffic t;
    t.messagesPerSecond = 12.5;
    t.bytesPerSecond = 2048;
    t.messages = 100;
    t.lastMessageAt = QDateTime::fromMSecsSinceEpoch(1700000000000, Qt::UTC);
    ChannelTrafficMap map{{"b", t}, {"not-listed", t}};
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTraffic(map);
    QCOMPARE(model.rowCount(), 2); // tapped but not listed by Redis stays out
    QCOMPARE(changed.size(), 3);   // b's messages/s, bytes/s and last message
    for (const auto &args : changed)
        QCOMPARE(args.at(0).toModelIndex().row(), 1);
    QCOMPARE(model.index(1, MessagesPerSecond).data(SortRole).toDouble(), 12.5);
    QCOMPARE(model.index(1, BytesPerSecond).data(SortRole).toDouble(), 2048.0);
    QVERIFY(model.index(1, BytesPerSecond).data().toString().endsWith("/s"_L1));
    QCOMPARE(model.index(1, LastMessage).data(SortRole).toLongLong(), 1700000000000);
    QCOMPARE(model.index(0, MessagesPerSecond).data().toString(), dash);

    model.setTraffic({});
    QCOMPARE(model.index(1, MessagesPerSecond).data().toString(), dash);
}

void tst_ChannelListModel::sortRoleIsNumeric()
{
    ChannelListModel model;
    model.applySnapshot(snapshotOf({{"a", 1234567}}));
    const QVariant v = model.index(0, Subscribers).data(SortRole);
    QCOMPARE(v.typeId(), QMetaType::LongLong);
    QCOMPARE(v.toLongLong(), 1234567);
    QCOMPARE(model.index(0, Name).data(SortRole).toString(), u"a"_s);
    QVERIFY(model.index(0, Subscribers).data(Qt::TextAlignmentRole).value<Qt::Alignment>() & Qt::AlignRight);
}

void tst_ChannelListModel::headerTooltips()
{
    ChannelListModel model;
    for (int c = 0; c < Count; ++c) {
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
        QVERIFY(!model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    }
    QCOMPARE(model.headerData(Relays, Qt::Horizontal).toString(), u"Relays"_s);
}

QTEST_MAIN(tst_ChannelListModel)
#include "tst_channellistmodel.moc"
