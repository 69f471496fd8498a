// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

// Where a relay's canary stands (CanaryMonitor).
enum class CanaryState {
    Off,         // canaries stopped, not allowed (read-only profile), or the relay advertises no URL
    Connecting,  // the WebSocket is opening, or the join is not confirmed yet
    Ok,          // joined, every probe of the window arrived in time
    Missing,     // joined, but a probe in the window was lost or the last one is overdue
    Unreachable, // the WebSocket could not connect or was closed (reason says why)
};

struct CanaryStatus
{
    QString instance;
    QByteArray prefix;
    QString url;
    CanaryState state = CanaryState::Off;
    QString reason;
    double p50 = -1; // ms over the window; -1 without samples
    double p99 = -1;
    quint64 sent = 0; // probes published while the client was joined
    quint64 received = 0;
    quint64 lost = 0;
    QDateTime lastReceived;
    bool inDirectory = true; // false once the relay's heartbeats stopped (dropped after a while)

    // Lost probes of those sent, in percent.
    double lossPercent() const { return sent == 0 ? 0.0 : 100.0 * double(lost) / double(sent); }
    // "chat: relay-1" with a prefix, else the instance id.
    QString displayName() const;
};

// "Ok", "Missing", ... (translated).
QString canaryStateName(CanaryState state);
