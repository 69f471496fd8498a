// SPDX-License-Identifier: MIT
#include "relaykeys.h"

#include "redisclustertopology.h"

namespace RelayKeys {

namespace {

QByteArray roomKey(const QByteArray &prefix, const char *kind, const QByteArray &channel)
{
    QByteArray key = prefix + kind + '{' + channel + '}';
    const int slot = RedisClusterTopology::keySlot(channel);
    if (RedisClusterTopology::keySlot(key) != slot)
        key = prefix + kind + '{' + tagForSlot(slot) + '}' + channel;
    return key;
}

} // namespace

QByteArray historyKey(const QByteArray &prefix, const QByteArray &channel)
{
    return roomKey(prefix, "history:", channel);
}

QByteArray presenceKey(const QByteArray &prefix, const QByteArray &channel)
{
    return roomKey(prefix, "presence:", channel);
}

QByteArray sessionKey(const QByteArray &prefix, const QByteArray &sessionId)
{
    return prefix + "session:{" + sessionId + '}';
}

QByteArray sessionRoomsKey(const QByteArray &prefix, const QByteArray &sessionId)
{
    return sessionKey(prefix, sessionId) + ":rooms";
}

QByteArray tagForSlot(int slot)
{
    // CRC16 spreads short strings over every slot: about 16,384 tries on average.
    for (quint32 n = 0;; ++n) {
        const QByteArray tag = QByteArray::number(n, 36);
        if (RedisClusterTopology::keySlot(tag) == slot)
            return tag;
    }
}

} // namespace RelayKeys
