// SPDX-License-Identifier: MIT
#include "echofilter.h"

#include <QRandomGenerator>

#include <algorithm>

EchoFilter::EchoFilter(const QString &instanceId, qsizetype maxPendingEchoes)
    // Ids stay unique across restarts of an instance that reuses its instance id.
    : m_origin(instanceId.toUtf8() + '-' + QByteArray::number(QRandomGenerator::global()->generate() & 0xffffff, 36))
    , m_maxPendingEchoes(maxPendingEchoes)
{
}

QByteArray EchoFilter::nextMessageId()
{
    return m_origin + '-' + QByteArray::number(m_nextMessageId++, 36);
}

void EchoFilter::expectEcho(const QByteArray &channel, const QByteArray &payload)
{
    std::deque<QByteArray> &echoes = m_echoes[channel];
    echoes.push_back(payload);
    while (qsizetype(echoes.size()) > m_maxPendingEchoes)
        echoes.pop_front();
}

bool EchoFilter::consumeEcho(const QByteArray &channel, const QByteArray &payload)
{
    auto it = m_echoes.find(channel);
    if (it == m_echoes.end() || it->empty())
        return false;
    // Our own publishes come back in the order we sent them; anything older than a match was
    // lost on the way (for example in an outage) and will not come back.
    auto match = std::find(it->begin(), it->end(), payload);
    if (match == it->end())
        return false;
    it->erase(it->begin(), match + 1);
    return true;
}

bool EchoFilter::isRepeat(const QByteArray &channel, const QByteArray &payload)
{
    // A relay's message ends with ,"id":"<origin>-<seq>","relay":"<origin>"} (RelayProtocol::
    // chatMessage), seq rising in publish order, and a relay's messages on one channel arrive in
    // that order (one subscriber connection; on a Cluster, the channel's shard). A relay whose PUBLISH reply was lost with its connection publishes
    // again; a sequence number at or below the last one seen from that origin is that second copy.
    static constexpr QByteArrayView Head = R"({"type":"message",)";
    static constexpr QByteArrayView RelayKey = R"(","relay":")";
    static constexpr QByteArrayView IdKey = R"(,"id":")";
    if (!payload.startsWith(Head) || !payload.endsWith("\"}"))
        return false;
    const qsizetype relayAt = payload.lastIndexOf(RelayKey);
    if (relayAt < 0)
        return false;
    const qsizetype originAt = relayAt + RelayKey.size();
    const QByteArrayView origin(payload.constData() + originAt, payload.size() - 2 - originAt);
    if (origin.isEmpty() || origin.contains('"') || origin.contains('\\'))
        return false;
    const qsizetype idAt = payload.lastIndexOf(IdKey, relayAt);
    if (idAt < 0)
        return false;
    const QByteArrayView id(payload.constData() + idAt + IdKey.size(), relayAt - idAt - IdKey.size());
    if (id.size() < origin.size() + 2 || !id.startsWith(origin) || id[origin.size()] != '-')
        return false;
    bool ok = false;
    const quint64 seq = id.sliced(origin.size() + 1).toULongLong(&ok, 36);
    if (!ok)
        return false;
    // fromRawData: no copy on the path every bus message takes.
    QHash<QByteArray, quint64> &byOrigin = m_lastSeq[channel];
    auto it = byOrigin.find(QByteArray::fromRawData(origin.data(), origin.size()));
    if (it == byOrigin.end()) {
        if (byOrigin.size() >= 10000)
            byOrigin.clear(); // a fleet never has this many processes; forget old restarts
        byOrigin.insert(origin.toByteArray(), seq);
        return false;
    }
    if (seq <= *it)
        return true;
    *it = seq;
    return false;
}
