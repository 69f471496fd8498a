// SPDX-License-Identifier: MIT
#pragma once

#include "redisscript.h"
#include "sessionstore.h"

#include <QPointer>

class RedisBusLink;

// Sessions in Redis, readable by every relay of the fleet: <prefix>session:{<id>} (a hash: user,
// sub, relay, created) and <prefix>session:{<id>}:rooms (a hash: room key -> room id as JSON),
// both with the session's TTL (RelayKeys). Commands go on the bus's publishing connection, on a
// Cluster to the session's slot.
class RedisSessionStore : public SessionStore
{
    Q_OBJECT
public:
    RedisSessionStore(RedisBusLink *link, QByteArray prefix, QObject *parent = nullptr);

    void create(const QByteArray &session, const Record &record, std::chrono::seconds ttl) override;
    void addRoom(const QByteArray &session, const Room &room, std::chrono::seconds ttl) override;
    void removeRoom(const QByteArray &session, const QString &roomKey) override;
    void touch(const QByteArrayList &sessions, std::chrono::seconds ttl, QObject *context,
               MissingCallback missing) override;
    void load(const QByteArray &session, QObject *context, LoadCallback callback) override;

private:
    void write(const QByteArray &session, const QByteArrayList &args,
               std::function<void(const RedisValue &)> done);

    QPointer<RedisBusLink> m_link;
    QByteArray m_prefix;
    RedisScript m_write;
    RedisScript m_load;
};
