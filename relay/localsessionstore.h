// SPDX-License-Identifier: MIT
#pragma once

#include "sessionstore.h"

#include <QHash>

// Sessions in memory, for the in-process bus: a fleet of one. Expiry as in Redis: a session not
// touched for its ttl is gone.
class LocalSessionStore : public SessionStore
{
    Q_OBJECT
public:
    using SessionStore::SessionStore;

    void create(const QByteArray &session, const Record &record, std::chrono::seconds ttl) override;
    void addRoom(const QByteArray &session, const Room &room, std::chrono::seconds ttl) override;
    void removeRoom(const QByteArray &session, const QString &roomKey) override;
    void touch(const QByteArrayList &sessions, std::chrono::seconds ttl, QObject *context,
               MissingCallback missing) override;
    void load(const QByteArray &session, QObject *context, LoadCallback callback) override;

    qsizetype size() const { return m_sessions.size(); }

private:
    struct Entry
    {
        Record record;
        qint64 expiresAtMs = 0;
    };
    Entry *live(const QByteArray &session);
    void sweep();

    QHash<QByteArray, Entry> m_sessions;
    qint64 m_nextSweepMs = 0;
};
