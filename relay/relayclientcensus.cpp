// SPDX-License-Identifier: MIT
#include "relayclientcensus.h"

#include "websocketconnection.h"

#include <algorithm>
#include <vector>

static RelayClientInfo infoOf(const RelayClient *c)
{
    RelayClientInfo info;
    info.id = c->id;
    info.canary = c->canary;
    info.peer = c->peer;
    info.rooms = c->rooms.toList();
    info.rooms.sort();
    info.framesIn = c->framesIn;
    info.framesOut = c->framesOut;
    info.queuedBytes = c->connection->bytesToWrite();
    info.connectedAt = c->connectedAt;
    return info;
}

QList<RelayClientInfo> RelayClientCensus::clients(const RelayRecipients &all)
{
    QList<RelayClientInfo> out;
    out.reserve(all.size());
    for (const RelayClient *c : all)
        out.append(infoOf(c));
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    return out;
}

QHash<QString, int> RelayClientCensus::canaryRooms(const RelayRecipients &all)
{
    QHash<QString, int> out;
    for (const RelayClient *c : all) {
        if (!c->canary)
            continue;
        for (const QString &room : c->rooms.toList())
            ++out[room];
    }
    return out;
}

QList<RelayClientInfo> RelayClientCensus::busiest(const RelayRecipients &all, int n)
{
    struct Load
    {
        const RelayClient *client;
        qint64 queued;
        quint64 frames;
    };
    std::vector<Load> loads;
    loads.reserve(size_t(all.size()));
    for (const RelayClient *c : all) {
        if (!c->canary)
            loads.push_back({c, c->connection->bytesToWrite(), c->framesIn + c->framesOut});
    }
    const auto busier = [](const Load &a, const Load &b) {
        if (a.queued != b.queued)
            return a.queued > b.queued;
        return a.frames != b.frames ? a.frames > b.frames : a.client->id < b.client->id;
    };
    const auto top = loads.begin() + std::min<qsizetype>(std::max(n, 0), qsizetype(loads.size()));
    std::partial_sort(loads.begin(), top, loads.end(), busier);
    QList<RelayClientInfo> out;
    for (auto it = loads.begin(); it != top; ++it)
        out.append(infoOf(it->client));
    return out;
}

qint64 RelayClientCensus::queuedBytes(const RelayRecipients &all)
{
    qint64 total = 0;
    for (const RelayClient *c : all)
        total += c->connection->bytesToWrite();
    return total;
}
