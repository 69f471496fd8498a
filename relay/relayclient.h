// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonValue>
#include <QString>

#include <chrono>
#include <optional>

#include "jwtverifier.h"
#include "relayoptions.h"
#include "roomset.h"
#include "tokenbucket.h"
#include "websocketconnection.h"

// One client's connection: its socket, its rooms, its rate limit and its counters. RelayServer
// owns it from the upgrade until the socket disconnects.
class RelayClient
{
public:
    RelayClient(quint64 id, WebSocketConnection *connection, QString peer, const RelayLimits &limits,
                std::optional<JwtClaims> claims, std::chrono::seconds leeway, qint64 nowNs);

    // What to do with a frame the client sent (the token bucket of RelayLimits).
    enum class Admission {
        Accept,
        Drop,        // over the limit: drop it
        DropAndWarn, // drop it and tell the client (at most once a second)
        Close,       // over the limit for longer than the grace: close with 1008
    };
    Admission admit(qint64 nowNs, const RelayLimits &limits);
    bool isIdleSince(qint64 nowNs, std::chrono::milliseconds limit) const;

    // Sends a close frame once; the socket is cut if the peer has not answered within the
    // connection's linger time (the relay's shutdownGrace).
    void close(int code, const QString &reason);

    const quint64 id;
    WebSocketConnection *const connection; // owned by RelayServer
    const QString peer;
    const std::optional<JwtClaims> claims; // set when the relay requires tokens
    // The token's "name" claim, or else its "sub": stamped as "user" on the client's messages;
    // empty without tokens or when the token has neither.
    const QString identity;
    // The token's exp plus the leeway, in ms since the epoch; 0 = never.
    const qint64 expiresAtMs;
    const QDateTime connectedAt;
    RoomSet rooms;        // acknowledged memberships
    RoomSet pendingRooms; // join sent, waiting for the bus
    bool alive = true;    // answered the last ping
    bool closing = false; // we closed it: nothing more is sent or processed
    // Connected with ?switchboard=canary (a console's delivery canary): counted apart in the
    // stats heartbeat, so audience counts leave it out.
    bool canary = false;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    // With sessions on (SessionService): the session, whether it is in the store yet, the user
    // it was created with, and the id each room was joined with (for the stored record).
    QByteArray session;
    QString sessionUser;
    QHash<QString, QJsonValue> roomIds;
    bool sessionStored = false;
    // Joins waiting for the bus: the offset each recovers from (empty: no recovery).
    QHash<QString, QByteArray> pendingSince;
    // With presence on (PresenceService): the user of its latest join that named one.
    std::optional<QString> presenceUser;

private:
    TokenBucket m_bucket;
    qint64 m_lastActivityNs = 0;
    qint64 m_limitedSinceNs = -1;
    qint64 m_lastDropNs = -1;
    qint64 m_lastRateErrorNs = -1;
};

// Local clients by id: everyone connected, or the members of one room.
using RelayRecipients = QHash<quint64, RelayClient *>;

qint64 relayNowNs();
