// SPDX-License-Identifier: MIT
#include "slowconsumermodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_SlowConsumerModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsByKey_data();
    void rowsByKey();
    void changedCellsOnly();
    void columns();
    void sortsByNumber();
    void followsMonitor();
    void formatDuration_data();
    void formatDuration();

private:
    static SlowConsumer consumer(const QString &key, qint64 bytes);
};

SlowConsumer tst_SlowConsumerModel::consumer(const QString &key, qint64 bytes)
{
    SlowConsumer c;
    c.key = key;
    c.id = quint64(key.mid(1).toULongLong());
    c.name = u"switchboard-relay:"_s + key;
    c.relay = key;
    c.address = u"127.0.0.1:5000"_s;
    c.bytes = bytes;
    c.softLimit = 1000;
    c.hardLimit = 4000;
    c.totalMemory = bytes + 100;
    c.queryBuffer = 0;
    c.channels = 2;
    c.ageSeconds = 90;
    return c;
}

void tst_SlowConsumerModel::rowsByKey_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QStringList>("after");
    QTest::newRow("insert into empty") << QStringList{} << QStringList{u"#1"_s, u"#2"_s};
    QTest::newRow("insert in the middle")
        << QStringList{u"#1"_s, u"#4"_s} << QStringList{u"#1"_s, u"#2"_s, u"#3"_s, u"#4"_s};
    QTest::newRow("remove in the middle")
        << QStringList{u"#1"_s, u"#2"_s, u"#3"_s} << QStringList{u"#1"_s, u"#3"_s};
    QTest::newRow("replace all") << QStringList{u"#1"_s, u"#2"_s} << QStringList{u"#3"_s, u"#4"_s};
    QTest::newRow("clear") << QStringList{u"#1"_s, u"#2"_s} << QStringList{};
    QTest::newRow("unsorted input") << QStringList{u"#2"_s} << QStringList{u"#3"_s, u"#1"_s, u"#2"_s};
}

void tst_SlowConsumerModel::rowsByKey()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    SlowConsumerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<SlowConsumer> rows;
    for (const QString &k : std::as_const(before))
        rows.append(consumer(k, 600));
    model.setWarnings(rows);
    QPersistentModelIndex kept;
    if (!before.isEmpty())
        kept = model.index(0, 0);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    rows.clear();
    for (const QString &k : std::as_const(after))
        rows.append(consumer(k, 700));
    model.setWarnings(rows);
    QCOMPARE(reset.size(), 0);
    QStringList keys;
    for (int r = 0; r < model.rowCount(); ++r)
        keys.append(model.index(r, 0).data(SlowConsumerModel::KeyRole).toString());
    QStringList sorted = after;
    sorted.sort();
    QCOMPARE(keys, sorted);
    if (!before.isEmpty() && after.contains(before.first()))
        QVERIFY(kept.isValid()); // a row that stays keeps its identity
}

void tst_SlowConsumerModel::changedCellsOnly()
{
    SlowConsumerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWarnings({consumer(u"#1"_s, 600), consumer(u"#2"_s, 600)});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    SlowConsumer later = consumer(u"#2"_s, 600);
    later.aboveMs = 2500;
    model.setWarnings({consumer(u"#1"_s, 600), later});
    QCOMPARE(changed.size(), 1);
    const auto args = changed.first();
    QCOMPARE(args.at(0).toModelIndex(), model.index(1, SlowConsumerModel::AboveForColumn));
    QCOMPARE(args.at(1).toModelIndex(), model.index(1, SlowConsumerModel::AboveForColumn));
    const auto roles = args.at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(roles.contains(SlowConsumerModel::SortRole));
    changed.clear();
    model.setWarnings({consumer(u"#1"_s, 600), later});
    QCOMPARE(changed.size(), 0);
}

void tst_SlowConsumerModel::columns()
{
    SlowConsumerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    SlowConsumer c = consumer(u"n1#7"_s, 750);
    c.node = u"10.0.0.1:7000"_s;
    c.patterns = 1;
    c.shardChannels = 3;
    c.aboveMs = 61'000;
    model.setWarnings({c});
    const auto text = [&model](int column) {
        return model.index(0, column).data().toString();
    };
    QCOMPARE(text(SlowConsumerModel::ConnectionColumn), u"switchboard-relay:n1#7"_s);
    QCOMPARE(text(SlowConsumerModel::RelayColumn), u"n1#7"_s);
    QCOMPARE(text(SlowConsumerModel::NodeColumn), u"10.0.0.1:7000"_s);
    QCOMPARE(text(SlowConsumerModel::SoftShareColumn), u"75 %"_s);
    QCOMPARE(text(SlowConsumerModel::HardShareColumn), u"19 %"_s);
    QCOMPARE(text(SlowConsumerModel::AboveForColumn), u"1 min 1 s"_s);
    QCOMPARE(text(SlowConsumerModel::SubscriptionsColumn), u"2 / 1 / 3"_s);
    QCOMPARE(text(SlowConsumerModel::AgeColumn), u"1 min 30 s"_s);
    QVERIFY(!model.index(0, 0).data(Qt::ToolTipRole).toString().isEmpty());
    for (int column = 0; column < SlowConsumerModel::ColumnCount; ++column)
        QVERIFY(!model.headerData(column, Qt::Horizontal).toString().isEmpty());

    SlowConsumer relayClient;
    relayClient.kind = SlowConsumer::Kind::RelayClient;
    relayClient.key = u"relay:r2#9"_s;
    relayClient.id = 9;
    relayClient.address = u"10.1.1.1:6000"_s;
    relayClient.relay = u"r2"_s;
    relayClient.bytes = 600;
    relayClient.hardLimit = 1000;
    relayClient.channels = 1;
    model.setWarnings({c, relayClient});
    QCOMPARE(model.index(1, SlowConsumerModel::ConnectionColumn).data().toString(),
             u"client 9 (10.1.1.1:6000)"_s);
    QCOMPARE(model.index(1, SlowConsumerModel::SoftShareColumn).data().toString(), QString());
    QCOMPARE(model.index(1, SlowConsumerModel::HardShareColumn).data().toString(), u"60 %"_s);
    QCOMPARE(model.index(1, SlowConsumerModel::SubscriptionsColumn).data().toString(), u"1 room(s)"_s);
}

void tst_SlowConsumerModel::sortsByNumber()
{
    SlowConsumerModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SlowConsumerModel::SortRole);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWarnings({consumer(u"#1"_s, 900), consumer(u"#2"_s, 10'000), consumer(u"#3"_s, 2'000)});
    proxy.sort(SlowConsumerModel::BytesColumn, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, 0).data(SlowConsumerModel::KeyRole).toString(), u"#2"_s);
    QCOMPARE(proxy.index(1, 0).data(SlowConsumerModel::KeyRole).toString(), u"#3"_s);
    QCOMPARE(proxy.index(2, 0).data(SlowConsumerModel::KeyRole).toString(), u"#1"_s);
}

void tst_SlowConsumerModel::followsMonitor()
{
    SlowConsumerMonitor monitor;
    SlowConsumerModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMonitor(&monitor);
    PubSubClient c;
    c.id = 5;
    c.name = u"switchboard-relay:x"_s;
    c.outputBytes = 7 * 1024 * 1024;
    monitor.ingest({}, {c});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, SlowConsumerModel::RelayColumn).data().toString(), u"x"_s);
    monitor.ingest({}, {});
    QCOMPARE(model.rowCount(), 0);
    model.setMonitor(nullptr);
}

void tst_SlowConsumerModel::formatDuration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << u"0.0 s"_s;
    QTest::newRow("seconds") << qint64(2500) << u"2.5 s"_s;
    QTest::newRow("minutes") << qint64(125'000) << u"2 min 5 s"_s;
    QTest::newRow("hours") << qint64(3'720'000) << u"1 h 2 min"_s;
}

void tst_SlowConsumerModel::formatDuration()
{
    QFETCH(qint64, ms);
    QTEST(SlowConsumerModel::formatDuration(ms), "text");
}

QTEST_MAIN(tst_SlowConsumerModel)
#include "tst_slowconsumermodel.moc"
