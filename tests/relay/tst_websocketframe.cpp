// SPDX-License-Identifier: MIT
#include "websocketframe.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_WebSocketFrame : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void text_data();
    void text();
};

void tst_WebSocketFrame::text_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("empty") << 0 << "\x81\x00"_ba;
    QTest::newRow("1") << 1 << "\x81\x01"_ba;
    QTest::newRow("125, the last 7-bit length") << 125 << "\x81\x7d"_ba;
    QTest::newRow("126, the first 16-bit length") << 126 << "\x81\x7e\x00\x7e"_ba;
    QTest::newRow("65535, the last 16-bit length") << 65535 << "\x81\x7e\xff\xff"_ba;
    QTest::newRow("65536, the first 64-bit length") << 65536 << "\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00"_ba;
    QTest::newRow("5 MiB") << 5 * 1024 * 1024 << "\x81\x7f\x00\x00\x00\x00\x00\x50\x00\x00"_ba;
}

void tst_WebSocketFrame::text()
{
    QFETCH(int, size);
    QFETCH(QByteArray, header);
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char('a' + i % 26);
    const QByteArray frame = WebSocketFrame::text(payload);
    QCOMPARE(frame.size(), header.size() + size);
    // FIN + text opcode, no mask bit (server frames are never masked), then the length.
    QCOMPARE(frame.first(header.size()).toHex(' '), header.toHex(' '));
    QVERIFY(frame.sliced(header.size()) == payload);
}

QTEST_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
