// SPDX-License-Identifier: MIT
#include "presenceservice.h"

#include "localpresencestore.h"
#include "messagebus.h"
#include "redisbus.h"
#include "redispresencestore.h"
#include "relaylogging.h"
#include "roomregistry.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

PresenceStore *makeStore(const RelayServerOptions &options, MessageBus *bus, QObject *parent)
{
    if (!options.presence.enabled && !options.presence.events)
        return nullptr;
    if (auto *redis = qobject_cast<RedisBus *>(bus))
        return new RedisPresenceStore(redis->link(), options.channelPrefix, options.instanceId, parent);
    return new LocalPresenceStore(parent);
}

} // namespace

PresenceService::PresenceService(const RelayServerOptions &options, RelayStats &stats, MessageBus *bus,
                                 RoomRegistry *rooms, Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_bus(bus)
    , m_rooms(rooms)
    , m_hooks(std::move(hooks))
    , m_store(makeStore(options, bus, this))
{
    if (!m_store)
        return;
    connect(m_store, &PresenceStore::failed, this, &PresenceService::storeFailed);
    connect(m_rooms, &RoomRegistry::memberAdded, this, &PresenceService::memberAdded);
    connect(m_rooms, &RoomRegistry::memberRemoved, this, &PresenceService::memberRemoved);
    // Live entries are written again well before they could expire.
    m_refresh.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(m_options.presence.ttl) / 3);
    connect(&m_refresh, &QTimer::timeout, this, &PresenceService::refresh);
    m_refresh.start();
}

QByteArray PresenceService::channelOf(const QString &roomKey) const
{
    return m_rooms->roomChannel(roomKey);
}

void PresenceService::announceUser(RelayClient *client, const RelayProtocol::Request &join)
{
    if (isEnabled() && join.hasUser)
        client->presenceUser = join.user.left(256);
}

void PresenceService::memberAdded(RelayClient *client, const QString &roomKey, const QJsonValue &roomId)
{
    Membership m;
    m.roomId = roomId;
    if (!client->identity.isEmpty())
        m.member.user = client->identity;
    else if (client->presenceUser)
        m.member.user = *client->presenceUser;
    else if (!client->sessionUser.isEmpty())
        m.member.user = client->sessionUser; // a resumed session's
    else
        m.member.user = QJsonValue(QJsonValue::Null);
    m.member.since = QDateTime::currentMSecsSinceEpoch();
    m_members[roomKey].insert(client->id, m);
    m_store->write(channelOf(roomKey), {{client->id, m.member}}, m_options.presence.ttl);
    if (m_options.presence.events)
        publishEvent(roomKey, RelayProtocol::presenceJoin(roomId, m.member));
}

void PresenceService::memberRemoved(RelayClient *client, const QString &roomKey)
{
    const auto room = m_members.find(roomKey);
    if (room == m_members.end())
        return;
    const auto it = room->constFind(client->id);
    if (it == room->cend())
        return;
    const Membership m = *it;
    room->erase(it);
    if (room->isEmpty())
        m_members.erase(room);
    m_store->remove(channelOf(roomKey), {client->id}, m_options.presence.ttl);
    if (m_options.presence.events)
        publishEvent(roomKey, RelayProtocol::presenceLeave(m.roomId, m.member.user));
}

void PresenceService::publishEvent(const QString &roomKey, const QByteArray &payload)
{
    if (!m_bus)
        return;
    const qint64 now = relayNowNs();
    const double rate = m_options.presence.eventsPerSecond;
    auto bucket = m_eventBuckets.find(roomKey);
    if (bucket == m_eventBuckets.end())
        bucket = m_eventBuckets.insert(roomKey, TokenBucket(rate, qMax(1.0, rate), now));
    if (!bucket->tryTake(now)) {
        ++m_stats.presenceEventsDropped;
        return;
    }
    ++m_stats.presenceEvents;
    m_bus->publish(channelOf(roomKey), payload);
}

void PresenceService::refresh()
{
    for (auto room = m_members.cbegin(); room != m_members.cend(); ++room) {
        QList<PresenceStore::Entry> entries;
        entries.reserve(room->size());
        for (auto m = room->cbegin(); m != room->cend(); ++m)
            entries.append({m.key(), m->member});
        m_store->write(channelOf(room.key()), entries, m_options.presence.ttl);
    }
    // A full bucket is a fresh one: forgotten, so rooms that come and go leave nothing behind.
    const qint64 now = relayNowNs();
    const double burst = qMax(1.0, m_options.presence.eventsPerSecond);
    m_eventBuckets.removeIf([now, burst](const auto &it) { return it.value().available(now) >= burst; });
}

void PresenceService::storeFailed(const QString &error)
{
    ++m_stats.presenceFailures;
    if (m_lastFailureLog.isValid() && m_lastFailureLog.elapsed() < 10000)
        return;
    m_lastFailureLog.start();
    qCWarning(lcRelay).noquote() << "presence write failed:" << error << "(written again within"
                                 << m_options.presence.ttl.count() / 3 << "s)";
}

void PresenceService::query(RelayClient *client, const RelayProtocol::Request &request)
{
    const QJsonValue roomId = request.roomId;
    if (!isEnabled()) {
        m_hooks.send(client,
                     RelayProtocol::roomError(RelayProtocol::Error::PresenceOff,
                                              u"this relay keeps no presence (--presence is off)"_s, roomId));
        return;
    }
    if (!client->rooms.contains(request.roomKey)) {
        m_hooks.send(client, RelayProtocol::roomError(RelayProtocol::Error::NotMember,
                                                      u"presence is for rooms the connection is a member of "
                                                      u"(join \"%1\" first)"_s.arg(request.roomKey.left(128)),
                                                      roomId));
        return;
    }
    const quint64 id = client->id;
    m_store->read(
        channelOf(request.roomKey), m_options.presence.maxMembers, this,
        [this, id, roomId](bool ok, const QList<RelayProtocol::PresenceMember> &members, qsizetype total,
                           const QString &error) {
            RelayClient *c = m_hooks.clients->value(id);
            if (!c || c->closing)
                return;
            if (!ok) {
                ++m_stats.presenceFailures;
                qCWarning(lcRelay).noquote() << "client" << id << "- presence read failed:" << error;
                m_hooks.send(c, RelayProtocol::roomError(RelayProtocol::Error::PresenceUnavailable,
                                                         u"presence could not be read; try again"_s, roomId));
                return;
            }
            ++m_stats.presenceQueries;
            m_hooks.send(c, RelayProtocol::presence(roomId, members, total));
        });
}
