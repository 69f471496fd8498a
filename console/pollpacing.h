// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <chrono>

// How much polling a large or slow Redis may take. A part of a round (the channel list: PUBSUB
// CHANNELS and its NUMSUB batches; the clients: CLIENT LIST) gets an interval long enough for each
// rule below, and never shorter than the operator's.
struct PollBudget
{
    // Time: what a part took (its replies, pipelined, measured here) at most this share of its
    // interval. 2.5 % is 25 ms per second: within it at the dock's shortest interval, 1 s, a part
    // that takes 250 ms is asked every 10 s. 0 turns the time rule off.
    double timeShare = 0.025;
    // The time rule counts a part only when it takes more than timeShare of this, the dock's
    // shortest interval (25 ms): shorter ones fit the budget at any interval the dock offers, and
    // the shorter intervals of tests and benchmarks are not stretched by scheduling noise.
    std::chrono::milliseconds shortestInterval{1000};
    // Size: one second of interval per this many channels (50,000 channels: every 10 s) ...
    qint64 channelsPerSecond = 5000;
    // ... and per this many pub/sub clients. CLIENT LIST walks every client on the Redis thread
    // and formats about 300 bytes for each: 10,000 clients, every 10 s.
    qint64 clientsPerSecond = 1000;
    // However large: at least this often (F5 refreshes at any time).
    std::chrono::milliseconds maxInterval{std::chrono::minutes(5)};
};

// What one part of a round measured at its last refresh, and the interval that follows from it.
struct PollPacing
{
    enum class Reason { None, Size, Time };

    std::chrono::milliseconds interval{0}; // effective; 0 when polling is off
    Reason reason = Reason::None;          // what lengthened it beyond the operator's interval
    qint64 entries = 0;                    // channels or clients in the last reply
    qint64 replyBytes = 0;                 // their names and fields, about what Redis sent
    qint64 elapsedUs = 0;                  // what the part took

    bool isBackedOff() const { return reason != Reason::None; }

    // The interval for a part of that size and time under budget: requested when within it, else the
    // longer of the two rules rounded up to 1, 2, 5, 10, 15, 20, 30, 60, 120 or 300 s and to a whole
    // number of requested intervals, at most budget.maxInterval (but never below requested).
    static PollPacing compute(std::chrono::milliseconds requested, qint64 entries, qint64 perSecond,
                              qint64 elapsedUs, const PollBudget &budget);
};
