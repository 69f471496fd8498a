// SPDX-License-Identifier: MIT
#include "channellistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ChannelListModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergesSnapshots_data();
    void mergesSnapshots();
    void tenThousandChannelsWithoutReset();
    void trafficAndRelays();

private:
    static PubSubSnapshot snapshot(const QList<QPair<QByteArray, qint64>> &channels);
};

PubSubSnapshot tst_ChannelListModel::snapshot(const QList<QPair<QByteArray, qint64>> &channels)
{
    PubSubSnapshot s;
    s.takenAt = QDateTime::currentDateTime();
    for (const auto &[name, count] : channels)
        s.channels.append({name, count});
    std::sort(s.channels.begin(), s.channels.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });
    return s;
}

using Channels = QList<QPair<QByteArray, qint64>>;

void tst_ChannelListModel::mergesSnapshots_data()
{
    QTest::addColumn<Channels>("first");
    QTest::addColumn<Channels>("second");
    QTest::newRow("empty to some") << Channels{} << Channels{{"a", 1}, {"b", 2}};
    QTest::newRow("some to empty") << Channels{{"a", 1}, {"b", 2}} << Channels{};
    QTest::newRow("insert middle and ends")
        << Channels{{"c", 1}, {"e", 1}} << Channels{{"a", 1}, {"c", 1}, {"d", 4}, {"e", 1}, {"f", 1}};
    QTest::newRow("remove ranges") << Channels{{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}, {"e", 1}}
                                   << Channels{{"c", 1}};
    QTest::newRow("replace all") << Channels{{"a", 1}, {"b", 1}} << Channels{{"x", 3}, {"y", 4}};
    QTest::newRow("counts change") << Channels{{"a", 1}, {"b", 1}} << Channels{{"a", 7}, {"b", 0}};
}

void tst_ChannelListModel::mergesSnapshots()
{
    QFETCH(Channels, first);
    QFETCH(Channels, second);
    ChannelListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.applySnapshot(snapshot(first));
    model.applySnapshot(snapshot(second));
    const PubSubSnapshot expected = snapshot(second);
    QCOMPARE(model.rowCount(), expected.channels.size());
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.channelAt(row), expected.channels[row].name);
        QCOMPARE(model.index(row, ChannelColumns::Subscribers).data(ChannelColumns::SortRole).toLongLong(),
                 expected.channels[row].subscribers);
    }
    QCOMPARE(reset.size(), 0);
}

void tst_ChannelListModel::tenThousandChannelsWithoutReset()
{
    // No model tester here: it re-reads every row on each change (mergesSnapshots covers the
    // same code paths with it).
    ChannelListModel model;
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    Channels all;
    for (int i = 0; i < 10000; ++i)
        all.append({"room:" + QByteArray::number(i), i % 7});
    model.applySnapshot(snapshot(all));
    QCOMPARE(model.rowCount(), 10000);
    // Every third channel goes, one count changes, and a hundred new ones appear.
    Channels next;
    for (int i = 0; i < 10000; ++i) {
        if (i % 3 != 0)
            next.append({"room:" + QByteArray::number(i), i == 5000 ? 99 : i % 7});
    }
    for (int i = 0; i < 100; ++i)
        next.append({"new:" + QByteArray::number(i), 1});
    changed.clear();
    model.applySnapshot(snapshot(next));
    QCOMPARE(model.rowCount(), next.size());
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1);
    const int row = model.rowOf("room:5000");
    QCOMPARE(model.subscribersAt(row), 99);
    QCOMPARE(model.rowOf("room:3"), -1);
}

void tst_ChannelListModel::trafficAndRelays()
{
    ChannelListModel model;
    PubSubSnapshot s = snapshot({{"broadcast", 3}, {"room:1", 1}});
    PubSubClient relay;
    relay.name = u"switchboard-relay:a"_s;
    relay.channels = 2;
    s.clients = {relay, relay};
    model.applySnapshot(s);
    QCOMPARE(model.index(0, ChannelColumns::Relays).data().toString(), u"2"_s);
    QCOMPARE(model.index(1, ChannelColumns::Relays).data().toString(), u"1"_s);
    QCOMPARE(model.index(0, ChannelColumns::MessagesPerSecond).data().toString(), u"–"_s);
    ChannelTrafficMap traffic;
    traffic["broadcast"].messagesPerSecond = 12.5;
    traffic["broadcast"].bytesPerSecond = 2048;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setTraffic(traffic);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>().contains(Qt::DisplayRole), true);
    QCOMPARE(model.index(0, ChannelColumns::MessagesPerSecond).data(ChannelColumns::SortRole).toDouble(),
             12.5);
    QVERIFY(model.index(0, ChannelColumns::BytesPerSecond).data().toString().contains(u"/s"_s));
}

QTEST_GUILESS_MAIN(tst_ChannelListModel)
#include "tst_channellistmodel.moc"
