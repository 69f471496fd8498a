// SPDX-License-Identifier: MIT
#include "channeldiff.h"

#include <algorithm>

using Channel = PubSubSnapshot::Channel;
using Kind = ChannelDiff::Op::Kind;

namespace {
bool byName(const Channel &a, const Channel &b)
{
    return a.name < b.name;
}

// Appends one row to the diff: extends the last op when it is of the same kind and adjacent.
void add(ChannelDiff &d, Kind kind, int row, const Channel *channel)
{
    ChannelDiff::Op *last = d.ops.empty() ? nullptr : &d.ops.back();
    const bool extends = last && last->kind == kind &&
                         (kind == Kind::Remove ? last->row == row : last->row + last->count == row);
    if (!extends) {
        d.ops.push_back({kind, row, 0, int(kind == Kind::Remove ? d.removed.size() : d.channels.size())});
        last = &d.ops.back();
    }
    ++last->count;
    if (kind == Kind::Remove)
        d.removed.append(channel->name);
    else
        d.channels.append(*channel);
}
} // namespace

bool ChannelDiffer::isSorted(const QList<Channel> &channels)
{
    return std::is_sorted(channels.cbegin(), channels.cend(), byName);
}

void ChannelDiffer::sort(QList<Channel> &channels)
{
    if (!isSorted(channels))
        std::sort(channels.begin(), channels.end(), byName);
}

ChannelDiff ChannelDiffer::diff(const QList<Channel> &next)
{
    QList<Channel> sorted = next; // shared, no copy, when already sorted
    sort(sorted);
    ChannelDiff d = diff(m_last, sorted);
    m_last = std::move(sorted);
    return d;
}

ChannelDiff ChannelDiffer::diff(const QList<Channel> &before, const QList<Channel> &after)
{
    ChannelDiff d;
    d.rowsBefore = int(before.size());
    d.rowsAfter = int(after.size());
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < before.size() || j < after.size()) {
        const int row = int(j); // rows above are final: they are after[0, j)
        if (i < before.size() && j < after.size() && before[i].name == after[j].name) {
            if (before[i].subscribers != after[j].subscribers)
                add(d, Kind::Recount, row, &after[j]);
            ++i;
            ++j;
        } else if (i < before.size() && (j >= after.size() || before[i].name < after[j].name)) {
            add(d, Kind::Remove, row, &before[i]);
            ++i;
        } else {
            add(d, Kind::Insert, row, &after[j]);
            ++j;
        }
    }
    return d;
}

QList<Channel> ChannelDiff::applyTo(const QList<Channel> &before) const
{
    QList<Channel> out;
    out.reserve(rowsAfter);
    qsizetype from = 0; // next row of before not yet passed
    for (const Op &op : ops) {
        while (out.size() < op.row)
            out.append(before[from++]);
        switch (op.kind) {
        case Kind::Remove:
            from += op.count;
            break;
        case Kind::Insert:
            out.append(channels.mid(op.first, op.count));
            break;
        case Kind::Recount:
            out.append(channels.mid(op.first, op.count));
            from += op.count;
            break;
        }
    }
    while (from < before.size())
        out.append(before[from++]);
    return out;
}
