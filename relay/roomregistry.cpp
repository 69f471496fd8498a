// SPDX-License-Identifier: MIT
#include "roomregistry.h"

#include "messagebus.h"

RoomRegistry::RoomRegistry(MessageBus *bus, QByteArray channelPrefix, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_prefix(std::move(channelPrefix))
{
}

RoomRegistry::Join RoomRegistry::join(RelayClient *client, const QJsonValue &roomId, const QString &roomKey,
                                      int maxRooms)
{
    if (client->rooms.contains(roomKey))
        return Join::Joined;
    if (client->pendingRooms.contains(roomKey))
        return Join::AlreadyPending;
    if (client->rooms.size() + client->pendingRooms.size() >= maxRooms)
        return Join::TooManyRooms;
    auto it = m_rooms.find(roomKey);
    if (it == m_rooms.end()) {
        Room room;
        room.channel = roomChannel(roomKey);
        room.id = roomId;
        it = m_rooms.insert(roomKey, room);
        m_roomByChannel.insert(room.channel, roomKey);
        m_bus->subscribe(room.channel);
        Q_EMIT roomOpened(roomKey);
    }
    if (m_bus->isSubscribed(it->channel)) {
        it->members.insert(client->id, client);
        client->rooms.insert(roomKey);
        Q_EMIT memberAdded(client, roomKey, roomId);
        return Join::Joined;
    }
    it->pendingJoins.insert(client->id, roomId);
    client->pendingRooms.insert(roomKey);
    return Join::Pending;
}

QList<std::pair<RelayClient *, QJsonValue>> RoomRegistry::confirm(const QByteArray &channel,
                                                                  const RelayRecipients &clients)
{
    const auto name = m_roomByChannel.constFind(channel);
    if (name == m_roomByChannel.cend())
        return {};
    auto it = m_rooms.find(*name);
    if (it == m_rooms.end() || it->pendingJoins.isEmpty())
        return {};
    const QString roomKey = *name;
    const QHash<quint64, QJsonValue> pending = std::exchange(it->pendingJoins, {});
    QList<std::pair<RelayClient *, QJsonValue>> joined;
    joined.reserve(pending.size());
    for (auto p = pending.cbegin(); p != pending.cend(); ++p) {
        RelayClient *client = clients.value(p.key());
        if (!client)
            continue;
        client->pendingRooms.remove(roomKey);
        client->rooms.insert(roomKey);
        it->members.insert(client->id, client);
        joined.append({client, p.value()});
        Q_EMIT memberAdded(client, roomKey, p.value());
    }
    return joined;
}

QList<RoomRegistry::Refused> RoomRegistry::refuse(const QByteArray &channel, const RelayRecipients &clients)
{
    const auto name = m_roomByChannel.constFind(channel);
    if (name == m_roomByChannel.cend())
        return {};
    const QString roomKey = *name;
    m_roomByChannel.erase(name);
    const auto it = m_rooms.constFind(roomKey);
    if (it == m_rooms.cend())
        return {};
    const Room room = *it;
    m_rooms.erase(it);
    QList<Refused> refused;
    for (RelayClient *member : room.members) {
        member->rooms.remove(roomKey);
        refused.append({member, roomKey, room.id, true});
        Q_EMIT memberRemoved(member, roomKey);
    }
    for (auto p = room.pendingJoins.cbegin(); p != room.pendingJoins.cend(); ++p) {
        RelayClient *client = clients.value(p.key());
        if (!client)
            continue;
        client->pendingRooms.remove(roomKey);
        refused.append({client, roomKey, p.value(), false});
    }
    Q_EMIT roomClosed(roomKey, channel);
    return refused;
}

bool RoomRegistry::leave(RelayClient *client, const QString &roomKey)
{
    if (!client->rooms.contains(roomKey) && !client->pendingRooms.contains(roomKey))
        return false;
    remove(client, roomKey);
    return true;
}

void RoomRegistry::leaveAll(RelayClient *client)
{
    const QStringList rooms = client->rooms.toList() + client->pendingRooms.toList();
    for (const QString &room : rooms)
        remove(client, room);
}

void RoomRegistry::remove(RelayClient *client, const QString &roomKey)
{
    if (client->rooms.remove(roomKey))
        Q_EMIT memberRemoved(client, roomKey);
    client->pendingRooms.remove(roomKey);
    auto it = m_rooms.find(roomKey);
    if (it == m_rooms.end())
        return;
    it->members.remove(client->id);
    it->pendingJoins.remove(client->id);
    if (!it->members.isEmpty() || !it->pendingJoins.isEmpty())
        return;
    const QByteArray channel = it->channel;
    m_rooms.erase(it);
    m_roomByChannel.remove(channel);
    if (m_bus)
        m_bus->unsubscribe(channel);
    Q_EMIT roomClosed(roomKey, channel);
}

const RelayRecipients *RoomRegistry::members(const QByteArray &channel) const
{
    const auto name = m_roomByChannel.constFind(channel);
    if (name == m_roomByChannel.cend())
        return nullptr;
    const auto room = m_rooms.constFind(*name);
    return room == m_rooms.cend() ? nullptr : &room->members;
}

int RoomRegistry::memberCount(const QString &roomKey) const
{
    const auto it = m_rooms.constFind(roomKey);
    return it == m_rooms.cend() ? 0 : int(it->members.size());
}

QStringList RoomRegistry::rooms() const
{
    QStringList names = m_rooms.keys();
    names.sort();
    return names;
}

void RoomRegistry::closeAll(const RelayRecipients &clients)
{
    for (auto room = m_rooms.cbegin(); room != m_rooms.cend(); ++room) {
        for (RelayClient *member : room->members)
            Q_EMIT memberRemoved(member, room.key());
        if (m_bus)
            m_bus->unsubscribe(room->channel);
    }
    m_rooms.clear();
    m_roomByChannel.clear();
    for (RelayClient *c : clients) {
        c->rooms.clear();
        c->pendingRooms.clear();
    }
}
