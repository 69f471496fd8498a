// SPDX-License-Identifier: MIT
#include "channelscontroller.h"

#include <algorithm>

ChannelsController::ChannelsController(QObject *parent)
    : QObject(parent)
{}

ChannelsController::~ChannelsController() = default;

void ChannelsController::attach(RedisConnection *connection)
{
    detach();
    if (!connection)
        return;
    m_monitor = std::make_unique<ChannelMonitor>(connection);
    connect(m_monitor.get(), &ChannelMonitor::snapshotReady, this, [this](const PubSubSnapshot &snapshot) {
        m_last = snapshot;
        m_list.applySnapshot(snapshot);
        m_tree.applySnapshot(snapshot);
        Q_EMIT snapshotReady(snapshot);
    });
    connect(m_monitor.get(), &ChannelMonitor::refreshFailed, this, &ChannelsController::refreshFailed);
    m_monitor->setInterval(m_interval);
    m_monitor->refresh();
}

void ChannelsController::detach()
{
    m_monitor.reset();
}

void ChannelsController::setRefreshInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
    if (m_monitor)
        m_monitor->setInterval(interval);
}

void ChannelsController::refresh()
{
    if (m_monitor)
        m_monitor->refresh();
}

void ChannelsController::setTraffic(const ChannelTrafficMap &traffic)
{
    m_list.setTraffic(traffic);
    m_tree.setTraffic(traffic);
}

qint64 ChannelsController::subscribersFor(const QByteArray &channel) const
{
    const auto &channels = m_last.channels;
    auto it =
        std::lower_bound(channels.cbegin(), channels.cend(), channel,
                         [](const PubSubSnapshot::Channel &c, const QByteArray &n) { return c.name < n; });
    return it != channels.cend() && it->name == channel ? it->subscribers : 0;
}
