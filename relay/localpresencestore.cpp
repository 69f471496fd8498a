// SPDX-License-Identifier: MIT
#include "localpresencestore.h"

#include <QDateTime>

#include <algorithm>

void LocalPresenceStore::write(const QByteArray &channel, const QList<Entry> &entries,
                               std::chrono::seconds ttl)
{
    const qint64 expires = QDateTime::currentMSecsSinceEpoch() + qint64(ttl.count()) * 1000;
    QHash<quint64, Stored> &room = m_rooms[channel];
    for (const Entry &e : entries)
        room.insert(e.client, {e.member, expires});
}

void LocalPresenceStore::remove(const QByteArray &channel, const QList<quint64> &clients,
                                std::chrono::seconds)
{
    const auto it = m_rooms.find(channel);
    if (it == m_rooms.end())
        return;
    for (quint64 client : clients)
        it->remove(client);
    if (it->isEmpty())
        m_rooms.erase(it);
}

void LocalPresenceStore::read(const QByteArray &channel, int maxMembers, QObject *context,
                              ReadCallback callback)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<RelayProtocol::PresenceMember> members;
    if (const auto it = m_rooms.find(channel); it != m_rooms.end()) {
        it->removeIf([now](const auto &e) { return e.value().expiresAtMs <= now; });
        for (const Stored &s : std::as_const(*it))
            members.append(s.member);
        if (it->isEmpty())
            m_rooms.erase(it);
    }
    std::sort(members.begin(), members.end(), [](const auto &a, const auto &b) {
        return a.since != b.since ? a.since < b.since : a.user.toString() < b.user.toString();
    });
    const qsizetype total = members.size();
    if (members.size() > maxMembers)
        members.resize(maxMembers);
    QMetaObject::invokeMethod(
        context,
        [members = std::move(members), total, callback = std::move(callback)] {
            callback(true, members, total, {});
        },
        Qt::QueuedConnection);
}
