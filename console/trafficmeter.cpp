// SPDX-License-Identifier: MIT
#include "trafficmeter.h"

#include <QDateTime>

#include <algorithm>

TrafficMeter::TrafficMeter(QObject *parent)
    : QObject(parent)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this,
            [this] { Q_EMIT sampled(QDateTime::currentMSecsSinceEpoch()); });
}

void TrafficMeter::start()
{
    m_timer.start();
}

void TrafficMeter::Counter::add(qint64 size, qint64 msecs)
{
    const qint64 sec = msecs / 1000;
    const size_t slot = size_t(sec % (WindowSeconds + 1));
    if (second[slot] != sec) {
        second[slot] = sec;
        messages[slot] = 0;
        bytes[slot] = 0;
    }
    ++messages[slot];
    bytes[slot] += quint64(size);
    ++totalMessages;
    totalBytes += quint64(size);
    lastMs = std::max(lastMs, msecs);
}

ChannelTraffic TrafficMeter::Counter::rates(qint64 msecs) const
{
    // The window is the WindowSeconds complete seconds before the current one.
    const qint64 now = msecs / 1000;
    quint64 m = 0;
    quint64 b = 0;
    for (size_t i = 0; i < messages.size(); ++i) {
        if (second[i] < now && second[i] >= now - WindowSeconds) {
            m += messages[i];
            b += bytes[i];
        }
    }
    ChannelTraffic t;
    t.messagesPerSecond = double(m) / WindowSeconds;
    t.bytesPerSecond = double(b) / WindowSeconds;
    t.messages = totalMessages;
    t.bytes = totalBytes;
    if (lastMs > 0)
        t.lastMessageAt = QDateTime::fromMSecsSinceEpoch(lastMs);
    return t;
}

void TrafficMeter::record(const QByteArray &channel, qint64 bytes, qint64 msecs)
{
    m_total.counter.add(bytes, msecs);
    ++m_total.messages;
    auto it = m_channels.find(channel);
    if (it == m_channels.end()) {
        if (m_channels.size() >= m_channelLimit)
            return; // the totals still count it
        it = m_channels.insert(channel, Counter());
    }
    it->add(bytes, msecs);
}

ChannelTrafficMap TrafficMeter::traffic(qint64 msecs) const
{
    ChannelTrafficMap map;
    map.reserve(m_channels.size());
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it)
        map.insert(it.key(), it->rates(msecs));
    return map;
}

ChannelTrafficMap TrafficMeter::traffic() const
{
    return traffic(QDateTime::currentMSecsSinceEpoch());
}

double TrafficMeter::totalMessagesPerSecond(qint64 msecs) const
{
    return m_total.counter.rates(msecs).messagesPerSecond;
}

double TrafficMeter::totalBytesPerSecond(qint64 msecs) const
{
    return m_total.counter.rates(msecs).bytesPerSecond;
}

QList<QPair<QByteArray, double>> TrafficMeter::topChannels(int n, qint64 msecs) const
{
    QList<QPair<QByteArray, double>> all;
    for (auto it = m_channels.cbegin(); it != m_channels.cend(); ++it) {
        const double rate = it->rates(msecs).messagesPerSecond;
        if (rate > 0)
            all.append({it.key(), rate});
    }
    std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (all.size() > n)
        all.resize(n);
    return all;
}

void TrafficMeter::clear()
{
    m_channels.clear();
    m_total = Total();
}
