// SPDX-License-Identifier: MIT
#include "channelscontroller.h"

#include "channellistmodel.h"
#include "channeltreemodel.h"
#include "clusterchannelmonitor.h"
#include "clusternodesmodel.h"
#include "historykeyscanner.h"
#include "pubsubclientmodel.h"
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "relaydirectory.h"

#include <QDeadlineTimer>
#include <QThread>

namespace {
// GUI time per event-loop turn for applying a round, per model (proxies and views included).
constexpr int SliceMs = 6;
} // namespace

ChannelsController::ChannelsController(QObject *parent)
    : QObject(parent)
    , m_directory(new RelayDirectory(this))
    , m_list(new ChannelListModel(this))
    , m_tree(new ChannelTreeModel(this))
    , m_clients(new PubSubClientModel(this))
    , m_nodes(new ClusterNodesModel(this))
    , m_history(new HistoryKeyScanner(this))
{
    qRegisterMetaType<ChannelRoundPtr>();
    qRegisterMetaType<QList<ClusterNodeStatus>>();
    m_list->setRelayDirectory(m_directory);
    m_tree->setRelayDirectory(m_directory);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, &ChannelsController::applySlice);
}

ChannelsController::~ChannelsController()
{
    stopWorker();
}

void ChannelsController::attach(RedisConnection *connection)
{
    detach();
    if (!connection)
        return;
    startWorker(connection, connection->options());
    m_history->attach(connection);
}

// Polls with options on the worker's thread: one server, or every node of a Cluster.
void ChannelsController::startWorker(RedisConnection *connection, const RedisConnectionOptions &options)
{
    m_connection = connection;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("channels"));
    m_worker = new ChannelWorker(++m_generation);
    m_worker->moveToThread(m_thread);
    // The worker, its connection and its monitor are deleted on their thread when it ends.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ChannelWorker::roundReady, this, &ChannelsController::onRound);
    connect(m_worker, &ChannelWorker::refreshFailed, this, [this](const QString &error) {
        m_refreshing = false;
        startDirectory();
        m_lastError = error;
        Q_EMIT refreshFailed(error);
    });
    connect(m_worker, &ChannelWorker::nodesReady, m_nodes, &ClusterNodesModel::applyNodes);
    connect(connection, &QObject::destroyed, this, [this] { detach(); });
    m_thread->start();
    m_refreshing = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, o = options, i = m_interval, b = m_budget] {
        w->start(o, i, b);
    });
    // The relay directory starts listening once the first round is in, as it did when rounds ran on
    // the attached (already open) connection: its own pattern subscription is not in the first count.
    m_directoryPending = true;
}

void ChannelsController::startDirectory()
{
    if (std::exchange(m_directoryPending, false) && m_connection)
        m_directory->start(m_connection->options());
}

void ChannelsController::stopWorker()
{
    if (!m_thread)
        return;
    m_worker->disconnect(this);
    m_thread->quit();
    m_thread->wait(); // the worker finishes the step it is in (a reply, a diff) and is deleted
    delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr;
    ++m_generation; // rounds already queued to this object are ignored
}

void ChannelsController::attachCluster(RedisClusterConnection *cluster, RedisConnection *node)
{
    detach();
    if (!cluster || !node)
        return;
    // The worker asks every node through a Cluster connection of its own (ClusterChannelMonitor).
    m_cluster = true;
    startWorker(node, cluster->options());
    m_directory->followSharded(cluster);
    m_history->attachCluster(cluster);
}

void ChannelsController::detach()
{
    stopWorker();
    m_history->detach();
    m_cluster = false;
    m_nodes->applyNodes({});
    m_sliceTimer.stop();
    m_rounds.clear();
    m_refreshing = false;
    m_directoryPending = false;
    if (m_connection)
        disconnect(m_connection, &QObject::destroyed, this, nullptr);
    m_connection = nullptr;
    m_directory->stop();
    m_last = PubSubSnapshot{};
    m_lastError.clear();
    m_list->applySnapshot(m_last);
    m_tree->applySnapshot(m_last);
    m_clients->applySnapshot(m_last);
}

bool ChannelsController::isAttached() const
{
    return m_connection != nullptr;
}

RedisConnection *ChannelsController::connection() const
{
    return m_connection;
}

void ChannelsController::setRefreshInterval(std::chrono::milliseconds interval)
{
    if (interval.count() < 0)
        interval = std::chrono::milliseconds(0);
    if (interval == m_interval)
        return;
    m_interval = interval;
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker, interval] { w->setInterval(interval); });
    Q_EMIT refreshIntervalChanged(interval);
}

void ChannelsController::refresh()
{
    if (!m_worker)
        return;
    m_refreshing = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->refresh(); });
    m_history->scan();
}

void ChannelsController::setPollBudget(const PollBudget &budget)
{
    m_budget = budget;
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker, budget] { w->setBudget(budget); });
}

bool ChannelsController::isRefreshing() const
{
    return m_refreshing || !m_rounds.empty();
}

void ChannelsController::setTraffic(const ChannelTrafficMap &traffic)
{
    m_list->setTraffic(traffic);
    m_tree->setTraffic(traffic);
}

qint64 ChannelsController::subscribersFor(const QByteArray &channel) const
{
    return m_list->subscribersFor(channel);
}

void ChannelsController::onRound(const ChannelRoundPtr &round)
{
    if (round->generation != m_generation)
        return;
    m_rounds.push_back(round);
    if (m_rounds.size() > 1)
        return;
    if (round->snapshot.channelsRefreshed)
        m_list->setClusterKinds(round->snapshot);
    if (round->diff) {
        m_list->beginDiff(round->diff);
        m_tree->beginDiff(round->diff);
    }
    applySlice();
}

void ChannelsController::applySlice()
{
    const bool listDone = m_list->applyDiffSlice(QDeadlineTimer(SliceMs, Qt::PreciseTimer));
    const bool treeDone = m_tree->applyDiffSlice(QDeadlineTimer(SliceMs, Qt::PreciseTimer));
    if (!listDone || !treeDone) {
        m_sliceTimer.start();
        return;
    }
    m_sliceTimer.stop();
    finishRound();
}

void ChannelsController::finishRound()
{
    ChannelRoundPtr round = std::move(m_rounds.front());
    m_rounds.pop_front();
    m_refreshing = false;
    PubSubSnapshot old = std::exchange(m_last, round->snapshot);
    m_lastError.clear();
    if (m_last.clientsRefreshed)
        m_clients->applySnapshot(m_last);
    // The round and the snapshot before it may hold the last references to a million names: they are
    // released on the worker's thread, not here.
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker, round = std::move(round), old = std::move(old)] {
            Q_UNUSED(round);
            Q_UNUSED(old);
            w->applied();
        });
    const QPointer<ChannelsController> alive(this);
    Q_EMIT snapshotReady(m_last);
    if (alive)
        startDirectory();
    if (alive)
        m_history->scanIfDue();
    if (alive && !m_rounds.empty()) {
        const ChannelRoundPtr next = m_rounds.front();
        m_rounds.pop_front();
        onRound(next);
    }
}
