// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>

// What the live tap measured on one channel; the channels view shows it next to Redis's counts.
struct ChannelTraffic
{
    double messagesPerSecond = 0;
    double bytesPerSecond = 0;
    quint64 messages = 0;
    quint64 bytes = 0;
    QDateTime lastMessageAt;
};

using ChannelTrafficMap = QHash<QByteArray, ChannelTraffic>;
