// SPDX-License-Identifier: MIT
#include "redissessionstore.h"

#include "redisbuslink.h"
#include "relaykeys.h"
#include "relaylogging.h"
#include "relayprotocol.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

// KEYS: the session's hash, its rooms. ARGV: ttl, op, op's arguments. Answers 0 when the
// session does not exist (add and touch then write nothing), else 1.
constexpr char WriteScript[] = R"lua(
local ttl = tonumber(ARGV[1])
local op = ARGV[2]
if op == 'create' then
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'user', ARGV[3], 'sub', ARGV[4], 'relay', ARGV[5], 'created', ARGV[6])
elseif op == 'remove' then
  redis.call('HDEL', KEYS[2], ARGV[3])
  return 1
elseif redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
elseif op == 'add' then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
end
redis.call('EXPIRE', KEYS[1], ttl)
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('EXPIRE', KEYS[2], ttl)
end
return 1
)lua";

constexpr char LoadScript[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then
  return false
end
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
)lua";

QByteArray seconds(std::chrono::seconds ttl)
{
    return QByteArray::number(qMax<qint64>(1, ttl.count()));
}

QByteArray roomIdJson(const QJsonValue &id)
{
    QByteArray out;
    RelayProtocol::appendJson(out, id);
    return out;
}

QJsonValue roomIdFromJson(const QByteArray &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson('[' + json + ']');
    const QJsonArray array = doc.array();
    return array.size() == 1 ? array.first() : QJsonValue();
}

// The reply of LoadScript as a record; false when it is not one.
bool parseRecord(const RedisValue &reply, SessionStore::Record *record)
{
    if (!reply.isArray() || reply.elements().size() != 2)
        return false;
    const auto &fields = reply.elements()[0].elements();
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        const QByteArray &name = fields[i].bytes();
        const QString value = QString::fromUtf8(fields[i + 1].bytes());
        if (name == "user")
            record->user = value;
        else if (name == "sub")
            record->subject = value;
        else if (name == "relay")
            record->relay = value;
    }
    const auto &rooms = reply.elements()[1].elements();
    for (size_t i = 0; i + 1 < rooms.size(); i += 2) {
        const QJsonValue id = roomIdFromJson(rooms[i + 1].bytes());
        if (!id.isString() && !id.isDouble())
            continue; // not written by a relay: skipped rather than trusted
        record->rooms.append({QString::fromUtf8(rooms[i].bytes()), id});
    }
    std::sort(record->rooms.begin(), record->rooms.end(),
              [](const SessionStore::Room &a, const SessionStore::Room &b) { return a.key < b.key; });
    return true;
}

} // namespace

RedisSessionStore::RedisSessionStore(RedisBusLink *link, QByteArray prefix, QObject *parent)
    : SessionStore(parent)
    , m_link(link)
    , m_prefix(std::move(prefix))
    , m_write(WriteScript)
    , m_load(LoadScript)
{}

void RedisSessionStore::write(const QByteArray &session, const QByteArrayList &args,
                              std::function<void(const RedisValue &)> done)
{
    if (!m_link)
        return;
    const QByteArray key = RelayKeys::sessionKey(m_prefix, session);
    const QByteArrayList keys{key, RelayKeys::sessionRoomsKey(m_prefix, session)};
    const RedisScript::Send send = m_link->scriptSender(key, this);
    m_write.run(send, keys, args, [done = std::move(done)](const RedisValue &reply) {
        if (reply.isError())
            qCWarning(lcRelay).noquote() << "session write failed:" << QString::fromUtf8(reply.bytes());
        else if (done)
            done(reply);
    });
}

void RedisSessionStore::create(const QByteArray &session, const Record &record, std::chrono::seconds ttl)
{
    write(session,
          {seconds(ttl), "create", record.user.toUtf8(), record.subject.toUtf8(), record.relay.toUtf8(),
           QByteArray::number(QDateTime::currentMSecsSinceEpoch())},
          {});
    for (const Room &room : record.rooms)
        addRoom(session, room, ttl);
}

void RedisSessionStore::addRoom(const QByteArray &session, const Room &room, std::chrono::seconds ttl)
{
    write(session, {seconds(ttl), "add", room.key.toUtf8(), roomIdJson(room.id)}, {});
}

void RedisSessionStore::removeRoom(const QByteArray &session, const QString &roomKey)
{
    write(session, {"0", "remove", roomKey.toUtf8()}, {});
}

void RedisSessionStore::touch(const QByteArrayList &sessions, std::chrono::seconds ttl, QObject *context,
                              MissingCallback missing)
{
    QPointer<QObject> guard = context;
    for (const QByteArray &session : sessions) {
        write(session, {seconds(ttl), "touch"}, [guard, missing, session](const RedisValue &reply) {
            if (guard && missing && reply.isInteger() && reply.toInteger() == 0)
                missing(session);
        });
    }
}

void RedisSessionStore::load(const QByteArray &session, QObject *context, LoadCallback callback)
{
    const QByteArray key = RelayKeys::sessionKey(m_prefix, session);
    QPointer<QObject> guard = context;
    auto answer = [guard, callback](LoadStatus status, const Record &record, const QString &error) {
        if (guard)
            callback(status, record, error);
    };
    if (!m_link) {
        QMetaObject::invokeMethod(
            context, [answer] { answer(LoadStatus::Failed, {}, u"no Redis link"_s); }, Qt::QueuedConnection);
        return;
    }
    const RedisScript::Send send = m_link->scriptSender(key, this);
    m_load.run(send, {key, RelayKeys::sessionRoomsKey(m_prefix, session)}, {},
               [answer](const RedisValue &reply) {
                   Record record;
                   if (reply.isNil())
                       answer(LoadStatus::Unknown, record, {});
                   else if (parseRecord(reply, &record))
                       answer(LoadStatus::Found, record, {});
                   else
                       answer(LoadStatus::Failed, record,
                              reply.isError() ? QString::fromUtf8(reply.bytes())
                                              : u"unexpected reply to the session lookup"_s);
               });
}
