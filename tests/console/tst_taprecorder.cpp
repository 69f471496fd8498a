// SPDX-License-Identifier: MIT
#include "recordingreader.h"
#include "redisserver.h"
#include "tapcontroller.h"
#include "taprecorder.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

class tst_TapRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void encodesLinesTheReaderReadsBack_data();
    void encodesLinesTheReaderReadsBack();
    void recordsEverythingTheTapReceivesBeyondItsBuffer();
    void writesOnTheTimerAndWhenTheBufferIsFull();
    void aFullDiskStopsRecordingAndSaysSo();
    void aFileSizeLimitKeepsEveryCompleteLine();
    void saysWhyAFileCannotBeCreated();

private:
    QList<RecordedMessage> readBack(const QString &path, quint64 *skipped = nullptr);
    std::unique_ptr<RedisServer> m_redis;
    QTemporaryDir m_dir;
};

void tst_TapRecorder::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    QVERIFY(m_dir.isValid());
}

QList<RecordedMessage> tst_TapRecorder::readBack(const QString &path, quint64 *skipped)
{
    RecordingReader reader;
    QList<RecordedMessage> messages;
    if (!reader.open(path))
        return messages;
    while (auto m = reader.next())
        messages.append(*m);
    if (skipped)
        *skipped = reader.skippedLines();
    return messages;
}

void tst_TapRecorder::encodesLinesTheReaderReadsBack_data()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("text") << "room:1"_ba
                          << "hello"_ba
                          << R"({"channel":"room:1","ts":1733500000123,"payload":"hello"})"
                             "\n"_ba;
    QTest::newRow("json payload") << "c"_ba
                                  << R"({"a":"b\n"})"_ba
                                  << R"({"channel":"c","ts":1733500000123,"payload":"{\"a\":\"b\\n\"}"})"
                                     "\n"_ba;
    QTest::newRow("control characters and newline") << "c"_ba << QByteArray("a\nb\x01\0c", 6) << QByteArray();
    QTest::newRow("utf-8") << "räume:ü"_ba
                           << "grüße ✓"_ba << QByteArray();
    QTest::newRow("binary payload") << "c"_ba << QByteArray("\xff\xfe\x00\x80", 4)
                                    << R"({"channel":"c","ts":1733500000123,"payload_b64":"//4AgA=="})"
                                       "\n"_ba;
    QTest::newRow("overlong utf-8 is binary") << "c"_ba
                                              << "\xc0\xaf"_ba
                                              << R"({"channel":"c","ts":1733500000123,"payload_b64":"wK8="})"
                                                 "\n"_ba;
    QTest::newRow("binary channel") << "\xff"_ba
                                    << "x"_ba
                                    << R"({"channel_b64":"/w==","ts":1733500000123,"payload":"x"})"
                                       "\n"_ba;
    QTest::newRow("empty payload") << "c"_ba << QByteArray()
                                   << R"({"channel":"c","ts":1733500000123,"payload":""})"
                                      "\n"_ba;
}

void tst_TapRecorder::encodesLinesTheReaderReadsBack()
{
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, line);
    const QByteArray encoded = TapRecorder::encodeLine(channel, payload, 1733500000123);
    if (!line.isEmpty())
        QCOMPARE(encoded, line);
    QVERIFY(encoded.endsWith('\n'));
    QCOMPARE(encoded.count('\n'), 1);
    QString error;
    const auto back = RecordingReader::parseLine(encoded.chopped(1), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->channel, channel);
    QCOMPARE(back->payload, payload);
    QCOMPARE(back->ts, qint64(1733500000123));
}

// The tap's ring buffer holds 10 rows; the recording keeps all 300 messages, in order, binary ones too.
void tst_TapRecorder::recordsEverythingTheTapReceivesBeyondItsBuffer()
{
    TapController tap;
    tap.setCapacity(10);
    TapRecorder recorder(&tap);
    const QString path = m_dir.filePath(u"tap.ndjson"_s);
    QSignalSpy started(&recorder, &TapRecorder::started);
    QString error;
    QVERIFY2(recorder.start(path, &error), qPrintable(error));
    QCOMPARE(started.size(), 1);
    RedisConnectionOptions options;
    options.url = RedisUrl::parse(m_redis->url());
    tap.setConnectionOptions(options);
    tap.addPattern("rec:*");
    QTRY_COMPARE(m_redis->command({"PUBSUB"_ba, "NUMPAT"_ba}).toInteger(), 1);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 300; ++i) {
        const QByteArray payload = i % 50 == 7 ? QByteArray("\xff\x00", 2) + QByteArray::number(i)
                                               : R"({"n":)" + QByteArray::number(i) + '}';
        m_redis->command({"PUBLISH"_ba, "rec:" + QByteArray::number(i % 3), payload});
    }
    QTRY_COMPARE(recorder.messages(), 300u);
    QTRY_VERIFY(tap.model()->rowCount() <= 10);
    QSignalSpy stopped(&recorder, &TapRecorder::stopped);
    recorder.stop();
    QCOMPARE(stopped.size(), 1);
    QVERIFY(!recorder.isRecording());
    QVERIFY(recorder.errorString().isEmpty());
    QCOMPARE(recorder.bytesWritten(), quint64(QFileInfo(path).size()));
    quint64 skipped = 1;
    const QList<RecordedMessage> back = readBack(path, &skipped);
    QCOMPARE(skipped, 0u);
    QCOMPARE(back.size(), 300);
    for (int i = 0; i < 300; ++i) {
        QCOMPARE(back[i].channel, "rec:" + QByteArray::number(i % 3));
        QVERIFY(back[i].payload.endsWith(QByteArray::number(i)) ||
                back[i].payload.endsWith(QByteArray::number(i) + '}'));
        QVERIFY(back[i].ts >= before && back[i].ts <= QDateTime::currentMSecsSinceEpoch());
    }
    QCOMPARE(back[7].payload, QByteArray("\xff\x00", 2) + "7");
    // Not recording: nothing more is written.
    m_redis->command({"PUBLISH"_ba, "rec:0"_ba, "after"_ba});
    QTRY_COMPARE(tap.received(), 301u);
    QCOMPARE(readBack(path).size(), 300);
}

void tst_TapRecorder::writesOnTheTimerAndWhenTheBufferIsFull()
{
    TapRecorder recorder(nullptr);
    recorder.setFlushInterval(50);
    const QString path = m_dir.filePath(u"timer.ndjson"_s);
    QVERIFY(recorder.start(path));
    QSignalSpy progress(&recorder, &TapRecorder::progress);
    recorder.record("c", "one", 1);
    QCOMPARE(recorder.bytesWritten(), 0u); // buffered
    QVERIFY(recorder.bytesBuffered() > 0);
    QVERIFY(progress.wait(2000)); // the flush timer, still recording
    QVERIFY(recorder.isRecording());
    QCOMPARE(QFileInfo(path).size(), qint64(recorder.bytesWritten()));
    QCOMPARE(readBack(path).size(), 1);
    QCOMPARE(progress.last().at(0).toULongLong(), 1u);

    recorder.setFlushInterval(60 * 60 * 1000);
    recorder.setFlushBytes(200);
    const QByteArray big(300, 'x');
    recorder.record("c", big, 2); // over flushBytes: written at once, no event loop needed
    QCOMPARE(readBack(path).size(), 2);
    QCOMPARE(recorder.bytesBuffered(), 0u);
    recorder.stop();
}

// /dev/full accepts open() and fails every write with ENOSPC.
void tst_TapRecorder::aFullDiskStopsRecordingAndSaysSo()
{
    if (!QFileInfo::exists(u"/dev/full"_s))
        QSKIP("no /dev/full");
    TapRecorder recorder(nullptr);
    QVERIFY(recorder.start(u"/dev/full"_s));
    QSignalSpy failed(&recorder, &TapRecorder::failed);
    QSignalSpy stopped(&recorder, &TapRecorder::stopped);
    recorder.record("c", "lost", 1);
    recorder.stop();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(stopped.size(), 1);
    QVERIFY(!recorder.isRecording());
    const QString error = failed.first().first().toString();
    QVERIFY2(error.startsWith(u"Recording to /dev/full stopped: No space left on device."_s),
             qPrintable(error));
    QVERIFY2(error.contains(u"keeps the 0 messages"_s), qPrintable(error));
    QVERIFY2(error.contains(u"1 more were not written"_s), qPrintable(error));
    QCOMPARE(recorder.errorString(), error);
    recorder.record("c", "ignored", 2); // stopped: nothing happens
    QCOMPARE(recorder.messages(), 0u);
}

// A file-size limit (RLIMIT_FSIZE, like a quota) cuts a write in the middle of a line: the file
// keeps every complete line and nothing partial.
void tst_TapRecorder::aFileSizeLimitKeepsEveryCompleteLine()
{
    rlimit original{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &original), 0);
    std::signal(SIGXFSZ, SIG_IGN);
    const rlim_t limit = 10000;
    if (original.rlim_max != RLIM_INFINITY && original.rlim_max < limit)
        QSKIP("the hard file-size limit is lower than the test's");
    TapRecorder recorder(nullptr);
    recorder.setFlushBytes(700); // several writes, the last one cut by the limit
    const QString path = m_dir.filePath(u"limited.ndjson"_s);
    QVERIFY(recorder.start(path));
    QSignalSpy failed(&recorder, &TapRecorder::failed);
    rlimit lowered = original;
    lowered.rlim_cur = limit;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &lowered), 0);
    int i = 0;
    for (; i < 1000 && recorder.isRecording(); ++i)
        recorder.record("room:" + QByteArray::number(i), QByteArray(90, 'p') + QByteArray::number(i), i);
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &original), 0);
    QCOMPARE(failed.size(), 1);
    const QString error = failed.first().first().toString();
    QVERIFY2(error.contains(u"File too large"_s), qPrintable(error));
    const QFileInfo file(path);
    QVERIFY(file.size() > 0 && file.size() <= qint64(limit));
    QCOMPARE(quint64(file.size()), recorder.bytesWritten());
    quint64 skipped = 1;
    const QList<RecordedMessage> back = readBack(path, &skipped);
    QCOMPARE(skipped, 0u);
    QCOMPARE(quint64(back.size()), recorder.messages());
    QVERIFY(back.size() > 10);
    QCOMPARE(back.last().ts, qint64(back.size() - 1));
    QVERIFY2(error.contains(u"keeps the %1 messages"_s.arg(back.size())), qPrintable(error));
}

void tst_TapRecorder::saysWhyAFileCannotBeCreated()
{
    TapRecorder recorder(nullptr);
    const QString path = m_dir.filePath(u"no/such/dir/x.ndjson"_s);
    QString error;
    QVERIFY(!recorder.start(path, &error));
    QVERIFY2(error.startsWith(u"Cannot record to %1: "_s.arg(path)), qPrintable(error));
    QVERIFY(!recorder.isRecording());
}

QTEST_MAIN(tst_TapRecorder)
#include "tst_taprecorder.moc"
