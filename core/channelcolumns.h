// SPDX-License-Identifier: MIT
#pragma once

#include "channeltraffic.h"

#include <QVariant>

// The columns the channel table and the channel tree share, and how a cell is shown.
namespace ChannelColumns {
enum Column { Name, Subscribers, Relays, MessagesPerSecond, BytesPerSecond, LastMessage, Count };
enum Role { SortRole = Qt::UserRole + 1, ChannelRole, IsGroupRole, IsChannelRole };

struct Values
{
    qint64 subscribers = 0;
    int relays = -1; // unknown
    const ChannelTraffic *traffic = nullptr;
};

QVariant data(int column, const Values &values, int role);
QVariant header(int column, int role);
} // namespace ChannelColumns
