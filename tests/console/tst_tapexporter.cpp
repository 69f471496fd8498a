// SPDX-License-Identifier: MIT
#include "tapexporter.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TapExporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void csvField_data();
    void csvField();
    void ndjson_data();
    void ndjson();
    void csvFile();
};

void tst_TapExporter::csvField_data()
{
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("plain") << "room:1"_ba
                           << "room:1"_ba;
    QTest::newRow("comma") << "a,b"_ba
                           << "\"a,b\""_ba;
    QTest::newRow("quote") << "say \"hi\""_ba
                           << "\"say \"\"hi\"\"\""_ba;
    QTest::newRow("newline") << "a\nb"_ba
                             << "\"a\nb\""_ba;
    QTest::newRow("cr") << "a\rb"_ba
                        << "\"a\rb\""_ba;
    QTest::newRow("unicode") << "grüße"_ba
                             << "grüße"_ba;
}

void tst_TapExporter::csvField()
{
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    QCOMPARE(TapExporter::csvField(in), out);
}

void tst_TapExporter::ndjson_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("truncated");
    QTest::newRow("json text") << "{\"type\":\"message\"}"_ba << qint64(18) << u"payload"_s
                               << u"{\"type\":\"message\"}"_s << false;
    QTest::newRow("unicode") << "✓ grüße\n"_ba << qint64(12) << u"payload"_s << u"✓ grüße\n"_s << false;
    QTest::newRow("binary") << "\xff\xfe\x00"_ba << qint64(3) << u"payload_base64"_s << u"//4A"_s << false;
    QTest::newRow("truncated") << "abc"_ba << qint64(10) << u"payload"_s << u"abc"_s << true;
}

void tst_TapExporter::ndjson()
{
    QFETCH(QByteArray, payload);
    QFETCH(qint64, size);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(bool, truncated);
    const TapEntry e{1, 1700000000123, "room:1", "room:*", payload, size};
    const QByteArray line = TapExporter::ndjsonLine(e);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.value(u"time"_s).toString(), u"2023-11-14T22:13:20.123Z"_s);
    QCOMPARE(o.value(u"channel"_s).toString(), u"room:1"_s);
    QCOMPARE(o.value(u"pattern"_s).toString(), u"room:*"_s);
    QCOMPARE(o.value(u"size"_s).toInteger(), size);
    QCOMPARE(o.value(key).toString(), value);
    QCOMPARE(o.value(u"truncated"_s).toBool(), truncated);
}

void tst_TapExporter::csvFile()
{
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    const QList<TapEntry> entries{{1, 0, "a", {}, "x,y", 3}, {2, 1000, "b", "b*", "line1\nline2", 11}};
    QString error;
    QVERIFY(TapExporter::write(&buffer, entries, TapExporter::Format::Csv, &error));
    QCOMPARE(buffer.data(), "time,channel,pattern,size,payload,truncated\r\n"
                            "1970-01-01T00:00:00.000Z,a,,3,\"x,y\",false\r\n"
                            "1970-01-01T00:00:01.000Z,b,b*,11,\"line1\nline2\",false\r\n"_ba);
}

QTEST_GUILESS_MAIN(tst_TapExporter)
#include "tst_tapexporter.moc"
