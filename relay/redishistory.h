// SPDX-License-Identifier: MIT
#pragma once

#include "messagebus.h"
#include "redisscript.h"
#include "redisvalue.h"

#include <QByteArray>
#include <QByteArrayList>

// Rooms' history in Redis (docs/protocol.md, "Keys in Redis"): a stream per room capped at
// exactly BusHistory::size entries, whose entry ids are the messages' offsets, and beside it a
// hash (<stream>:meta) with the first offset of the stream's life ("start"), the newest offset
// dropped at the cap ("trimmed") and, per publishing relay process, the last sequence number
// recorded (the replay guard). Both scripts touch only keys in the slot of the room's channel.
class RedisHistory
{
public:
    explicit RedisHistory(const BusHistory &config);

    const BusHistory &config() const { return m_config; }
    QByteArray streamKey(const QByteArray &channel) const;

    // EVAL, not EVALSHA: a NOSCRIPT answer would be retried after later publishes had already
    // run, out of order. The reply is (S)PUBLISH's count, or -1 for a copy already recorded.
    QByteArrayList publishCommand(const QByteArray &publishVerb, const QByteArray &channel,
                                  const QByteArray &payload, const QByteArray &origin, quint64 seq) const;

    const RedisScript &readScript() const { return m_read; }
    QByteArrayList readKeys(const QByteArray &channel) const;
    static QByteArrayList readArgs(const QByteArray &since, int count);
    static HistoryPage parseRead(const RedisValue &reply);

private:
    BusHistory m_config;
    RedisScript m_read;
};
