// SPDX-License-Identifier: MIT
#pragma once

#include "presencestore.h"
#include "redisscript.h"

#include <QPointer>

class RedisBusLink;

// Presence in Redis, readable by every relay of the fleet (docs/formats: the hash at
// RelayKeys::presenceKey, field "<relay>:<client>", value {"user","since","relay","expires"}).
// "expires" comes from Redis's TIME inside the scripts, so relay clocks do not matter; the read
// script skips and deletes expired entries. The key is in the slot of the room's channel, so the
// commands go where a publish to the room goes, on a Cluster too.
class RedisPresenceStore : public PresenceStore
{
    Q_OBJECT
public:
    RedisPresenceStore(RedisBusLink *link, QByteArray prefix, QString instanceId, QObject *parent = nullptr);

    void write(const QByteArray &channel, const QList<Entry> &entries, std::chrono::seconds ttl) override;
    void remove(const QByteArray &channel, const QList<quint64> &clients, std::chrono::seconds ttl) override;
    void read(const QByteArray &channel, int maxMembers, QObject *context, ReadCallback callback) override;

private:
    void run(const QByteArray &channel, const QByteArrayList &args,
             std::function<void(const RedisValue &)> done);
    QByteArray field(quint64 client) const;

    QPointer<RedisBusLink> m_link;
    QByteArray m_prefix;
    QString m_instanceId;
    RedisScript m_script;
};
