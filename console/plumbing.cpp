// SPDX-License-Identifier: MIT
#include "plumbing.h"

bool Plumbing::isHeartbeatChannel(QByteArrayView channel)
{
    return channel.endsWith("switchboard:relays");
}

bool Plumbing::isPlumbingChannel(QByteArrayView channel)
{
    if (isHeartbeatChannel(channel) || channel.indexOf(QByteArrayView("switchboard:probe:")) >= 0)
        return true;
    return channel.endsWith("room:switchboard-canary"); // CanaryRoom
}

bool Plumbing::isPlumbingPattern(QByteArrayView pattern)
{
    return pattern.indexOf(QByteArrayView("switchboard")) >= 0;
}
