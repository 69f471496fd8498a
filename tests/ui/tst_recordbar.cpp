// SPDX-License-Identifier: MIT
#include "recordbar.h"
#include "recordingreader.h"
#include "redisserver.h"
#include "tapcontroller.h"
#include "taprecorder.h"
#include "tapview.h"

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RecordBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void recordsTheTapAndShowsCountAndSize();
    void showsWhyRecordingStopped();
    void startsANewFileWhenNoneIsChosen();

private:
    std::unique_ptr<RedisServer> m_redis;
    QTemporaryDir m_dir;
};

void tst_RecordBar::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

// In the tap view, as the user sees it: choose a file, press Record, messages arrive, Stop.
void tst_RecordBar::recordsTheTapAndShowsCountAndSize()
{
    TapController tap;
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    tap.setConnectionOptions(o);
    TapRecorder recorder(&tap);
    TapView view(&tap);
    auto *bar = new RecordBar(&recorder);
    view.addBar(bar);
    view.resize(1000, 600);
    view.show();
    tap.addChannel("news");
    QTRY_COMPARE(m_redis->command({"PUBSUB"_ba, "NUMSUB"_ba, "news"_ba}).elements()[1].toInteger(), 1);

    auto *path = bar->findChild<QLineEdit *>(u"recordPath"_s);
    auto *button = bar->findChild<QPushButton *>(u"recordButton"_s);
    auto *stats = bar->findChild<QLabel *>(u"recordStats"_s);
    auto *indicator = bar->findChild<QProgressBar *>(u"recordIndicator"_s);
    QVERIFY(path && button && stats && indicator);
    QVERIFY(!indicator->isVisible());
    const QString file = m_dir.filePath(u"news.ndjson"_s);
    QTest::keyClicks(path, file);
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(recorder.isRecording());
    QCOMPARE(recorder.path(), file);
    QVERIFY(button->isChecked());
    QVERIFY(indicator->isVisible());
    QVERIFY(!path->isEnabled());
    for (int i = 0; i < 25; ++i)
        m_redis->command({"PUBLISH"_ba, "news"_ba, "headline " + QByteArray::number(i)});
    QTRY_VERIFY2(stats->text().startsWith(u"25 messages · "_s), qPrintable(stats->text()));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(!recorder.isRecording());
    QVERIFY(!button->isChecked());
    QVERIFY(!indicator->isVisible());
    QVERIFY2(stats->text().startsWith(u"Last: 25 messages · "_s), qPrintable(stats->text()));
    RecordingReader reader;
    QVERIFY(reader.open(file));
    int count = 0;
    while (reader.next())
        ++count;
    QCOMPARE(count, 25);
}

void tst_RecordBar::showsWhyRecordingStopped()
{
    if (!QFileInfo::exists(u"/dev/full"_s))
        QSKIP("no /dev/full");
    TapRecorder recorder(nullptr);
    RecordBar bar(&recorder);
    bar.show();
    auto *error = bar.findChild<QLabel *>(u"recordError"_s);
    auto *button = bar.findChild<QPushButton *>(u"recordButton"_s);
    bar.setPath(u"/dev/full"_s);
    QVERIFY(bar.startRecording());
    QVERIFY(!error->isVisible());
    recorder.record("c", "x", 1);
    QTest::mouseClick(button, Qt::LeftButton); // stop: the write fails
    QVERIFY(!recorder.isRecording());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"No space left on device"_s), qPrintable(error->text()));

    bar.setPath(m_dir.filePath(u"missing/dir/x.ndjson"_s));
    QVERIFY(!bar.startRecording());
    QVERIFY(!button->isChecked());
    QVERIFY2(error->text().startsWith(u"Cannot record to "_s), qPrintable(error->text()));
}

void tst_RecordBar::startsANewFileWhenNoneIsChosen()
{
    TapRecorder recorder(nullptr);
    RecordBar bar(&recorder);
    QVERIFY(bar.startRecording());
    QVERIFY(recorder.path().startsWith(RecordBar::defaultDirectory() + u"/tap-"_s));
    QVERIFY(recorder.path().endsWith(u".ndjson"_s));
    QCOMPARE(bar.path(), recorder.path());
    recorder.stop();
    QVERIFY(QFile::remove(recorder.path()));
}

QTEST_MAIN(tst_RecordBar)
#include "tst_recordbar.moc"
