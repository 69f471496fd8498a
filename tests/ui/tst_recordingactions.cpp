// SPDX-License-Identifier: MIT
#include "connectioncontroller.h"
#include "embeddedrelay.h"
#include "recordbar.h"
#include "recordingactions.h"
#include "recordingreplayer.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "replaydialog.h"
#include "tapcontroller.h"
#include "taprecorder.h"
#include "tapview.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RecordingActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void putsTheRecordBarInTheTapAndRecords();
    void targetsFollowTheProfileAndTheRelay();
    void replaysIntoRedisOnceConnected();

private:
    ConnectionProfile profile(bool readOnly) const;
    std::unique_ptr<RedisServer> m_redis;
    QTemporaryDir m_dir;
};

void tst_RecordingActions::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

ConnectionProfile tst_RecordingActions::profile(bool readOnly) const
{
    ConnectionProfile p;
    p.name = readOnly ? u"prod"_s : u"dev"_s;
    p.url = m_redis->url();
    p.readOnly = readOnly;
    return p;
}

void tst_RecordingActions::putsTheRecordBarInTheTapAndRecords()
{
    QWidget window;
    TapController tap;
    ConnectionController connection;
    EmbeddedRelay relay;
    auto *view = new TapView(&tap, &window);
    RecordingActions actions(&tap, &connection, &relay, view, &window);
    QCOMPARE(view->findChild<RecordBar *>(), actions.recordBar());
    QVERIFY(view->findChild<QPushButton *>(u"recordButton"_s));
    QCOMPARE(actions.replayAction()->shortcut(), QKeySequence(u"Ctrl+Shift+R"_s));
    const QString path = m_dir.filePath(u"cli.ndjson"_s);
    QString error;
    QVERIFY2(actions.record(path, &error), qPrintable(error));
    QVERIFY(actions.recorder()->isRecording());
    QCOMPARE(actions.recordBar()->path(), path);
    QVERIFY(!actions.record(m_dir.filePath(u"no/dir/x.ndjson"_s), &error));
    QVERIFY2(error.startsWith(u"Cannot record to "_s), qPrintable(error));
}

void tst_RecordingActions::targetsFollowTheProfileAndTheRelay()
{
    QWidget window;
    TapController tap;
    ConnectionController connection;
    EmbeddedRelay relay;
    RecordingActions actions(&tap, &connection, &relay, new TapView(&tap, &window), &window);
    QVERIFY(connection.connectTo(profile(true), QString()));
    QTRY_COMPARE(connection.state(), RedisConnection::State::Ready);
    actions.replayAction()->trigger();
    ReplayDialog *dialog = window.findChild<ReplayDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    auto *target = dialog->findChild<QComboBox *>(u"replayTarget"_s);
    auto *refusal = dialog->findChild<QLabel *>(u"replayRefusal"_s);
    QCOMPARE(target->count(), 2);
    QCOMPARE(target->itemText(0), u"Redis: prod"_s);
    QCOMPARE(refusal->text(),
             u"The profile \"prod\" is read-only: replay would publish to it, so it is disabled."_s);
    target->setCurrentIndex(1);
    QCOMPARE(target->itemText(1), u"Embedded relay (stopped)"_s);
    QCOMPARE(refusal->text(), u"The embedded relay is not running."_s);

    // On the read-only profile's Redis the relay refuses too; on its in-process bus it does not.
    EmbeddedRelay::Settings settings;
    settings.inProcessBus = false;
    settings.redis = *connection.options();
    QVERIFY(relay.start(settings));
    target->setCurrentIndex(1);
    QVERIFY2(refusal->text().contains(u"read-only"_s), qPrintable(refusal->text()));
    relay.stop();
    QTRY_VERIFY(!relay.isRunning() && !relay.isStopping());
    settings.inProcessBus = true;
    QVERIFY(relay.start(settings));
    target->setCurrentIndex(1);
    QVERIFY2(target->currentText().contains(u"in-process bus"_s), qPrintable(target->currentText()));
    QVERIFY(!refusal->isVisible());

    // A writable profile: the Redis target is open.
    QVERIFY(connection.connectTo(profile(false), QString()));
    QTRY_COMPARE(connection.state(), RedisConnection::State::Ready);
    target->setCurrentIndex(0);
    QTRY_COMPARE(target->itemText(0), u"Redis: dev"_s);
    QVERIFY(!refusal->isVisible());
    relay.stop();
}

// --replay: the dialog opens on the file and starts once Redis is connected.
void tst_RecordingActions::replaysIntoRedisOnceConnected()
{
    const QString path = m_dir.filePath(u"replay.ndjson"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 10; ++i)
            file.write(TapRecorder::encodeLine("actions:" + QByteArray::number(i), QByteArray::number(i), i));
    }
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    RedisSubscriber subscriber(o);
    QByteArrayList heard;
    connect(&subscriber, &RedisSubscriber::pmessage, this,
            [&heard](const QByteArray &, const QByteArray &, const QByteArray &payload) {
                heard.append(payload);
            });
    QSignalSpy subscribed(&subscriber, &RedisSubscriber::psubscribed);
    subscriber.open();
    subscriber.psubscribe("actions:*");
    QVERIFY(subscribed.wait(5000));

    QWidget window;
    TapController tap;
    ConnectionController connection;
    EmbeddedRelay relay;
    RecordingActions actions(&tap, &connection, &relay, new TapView(&tap, &window), &window);
    actions.replayWhenReady(path, 0);
    QCOMPARE(actions.replayer()->state(), RecordingReplayer::State::Idle);
    QVERIFY(connection.connectTo(profile(false), QString()));
    QTRY_COMPARE(actions.replayer()->state(), RecordingReplayer::State::Finished);
    QCOMPARE(actions.replayer()->targetName(), u"Redis: dev"_s);
    QTRY_COMPARE(heard.size(), 10);
    QCOMPARE(heard.first(), "0"_ba);
    QCOMPARE(heard.last(), "9"_ba);
}

QTEST_MAIN(tst_RecordingActions)
#include "tst_recordingactions.moc"
