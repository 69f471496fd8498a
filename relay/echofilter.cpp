// SPDX-License-Identifier: MIT
#include "echofilter.h"

#include <QRandomGenerator>

#include <algorithm>

#include <string.h>

EchoFilter::EchoFilter(const QString &instanceId, qsizetype maxPendingEchoes)
    // Ids stay unique across restarts of an instance that reuses its instance id.
    : m_origin(instanceId.toUtf8() + '-' + QByteArray::number(QRandomGenerator::global()->generate() & 0xffffff, 36))
    , m_maxPendingEchoes(maxPendingEchoes)
{
}

QByteArray EchoFilter::nextMessageId()
{
    // One allocation: this runs for every message a client sends.
    char digits[16];
    char *end = digits + sizeof digits, *p = end;
    for (quint64 n = m_nextMessageId++; p == end || n > 0; n /= 36)
        *--p = "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
    QByteArray id;
    id.reserve(m_origin.size() + 1 + (end - p));
    id.append(m_origin).append('-').append(p, end - p);
    return id;
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
    // Both values hold no quote, so each starts after the last quote before its end: a short
    // backward scan instead of a search through the whole payload.
    const char *data = payload.constData();
    const qsizetype originEnd = payload.size() - 2;
    const auto *originQuote = static_cast<const char *>(memrchr(data, '"', size_t(originEnd)));
    if (!originQuote)
        return false;
    const qsizetype relayAt = originQuote - data + 1 - RelayKey.size();
    if (relayAt < 0 || QByteArrayView(data + relayAt, RelayKey.size()) != RelayKey)
        return false;
    const QByteArrayView origin(originQuote + 1, originEnd - (originQuote - data + 1));
    if (origin.isEmpty() || origin.contains('\\'))
        return false;
    const auto *idQuote = static_cast<const char *>(memrchr(data, '"', size_t(relayAt)));
    if (!idQuote)
        return false;
    const qsizetype idAt = idQuote - data + 1 - IdKey.size();
    if (idAt < 0 || QByteArrayView(data + idAt, IdKey.size()) != IdKey)
        return false;
    const QByteArrayView id(idQuote + 1, relayAt - (idQuote - data + 1));
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
