// SPDX-License-Identifier: MIT
#include "redispresencestore.h"

#include "redisbuslink.h"
#include "relaykeys.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// KEYS: the room's presence hash. ARGV: op, ttl in ms, then
//   set:  field, value-without-expires pairs ('{"user":..,"since":..,"relay":".."')
//   del:  fields
//   read: (instead of the ttl) the most members to return
// set and del answer 1; read answers {live entries, value...} with at most that many values.
constexpr char Script[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local op = ARGV[1]
local ttl = tonumber(ARGV[2])
if op == 'set' then
  local expires = string.format('%.0f', now + ttl)
  for i = 3, #ARGV, 2 do
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ',"expires":' .. expires .. '}')
  end
  redis.call('PEXPIRE', KEYS[1], ttl)
  return 1
elseif op == 'del' then
  for i = 3, #ARGV do
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
  if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
  return 1
end
local max = ttl
local all = redis.call('HGETALL', KEYS[1])
local out = {0}
for i = 1, #all, 2 do
  local expires = tonumber(string.match(all[i + 1], '"expires":(%d+)}$'))
  if expires and expires <= now then
    redis.call('HDEL', KEYS[1], all[i])
  elseif expires then
    out[1] = out[1] + 1
    if out[1] <= max then
      out[#out + 1] = all[i + 1]
    end
  end
end
return out
)lua";

// Entries per script call: a room with thousands of local members is written in slices.
constexpr qsizetype SliceSize = 500;

QByteArray milliseconds(std::chrono::seconds ttl)
{
    return QByteArray::number(qMax<qint64>(1, ttl.count()) * 1000);
}

bool parseMember(const QByteArray &json, RelayProtocol::PresenceMember *member)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    const QJsonValue user = o.value("user"_L1);
    const QJsonValue since = o.value("since"_L1);
    if ((!user.isString() && !user.isNull()) || !since.isDouble())
        return false; // not written by a relay: skipped rather than trusted
    member->user = user;
    member->since = qint64(since.toDouble());
    return true;
}

} // namespace

RedisPresenceStore::RedisPresenceStore(RedisBusLink *link, QByteArray prefix, QString instanceId,
                                       QObject *parent)
    : PresenceStore(parent)
    , m_link(link)
    , m_prefix(std::move(prefix))
    , m_instanceId(std::move(instanceId))
    , m_script(Script)
{}

QByteArray RedisPresenceStore::field(quint64 client) const
{
    return m_instanceId.toUtf8() + ':' + QByteArray::number(client);
}

void RedisPresenceStore::run(const QByteArray &channel, const QByteArrayList &args,
                             std::function<void(const RedisValue &)> done)
{
    const QByteArray key = RelayKeys::presenceKey(m_prefix, channel);
    const RedisScript::Send send = m_link->scriptSender(key, this);
    m_script.run(send, {key}, args, std::move(done));
}

void RedisPresenceStore::write(const QByteArray &channel, const QList<Entry> &entries,
                               std::chrono::seconds ttl)
{
    if (!m_link) {
        Q_EMIT failed(u"no Redis link"_s);
        return;
    }
    QPointer<RedisPresenceStore> self = this;
    auto check = [self](const RedisValue &reply) {
        if (self && reply.isError())
            Q_EMIT self->failed(QString::fromUtf8(reply.bytes()));
    };
    for (qsizetype from = 0; from < entries.size(); from += SliceSize) {
        QByteArrayList args{"set", milliseconds(ttl)};
        for (const Entry &e : entries.mid(from, SliceSize)) {
            QByteArray value = R"({"user":)"_ba;
            RelayProtocol::appendJson(value, e.member.user);
            value.append(R"(,"since":)").append(QByteArray::number(e.member.since));
            value.append(R"(,"relay":)");
            RelayProtocol::appendJsonString(value, m_instanceId);
            args << field(e.client) << value;
        }
        run(channel, args, check);
    }
}

void RedisPresenceStore::remove(const QByteArray &channel, const QList<quint64> &clients,
                                std::chrono::seconds ttl)
{
    if (!m_link || clients.isEmpty())
        return;
    QByteArrayList args{"del", milliseconds(ttl)};
    for (quint64 client : clients)
        args << field(client);
    QPointer<RedisPresenceStore> self = this;
    run(channel, args, [self](const RedisValue &reply) {
        if (self && reply.isError())
            Q_EMIT self->failed(QString::fromUtf8(reply.bytes()));
    });
}

void RedisPresenceStore::read(const QByteArray &channel, int maxMembers, QObject *context,
                              ReadCallback callback)
{
    QPointer<QObject> guard = context;
    auto answer = [guard, callback = std::move(callback)](bool ok,
                                                          const QList<RelayProtocol::PresenceMember> &members,
                                                          qsizetype total, const QString &error) {
        if (guard)
            callback(ok, members, total, error);
    };
    if (!m_link) {
        QMetaObject::invokeMethod(
            context, [answer] { answer(false, {}, 0, u"no Redis link"_s); }, Qt::QueuedConnection);
        return;
    }
    run(channel, {"read", QByteArray::number(maxMembers)}, [answer](const RedisValue &reply) {
        if (!reply.isArray() || reply.elements().empty() || !reply.elements()[0].isInteger()) {
            answer(false, {}, 0,
                   reply.isError() ? QString::fromUtf8(reply.bytes())
                                   : u"unexpected reply to the presence read"_s);
            return;
        }
        const auto &elements = reply.elements();
        qsizetype total = qsizetype(elements[0].toInteger());
        QList<RelayProtocol::PresenceMember> members;
        for (size_t i = 1; i < elements.size(); ++i) {
            RelayProtocol::PresenceMember member;
            if (parseMember(elements[i].bytes(), &member))
                members.append(member);
            else
                --total;
        }
        std::sort(members.begin(), members.end(), [](const auto &a, const auto &b) {
            return a.since != b.since ? a.since < b.since : a.user.toString() < b.user.toString();
        });
        answer(true, members, total, {});
    });
}
