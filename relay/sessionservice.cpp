// SPDX-License-Identifier: MIT
#include "sessionservice.h"

#include "relaylogging.h"

#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

SessionService::SessionService(const RelayServerOptions &options, RelayStats &stats, SessionStore *store,
                               Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_store(store)
    , m_hooks(std::move(hooks))
{
    if (!m_store)
        return;
    // Connected sessions are kept alive well before they could expire.
    m_refresh.setInterval(std::chrono::duration_cast<std::chrono::milliseconds>(m_options.sessions.ttl) / 3);
    connect(&m_refresh, &QTimer::timeout, this, &SessionService::refresh);
    m_refresh.start();
}

QByteArray SessionService::newSessionId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words))
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

void SessionService::connected(RelayClient *client)
{
    if (!isEnabled())
        return;
    client->session = newSessionId();
    client->sessionUser = client->identity;
}

SessionStore::Record SessionService::recordOf(const RelayClient *client) const
{
    SessionStore::Record record;
    record.user = client->sessionUser;
    record.subject = client->claims ? client->claims->subject : QString();
    record.relay = m_options.instanceId;
    return record;
}

void SessionService::announceUser(RelayClient *client, const QString &user)
{
    if (isEnabled() && client->sessionUser.isEmpty())
        client->sessionUser = user.left(256);
}

RelayProtocol::JoinedExtras SessionService::joinedExtras(const RelayClient *client) const
{
    RelayProtocol::JoinedExtras extras;
    extras.session = client->session;
    return extras;
}

void SessionService::roomJoined(RelayClient *client, const QString &roomKey, const QJsonValue &roomId)
{
    if (!isEnabled() || client->session.isEmpty())
        return;
    if (!client->sessionStored) {
        m_store->create(client->session, recordOf(client), m_options.sessions.ttl);
        client->sessionStored = true;
        ++m_stats.sessionsCreated;
    }
    client->roomIds.insert(roomKey, roomId);
    m_store->addRoom(client->session, {roomKey, roomId}, m_options.sessions.ttl);
}

void SessionService::roomLeft(RelayClient *client, const QString &roomKey)
{
    client->roomIds.remove(roomKey);
    if (isEnabled() && client->sessionStored)
        m_store->removeRoom(client->session, roomKey);
}

void SessionService::disconnected(RelayClient *client)
{
    if (isEnabled() && client->sessionStored)
        m_store->touch({client->session}, m_options.sessions.ttl, nullptr, {});
}

void SessionService::refresh()
{
    QByteArrayList live;
    for (const RelayClient *c : *m_hooks.clients) {
        if (c->sessionStored)
            live.append(c->session);
    }
    if (!live.isEmpty())
        m_store->touch(live, m_options.sessions.ttl, this, [this](const QByteArray &s) { recreate(s); });
}

void SessionService::recreate(const QByteArray &session)
{
    // Redis lost it (a restart or failover) while its connection lives: written again, rooms too.
    for (const RelayClient *c : *m_hooks.clients) {
        if (c->session != session)
            continue;
        SessionStore::Record record = recordOf(c);
        for (const QString &key : c->rooms.toList())
            record.rooms.append({key, c->roomIds.value(key, QJsonValue(key))});
        m_store->create(session, record, m_options.sessions.ttl);
        ++m_stats.sessionsRestored;
        return;
    }
}

void SessionService::resume(RelayClient *client, const RelayProtocol::Request &request)
{
    if (!isEnabled()) {
        ++m_stats.resumesUnknown;
        m_hooks.send(client, RelayProtocol::error(RelayProtocol::Error::SessionUnknown,
                                                  u"this relay keeps no sessions (--sessions is off)"_s));
        return;
    }
    const quint64 id = client->id;
    const QByteArray session = request.session;
    m_store->load(
        session, this,
        [this, id, session, request](SessionStore::LoadStatus status, const SessionStore::Record &record,
                                     const QString &error) {
            RelayClient *c = m_hooks.clients->value(id);
            if (!c || c->closing)
                return;
            const QString subject = c->claims ? c->claims->subject : QString();
            if (status == SessionStore::LoadStatus::Failed) {
                ++m_stats.resumesFailed;
                qCWarning(lcRelay).noquote() << "client" << id << "- session lookup failed:" << error;
                m_hooks.send(c, RelayProtocol::error(RelayProtocol::Error::SessionUnavailable,
                                                     u"the session could not be looked up; try again"_s));
            } else if (status == SessionStore::LoadStatus::Unknown || record.subject != subject) {
                ++m_stats.resumesUnknown;
                m_hooks.send(c, RelayProtocol::error(RelayProtocol::Error::SessionUnknown,
                                                     u"no such session (unknown, expired or not "
                                                     u"this token's)"_s));
            } else {
                adopt(id, session, request, record);
            }
        });
}

void SessionService::adopt(quint64 clientId, const QByteArray &session, const RelayProtocol::Request &request,
                           const SessionStore::Record &record)
{
    RelayClient *client = m_hooks.clients->value(clientId);
    ++m_stats.resumes;
    // The rooms it is in already join the session; the session's rooms are joined below.
    QList<SessionStore::Room> rooms;
    QList<SessionStore::Room> refused;
    for (const SessionStore::Room &room : record.rooms) {
        if (client->claims && !client->claims->allowsRoom(room.key))
            refused.append(room);
        else
            rooms.append(room);
    }
    client->session = session;
    client->sessionStored = true;
    if (client->sessionUser.isEmpty())
        client->sessionUser = record.user;
    m_store->touch({session}, m_options.sessions.ttl, nullptr, {});
    for (const QString &key : client->rooms.toList())
        m_store->addRoom(session, {key, client->roomIds.value(key, QJsonValue(key))}, m_options.sessions.ttl);

    QList<QJsonValue> ids;
    for (const SessionStore::Room &room : rooms)
        ids.append(room.id);
    m_hooks.send(client, RelayProtocol::resumed(session, ids));
    for (const SessionStore::Room &room : refused) {
        ++m_stats.forbidden;
        m_hooks.send(client, RelayProtocol::roomError(
                                 RelayProtocol::Error::Forbidden,
                                 u"the token does not allow room \"%1\""_s.arg(room.key.left(128)), room.id));
    }
    for (const SessionStore::Room &room : rooms) {
        const auto offset = std::find_if(request.offsets.begin(), request.offsets.end(),
                                         [&](const auto &o) { return o.first == room.key; });
        m_hooks.join(client, room.id, room.key,
                     offset == request.offsets.end() ? QByteArray() : offset->second);
        if (!m_hooks.clients->contains(clientId))
            return;
    }
}
