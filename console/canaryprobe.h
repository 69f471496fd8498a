// SPDX-License-Identifier: MIT
#pragma once

#include "plumbing.h"

#include <QByteArray>
#include <QLatin1StringView>

#include <optional>

// The delivery canaries' probes (docs/operations.md, "Delivery canaries"): a room message in the shape
// relays deliver (RelayProtocol::chatMessage) from the user switchboard-canary, published on
// <prefix>room:switchboard-canary and marked with "canary":true and its sequence number:
//   {"type":"message","user":"switchboard-canary","text":"canary","timestamp":<sent ms>,
//    "roomId":"switchboard-canary","canary":true,"seq":<n>,"id":"<origin>-<n base 36>","relay":"<origin>"}
// It ends with the id and relay keys, so relays drop a second copy of it like any relay message's.
namespace CanaryProbe {

inline constexpr QLatin1StringView Room = Plumbing::CanaryRoom;
inline constexpr QLatin1StringView User = Plumbing::CanaryUser;
// The query a canary client adds to a relay's URL, so relays count it apart from real clients.
inline constexpr QLatin1StringView QueryKey{"switchboard"};
inline constexpr QLatin1StringView QueryValue{"canary"};

struct Probe
{
    QByteArray origin;
    quint64 seq = 0;
    qint64 sentMs = 0;
};

QByteArray channel(const QByteArray &prefix);
QByteArray joinFrame();
// "switchboard-canary-<random base 36>": one per monitor, so several consoles' probes stay apart.
QByteArray newOrigin();
QByteArray payload(const QByteArray &origin, quint64 seq, qint64 sentMs);
// A probe, or nullopt for anything else (another room message, a frame that is not JSON).
std::optional<Probe> parse(const QByteArray &payload);

} // namespace CanaryProbe
