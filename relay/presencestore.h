// SPDX-License-Identifier: MIT
#pragma once

#include "relayprotocol.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>

// Where a relay keeps who is in its rooms (docs/protocol.md, "Presence"): one entry per
// connection and room, readable by every relay of the fleet (RedisPresenceStore) or, for the
// in-process bus, by this one (LocalPresenceStore). An entry not written again within its ttl
// belongs to a relay that died and is no member. Writes are fire and forget; a failed one is
// reported through failed() and written again by the next refresh.
class PresenceStore : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        quint64 client = 0; // the connection's id on this relay
        RelayProtocol::PresenceMember member;
    };
    // ok false: the store could not be read (error says why). members holds at most the
    // maxMembers asked for, total counts every live entry.
    using ReadCallback = std::function<void(bool ok, const QList<RelayProtocol::PresenceMember> &members,
                                            qsizetype total, const QString &error)>;

    using QObject::QObject;

    // Adds or rewrites entries of the room on channel, each to expire ttl from now.
    virtual void write(const QByteArray &channel, const QList<Entry> &entries, std::chrono::seconds ttl) = 0;
    virtual void remove(const QByteArray &channel, const QList<quint64> &clients,
                        std::chrono::seconds ttl) = 0;
    // callback runs from the event loop, never inside read(), and only while context lives.
    virtual void read(const QByteArray &channel, int maxMembers, QObject *context, ReadCallback callback) = 0;

Q_SIGNALS:
    void failed(const QString &error);
};
