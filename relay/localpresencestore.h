// SPDX-License-Identifier: MIT
#pragma once

#include "presencestore.h"

#include <QHash>

// Presence in memory, for the in-process bus: a fleet of one. Expiry as in Redis: an entry not
// written again within its ttl is no member.
class LocalPresenceStore : public PresenceStore
{
    Q_OBJECT
public:
    using PresenceStore::PresenceStore;

    void write(const QByteArray &channel, const QList<Entry> &entries, std::chrono::seconds ttl) override;
    void remove(const QByteArray &channel, const QList<quint64> &clients, std::chrono::seconds ttl) override;
    void read(const QByteArray &channel, int maxMembers, QObject *context, ReadCallback callback) override;

    // Rooms with at least one entry, live or not yet dropped.
    qsizetype roomCount() const { return m_rooms.size(); }

private:
    struct Stored
    {
        RelayProtocol::PresenceMember member;
        qint64 expiresAtMs = 0;
    };
    QHash<QByteArray, QHash<quint64, Stored>> m_rooms;
};
