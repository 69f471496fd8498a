// SPDX-License-Identifier: MIT
#include "recordingreader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RecordingReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesValidLines_data();
    void parsesValidLines();
    void refusesMalformedLines_data();
    void refusesMalformedLines();
    void streamsSkippingAndCountingBadLines();
    void skipsLinesOverTheLimit();
    void keepsOnlyTheFirstErrors();
    void saysWhyAFileCannotBeOpened();

private:
    QString write(const QByteArray &content);
    QTemporaryDir m_dir;
    int m_files = 0;
};

QString tst_RecordingReader::write(const QByteArray &content)
{
    const QString path = m_dir.filePath(u"r%1.ndjson"_s.arg(++m_files));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return path;
}

void tst_RecordingReader::parsesValidLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<qint64>("ts");
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("text") << R"({"channel":"room:1","ts":1733500000123,"payload":"hello"})"_ba
                          << "room:1"_ba << qint64(1733500000123) << "hello"_ba;
    QTest::newRow("json payload, escapes") << R"({"channel":"c","ts":5,"payload":"{\"a\":\"\u00e9\\n\"}"})"_ba
                                           << "c"_ba << qint64(5) << "{\"a\":\"\xc3\xa9\\n\"}"_ba;
    QTest::newRow("empty payload") << R"({"channel":"c","ts":0,"payload":""})"_ba
                                   << "c"_ba << qint64(0) << QByteArray();
    QTest::newRow("binary payload_b64") << R"({"channel":"c","ts":1,"payload_b64":"/wA="})"_ba
                                        << "c"_ba << qint64(1) << QByteArray("\xff\x00", 2);
    QTest::newRow("binary channel_b64") << R"({"channel_b64":"/w==","ts":1,"payload":"x"})"_ba
                                        << "\xff"_ba << qint64(1) << "x"_ba;
    QTest::newRow("extra fields ignored, any order")
        << R"({"payload":"p","pattern":"*","ts":7.0,"channel":"c"})"_ba
        << "c"_ba << qint64(7) << "p"_ba;
}

void tst_RecordingReader::parsesValidLines()
{
    QFETCH(QByteArray, line);
    QString error;
    const auto message = RecordingReader::parseLine(line, &error);
    QVERIFY2(message, qPrintable(error));
    QTEST(message->channel, "channel");
    QTEST(message->ts, "ts");
    QTEST(message->payload, "payload");
}

void tst_RecordingReader::refusesMalformedLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("not json") << "hello"_ba << u"not JSON (illegal value at column 1)"_s;
    QTest::newRow("cut off") << R"({"channel":"c","ts":1,"payl)"_ba << u"not JSON"_s;
    QTest::newRow("array") << "[1,2]"_ba << u"not a JSON object"_s;
    QTest::newRow("no ts") << R"({"channel":"c","payload":"p"})"_ba << u"no \"ts\""_s;
    QTest::newRow("ts string") << R"({"channel":"c","ts":"1","payload":"p"})"_ba
                               << u"\"ts\" is not a whole number of milliseconds >= 0"_s;
    QTest::newRow("ts negative") << R"({"channel":"c","ts":-1,"payload":"p"})"_ba
                                 << u"\"ts\" is not a whole number of milliseconds >= 0"_s;
    QTest::newRow("ts fraction") << R"({"channel":"c","ts":1.5,"payload":"p"})"_ba
                                 << u"\"ts\" is not a whole number of milliseconds >= 0"_s;
    QTest::newRow("no channel") << R"({"ts":1,"payload":"p"})"_ba << u"no \"channel\" (or \"channel_b64\")"_s;
    QTest::newRow("empty channel") << R"({"channel":"","ts":1,"payload":"p"})"_ba
                                   << u"\"channel\" is empty"_s;
    QTest::newRow("channel number") << R"({"channel":3,"ts":1,"payload":"p"})"_ba
                                    << u"\"channel\" is not a string"_s;
    QTest::newRow("no payload") << R"({"channel":"c","ts":1})"_ba << u"no \"payload\" (or \"payload_b64\")"_s;
    QTest::newRow("payload object") << R"({"channel":"c","ts":1,"payload":{"a":1}})"_ba
                                    << u"\"payload\" is not a string"_s;
    QTest::newRow("both payloads") << R"({"channel":"c","ts":1,"payload":"p","payload_b64":"cA=="})"_ba
                                   << u"both \"payload\" and \"payload_b64\""_s;
    QTest::newRow("bad base64") << R"({"channel":"c","ts":1,"payload_b64":"!!"})"_ba
                                << u"\"payload_b64\" is not valid base64"_s;
}

void tst_RecordingReader::refusesMalformedLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!RecordingReader::parseLine(line, &actual));
    QVERIFY2(actual.startsWith(error), qPrintable(actual));
}

void tst_RecordingReader::streamsSkippingAndCountingBadLines()
{
    const QString path = write(R"({"channel":"a","ts":1,"payload":"1"})"
                               "\n"
                               "garbage\n"
                               "\n"
                               R"({"channel":"b","ts":2,"payload":"2"})"
                               "\r\n"
                               R"({"channel":"c","ts":3})"
                               "\n"
                               R"({"channel":"d","ts":4,"payload":"last, no newline"})"_ba);
    RecordingReader reader;
    QString error;
    QVERIFY2(reader.open(path, &error), qPrintable(error));
    QByteArrayList channels;
    while (auto m = reader.next())
        channels.append(m->channel);
    QCOMPARE(channels, (QByteArrayList{"a", "b", "d"}));
    QCOMPARE(reader.messagesRead(), 3u);
    QCOMPARE(reader.skippedLines(), 2u);
    QCOMPARE(reader.errors(), (QStringList{u"line 2: not JSON (illegal value at column 1)"_s,
                                           u"line 5: no \"payload\" (or \"payload_b64\")"_s}));
    QCOMPARE(reader.lineNumber(), 6);
    QCOMPARE(reader.position(), reader.size());
    QVERIFY(reader.atEnd());
    QVERIFY(reader.errorString().isEmpty());
}

void tst_RecordingReader::skipsLinesOverTheLimit()
{
    const QByteArray exact = R"({"channel":"c","ts":1,"payload":")" + QByteArray(100, 'x') + "\"}";
    const QByteArray longer = R"({"channel":"c","ts":2,"payload":")" + QByteArray(5000, 'y') + "\"}";
    const QByteArray huge =
        R"({"channel":"c","ts":3,"payload":")" + QByteArray(200 * 1024, 'z') + "\"}"; // > a read chunk
    const QString path =
        write(exact + '\n' + longer + '\n' + exact + '\n' + huge + '\n' + exact + '\n' + longer);
    RecordingReader reader;
    reader.setMaxLineBytes(exact.size());
    QVERIFY(reader.open(path));
    QList<qint64> read;
    while (auto m = reader.next())
        read.append(m->ts);
    QCOMPARE(read, (QList<qint64>{1, 1, 1}));
    QCOMPARE(reader.skippedLines(), 3u);
    QCOMPARE(reader.errors().size(), 3);
    QVERIFY2(reader.errors()[0].startsWith(u"line 2: longer than %1 bytes"_s.arg(exact.size())),
             qPrintable(reader.errors()[0]));
    QVERIFY2(reader.errors()[1].startsWith(u"line 4: longer than"_s), qPrintable(reader.errors()[1]));
    QVERIFY2(reader.errors()[1].contains(u"(200.03 KiB)"_s), qPrintable(reader.errors()[1]));
    QVERIFY2(reader.errors()[2].startsWith(u"line 6: longer than"_s), qPrintable(reader.errors()[2]));
    QCOMPARE(reader.lineNumber(), 6);
    QCOMPARE(reader.position(), reader.size());
}

void tst_RecordingReader::keepsOnlyTheFirstErrors()
{
    QByteArray content;
    for (int i = 0; i < 50; ++i)
        content += "bad\n";
    content += R"({"channel":"c","ts":1,"payload":"ok"})";
    RecordingReader reader;
    reader.setMaxErrors(10);
    QVERIFY(reader.open(write(content)));
    QVERIFY(reader.next());
    QVERIFY(!reader.next());
    QCOMPARE(reader.skippedLines(), 50u);
    QCOMPARE(reader.errors().size(), 10);
    QVERIFY(reader.errors().last().startsWith(u"line 10: "_s));
}

void tst_RecordingReader::saysWhyAFileCannotBeOpened()
{
    RecordingReader reader;
    QString error;
    const QString path = m_dir.filePath(u"missing.ndjson"_s);
    QVERIFY(!reader.open(path, &error));
    QVERIFY2(error.startsWith(u"Cannot read %1: "_s.arg(path)), qPrintable(error));
    QVERIFY(!reader.next());
}

QTEST_MAIN(tst_RecordingReader)
#include "tst_recordingreader.moc"
