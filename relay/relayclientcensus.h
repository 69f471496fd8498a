// SPDX-License-Identifier: MIT
#pragma once

#include "relayclient.h"
#include "relayoptions.h"

#include <QHash>
#include <QList>

// What RelayServer reports about its clients (the relay panel, the stats heartbeat).
namespace RelayClientCensus {
// Every client, sorted by id.
QList<RelayClientInfo> clients(const RelayRecipients &all);
// Canary connections (RelayClient::canary) per room.
QHash<QString, int> canaryRooms(const RelayRecipients &all);
// The n non-canary clients with the most bytes queued, then the most frames, busiest first.
QList<RelayClientInfo> busiest(const RelayRecipients &all, int n);
qint64 queuedBytes(const RelayRecipients &all);
} // namespace RelayClientCensus
