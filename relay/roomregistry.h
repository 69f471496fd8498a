// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <utility>

#include "relayclient.h"

class MessageBus;

// Room membership: which local clients are in which room, and the bus subscription each room
// needs. A join is acknowledged only once the bus has confirmed the room's channel; until then it
// is pending. The first member opens the room (subscribes), the last one to go closes it.
class RoomRegistry : public QObject
{
    Q_OBJECT
public:
    RoomRegistry(MessageBus *bus, QByteArray channelPrefix, QObject *parent = nullptr);

    QByteArray broadcastChannel() const { return m_prefix + "broadcast"; }
    QByteArray roomChannel(const QString &roomKey) const { return m_prefix + "room:" + roomKey.toUtf8(); }

    enum class Join {
        Joined,         // acknowledge now
        AlreadyPending, // acknowledged once the bus confirms (already asked)
        Pending,        // acknowledged once the bus confirms
        TooManyRooms,   // refused: the client is at maxRooms
    };
    Join join(RelayClient *client, const QJsonValue &roomId, const QString &roomKey, int maxRooms);
    // Leaves a room the client is in or is waiting for; false when it was in neither.
    bool leave(RelayClient *client, const QString &roomKey);
    void leaveAll(RelayClient *client);

    // The bus confirmed channel: its pending joins become members. Returns them, each with the
    // room id it asked with, for the caller to acknowledge.
    QList<std::pair<RelayClient *, QJsonValue>> confirm(const QByteArray &channel, const RelayRecipients &clients);

    struct Refused
    {
        RelayClient *client;
        QString roomKey;
        QJsonValue roomId; // as the client asked for it (a member: as the room's first join did)
        bool wasMember;    // else a pending join
    };
    // The bus refused channel and holds no subscription for it: the room is closed without an
    // unsubscribe, its pending joins and members are dropped and returned for the caller to tell.
    QList<Refused> refuse(const QByteArray &channel, const RelayRecipients &clients);

    // The members of the room on channel; nullptr for a channel that is no open room.
    const RelayRecipients *members(const QByteArray &channel) const;

    int roomCount() const { return int(m_rooms.size()); }
    int memberCount(const QString &roomKey) const;
    QStringList rooms() const;

    // Unsubscribes every room and forgets every membership (shutdown).
    void closeAll(const RelayRecipients &clients);

Q_SIGNALS:
    void roomOpened(const QString &roomKey);
    void roomClosed(const QString &roomKey, const QByteArray &channel);
    // client is now a member of roomKey (joined with roomId); and no longer is one (a leave, a
    // disconnect, a refused subscription, shutdown). Pending joins are neither.
    void memberAdded(RelayClient *client, const QString &roomKey, const QJsonValue &roomId);
    void memberRemoved(RelayClient *client, const QString &roomKey);

private:
    struct Room
    {
        QByteArray channel;
        QJsonValue id; // of the join that opened it
        RelayRecipients members;
        QHash<quint64, QJsonValue> pendingJoins; // waiting for the bus to confirm the channel
    };
    void remove(RelayClient *client, const QString &roomKey);

    QPointer<MessageBus> m_bus;
    QByteArray m_prefix;
    QHash<QString, Room> m_rooms;
    QHash<QByteArray, QString> m_roomByChannel;
};
