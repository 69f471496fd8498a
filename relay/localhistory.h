// SPDX-License-Identifier: MIT
#pragma once

#include "messagebus.h"

#include <QByteArray>
#include <QHash>

#include <deque>
#include <utility>

// The in-process bus's history: what RedisHistory keeps in Redis streams, in memory, with the
// same offsets ("<ms>-<seq>"), cap, TTL, replay guard and answers, so the embedded relay behaves
// like a fleet of one.
class LocalHistory
{
public:
    void configure(const BusHistory &history) { m_config = history; }
    bool isEnabled() const { return m_config.size > 0; }

    // The payload as delivered (with its offset), or an empty array for a copy already recorded.
    QByteArray append(const QByteArray &channel, const QByteArray &payload, const QByteArray &origin,
                      quint64 seq);
    HistoryPage read(const QByteArray &channel, const QByteArray &since, int count);

private:
    struct Stream
    {
        std::deque<std::pair<QByteArray, QByteArray>> entries; // offset, payload without it
        QByteArray start;                                      // the first offset of this stream's life
        QByteArray trimmed;                                    // the newest offset dropped at the cap
        qint64 lastWriteMs = 0;
        QHash<QByteArray, quint64> lastSeq; // per origin
    };
    QByteArray nextOffset(qint64 nowMs);
    // The stream of channel unless its TTL ran out (then it is dropped).
    Stream *live(const QByteArray &channel, qint64 nowMs);
    void dropExpired(qint64 nowMs);

    BusHistory m_config;
    QHash<QByteArray, Stream> m_streams;
    qint64 m_lastMs = 0;
    quint64 m_lastSeq = 0;
    quint64 m_appends = 0;
};
