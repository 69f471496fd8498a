// SPDX-License-Identifier: MIT
#pragma once

#include "channelmonitor.h"

#include <vector>

// How one channel list (sorted by name, as in PubSubSnapshot) becomes the next: operations in order
// down the new list. Applied one after the other, each op's row is where it happens in the list as it
// is at that moment; every row above it is already final. Rows of an op are one contiguous range.
struct ChannelDiff
{
    struct Op
    {
        enum class Kind { Remove, Insert, Recount };
        Kind kind = Kind::Insert;
        int row = 0;   // first row of the range
        int count = 0; // rows in the range
        int first = 0; // the range's channels start at channels[first] (Remove: at removed[first])
    };
    std::vector<Op> ops;
    // Inserted channels and the new counts of recounted ones, in op order.
    QList<PubSubSnapshot::Channel> channels;
    // The names of removed channels, in op order (the tree removes by name).
    QByteArrayList removed;
    int rowsBefore = 0;
    int rowsAfter = 0;

    bool isEmpty() const { return ops.empty(); }
    // The channel list after applying the diff to before (for tests and checks).
    QList<PubSubSnapshot::Channel> applyTo(const QList<PubSubSnapshot::Channel> &before) const;
};

// Diffs each channel list against the one before it. Any monitor's PubSubSnapshot can feed it; it runs
// on the thread that polls (ChannelWorker), so the GUI thread only applies the result.
class ChannelDiffer
{
public:
    // The diff from the last list to next (sorted by name here if it is not); next becomes the last.
    ChannelDiff diff(const QList<PubSubSnapshot::Channel> &next);
    static ChannelDiff diff(const QList<PubSubSnapshot::Channel> &before,
                            const QList<PubSubSnapshot::Channel> &after);
    const QList<PubSubSnapshot::Channel> &last() const { return m_last; }
    void reset() { m_last.clear(); }

    static bool isSorted(const QList<PubSubSnapshot::Channel> &channels);
    static void sort(QList<PubSubSnapshot::Channel> &channels);

private:
    QList<PubSubSnapshot::Channel> m_last;
};
