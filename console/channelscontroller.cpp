// SPDX-License-Identifier: MIT
#include "channelscontroller.h"

#include "channellistmodel.h"
#include "channeltreemodel.h"
#include "clusterchannelmonitor.h"
#include "clusternodesmodel.h"
#include "pubsubclientmodel.h"
#include "redisconnection.h"
#include "relaydirectory.h"

ChannelsController::ChannelsController(QObject *parent)
    : QObject(parent)
    , m_directory(new RelayDirectory(this))
    , m_list(new ChannelListModel(this))
    , m_tree(new ChannelTreeModel(this))
    , m_clients(new PubSubClientModel(this))
    , m_nodes(new ClusterNodesModel(this))
{
    m_list->setRelayDirectory(m_directory);
    m_tree->setRelayDirectory(m_directory);
}

ChannelsController::~ChannelsController() = default;

void ChannelsController::attach(RedisConnection *connection)
{
    detach();
    if (!connection)
        return;
    m_connection = connection;
    m_monitor = new ChannelMonitor(connection, this);
    m_monitor->setBudget(m_budget);
    connect(m_monitor, &ChannelMonitor::snapshotReady, this, &ChannelsController::onSnapshot);
    connect(m_monitor, &ChannelMonitor::refreshFailed, this, [this](const QString &error) {
        m_lastError = error;
        Q_EMIT refreshFailed(error);
    });
    connect(connection, &QObject::destroyed, this, [this] { detach(); });
    m_directory->start(connection->options());
    m_monitor->setInterval(m_interval);
    m_monitor->refresh();
}

void ChannelsController::attachCluster(RedisClusterConnection *cluster, RedisConnection *node)
{
    detach();
    if (!cluster || !node)
        return;
    m_connection = node;
    m_clusterMonitor = new ClusterChannelMonitor(cluster, this);
    m_clusterMonitor->setBudget(m_budget);
    connect(m_clusterMonitor, &ClusterChannelMonitor::snapshotReady, this, &ChannelsController::onSnapshot);
    connect(m_clusterMonitor, &ClusterChannelMonitor::refreshFailed, this, [this](const QString &error) {
        m_lastError = error;
        Q_EMIT refreshFailed(error);
    });
    connect(node, &QObject::destroyed, this, [this] { detach(); });
    m_nodes->attach(m_clusterMonitor);
    m_directory->start(node->options());
    m_directory->followSharded(cluster);
    m_clusterMonitor->setInterval(m_interval);
    m_clusterMonitor->refresh();
}

void ChannelsController::detach()
{
    if (m_monitor) {
        m_monitor->disconnect(this);
        delete m_monitor;
        m_monitor = nullptr;
    }
    if (m_clusterMonitor) {
        m_nodes->attach(nullptr);
        m_clusterMonitor->disconnect(this);
        delete m_clusterMonitor;
        m_clusterMonitor = nullptr;
    }
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
    if (m_monitor)
        m_monitor->setInterval(interval);
    if (m_clusterMonitor)
        m_clusterMonitor->setInterval(interval);
    Q_EMIT refreshIntervalChanged(interval);
}

void ChannelsController::refresh()
{
    if (m_monitor)
        m_monitor->refresh();
    if (m_clusterMonitor)
        m_clusterMonitor->refresh();
}

void ChannelsController::setPollBudget(const PollBudget &budget)
{
    m_budget = budget;
    if (m_monitor)
        m_monitor->setBudget(budget);
    if (m_clusterMonitor)
        m_clusterMonitor->setBudget(budget);
}

bool ChannelsController::isRefreshing() const
{
    return (m_monitor && m_monitor->isRefreshing()) || (m_clusterMonitor && m_clusterMonitor->isRefreshing());
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

void ChannelsController::onSnapshot(const PubSubSnapshot &snapshot)
{
    m_last = snapshot;
    m_lastError.clear();
    if (snapshot.channelsRefreshed) {
        m_list->applySnapshot(snapshot);
        m_tree->applySnapshot(snapshot);
    }
    if (snapshot.clientsRefreshed)
        m_clients->applySnapshot(snapshot);
    Q_EMIT snapshotReady(snapshot);
}
