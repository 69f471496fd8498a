// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QHostAddress>
#include <QUrl>
#include <QStringList>

#include <chrono>

#include "closecodecounts.h"
#include "latencyhistogram.h"
#include "relayprotocol.h"

// The relay's options, limits and counters, shared by RelayServer and the classes it assembles.

// Per-connection and per-instance limits (docs/security.md lists each with its error or close code).
struct RelayLimits
{
    // A larger message closes the connection with 1009 before it is buffered whole.
    qint64 maxMessageBytes = 64 * 1024;
    // Client frames per second (token bucket); 0 = unlimited. A frame over the limit is dropped
    // and answered with rate_limited (at most one error frame per second); a client still over
    // the limit rateLimitGrace after its first dropped frame is closed with 1008.
    double messagesPerSecond = 100;
    double messageBurst = 200;
    std::chrono::milliseconds rateLimitGrace{5000};
    int maxRoomsPerConnection = 100;
    // Connections beyond this are closed at once with 1013.
    int maxConnections = 10000;
    // The WebSocket opening handshake must complete within this.
    std::chrono::milliseconds handshakeTimeout{10000};
    // A connection that sends no message for this long is closed with 4002 (pongs do not count:
    // the heartbeat is for dead peers, this is for live ones that say nothing); 0 = off.
    std::chrono::milliseconds idleTimeout{0};
    // Bytes queued for a client that it has not read; past this it is closed with 4001.
    qint64 maxOutboundBytes = 1024 * 1024;
    RelayProtocol::RoomIds roomIds = RelayProtocol::RoomIds::Strict;
};

// Who may connect (docs/security.md). Off by default: no token, any Origin.
struct RelayAuthOptions
{
    // HS256 secret; empty = no authentication. From a file or the environment, never argv.
    QByteArray jwtSecret;
    std::chrono::seconds jwtLeeway{0};
    // Browser Origins allowed to open a connection (exact, e.g. https://app.example.com);
    // empty = any. A handshake without an Origin header (not a browser) is allowed.
    QStringList allowedOrigins;
};

// Sessions (docs/protocol.md, "Sessions"): a connection's user and rooms kept in the bus's store
// so that a resume on any relay of the fleet gets them back. On with history, or on their own.
struct RelaySessionOptions
{
    bool enabled = false;
    // How long a session is kept after its connection ends (and refreshed while it lives).
    std::chrono::seconds ttl{300};
};

// History (docs/protocol.md, "History and recovery"): every room message is appended to a capped
// stream per room and published with its offset in one step; a join with "since" recovers what
// came after it. Off with size 0.
struct RelayHistoryOptions
{
    // Messages kept per room (exactly: the oldest goes when one more arrives).
    qsizetype size = 0;
    // A room's history is dropped this long after its last message; 0 = kept while the room lives.
    std::chrono::seconds ttl{0};
    // Live messages held per recovering client while it catches up; past this the recovery stops
    // with recovery_incomplete.
    qsizetype maxBuffered = 10000;
    // Stream entries read per page of a recovery.
    int pageSize = 500;
};

// Presence (docs/protocol.md, "Presence"): who is in a room across the fleet, in the bus's store.
struct RelayPresenceOptions
{
    bool enabled = false;
    // presence_join / presence_leave frames to a room's members (implies enabled).
    bool events = false;
    // Events this relay publishes per room and second; the excess is dropped and counted.
    double eventsPerSecond = 50;
    // An entry not refreshed for this long (its relay died) is no member; refreshed every ttl/3.
    std::chrono::seconds ttl{30};
    // Members listed in one answer; a larger room's answer says truncated and total.
    int maxMembers = 1000;
};

struct RelayServerOptions
{
    QHostAddress bindAddress = QHostAddress::Any;
    quint16 port = 3000;
    // The URL clients (and the console's canaries) reach this relay at, published in the stats
    // heartbeat; empty: derived from the listening address (the host name when bound to all).
    QUrl advertiseUrl;
    // Prepended to every channel: "app:chat:" gives app:chat:broadcast and app:chat:room:<id>.
    QByteArray channelPrefix;
    // Names this instance in message ids and Redis client names; must be unique in a fleet.
    QString instanceId;
    // WebSocket ping period; a client that has not answered the previous ping is closed.
    std::chrono::milliseconds pingInterval{30000};
    // How long shutdown() waits for clients to acknowledge the close before cutting them.
    std::chrono::milliseconds shutdownGrace{1000};
    // Own messages delivered locally and still awaiting their echo from the bus, per channel.
    qsizetype maxPendingEchoes = 10000;
    RelayLimits limits;
    RelayAuthOptions auth;
    RelaySessionOptions sessions;
    RelayHistoryOptions history;
    RelayPresenceOptions presence;
    // PEM files; both set = wss:// (TLS) on the listening port.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    // Serve the development page (DemoPage) to plain HTTP GETs of /; for development only.
    bool demoPage = false;
};

struct RelayStats
{
    quint64 connectionsAccepted = 0;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    // Payload bytes of the client messages received (text and binary) and of the frames queued
    // for clients (what the kernel refuses stays queued and may end in a 4001 close).
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    // From a bus message's arrival to the end-of-turn sendmsg() that writes its frames.
    LatencyHistogram deliveryLatency;
    CloseCodeCounts closes;
    quint64 published = 0;
    quint64 busMessages = 0;
    quint64 echoesSuppressed = 0;
    quint64 protocolErrors = 0;
    quint64 heartbeatTimeouts = 0;
    quint64 rateLimitedFrames = 0;
    quint64 rateLimitCloses = 0;
    quint64 oversizeCloses = 0;
    quint64 slowConsumerCloses = 0;
    quint64 idleCloses = 0;
    quint64 connectionsRefused = 0;
    quint64 handshakesRefused = 0; // of connectionsRefused: HTTP 503 before the upgrade
    // Opening handshakes answered with an HTTP error (400, 405, 426, 431, 505, 408 on timeout).
    quint64 badHandshakes = 0;
    // Connections failed for breaking RFC 6455: 1002 (framing, masking, close codes), 1007 (UTF-8).
    quint64 protocolCloses = 0;
    quint64 invalidUtf8Closes = 0;
    quint64 authFailures = 0;
    quint64 originsRefused = 0;
    quint64 forbidden = 0; // joins and publishes outside a token's rooms
    // A relay's message seen again (a publish replayed after a lost reply).
    quint64 duplicatesDropped = 0;
    // Bus messages larger than maxOutboundBytes: not delivered (they would close every recipient).
    quint64 oversizeBusMessages = 0;
    quint64 userMismatches = 0;     // tokens on: a message whose "user" is not the token's identity
    quint64 tokenExpiredCloses = 0; // tokens on: connections closed when their token expired
    // Subscriptions Redis refused (an ACL): pending joins and members told subscribe_refused.
    quint64 subscribeRefusals = 0;
    quint64 sessionsCreated = 0;  // written at a connection's first join
    quint64 sessionsRestored = 0; // written again: the store lost them while their connection lived
    quint64 resumes = 0;
    quint64 resumesUnknown = 0; // unknown, expired or another subject's: session_unknown
    quint64 resumesFailed = 0;  // the store failed: session_unavailable
    quint64 recoveries = 0;     // joins with "since"
    quint64 recoveriesFailed = 0;     // answered "recovered":false
    quint64 recoveriesIncomplete = 0; // stopped with recovery_incomplete
    quint64 recoveredMessages = 0;    // history entries sent to recovering clients
    quint64 presenceQueries = 0;       // presence frames answered with members
    quint64 presenceEvents = 0;        // presence_join / presence_leave published
    quint64 presenceEventsDropped = 0; // over --presence-events-rate
    quint64 presenceFailures = 0;      // store reads and writes that failed (presence_unavailable)
};

struct RelayClientInfo
{
    quint64 id = 0;
    // Connected with ?switchboard=canary: a console's delivery canary, left out of audience counts.
    bool canary = false;
    QString peer;
    QStringList rooms;
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    qint64 queuedBytes = 0;
    QDateTime connectedAt;
};
