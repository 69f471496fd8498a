// SPDX-License-Identifier: MIT
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channeltreemodel.h"
#include "channelworker.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_ChannelWorker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void roundsAreDiffsOfTheLastHandedOver();
    void deletingTheControllerMidRound_data();
    void deletingTheControllerMidRound();
    void detachMidRoundLeavesEmptyModels();

private:
    RedisConnectionOptions options(const QString &name = {}) const;
    // How often Redis ran PUBSUB CHANNELS (INFO commandstats).
    qint64 channelsCalls() const;

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<RedisSubscriber> m_many; // many:<n>, enough for a round to take several turns
};

namespace {
// QAbstractItemModelTester walks every row on each change: under the sanitizers a round of 2,000
// rows applied in slices took over 20 s.
#ifdef SWITCHBOARD_SANITIZED
constexpr int ManyChannels = 300;
#else
constexpr int ManyChannels = 2000;
#endif
}

RedisConnectionOptions tst_ChannelWorker::options(const QString &name) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = name;
    return o;
}

qint64 tst_ChannelWorker::channelsCalls() const
{
    const QByteArray stats = m_redis->command({"INFO"_ba, "commandstats"_ba}).bytes();
    const QByteArray key = "cmdstat_pubsub|channels:calls=";
    const qsizetype at = stats.indexOf(key);
    if (at < 0)
        return 0;
    const qsizetype end = stats.indexOf(',', at);
    return stats.mid(at + key.size(), end - at - key.size()).toLongLong();
}

void tst_ChannelWorker::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_many = std::make_unique<RedisSubscriber>(options(u"many"_s));
    m_many->open();
    for (int i = 0; i < ManyChannels; ++i)
        m_many->subscribe("many:" + QByteArray::number(i));
    QTRY_VERIFY_WITH_TIMEOUT(m_many->isSubscribed("many:" + QByteArray::number(ManyChannels - 1)), 30000);
}

// The worker hands over one round at a time: the next is diffed against the last handed over, and
// rounds that end before applied() replace each other.
void tst_ChannelWorker::roundsAreDiffsOfTheLastHandedOver()
{
    RedisSubscriber sub(options(u"sub"_s));
    sub.open();
    sub.subscribe("worker:a"_ba);
    QTRY_VERIFY(sub.isSubscribed("worker:a"_ba));

    QThread thread;
    auto *worker = new ChannelWorker(7);
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    QList<ChannelRoundPtr> rounds;
    QObject receiver;
    connect(worker, &ChannelWorker::roundReady, &receiver,
            [&rounds](const ChannelRoundPtr &r) { rounds.append(r); });
    thread.start();
    const RedisConnectionOptions o = options(u"worker"_s);
    QMetaObject::invokeMethod(worker, [worker, o] { worker->start(o, 0ms, PollBudget{}); });
    QTRY_COMPARE(rounds.size(), 1);
    const ChannelRoundPtr first = rounds.at(0);
    QCOMPARE(first->generation, quint64(7));
    QVERIFY(first->diff);
    QCOMPARE(first->diff->rowsBefore, 0);
    QCOMPARE(first->diff->rowsAfter, ManyChannels + 1);
    QCOMPARE(first->snapshot.channels.size(), ManyChannels + 1);

    // A round that ends before applied() is held, then handed over as a diff against the first.
    sub.subscribe("worker:b"_ba);
    sub.subscribe("worker:c"_ba);
    QTRY_VERIFY(sub.isSubscribed("worker:c"_ba));
    const qint64 asked = channelsCalls();
    QMetaObject::invokeMethod(worker, [worker] { worker->refresh(); });
    QTRY_VERIFY(channelsCalls() > asked);
    QCOMPARE(rounds.size(), 1);
    QMetaObject::invokeMethod(worker, [worker] { worker->applied(); });
    QTRY_COMPARE(rounds.size(), 2);
    const ChannelDiff &d = *rounds.at(1)->diff;
    QCOMPARE(d.rowsBefore, ManyChannels + 1);
    QCOMPARE(d.rowsAfter, ManyChannels + 3);
    QCOMPARE(d.ops.size(), size_t(1));
    QCOMPARE(d.ops.front().kind, ChannelDiff::Op::Kind::Insert);
    QCOMPARE(d.channels.size(), 2);
    QCOMPARE(d.channels.at(0).name, "worker:b"_ba);

    thread.quit();
    QVERIFY(thread.wait(10000));
    sub.close();
    QTRY_VERIFY(!m_redis->hasClient(u"sub"_s));
}

void tst_ChannelWorker::deletingTheControllerMidRound_data()
{
    QTest::addColumn<int>("when");
    QTest::newRow("right after attach") << 0;
    QTest::newRow("while the worker reads the round") << 1;
    QTest::newRow("while the models apply it") << 2;
    QTest::newRow("during a second round") << 3;
}

// Deleting the controller stops the worker thread and deletes the worker, its connection and its
// monitor on that thread, whatever the round is doing (run under ASan for leaks and use after free).
void tst_ChannelWorker::deletingTheControllerMidRound()
{
    QFETCH(int, when);
    RedisConnection connection(options(u"console"_s));
    connection.open();
    for (int repeat = 0; repeat < 5; ++repeat) {
        auto controller = std::make_unique<ChannelsController>();
        QAbstractItemModelTester listTester(controller->listModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester treeTester(controller->treeModel(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        controller->setRefreshInterval(0ms);
        controller->attach(&connection);
        ChannelListModel *list = controller->listModel();
        if (when == 1)
            QTRY_VERIFY(m_redis->hasClient(u"console:channels"_s));
        if (when == 2)
            QTRY_VERIFY(list->rowCount() > 0);
        if (when == 3) {
            QSignalSpy ready(controller.get(), &ChannelsController::snapshotReady);
            QVERIFY(ready.wait(20000));
            QVERIFY(list->rowCount() >= ManyChannels);
            const qint64 asked = channelsCalls();
            controller->refresh();
            QTRY_VERIFY(channelsCalls() > asked);
        }
        controller.reset();
    }
    // The worker's connections are gone with their controllers.
    QTRY_VERIFY(!m_redis->hasClient(u"console:channels"_s));
    QTRY_VERIFY(connection.isReady());
}

void tst_ChannelWorker::detachMidRoundLeavesEmptyModels()
{
    RedisConnection connection(options(u"console"_s));
    connection.open();
    ChannelsController controller;
    QAbstractItemModelTester listTester(controller.listModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester treeTester(controller.treeModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    controller.setRefreshInterval(0ms);
    QSignalSpy ready(&controller, &ChannelsController::snapshotReady);
    controller.attach(&connection);
    QTRY_VERIFY(controller.listModel()->rowCount() > 0);
    controller.detach();
    QCOMPARE(controller.listModel()->rowCount(), 0);
    QCOMPARE(controller.treeModel()->rowCount(), 0);
    QCOMPARE(controller.treeModel()->channelCount(), 0);
    // Attached again, the first round is complete and nothing of the abandoned one leaks in.
    ready.clear();
    controller.attach(&connection);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QCOMPARE(controller.listModel()->rowCount(), ManyChannels);
    QCOMPARE(controller.treeModel()->channelCount(), ManyChannels);
    QCOMPARE(controller.listModel()->totalSubscribers(), ManyChannels);
    QCOMPARE(controller.treeModel()
                 ->indexFor("many", ChannelColumns::Subscribers)
                 .data(ChannelColumns::SortRole)
                 .toLongLong(),
             ManyChannels);
}

QTEST_MAIN(tst_ChannelWorker)
#include "tst_channelworker.moc"
