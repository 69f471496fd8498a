// SPDX-License-Identifier: MIT
#include "localsessionstore.h"

#include <QDateTime>
#include <QPointer>

#include <algorithm>

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 deadline(std::chrono::seconds ttl)
{
    return nowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count();
}

} // namespace

LocalSessionStore::Entry *LocalSessionStore::live(const QByteArray &session)
{
    auto it = m_sessions.find(session);
    if (it == m_sessions.end())
        return nullptr;
    if (it->expiresAtMs <= nowMs()) {
        m_sessions.erase(it);
        return nullptr;
    }
    return &*it;
}

void LocalSessionStore::sweep()
{
    // Expired sessions are dropped at most once a second, in one pass.
    const qint64 now = nowMs();
    if (now < m_nextSweepMs)
        return;
    m_nextSweepMs = now + 1000;
    m_sessions.removeIf([now](const auto &it) { return it.value().expiresAtMs <= now; });
}

void LocalSessionStore::create(const QByteArray &session, const Record &record, std::chrono::seconds ttl)
{
    sweep();
    Entry &e = m_sessions[session];
    e.record = record;
    e.expiresAtMs = deadline(ttl);
}

void LocalSessionStore::addRoom(const QByteArray &session, const Room &room, std::chrono::seconds ttl)
{
    Entry *e = live(session);
    if (!e)
        return;
    auto &rooms = e->record.rooms;
    const auto it =
        std::find_if(rooms.begin(), rooms.end(), [&](const Room &r) { return r.key == room.key; });
    if (it == rooms.end())
        rooms.append(room);
    e->expiresAtMs = deadline(ttl);
}

void LocalSessionStore::removeRoom(const QByteArray &session, const QString &roomKey)
{
    if (Entry *e = live(session))
        e->record.rooms.removeIf([&](const Room &r) { return r.key == roomKey; });
}

void LocalSessionStore::touch(const QByteArrayList &sessions, std::chrono::seconds ttl, QObject *,
                              MissingCallback)
{
    // Nothing here outlives the process, so nothing can go missing behind a live connection.
    for (const QByteArray &session : sessions) {
        if (Entry *e = live(session))
            e->expiresAtMs = deadline(ttl);
    }
    sweep();
}

void LocalSessionStore::load(const QByteArray &session, QObject *context, LoadCallback callback)
{
    const Entry *e = live(session);
    const LoadStatus status = e ? LoadStatus::Found : LoadStatus::Unknown;
    Record record = e ? e->record : Record();
    QMetaObject::invokeMethod(
        context,
        [status, record = std::move(record), callback = std::move(callback)] {
            callback(status, record, {});
        },
        Qt::QueuedConnection);
}
