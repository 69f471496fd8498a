// SPDX-License-Identifier: MIT
#pragma once

#include "relayclient.h"
#include "relayoptions.h"
#include "relayprotocol.h"

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

#include "messagebus.h"

// Recoveries of joins with "since" (docs/protocol.md, "History and recovery"). The client is
// already a member of the room, its channel subscribed, so every message published from now on
// reaches the relay; until the client has caught up those are held for it instead of delivered.
// The history after since is read page by page (each page once the client has read most of the
// one before), then the held messages not already in the history follow: no gap, no duplicate.
// Afterwards a fence drops live messages at or before the last offset sent (a Cluster replica's
// subscriber may hear a message after the primary's stream already gave it).
class RoomRecoveries : public QObject
{
    Q_OBJECT
public:
    struct Hooks
    {
        const RelayRecipients *clients = nullptr;
        std::function<void(RelayClient *, const QByteArray &)> send;
        // What the joined frames say about the session.
        std::function<RelayProtocol::JoinedExtras(const RelayClient *)> extras;
    };
    RoomRecoveries(const RelayServerOptions &options, RelayStats &stats, MessageBus *bus, Hooks hooks,
                   QObject *parent = nullptr);

    // client is a member of the room on channel: answers joined (with "recovered") and recovers.
    void start(RelayClient *client, const QJsonValue &roomId, const QByteArray &channel,
               const QByteArray &since);
    bool isActive(const QByteArray &channel) const { return m_byChannel.contains(channel); }
    // A bus message on an active channel: the ids of the clients it must not be delivered to now
    // (held for them, or already sent).
    QSet<quint64> intercept(const QByteArray &channel, const QByteArray &payload);
    void cancel(quint64 clientId, const QByteArray &channel);
    void cancelAll(RelayClient *client);

private:
    enum class Phase { Reading, Waiting, Fenced };
    struct Recovery
    {
        QJsonValue roomId;
        QByteArray cursor; // the last offset sent
        std::deque<QByteArray> held;
        Phase phase = Phase::Reading;
        bool answered = false; // joined went out
        quint64 generation = 0;
    };
    void read(quint64 clientId, const QByteArray &channel);
    void onPage(quint64 clientId, const QByteArray &channel, quint64 generation, const HistoryPage &page);
    void answer(RelayClient *client, Recovery &r, const HistoryPage &page);
    void finish(RelayClient *client, Recovery &r);
    void resumeWaiting();
    Recovery *find(quint64 clientId, const QByteArray &channel);
    void erase(quint64 clientId, const QByteArray &channel);

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    QPointer<MessageBus> m_bus;
    Hooks m_hooks;
    QHash<QByteArray, QHash<quint64, Recovery>> m_byChannel;
    quint64 m_nextGeneration = 1;
    // Recoveries waiting for their client to read what was sent are looked at on each tick.
    QTimer m_waitTick;
};
