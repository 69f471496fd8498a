// SPDX-License-Identifier: MIT
#pragma once

#include "relayclient.h"
#include "relayoptions.h"
#include "relayprotocol.h"
#include "sessionstore.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

// Sessions (docs/protocol.md, "Sessions"): every connection of a relay with sessions on has one,
// named in its joined frames and written to the SessionStore with its user and rooms at its first
// join; a resume on any relay of the fleet adopts a stored session and rejoins its rooms, each
// recovered from the offset the client names.
class SessionService : public QObject
{
    Q_OBJECT
public:
    // What RelayServer lends the service: its clients, its way to send, and a join that acks with
    // the session and, for a non-empty since, recovers the room.
    struct Hooks
    {
        const RelayRecipients *clients = nullptr;
        std::function<void(RelayClient *, const QByteArray &)> send;
        std::function<void(RelayClient *, const QJsonValue &roomId, const QString &roomKey,
                           const QByteArray &since)>
            join;
    };

    SessionService(const RelayServerOptions &options, RelayStats &stats, SessionStore *store, Hooks hooks,
                   QObject *parent = nullptr);

    bool isEnabled() const { return m_store != nullptr; }
    // 128 random bits from the system's generator, base64url: 22 characters.
    static QByteArray newSessionId();

    // A new connection gets its session id (nothing is written yet).
    void connected(RelayClient *client);
    // The client is now a member of the room (its joined frame is going out).
    void roomJoined(RelayClient *client, const QString &roomKey, const QJsonValue &roomId);
    // A join's "user", the name the session is stored with when no token names it.
    void announceUser(RelayClient *client, const QString &user);
    // What the client's joined frames say about its session.
    RelayProtocol::JoinedExtras joinedExtras(const RelayClient *client) const;
    void roomLeft(RelayClient *client, const QString &roomKey);
    // The connection ended: its session is kept for the session TTL from now.
    void disconnected(RelayClient *client);
    // {"type":"resume"}: answered asynchronously (resumed + a joined per room, or an error).
    void resume(RelayClient *client, const RelayProtocol::Request &request);

private:
    void refresh();
    void recreate(const QByteArray &session);
    void adopt(quint64 clientId, const QByteArray &session, const RelayProtocol::Request &request,
               const SessionStore::Record &record);
    SessionStore::Record recordOf(const RelayClient *client) const;

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    QPointer<SessionStore> m_store;
    Hooks m_hooks;
    QTimer m_refresh;
};
