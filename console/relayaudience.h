// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

#include <optional>

class EmbeddedRelay;
class RelayDirectory;

// WebSocket clients an announcement on channel reaches, where known exactly: what the relays report
// per channel (RelayDirectory), else the embedded relay's own count when it runs with channelPrefix
// (on the in-process bus it reports to no directory). nullopt when nobody knows.
std::optional<qint64> relayAudience(const RelayDirectory *directory, const EmbeddedRelay *relay,
                                    const QByteArray &channelPrefix, const QByteArray &channel);
