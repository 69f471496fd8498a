// SPDX-License-Identifier: MIT
#include "localbus.h"
#include "recordingreplayer.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "replaydialog.h"
#include "taprecorder.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ReplayDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readOnlyTargetSaysWhyAndCannotStart();
    void replaysWithProgressPauseAndStop();

private:
    QString writeRecording(int count, qint64 gapMs);
    std::unique_ptr<RedisServer> m_redis;
    QTemporaryDir m_dir;
};

void tst_ReplayDialog::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

QString tst_ReplayDialog::writeRecording(int count, qint64 gapMs)
{
    const QString path = m_dir.filePath(u"r%1-%2.ndjson"_s.arg(count).arg(gapMs));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < count; ++i)
        file.write(TapRecorder::encodeLine("dialog:" + QByteArray::number(i % 2), "m" + QByteArray::number(i),
                                           1000 + i * gapMs));
    return path;
}

void tst_ReplayDialog::readOnlyTargetSaysWhyAndCannotStart()
{
    LocalBus bus;
    bus.start();
    RecordingReplayer replayer;
    ReplayDialog dialog(&replayer, [&bus] {
        return QList<RecordingReplayer::Target>{RecordingReplayer::redisTarget(nullptr, u"prod"_s, true),
                                                RecordingReplayer::busTarget(&bus, u"relay"_s, false)};
    });
    dialog.show();
    auto *target = dialog.findChild<QComboBox *>(u"replayTarget"_s);
    auto *refusal = dialog.findChild<QLabel *>(u"replayRefusal"_s);
    auto *start = dialog.findChild<QPushButton *>(u"replayStart"_s);
    QVERIFY(target && refusal && start);
    dialog.setPath(writeRecording(3, 0));
    QCOMPARE(target->count(), 2);
    QCOMPARE(target->currentIndex(), 0);
    QVERIFY(refusal->isVisible());
    QCOMPARE(refusal->text(),
             u"The profile \"prod\" is read-only: replay would publish to it, so it is disabled."_s);
    QVERIFY(!start->isEnabled());
    QVERIFY(!dialog.startReplay());
    QCOMPARE(replayer.state(), RecordingReplayer::State::Idle);
    target->setCurrentIndex(1);
    QVERIFY(!refusal->isVisible());
    QVERIFY(start->isEnabled());
}

void tst_ReplayDialog::replaysWithProgressPauseAndStop()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    RedisConnection connection(o);
    connection.open();
    QTRY_VERIFY(connection.isReady());
    RecordingReplayer replayer;
    ReplayDialog dialog(&replayer, [&connection] {
        return QList<RecordingReplayer::Target>{
            RecordingReplayer::redisTarget(&connection, u"local"_s, false)};
    });
    dialog.show();
    auto *speed = dialog.findChild<QComboBox *>(u"replaySpeed"_s);
    auto *progress = dialog.findChild<QProgressBar *>(u"replayProgress"_s);
    auto *start = dialog.findChild<QPushButton *>(u"replayStart"_s);
    auto *pause = dialog.findChild<QPushButton *>(u"replayPause"_s);
    auto *stop = dialog.findChild<QPushButton *>(u"replayStop"_s);
    auto *status = dialog.findChild<QLabel *>(u"replayStatus"_s);
    auto *summary = dialog.findChild<QLabel *>(u"replaySummary"_s);
    QVERIFY(speed && progress && start && pause && stop && status && summary);
    QCOMPARE(speed->count(), 4);

    // As fast as possible: done, 100 %.
    dialog.findChild<QLineEdit *>(u"replayPath"_s)->setText(writeRecording(500, 10));
    speed->setCurrentIndex(3);
    QCOMPARE(dialog.speed(), 0.0);
    QVERIFY(!pause->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QTRY_COMPARE(replayer.state(), RecordingReplayer::State::Finished);
    QCOMPARE(progress->value(), 1000);
    QCOMPARE(summary->text(), u"Replayed 500 messages into local."_s);
    QVERIFY(start->isEnabled());

    // At 1x, 200 ms apart: pause holds, resume goes on, stop ends it part of the way.
    dialog.setPath(writeRecording(20, 200));
    dialog.setSpeed(1);
    QSignalSpy published(&replayer, &RecordingReplayer::messagePublished);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(!start->isEnabled());
    QVERIFY(!speed->isEnabled());
    QTRY_COMPARE(published.size(), 2);
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(replayer.state(), RecordingReplayer::State::Paused);
    QCOMPARE(pause->text(), u"Resume"_s);
    QVERIFY2(status->text().endsWith(u" · paused"_s), qPrintable(status->text()));
    QVERIFY(!published.wait(500));
    QTest::mouseClick(pause, Qt::LeftButton);
    QCOMPARE(pause->text(), u"Pause"_s);
    QTRY_COMPARE(published.size(), 4);
    QTRY_VERIFY(progress->value() > 0 && progress->value() < 1000);
    QTRY_VERIFY2(status->text().startsWith(u"4 published into local · 0:00"_s), qPrintable(status->text()));
    QTest::mouseClick(stop, Qt::LeftButton);
    QCOMPARE(replayer.state(), RecordingReplayer::State::Stopped);
    QCOMPARE(summary->text(), u"Stopped after 4 of the recording's messages."_s);
    QVERIFY(!stop->isEnabled());
    QVERIFY(start->isEnabled());
}

QTEST_MAIN(tst_ReplayDialog)
#include "tst_replaydialog.moc"
