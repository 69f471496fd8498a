// SPDX-License-Identifier: MIT
#include "tapmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TapModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendsInBatches();
    void evictsOldestAtCapacity_data();
    void evictsOldestAtCapacity();
    void byteBudgetBoundsMemory();
    void payloadCapKeepsOriginalSize();
    void preview_data();
    void preview();

private:
    static TapEntry entry(quint64 seq, const QByteArray &payload = "x")
    {
        return {seq, qint64(seq), "room:" + QByteArray::number(seq % 3), {}, payload, payload.size()};
    }
};

void tst_TapModel::appendsInBatches()
{
    TapModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (quint64 i = 1; i <= 500; ++i)
        model.append(entry(i));
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE(model.rowCount(), 500);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.index(499, TapModel::ChannelColumn).data().toString(), u"room:2"_s);
    QCOMPARE(model.index(0, 0).data(TapModel::SeqRole).toULongLong(), 1ull);
}

void tst_TapModel::evictsOldestAtCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended");
    QTest::addColumn<int>("batches");
    QTest::newRow("one batch over") << 10 << 25 << 1;
    QTest::newRow("several batches") << 100 << 450 << 5;
    QTest::newRow("capacity one") << 1 << 7 << 7;
}

void tst_TapModel::evictsOldestAtCapacity()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    QFETCH(int, batches);
    TapModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(capacity);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const int perBatch = appended / batches;
    quint64 seq = 0;
    for (int b = 0; b < batches; ++b) {
        for (int i = 0; i < perBatch; ++i)
            model.append(entry(++seq));
        model.flush();
        QVERIFY(model.rowCount() <= capacity);
    }
    QCOMPARE(model.rowCount(), qMin(capacity, int(seq)));
    QCOMPARE(model.index(model.rowCount() - 1, 0).data(TapModel::SeqRole).toULongLong(), seq);
    QCOMPARE(model.index(0, 0).data(TapModel::SeqRole).toULongLong(), seq - quint64(model.rowCount()) + 1);
    QCOMPARE(reset.size(), 0);
}

void tst_TapModel::byteBudgetBoundsMemory()
{
    TapModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setByteBudget(64 * 1024);
    const QByteArray big(4000, 'a');
    for (quint64 i = 1; i <= 100; ++i) {
        model.append(entry(i, big));
        if (i % 10 == 0)
            model.flush();
    }
    QVERIFY(model.bufferedBytes() <= 64 * 1024);
    QVERIFY(model.rowCount() >= 10);
    QVERIFY(model.rowCount() < 20);
    QCOMPARE(model.index(model.rowCount() - 1, 0).data(TapModel::SeqRole).toULongLong(), 100ull);
}

void tst_TapModel::payloadCapKeepsOriginalSize()
{
    TapModel model;
    model.setPayloadCap(10);
    model.append(entry(1, QByteArray(100, 'z')));
    model.flush();
    QCOMPARE(model.entry(0).payload.size(), 10);
    QCOMPARE(model.index(0, TapModel::SizeColumn).data().toLongLong(), 100);
    QVERIFY(model.entry(0).truncated());
    QVERIFY(!model.index(0, TapModel::PayloadColumn).data(Qt::ToolTipRole).toString().isEmpty());
}

void tst_TapModel::preview_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("max");
    QTest::addColumn<QString>("expected");
    QTest::newRow("json") << "{\"a\":1}"_ba << 200 << u"{\"a\":1}"_s;
    QTest::newRow("newlines flattened") << "a\nb\tc"_ba << 200 << u"a b c"_s;
    QTest::newRow("cut") << "abcdef"_ba << 3 << u"abc…"_s;
    QTest::newRow("unicode") << "grüße ✓"_ba << 200 << u"grüße ✓"_s;
    QTest::newRow("binary") << "\xff\x00\x01"_ba << 200 << u"0x ff 00 01"_s;
}

void tst_TapModel::preview()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, max);
    QFETCH(QString, expected);
    QCOMPARE(TapModel::preview(payload, max), expected);
}

QTEST_GUILESS_MAIN(tst_TapModel)
#include "tst_tapmodel.moc"
