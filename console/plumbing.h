// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QLatin1StringView>

// The product's own traffic on Redis: relays' stats heartbeats (<prefix>switchboard:relays),
// their subscriber probes (<prefix>switchboard:probe:<instance>[{tag}]) and the console's delivery
// canaries (<prefix>room:switchboard-canary). Taps, charts, recordings and the Channels view leave
// it out unless the operator asks to see it (View > Show plumbing channels).
namespace Plumbing {
inline constexpr QLatin1StringView CanaryRoom{"switchboard-canary"};
// Marks a canary probe's JSON ("canary":true) and the user it is sent as.
inline constexpr QLatin1StringView CanaryUser{"switchboard-canary"};

bool isHeartbeatChannel(QByteArrayView channel);
bool isPlumbingChannel(QByteArrayView channel);
// A pattern that names plumbing itself (a tap the operator asked for on purpose).
bool isPlumbingPattern(QByteArrayView pattern);
} // namespace Plumbing
