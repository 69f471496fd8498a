// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"

#include <QCoreApplication>
#include <QStringList>

#include <chrono>

// The Channels dock's notes, from a snapshot: each command Redis refused or failed with its error and
// what is missing because of it; and how often a large Redis is asked for the expensive parts.
class ChannelNotes
{
    Q_DECLARE_TR_FUNCTIONS(ChannelNotes)
public:
    // One note per failed command, in the order of the round; empty when everything worked.
    static QStringList problems(const PubSubSnapshot &snapshot);
    // Empty unless a part is asked less often than requested (and polling is on).
    static QString pacing(const PubSubSnapshot &snapshot, std::chrono::milliseconds requested);
    // What each part measured and the rules behind the pacing.
    static QString pacingDetails(const PubSubSnapshot &snapshot, const PollBudget &budget);
    // On a Cluster: how the counts were added up over the nodes; empty for one server.
    static QString cluster(const PubSubSnapshot &snapshot);
    // "500 ms", "10 s", "2 min"
    static QString interval(std::chrono::milliseconds interval);
};
