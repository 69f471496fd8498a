// SPDX-License-Identifier: MIT
#pragma once

#include "localhistory.h"
#include "messagebus.h"

#include <QHash>

#include <deque>
#include <utility>

// In-process stand-in for Redis Pub/Sub: delivery is asynchronous (next event-loop turn) and
// ordered, as it would be through Redis, so relay code behaves the same on both buses.
class LocalBus : public MessageBus
{
    Q_OBJECT
public:
    explicit LocalBus(QObject *parent = nullptr);

    void start() override;
    void stop() override;
    void publish(const QByteArray &channel, const QByteArray &payload) override;
    void subscribe(const QByteArray &channel) override;
    void unsubscribe(const QByteArray &channel) override;
    bool isSubscribed(const QByteArray &channel) const override;
    bool isConnected() const override { return m_running; }
    void setHistory(const BusHistory &history) override { m_history.configure(history); }
    bool hasHistory() const override { return m_history.isEnabled(); }
    void publishRecorded(const QByteArray &channel, const QByteArray &payload, const QByteArray &origin,
                         quint64 seq) override;
    void readHistory(const QByteArray &channel, const QByteArray &since, int count, QObject *context,
                     HistoryCallback done) override;
    QString description() const override;

private:
    void scheduleDelivery();
    void deliver();

    LocalHistory m_history;
    QHash<QByteArray, int> m_refs;
    std::deque<std::pair<QByteArray, QByteArray>> m_queue;
    bool m_scheduled = false;
    bool m_running = false;
};
