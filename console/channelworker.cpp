// SPDX-License-Identifier: MIT
#include "channelworker.h"

#include "clusterchannelmonitor.h"
#include "redisclusterconnection.h"

ChannelWorker::ChannelWorker(quint64 generation, QObject *parent)
    : QObject(parent)
    , m_generation(generation)
{}

void ChannelWorker::start(const RedisConnectionOptions &options, std::chrono::milliseconds interval,
                          const PollBudget &budget)
{
    RedisConnectionOptions own = options;
    if (!own.clientName.isEmpty())
        own.clientName += QLatin1StringView(":channels");
    if (own.url.topology() == RedisUrl::Topology::Cluster) {
        m_cluster = new RedisClusterConnection(own, this);
        m_clusterMonitor = new ClusterChannelMonitor(m_cluster, this);
        m_clusterMonitor->setBudget(budget);
        connect(m_clusterMonitor, &ClusterChannelMonitor::snapshotReady, this, &ChannelWorker::onSnapshot);
        connect(m_clusterMonitor, &ClusterChannelMonitor::refreshFailed, this, &ChannelWorker::refreshFailed);
        connect(m_clusterMonitor, &ClusterChannelMonitor::nodesReady, this, &ChannelWorker::nodesReady);
        m_cluster->open();
        m_clusterMonitor->setInterval(interval);
        m_clusterMonitor->refresh();
        return;
    }
    m_connection = new RedisConnection(own, this);
    m_monitor = new ChannelMonitor(m_connection, this);
    m_monitor->setBudget(budget);
    connect(m_monitor, &ChannelMonitor::snapshotReady, this, &ChannelWorker::onSnapshot);
    connect(m_monitor, &ChannelMonitor::refreshFailed, this, &ChannelWorker::refreshFailed);
    m_connection->open();
    m_monitor->setInterval(interval);
    m_monitor->refresh();
}

void ChannelWorker::setInterval(std::chrono::milliseconds interval)
{
    if (m_monitor)
        m_monitor->setInterval(interval);
    if (m_clusterMonitor)
        m_clusterMonitor->setInterval(interval);
}

void ChannelWorker::setBudget(const PollBudget &budget)
{
    if (m_monitor)
        m_monitor->setBudget(budget);
    if (m_clusterMonitor)
        m_clusterMonitor->setBudget(budget);
}

void ChannelWorker::refresh()
{
    if (m_monitor)
        m_monitor->refresh();
    if (m_clusterMonitor)
        m_clusterMonitor->refresh();
}

void ChannelWorker::applied()
{
    m_inFlight = false;
    if (m_pending)
        handOver();
}

void ChannelWorker::onSnapshot(const PubSubSnapshot &snapshot)
{
    if (m_pending) {
        // Not handed over yet: the newer round replaces it, keeping what the older one refreshed.
        const bool channels = m_pending->channelsRefreshed;
        const bool clients = m_pending->clientsRefreshed;
        m_pending = snapshot;
        m_pending->channelsRefreshed = m_pending->channelsRefreshed || channels;
        m_pending->clientsRefreshed = m_pending->clientsRefreshed || clients;
    } else {
        m_pending = snapshot;
    }
    if (!m_inFlight)
        handOver();
}

void ChannelWorker::handOver()
{
    auto round = std::make_shared<ChannelRound>();
    round->snapshot = std::move(*m_pending);
    m_pending.reset();
    round->generation = m_generation;
    if (round->snapshot.channelsRefreshed) {
        round->diff = std::make_shared<const ChannelDiff>(m_differ.diff(round->snapshot.channels));
        round->snapshot.channels = m_differ.last(); // sorted, shared with the differ
    }
    m_inFlight = true;
    Q_EMIT roundReady(round);
}
