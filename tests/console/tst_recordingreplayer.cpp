// SPDX-License-Identifier: MIT
#include "localbus.h"
#include "recordingreplayer.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "taprecorder.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
struct Received
{
    QByteArray channel;
    QByteArray payload;
    qint64 atMs;
};
} // namespace

class tst_RecordingReplayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void deliversEveryMessageInOrderAsFastAsPossible();
    void honoursTheRecordedGaps_data();
    void honoursTheRecordedGaps();
    void pauseHoldsAndResumeKeepsTheGaps();
    void stopEndsTheReplay();
    void readOnlyProfileRefuses();
    void replaysIntoTheRelaysBus();
    void aRefusedPublishStopsTheReplay();
    void leavesOutRelayHeartbeatsUnlessAsked_data();
    void leavesOutRelayHeartbeatsUnlessAsked();

private:
    QString writeRecording(const QList<qint64> &ts, const QByteArray &extraLine = {});
    RedisConnectionOptions options() const;
    std::unique_ptr<RedisServer> m_redis;
    QTemporaryDir m_dir;
    int m_files = 0;
    RedisConnection *m_publisher = nullptr;
    RedisSubscriber *m_subscriber = nullptr;
    QElapsedTimer m_clock;
    QList<Received> m_received;
};

void tst_RecordingReplayer::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

RedisConnectionOptions tst_RecordingReplayer::options() const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    return o;
}

// A publishing connection for the replayer, and a subscriber on replay:* that timestamps arrivals.
void tst_RecordingReplayer::init()
{
    m_received.clear();
    m_clock.start();
    m_publisher = new RedisConnection(options(), this);
    m_publisher->open();
    QTRY_VERIFY(m_publisher->isReady());
    m_subscriber = new RedisSubscriber(options(), this);
    connect(m_subscriber, &RedisSubscriber::pmessage, this,
            [this](const QByteArray &, const QByteArray &channel, const QByteArray &payload) {
                m_received.append({channel, payload, m_clock.elapsed()});
            });
    QSignalSpy subscribed(m_subscriber, &RedisSubscriber::psubscribed);
    m_subscriber->open();
    m_subscriber->psubscribe("replay:*");
    QVERIFY(subscribed.wait(5000));
}

void tst_RecordingReplayer::cleanup()
{
    delete m_subscriber;
    delete m_publisher;
    m_subscriber = nullptr;
    m_publisher = nullptr;
}

// Message i on replay:<i % 4>, payload "m<i>", at the given ts.
QString tst_RecordingReplayer::writeRecording(const QList<qint64> &ts, const QByteArray &extraLine)
{
    const QString path = m_dir.filePath(u"rec%1.ndjson"_s.arg(++m_files));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i < ts.size(); ++i) {
        file.write(TapRecorder::encodeLine("replay:" + QByteArray::number(i % 4), "m" + QByteArray::number(i),
                                           ts[i]));
        if (i == 1 && !extraLine.isEmpty())
            file.write(extraLine + '\n');
    }
    return path;
}

void tst_RecordingReplayer::deliversEveryMessageInOrderAsFastAsPossible()
{
    const int count = 5000;
    QList<qint64> ts;
    for (int i = 0; i < count; ++i)
        ts.append(1733500000000 + qint64(i) * 1000); // 83 minutes at 1x
    const QString path = writeRecording(ts, "not json");
    RecordingReplayer replayer;
    replayer.setSpeed(0);
    replayer.setMaxInFlight(16);
    // Count what the target has not answered yet.
    RecordingReplayer::Target target = RecordingReplayer::redisTarget(m_publisher, u"test"_s, false);
    int outstanding = 0;
    int mostOutstanding = 0;
    const RecordingReplayer::Publish publish = target.publish;
    target.publish = [&](const QByteArray &c, const QByteArray &p, QObject *context,
                         RecordingReplayer::Done done) {
        mostOutstanding = qMax(mostOutstanding, ++outstanding);
        publish(c, p, context, [&outstanding, done](const QString &error) {
            --outstanding;
            done(error);
        });
    };
    QSignalSpy finished(&replayer, &RecordingReplayer::finished);
    QString error;
    QVERIFY2(replayer.start(path, target, &error), qPrintable(error));
    QCOMPARE(replayer.state(), RecordingReplayer::State::Running);
    QVERIFY(finished.wait(30000));
    QCOMPARE(replayer.state(), RecordingReplayer::State::Finished);
    QCOMPARE(replayer.published(), quint64(count));
    QCOMPARE(replayer.skippedLines(), 1u);
    QCOMPARE(replayer.reader().errors(), QStringList{u"line 3: not JSON (illegal value at column 1)"_s});
    QCOMPARE(replayer.fraction(), 1.0);
    QVERIFY(m_clock.elapsed() < 30000);
    QCOMPARE(mostOutstanding, 16);
    QCOMPARE(finished.first().at(1).toString(),
             u"Replayed 5,000 messages into test. 1 malformed line(s) skipped."_s);
    QTRY_COMPARE(m_received.size(), count);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(m_received[i].channel, "replay:" + QByteArray::number(i % 4));
        QCOMPARE(m_received[i].payload, "m" + QByteArray::number(i));
    }
}

void tst_RecordingReplayer::honoursTheRecordedGaps_data()
{
    QTest::addColumn<double>("speed");
    QTest::addColumn<QList<qint64>>("ts");
    // The gaps at 1x: 0, 300, 150, 600 ms (and a ts that goes backwards: no gap).
    QTest::newRow("1x") << 1.0 << QList<qint64>{1000, 1000, 1300, 1450, 1400, 2050};
    QTest::newRow("2x") << 2.0 << QList<qint64>{1000, 1000, 1600, 1900, 1800, 3100};
    QTest::newRow("10x") << 10.0 << QList<qint64>{0, 0, 3000, 4500, 4000, 10500};
}

void tst_RecordingReplayer::honoursTheRecordedGaps()
{
    QFETCH(double, speed);
    QFETCH(QList<qint64>, ts);
    const QList<qint64> expected{0, 0, 300, 450, 450, 1050}; // ms after the first, at this speed
    RecordingReplayer replayer;
    replayer.setSpeed(speed);
    QSignalSpy finished(&replayer, &RecordingReplayer::finished);
    QVERIFY(replayer.start(writeRecording(ts), RecordingReplayer::redisTarget(m_publisher, u"t"_s, false)));
    QVERIFY(finished.wait(10000));
    QTRY_COMPARE(m_received.size(), ts.size());
    const qint64 first = m_received.first().atMs;
    for (int i = 0; i < ts.size(); ++i) {
        QCOMPARE(m_received[i].payload, "m" + QByteArray::number(i));
        const qint64 offset = m_received[i].atMs - first;
        // Within the jitter of delivery through Redis on a loaded machine.
        QVERIFY2(offset >= expected[i] - 40 && offset <= expected[i] + 150,
                 qPrintable(u"message %1 arrived %2 ms after the first, expected %3"_s.arg(i).arg(offset).arg(
                     expected[i])));
    }
}

void tst_RecordingReplayer::pauseHoldsAndResumeKeepsTheGaps()
{
    RecordingReplayer replayer;
    QSignalSpy published(&replayer, &RecordingReplayer::messagePublished);
    QVERIFY(replayer.start(writeRecording({0, 400, 800}),
                           RecordingReplayer::redisTarget(m_publisher, u"t"_s, false)));
    QVERIFY(published.wait(5000));
    replayer.pause();
    QCOMPARE(replayer.state(), RecordingReplayer::State::Paused);
    QElapsedTimer paused;
    paused.start();
    QVERIFY(!published.wait(900)); // more than the next gap: nothing goes out while paused
    QCOMPARE(published.size(), 1);
    QTRY_COMPARE(m_received.size(), 1);
    const qint64 resumedAt = m_clock.elapsed();
    replayer.resume();
    QTRY_COMPARE_WITH_TIMEOUT(m_received.size(), 3, 5000);
    // The second was due 400 ms after start; the pause did not count, so about 400 ms after the first.
    const qint64 afterResume = m_received[1].atMs - resumedAt;
    QVERIFY2(afterResume >= 400 - 40 && afterResume <= 400 + 150, qPrintable(QString::number(afterResume)));
    const qint64 gap = m_received[2].atMs - m_received[1].atMs;
    QVERIFY2(gap >= 400 - 40 && gap <= 400 + 150, qPrintable(QString::number(gap)));
    QCOMPARE(replayer.state(), RecordingReplayer::State::Finished);
}

void tst_RecordingReplayer::stopEndsTheReplay()
{
    RecordingReplayer replayer;
    QSignalSpy published(&replayer, &RecordingReplayer::messagePublished);
    QSignalSpy finished(&replayer, &RecordingReplayer::finished);
    QVERIFY(replayer.start(writeRecording({0, 60000}),
                           RecordingReplayer::redisTarget(m_publisher, u"t"_s, false)));
    QVERIFY(published.wait(5000));
    QVERIFY(replayer.fraction() > 0 && replayer.fraction() < 1);
    replayer.stop();
    QCOMPARE(replayer.state(), RecordingReplayer::State::Stopped);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(replayer.summary(), u"Stopped after 1 of the recording's messages."_s);
    QVERIFY(!finished.wait(300));
    QCOMPARE(m_received.size(), 1);
}

void tst_RecordingReplayer::readOnlyProfileRefuses()
{
    RecordingReplayer replayer;
    QString error;
    const QString path = writeRecording({0, 1});
    QVERIFY(
        !replayer.start(path, RecordingReplayer::redisTarget(m_publisher, u"production"_s, true), &error));
    QCOMPARE(error,
             u"The profile \"production\" is read-only: replay would publish to it, so it is disabled."_s);
    QCOMPARE(replayer.state(), RecordingReplayer::State::Idle);
    LocalBus bus;
    QVERIFY(!replayer.start(path, RecordingReplayer::busTarget(&bus, u"relay"_s, true), &error));
    QVERIFY2(error.contains(u"read-only"_s), qPrintable(error));
    QVERIFY(!replayer.start(path, RecordingReplayer::redisTarget(nullptr, u"x"_s, false), &error));
    QCOMPARE(error, u"Not connected to Redis."_s);
    QVERIFY(!replayer.start(path, RecordingReplayer::busTarget(nullptr, u"x"_s, false), &error));
    QCOMPARE(error, u"The embedded relay is not running."_s);
    QVERIFY(!QSignalSpy(m_subscriber, &RedisSubscriber::pmessage).wait(200));
    QVERIFY(m_received.isEmpty());
}

void tst_RecordingReplayer::replaysIntoTheRelaysBus()
{
    LocalBus bus;
    bus.start();
    for (int i = 0; i < 4; ++i)
        bus.subscribe("replay:" + QByteArray::number(i));
    QByteArrayList heard;
    connect(&bus, &MessageBus::message, this,
            [&heard](const QByteArray &, const QByteArray &payload) { heard.append(payload); });
    QList<qint64> ts;
    for (int i = 0; i < 1000; ++i)
        ts.append(i);
    RecordingReplayer replayer;
    replayer.setSpeed(0);
    replayer.setMaxInFlight(100);
    QSignalSpy finished(&replayer, &RecordingReplayer::finished);
    QVERIFY(replayer.start(writeRecording(ts), RecordingReplayer::busTarget(&bus, u"relay"_s, false)));
    QVERIFY(finished.wait(10000));
    QCOMPARE(replayer.state(), RecordingReplayer::State::Finished);
    QTRY_COMPARE(heard.size(), 1000);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(heard[i], "m" + QByteArray::number(i));
}

// An ACL user without the right to publish: the first refusal ends the replay and says why.
void tst_RecordingReplayer::aRefusedPublishStopsTheReplay()
{
    m_redis->command({"ACL"_ba, "SETUSER"_ba, "reader"_ba, "on"_ba, ">pw"_ba, "~*"_ba, "&*"_ba, "+@all"_ba,
                      "-publish"_ba});
    RedisConnectionOptions o = options();
    o.url = RedisUrl::parse(u"redis://reader:pw@127.0.0.1:%1"_s.arg(m_redis->port()));
    RedisConnection reader(o);
    reader.open();
    QTRY_VERIFY(reader.isReady());
    RecordingReplayer replayer;
    replayer.setSpeed(0);
    QSignalSpy finished(&replayer, &RecordingReplayer::finished);
    QVERIFY(
        replayer.start(writeRecording({0, 1, 2}), RecordingReplayer::redisTarget(&reader, u"ro"_s, false)));
    QVERIFY(finished.wait(5000));
    QCOMPARE(replayer.state(), RecordingReplayer::State::Failed);
    QVERIFY2(replayer.summary().startsWith(u"ro refused a publish to replay:0 after 0 messages: NOPERM"_s),
             qPrintable(replayer.summary()));
    QCOMPARE(replayer.published(), 0u);
}

void tst_RecordingReplayer::leavesOutRelayHeartbeatsUnlessAsked_data()
{
    QTest::addColumn<bool>("skip");
    QTest::newRow("default: left out") << true;
    QTest::newRow("asked for") << false;
}

void tst_RecordingReplayer::leavesOutRelayHeartbeatsUnlessAsked()
{
    QFETCH(bool, skip);
    const QString path = m_dir.filePath(u"plumbing%1.ndjson"_s.arg(skip));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(TapRecorder::encodeLine("replay:a", "1", 0));
    file.write(TapRecorder::encodeLine("replay:switchboard:relays", "{\"instance\":\"gone\"}", 1));
    file.write(TapRecorder::encodeLine("replay:switchboard:probe:r1", "p", 2));
    file.write(TapRecorder::encodeLine("replay:b", "2", 3));
    file.close();
    QVERIFY(RecordingReplayer::isRelayPlumbing("switchboard:relays"));
    QVERIFY(!RecordingReplayer::isRelayPlumbing("room:switchboard"));
    RecordingReplayer replayer;
    QCOMPARE(replayer.skipsRelayPlumbing(), true);
    replayer.setSkipRelayPlumbing(skip);
    replayer.setSpeed(0);
    QSignalSpy finished(&replayer, &RecordingReplayer::finished);
    QVERIFY(replayer.start(path, RecordingReplayer::redisTarget(m_publisher, u"t"_s, false)));
    QVERIFY(finished.wait(5000));
    QCOMPARE(replayer.published(), skip ? 2u : 4u);
    QCOMPARE(replayer.skippedPlumbing(), skip ? 2u : 0u);
    QTRY_COMPARE(m_received.size(), skip ? 2 : 4);
    QCOMPARE(m_received.last().payload, "2"_ba);
    if (skip)
        QCOMPARE(replayer.summary(),
                 u"Replayed 2 messages into t. 2 relay heartbeat(s) and probe(s) left out."_s);
}

QTEST_MAIN(tst_RecordingReplayer)
#include "tst_recordingreplayer.moc"
