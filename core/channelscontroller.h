// SPDX-License-Identifier: MIT
#pragma once

#include "channellistmodel.h"
#include "channelmonitor.h"
#include "channeltreemodel.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <memory>

class RedisConnection;

// The channels feature: polls Redis's Pub/Sub view on the console's command connection and keeps
// the flat and the grouped model current.
class ChannelsController : public QObject
{
    Q_OBJECT

public:
    explicit ChannelsController(QObject *parent = nullptr);
    ~ChannelsController() override;

    void attach(RedisConnection *connection);
    void detach();
    bool isAttached() const { return m_monitor != nullptr; }
    void setRefreshInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds refreshInterval() const { return m_interval; }
    void refresh();
    void setTraffic(const ChannelTrafficMap &traffic);

    ChannelListModel *listModel() { return &m_list; }
    ChannelTreeModel *treeModel() { return &m_tree; }
    const PubSubSnapshot &lastSnapshot() const { return m_last; }
    qint64 subscribersFor(const QByteArray &channel) const;

Q_SIGNALS:
    void snapshotReady(const PubSubSnapshot &snapshot);
    void refreshFailed(const QString &error);

private:
    std::unique_ptr<ChannelMonitor> m_monitor;
    ChannelListModel m_list;
    ChannelTreeModel m_tree;
    PubSubSnapshot m_last;
    std::chrono::milliseconds m_interval{2000};
};
