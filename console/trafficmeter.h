// SPDX-License-Identifier: MIT
#pragma once

#include "channeltraffic.h"

#include <QObject>
#include <QTimer>

#include <array>

// Message and byte rates per channel over a sliding window of one-second buckets. record()
// takes the time explicitly, so the meter is deterministic under test.
class TrafficMeter : public QObject
{
    Q_OBJECT

public:
    static constexpr int WindowSeconds = 5;

    explicit TrafficMeter(QObject *parent = nullptr);

    void record(const QByteArray &channel, qint64 bytes, qint64 msecs);
    // Rates as of msecs (the window ends at the last complete second).
    ChannelTrafficMap traffic(qint64 msecs) const;
    ChannelTrafficMap traffic() const;
    double totalMessagesPerSecond(qint64 msecs) const;
    double totalBytesPerSecond(qint64 msecs) const;
    QList<QPair<QByteArray, double>> topChannels(int n, qint64 msecs) const;
    quint64 totalMessages() const { return m_total.messages; }
    void setChannelLimit(int limit) { m_channelLimit = limit; }
    void clear();
    // Emits sampled() every second while started.
    void start();

Q_SIGNALS:
    void sampled(qint64 msecs);

private:
    struct Counter
    {
        std::array<quint32, WindowSeconds + 1> messages{};
        std::array<quint64, WindowSeconds + 1> bytes{};
        std::array<qint64, WindowSeconds + 1> second{};
        quint64 totalMessages = 0;
        quint64 totalBytes = 0;
        qint64 lastMs = 0;
        void add(qint64 bytes, qint64 msecs);
        ChannelTraffic rates(qint64 msecs) const;
    };
    struct Total
    {
        Counter counter;
        quint64 messages = 0;
    };

    QHash<QByteArray, Counter> m_channels;
    Total m_total;
    int m_channelLimit = 100000;
    QTimer m_timer;
};
