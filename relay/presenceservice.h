// SPDX-License-Identifier: MIT
#pragma once

#include "presencestore.h"
#include "relayclient.h"
#include "relayoptions.h"
#include "relayprotocol.h"
#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class MessageBus;
class RoomRegistry;

// Presence (docs/protocol.md, "Presence"): every membership of this relay's clients is an entry
// in the PresenceStore, written when it starts, rewritten every ttl/3 while it lasts, removed
// when it ends; a presence frame reads the room's entries across the fleet. With events on, a
// membership that starts or ends is published on the room's channel as presence_join /
// presence_leave (plain publish: no history, no echo bookkeeping; every relay, this one
// included, delivers it to its members from the bus), at most eventsPerSecond per room.
class PresenceService : public QObject
{
    Q_OBJECT
public:
    struct Hooks
    {
        const RelayRecipients *clients = nullptr;
        std::function<void(RelayClient *, const QByteArray &)> send;
    };

    // Follows rooms' memberAdded / memberRemoved; the store is made here for bus (Redis or in
    // memory), none when presence is off.
    PresenceService(const RelayServerOptions &options, RelayStats &stats, MessageBus *bus,
                    RoomRegistry *rooms, Hooks hooks, QObject *parent = nullptr);

    bool isEnabled() const { return m_store != nullptr; }
    PresenceStore *store() const { return m_store; }

    // A join frame: its "user", if it names one, is what the connection shows from now on.
    void announceUser(RelayClient *client, const RelayProtocol::Request &join);
    // {"type":"presence"}: answered asynchronously with the members or an error.
    void query(RelayClient *client, const RelayProtocol::Request &request);

private:
    struct Membership
    {
        QJsonValue roomId; // as the client joined with it
        RelayProtocol::PresenceMember member;
    };
    void memberAdded(RelayClient *client, const QString &roomKey, const QJsonValue &roomId);
    void memberRemoved(RelayClient *client, const QString &roomKey);
    void refresh();
    void publishEvent(const QString &roomKey, const QByteArray &payload);
    void storeFailed(const QString &error);
    QByteArray channelOf(const QString &roomKey) const;

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    QPointer<MessageBus> m_bus;
    RoomRegistry *m_rooms;
    Hooks m_hooks;
    QPointer<PresenceStore> m_store;
    // This relay's memberships, by room key then client id.
    QHash<QString, QHash<quint64, Membership>> m_members;
    QHash<QString, TokenBucket> m_eventBuckets;
    QTimer m_refresh;
    QElapsedTimer m_lastFailureLog;
};
