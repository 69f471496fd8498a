// SPDX-License-Identifier: MIT
#include "channeldiff.h"
#include "channellistmodel.h"
#include "channeltreemodel.h"
#include "relaydirectory.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ChannelColumns;
using Channel = PubSubSnapshot::Channel;
using Kind = ChannelDiff::Op::Kind;

namespace {

// "a=1,b=2": channels and counts (sorted here).
QList<Channel> channelsOf(const QString &spec)
{
    QList<Channel> out;
    for (const QString &item : spec.split(u',', Qt::SkipEmptyParts)) {
        const QStringList kv = item.split(u'=');
        out.append({kv.at(0).toUtf8(), kv.size() > 1 ? kv.at(1).toLongLong() : 1});
    }
    ChannelDiffer::sort(out);
    return out;
}

QString specOf(const QList<Channel> &channels)
{
    QStringList out;
    for (const Channel &c : channels)
        out << QString::fromUtf8(c.name) + u'=' + QString::number(c.subscribers);
    return out.join(u',');
}

QString opsOf(const ChannelDiff &d)
{
    QStringList out;
    for (const ChannelDiff::Op &op : d.ops) {
        const char kind = op.kind == Kind::Remove ? '-' : op.kind == Kind::Insert ? '+' : '~';
        out << u"%1%2x%3"_s.arg(QLatin1Char(kind)).arg(op.row).arg(op.count);
    }
    return out.join(u' ');
}

QList<Channel> listRows(const ChannelListModel &m)
{
    QList<Channel> out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append({m.channelAt(r), m.index(r, Subscribers).data(SortRole).toLongLong()});
    return out;
}

// Every node of the tree: full name, subscribers shown, channels below (tooltips say it), group.
QStringList treeRows(const QAbstractItemModel &m, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, Name, parent);
        out << u"%1 %2 %3 %4"_s.arg(QString::fromUtf8(i.data(ChannelNameRole).toByteArray()))
                   .arg(i.siblingAtColumn(Subscribers).data(SortRole).toLongLong())
                   .arg(i.data(Qt::ToolTipRole).toString())
                   .arg(i.data(IsChannelRole).toBool());
        out += treeRows(m, i);
    }
    return out;
}

// Random rounds per test: the slice-by-slice checks and the model tester are quadratic in the rows,
// which the sanitizers make minutes; fewer rounds there.
#ifdef SWITCHBOARD_SANITIZED
constexpr int Rounds = 8;
#else
constexpr int Rounds = 40;
#endif

QList<Channel> randomChannels(QRandomGenerator &random, int n)
{
    QList<Channel> out;
    for (int i = 0; i < n; ++i) {
        const quint32 group = random.bounded(4u);
        QByteArray name = group == 0   ? "lobby:"_ba
                          : group == 1 ? "room:"_ba
                          : group == 2 ? "room:a:"_ba
                                       : ""_ba;
        name += QByteArray::number(random.bounded(60u));
        out.append({name, qint64(random.bounded(4u)) - (random.bounded(10u) == 0 ? 2 : 0)});
    }
    ChannelDiffer::sort(out);
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Channel &a, const Channel &b) { return a.name == b.name; }),
              out.end());
    return out;
}

} // namespace

class tst_ChannelDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diff_data();
    void diff();
    void randomDiffsRebuildTheList();
    void slicesKeepTheListInOrder();
    void removalAfterStagedInsertUnderOneGroup();
    void slicesBuildTheSameTree_data();
    void slicesBuildTheSameTree();
    void unsortedInputIsSorted();
    void relayHeartbeatsUpdateOnlyTheirChannels();
};

void tst_ChannelDiff::diff_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("ops");
    QTest::newRow("empty to three") << u""_s << u"a=1,b=2,c=3"_s << u"+0x3"_s;
    QTest::newRow("three to empty") << u"a=1,b=2,c=3"_s << u""_s << u"-0x3"_s;
    QTest::newRow("same") << u"a=1,b=2"_s << u"a=1,b=2"_s << u""_s;
    QTest::newRow("counts") << u"a=1,b=2,c=3,d=4"_s << u"a=5,b=6,c=3,d=7"_s << u"~0x2 ~3x1"_s;
    QTest::newRow("middle range removed") << u"a,b,c,d,e"_s << u"a,e"_s << u"-1x3"_s;
    QTest::newRow("two ranges removed") << u"a,b,c,d,e"_s << u"a,c,e"_s << u"-1x1 -2x1"_s;
    QTest::newRow("inserted between") << u"a,d"_s << u"a,b,c,d,e"_s << u"+1x2 +4x1"_s;
    QTest::newRow("replaced in place") << u"a,b,c"_s << u"a,x,y"_s << u"-1x2 +1x2"_s;
    QTest::newRow("everything at once")
        << u"a=1,b=1,c=1,e=1"_s << u"a=2,bb=1,c=1,d=1,e=-1"_s << u"~0x1 -1x1 +1x1 +3x1 ~4x1"_s;
    QTest::newRow("unknown counts") << u"a=-1,b=1"_s << u"a=1,b=-1"_s << u"~0x2"_s;
}

void tst_ChannelDiff::diff()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QString, ops);
    ChannelDiffer differ;
    const ChannelDiff first = differ.diff(channelsOf(before));
    QCOMPARE(specOf(first.applyTo({})), specOf(channelsOf(before)));
    const ChannelDiff d = differ.diff(channelsOf(after));
    QCOMPARE(opsOf(d), ops);
    QCOMPARE(d.rowsBefore, int(channelsOf(before).size()));
    QCOMPARE(d.rowsAfter, int(channelsOf(after).size()));
    QCOMPARE(specOf(d.applyTo(channelsOf(before))), specOf(channelsOf(after)));
    QCOMPARE(specOf(differ.last()), specOf(channelsOf(after)));
}

void tst_ChannelDiff::randomDiffsRebuildTheList()
{
    QRandomGenerator random(14);
    for (int round = 0; round < 5 * Rounds; ++round) {
        const QList<Channel> before = randomChannels(random, int(random.bounded(80u)));
        const QList<Channel> after = randomChannels(random, int(random.bounded(80u)));
        const ChannelDiff d = ChannelDiffer::diff(before, after);
        QCOMPARE(specOf(d.applyTo(before)), specOf(after));
        qsizetype removed = 0;
        for (const ChannelDiff::Op &op : d.ops)
            removed += op.kind == Kind::Remove ? op.count : 0;
        QCOMPARE(removed, d.removed.size());
    }
}

// A diff applied one step per slice (an expired deadline) shows, after every slice, a list that is
// sorted and whose rows are each in the list before or after, and ends as applySnapshot would.
void tst_ChannelDiff::slicesKeepTheListInOrder()
{
    QRandomGenerator random(6);
    ChannelListModel sliced;
    ChannelListModel whole;
    QAbstractItemModelTester tester(&sliced, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&sliced, &QAbstractItemModel::modelReset);
    ChannelDiffer differ;
    for (int round = 0; round < Rounds; ++round) {
        QList<Channel> next = randomChannels(random, int(random.bounded(120u)));
        const QList<Channel> before = differ.last();
        auto diff = std::make_shared<const ChannelDiff>(differ.diff(next));
        sliced.beginDiff(diff);
        int slices = 0;
        while (!sliced.applyDiffSlice(QDeadlineTimer(0))) {
            ++slices;
            const QList<Channel> rows = listRows(sliced);
            QVERIFY(std::is_sorted(rows.cbegin(), rows.cend(),
                                   [](const Channel &a, const Channel &b) { return a.name < b.name; }));
            qint64 total = 0;
            for (const Channel &c : rows) {
                const auto inList = [&c](const QList<Channel> &list) {
                    return std::any_of(list.cbegin(), list.cend(), [&c](const Channel &o) {
                        return o.name == c.name && o.subscribers == c.subscribers;
                    });
                };
                QVERIFY2(inList(before) || inList(next), c.name.constData());
                total += std::max<qint64>(0, c.subscribers);
                QCOMPARE(sliced.rowOf(c.name), int(&c - rows.constData()));
            }
            QCOMPARE(sliced.totalSubscribers(), total);
        }
        QVERIFY(!sliced.isApplyingDiff());
        QVERIFY(diff->isEmpty() || slices > 0);
        PubSubSnapshot s;
        s.channels = next;
        whole.applySnapshot(s);
        QCOMPARE(specOf(listRows(sliced)), specOf(listRows(whole)));
        QCOMPARE(sliced.totalSubscribers(), whole.totalSubscribers());
    }
    QCOMPARE(reset.size(), 0);
}

// The tree fed diffs in slices ends with the same nodes, counts and groups as one fed snapshots,
// whether each slice takes one channel or a whole diff (inserts and removals under one parent mixed).
void tst_ChannelDiff::slicesBuildTheSameTree_data()
{
    QTest::addColumn<int>("sliceMs");
    QTest::newRow("one channel per slice") << 0;
    QTest::newRow("whole diff per slice") << 60000;
}

void tst_ChannelDiff::slicesBuildTheSameTree()
{
    QFETCH(int, sliceMs);
    QRandomGenerator random(9);
    ChannelTreeModel sliced;
    ChannelTreeModel whole;
    QAbstractItemModelTester tester(&sliced, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&sliced, &QAbstractItemModel::modelReset);
    ChannelDiffer differ;
    for (int round = 0; round < Rounds; ++round) {
        const QList<Channel> next =
            round % (Rounds / 4) == Rounds / 4 - 1 ? QList<Channel>() : randomChannels(random, int(random.bounded(150u)));
        sliced.beginDiff(std::make_shared<const ChannelDiff>(differ.diff(next)));
        while (!sliced.applyDiffSlice(QDeadlineTimer(sliceMs))) {
        }
        PubSubSnapshot s;
        s.channels = next;
        whole.applySnapshot(s);
        QCOMPARE(treeRows(sliced), treeRows(whole));
        QCOMPARE(sliced.channelCount(), int(next.size()));
    }
    QCOMPARE(reset.size(), 0);
}

// "a:b" comes (staged below a) before "a:x", a's only shown child, goes: a must stay, with a:b.
void tst_ChannelDiff::removalAfterStagedInsertUnderOneGroup()
{
    ChannelTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ChannelDiffer differ;
    tree.beginDiff(std::make_shared<const ChannelDiff>(differ.diff(channelsOf(u"a:x=1"_s))));
    QVERIFY(tree.applyDiffSlice(QDeadlineTimer(60000)) || tree.applyDiffSlice(QDeadlineTimer(60000)));
    tree.beginDiff(std::make_shared<const ChannelDiff>(differ.diff(channelsOf(u"a:b=2"_s))));
    while (!tree.applyDiffSlice(QDeadlineTimer(60000))) {
    }
    QVERIFY(tree.indexFor("a:b").isValid());
    QVERIFY(!tree.indexFor("a:x").isValid());
    QCOMPARE(tree.indexFor("a", Subscribers).data(SortRole).toLongLong(), 2);
    QCOMPARE(tree.channelCount(), 1);
}

void tst_ChannelDiff::unsortedInputIsSorted()
{
    ChannelDiffer differ;
    const ChannelDiff d = differ.diff({{"c"_ba, 1}, {"a"_ba, 2}, {"b"_ba, 3}});
    QCOMPARE(opsOf(d), u"+0x3"_s);
    QCOMPARE(specOf(differ.last()), u"a=2,b=3,c=1"_s);
    QCOMPARE(specOf(d.channels), u"a=2,b=3,c=1"_s);
}

// A heartbeat updates the relay columns of the channels relays report now or reported before (and
// their groups); when the first relay comes or the last goes, every row's columns change.
void tst_ChannelDiff::relayHeartbeatsUpdateOnlyTheirChannels()
{
    RelayDirectory directory;
    ChannelListModel list;
    ChannelTreeModel tree;
    QAbstractItemModelTester listTester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester treeTester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    list.setRelayDirectory(&directory);
    tree.setRelayDirectory(&directory);
    PubSubSnapshot s;
    s.channels = channelsOf(u"room:1=1,room:2=1,room:3=1,lobby=1"_s);
    list.applySnapshot(s);
    tree.applySnapshot(s);
    const auto beat = [&directory](const QString &instance, const QJsonObject &channels) {
        const QJsonObject o{{u"type"_s, u"relay-stats"_s},
                            {u"instance"_s, instance},
                            {u"channels"_s, channels},
                            {u"interval"_s, 60000},
                            {u"at"_s, QDateTime::currentMSecsSinceEpoch()}};
        directory.handlePayload(QJsonDocument(o).toJson(QJsonDocument::Compact));
    };
    const auto clients = [&list](const QByteArray &name) {
        return list.index(list.rowOf(name), RelayClients).data(SortRole).toLongLong();
    };
    QCOMPARE(clients("lobby"), -1); // no relay: unknown
    beat(u"r1"_s, {{u"room:1"_s, 2}});
    QCOMPARE(clients("lobby"), 0);
    QCOMPARE(clients("room:1"), 2);
    QCOMPARE(tree.indexFor("room", RelayClients).data(SortRole).toLongLong(), 2);

    QSignalSpy listChanged(&list, &QAbstractItemModel::dataChanged);
    beat(u"r1"_s, {{u"room:2"_s, 3}});
    QCOMPARE(clients("room:1"), 0);
    QCOMPARE(clients("room:2"), 3);
    QCOMPARE(list.index(list.rowOf("room:2"), Relays).data(SortRole).toLongLong(), 1);
    QCOMPARE(tree.indexFor("room:1", RelayClients).data(SortRole).toLongLong(), 0);
    QCOMPARE(tree.indexFor("room:2", RelayClients).data(SortRole).toLongLong(), 3);
    QCOMPARE(tree.indexFor("room", RelayClients).data(SortRole).toLongLong(), 3);
    for (const QList<QVariant> &args : std::as_const(listChanged)) {
        const int row = args.at(0).value<QModelIndex>().row();
        QVERIFY(row == list.rowOf("room:1") || row == list.rowOf("room:2"));
    }

    directory.handlePayload(R"({"type":"relay-stopped","instance":"r1"})");
    QCOMPARE(clients("room:2"), -1);
    QCOMPARE(clients("lobby"), -1);
    QCOMPARE(tree.indexFor("room", RelayClients).data(SortRole).toLongLong(), -1);
}

QTEST_MAIN(tst_ChannelDiff)
#include "tst_channeldiff.moc"
