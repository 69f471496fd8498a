// SPDX-License-Identifier: MIT
#include "localbus.h"

using namespace Qt::StringLiterals;

LocalBus::LocalBus(QObject *parent)
    : MessageBus(parent)
{}

void LocalBus::start()
{
    if (m_running)
        return;
    m_running = true;
    Q_EMIT connectedChanged(true);
    const QList<QByteArray> channels = m_refs.keys();
    for (const QByteArray &channel : channels)
        Q_EMIT subscribed(channel);
}

void LocalBus::stop()
{
    if (m_running) {
        m_running = false;
        deliver();
        m_refs.clear();
        Q_EMIT connectedChanged(false);
    }
    QMetaObject::invokeMethod(this, &MessageBus::stopped, Qt::QueuedConnection);
}

QString LocalBus::description() const
{
    return u"in-process bus (single instance, no Redis)"_s;
}

void LocalBus::publish(const QByteArray &channel, const QByteArray &payload)
{
    m_queue.emplace_back(channel, payload);
    scheduleDelivery();
}

void LocalBus::publishRecorded(const QByteArray &channel, const QByteArray &payload, const QByteArray &origin,
                               quint64 seq)
{
    if (!m_history.isEnabled()) {
        publish(channel, payload);
        return;
    }
    const QByteArray delivered = m_history.append(channel, payload, origin, seq);
    if (!delivered.isEmpty())
        publish(channel, delivered);
}

void LocalBus::readHistory(const QByteArray &channel, const QByteArray &since, int count, QObject *context,
                           HistoryCallback done)
{
    // Read now, answered in order with deliveries: what was published before this call is in the
    // page, what comes after arrives as messages.
    QTimer::singleShot(
        0, context, [page = m_history.read(channel, since, count), done = std::move(done)] { done(page); });
}

void LocalBus::subscribe(const QByteArray &channel)
{
    const bool first = ++m_refs[channel] == 1;
    if (first) {
        // Confirm asynchronously, in order with deliveries, as Redis would.
        QMetaObject::invokeMethod(
            this,
            [this, channel] {
                if (isSubscribed(channel))
                    Q_EMIT subscribed(channel);
            },
            Qt::QueuedConnection);
    }
}

void LocalBus::unsubscribe(const QByteArray &channel)
{
    auto it = m_refs.find(channel);
    if (it == m_refs.end())
        return;
    if (--it.value() <= 0)
        m_refs.erase(it);
}

bool LocalBus::isSubscribed(const QByteArray &channel) const
{
    return m_running && m_refs.value(channel) > 0;
}

void LocalBus::scheduleDelivery()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &LocalBus::deliver, Qt::QueuedConnection);
}

void LocalBus::deliver()
{
    m_scheduled = false;
    std::deque<std::pair<QByteArray, QByteArray>> batch;
    batch.swap(m_queue);
    for (const auto &[channel, payload] : batch) {
        if (m_refs.value(channel) > 0)
            Q_EMIT message(channel, payload);
    }
}
