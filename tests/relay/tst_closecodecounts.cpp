// SPDX-License-Identifier: MIT
#include "closecodecounts.h"

#include <QTest>

class tst_CloseCodeCounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void code_data();
    void code();
    void boundedDistinctCodes();
};

void tst_CloseCodeCounts::code_data()
{
    QTest::addColumn<int>("sent");
    QTest::addColumn<int>("received");
    QTest::addColumn<int>("counted");
    QTest::newRow("the relay's close") << 4001 << 0 << 4001;
    QTest::newRow("the relay's answer to the client's") << 1000 << 1000 << 1000;
    QTest::newRow("the relay's wins") << 1001 << 1000 << 1001;
    QTest::newRow("only the client's") << 0 << 3001 << 3001;
    QTest::newRow("no closing handshake") << 0 << 0 << 1006;
}

void tst_CloseCodeCounts::code()
{
    QFETCH(int, sent);
    QFETCH(int, received);
    QFETCH(int, counted);
    CloseCodeCounts c;
    c.record(quint16(sent), quint16(received));
    QCOMPARE(c.counts().size(), 1);
    QCOMPARE(c.counts().value(quint16(counted)), quint64(1));
    QCOMPARE(c.other(), quint64(0));
}

void tst_CloseCodeCounts::boundedDistinctCodes()
{
    CloseCodeCounts c;
    for (int i = 0; i < CloseCodeCounts::MaxCodes + 10; ++i)
        c.record(0, quint16(3000 + i));
    c.record(0, 3000); // a kept code still counts as itself
    QCOMPARE(c.counts().size(), CloseCodeCounts::MaxCodes);
    QCOMPARE(c.counts().value(3000), quint64(2));
    QCOMPARE(c.other(), quint64(10));
}

QTEST_MAIN(tst_CloseCodeCounts)
#include "tst_closecodecounts.moc"
