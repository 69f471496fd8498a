// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <optional>

// Where a relay keeps its clients' sessions (docs/protocol.md, "Sessions"): a session's user,
// token subject and rooms, kept while its connection lives and ttl after it ends, readable by
// every relay of the fleet (RedisSessionStore) or, for the in-process bus, by this one
// (LocalSessionStore). Writes are fire and forget; a failed write is logged.
class SessionStore : public QObject
{
    Q_OBJECT
public:
    struct Room
    {
        QString key;
        QJsonValue id; // as the client asked for it
    };
    struct Record
    {
        QString user;
        QString subject; // the token's sub; empty without tokens
        QString relay;   // the instance that last wrote it
        QList<Room> rooms;
    };
    enum class LoadStatus { Found, Unknown, Failed };
    using LoadCallback = std::function<void(LoadStatus, const Record &, const QString &error)>;

    using QObject::QObject;

    virtual void create(const QByteArray &session, const Record &record, std::chrono::seconds ttl) = 0;
    virtual void addRoom(const QByteArray &session, const Room &room, std::chrono::seconds ttl) = 0;
    virtual void removeRoom(const QByteArray &session, const QString &roomKey) = 0;
    // Keeps the sessions for another ttl (connected ones, now and then; one that ends, once).
    // missing is called (while context lives) for each one the store no longer has (Redis
    // restarted or failed over without it), for the caller to create it again.
    using MissingCallback = std::function<void(const QByteArray &session)>;
    virtual void touch(const QByteArrayList &sessions, std::chrono::seconds ttl, QObject *context,
                       MissingCallback missing) = 0;
    // callback runs from the event loop, never inside load(), and only while context lives.
    virtual void load(const QByteArray &session, QObject *context, LoadCallback callback) = 0;
};
