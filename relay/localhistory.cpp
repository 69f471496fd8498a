// SPDX-License-Identifier: MIT
#include "localhistory.h"

#include "relayprotocol.h"

#include <QDateTime>

namespace {

QByteArray withOffset(const QByteArray &payload, const QByteArray &offset)
{
    QByteArray out;
    out.reserve(payload.size() + offset.size() + 12);
    out.append(payload.constData(), payload.size() - 1).append(R"(,"offset":")").append(offset).append("\"}");
    return out;
}

} // namespace

QByteArray LocalHistory::nextOffset(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_lastMs = nowMs;
        m_lastSeq = 0;
    } else {
        ++m_lastSeq;
    }
    return QByteArray::number(m_lastMs) + '-' + QByteArray::number(m_lastSeq);
}

LocalHistory::Stream *LocalHistory::live(const QByteArray &channel, qint64 nowMs)
{
    auto it = m_streams.find(channel);
    if (it == m_streams.end())
        return nullptr;
    if (m_config.ttl.count() > 0 && nowMs - it->lastWriteMs >= m_config.ttl.count() * 1000) {
        m_streams.erase(it);
        return nullptr;
    }
    return &*it;
}

void LocalHistory::dropExpired(qint64 nowMs)
{
    if (m_config.ttl.count() <= 0)
        return;
    for (auto it = m_streams.begin(); it != m_streams.end();) {
        if (nowMs - it->lastWriteMs >= m_config.ttl.count() * 1000)
            it = m_streams.erase(it);
        else
            ++it;
    }
}

QByteArray LocalHistory::append(const QByteArray &channel, const QByteArray &payload,
                                const QByteArray &origin, quint64 seq)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (++m_appends % 4096 == 0)
        dropExpired(now);
    Stream *stream = live(channel, now);
    if (!stream)
        stream = &m_streams[channel];
    if (!origin.isEmpty()) {
        auto last = stream->lastSeq.find(origin);
        if (last != stream->lastSeq.end() && seq <= *last)
            return {};
        stream->lastSeq.insert(origin, seq);
    }
    const QByteArray offset = nextOffset(now);
    if (stream->entries.empty() && stream->start.isEmpty())
        stream->start = offset;
    stream->entries.emplace_back(offset, payload);
    while (qsizetype(stream->entries.size()) > m_config.size) {
        stream->trimmed = stream->entries.front().first;
        stream->entries.pop_front();
    }
    stream->lastWriteMs = now;
    return withOffset(payload, offset);
}

HistoryPage LocalHistory::read(const QByteArray &channel, const QByteArray &since, int count)
{
    HistoryPage page;
    if (!isEnabled())
        return page;
    const Stream *stream = live(channel, QDateTime::currentMSecsSinceEpoch());
    using RelayProtocol::offsetBefore;
    if (!stream || stream->entries.empty() || offsetBefore(since, stream->start) ||
        offsetBefore(stream->entries.back().first, since)) {
        page.status = HistoryPage::Status::Reset;
        return page;
    }
    if (!stream->trimmed.isEmpty() && offsetBefore(since, stream->trimmed)) {
        page.status = HistoryPage::Status::Trimmed;
        return page;
    }
    page.status = HistoryPage::Status::Ok;
    // Entries are in offset order: binary search for the first one after since.
    auto first =
        std::upper_bound(stream->entries.begin(), stream->entries.end(), since,
                         [](const QByteArray &s, const auto &e) { return offsetBefore(s, e.first); });
    for (auto it = first; it != stream->entries.end() && page.payloads.size() < count; ++it)
        page.payloads.append(withOffset(it->second, it->first));
    return page;
}
