// SPDX-License-Identifier: MIT
#include "redishistory.h"

#include "relaykeys.h"

using namespace Qt::StringLiterals;

namespace {

// KEYS: stream, meta. ARGV: publish verb, channel, payload, cap, ttl in ms (0 = none), origin
// ('' = no guard), seq.
constexpr char PublishScript[] = R"lua(
local s, m, cap, ttl = KEYS[1], KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5])
if ARGV[6] ~= '' then
  local f = 'o:' .. ARGV[6]
  local last = redis.call('HGET', m, f)
  if last and tonumber(ARGV[7]) <= tonumber(last) then return -1 end
  redis.call('HSET', m, f, ARGV[7])
end
local len = redis.call('XLEN', s)
if len >= cap then
  local gone = redis.call('XRANGE', s, '-', '+', 'COUNT', len - cap + 1)
  redis.call('HSET', m, 'trimmed', gone[#gone][1])
end
local id = redis.call('XADD', s, 'MAXLEN', cap, '*', 'm', ARGV[3])
if len == 0 then
  redis.call('HSET', m, 'start', id)
  redis.call('HDEL', m, 'trimmed')
else
  redis.call('HSETNX', m, 'start', id)
end
if ttl > 0 then
  redis.call('PEXPIRE', s, ttl)
  redis.call('PEXPIRE', m, ttl)
end
return redis.call(ARGV[1], ARGV[2], string.sub(ARGV[3], 1, -2) .. ',"offset":"' .. id .. '"}')
)lua";

// KEYS: stream, meta. ARGV: since, count. Answers {status, payload...}.
constexpr char ReadScript[] = R"lua(
local s, m, since = KEYS[1], KEYS[2], ARGV[1]
local function parts(id)
  local a, b = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(a), tonumber(b)
end
local function before(x, y)
  local xa, xb = parts(x)
  local ya, yb = parts(y)
  return xa < ya or (xa == ya and xb < yb)
end
local start = redis.call('HGET', m, 'start')
if not start or redis.call('EXISTS', s) == 0 or before(since, start) then return {'stream_reset'} end
local newest = redis.call('XREVRANGE', s, '+', '-', 'COUNT', 1)[1][1]
if before(newest, since) then return {'stream_reset'} end
local trimmed = redis.call('HGET', m, 'trimmed')
if trimmed and before(since, trimmed) then return {'offset_trimmed'} end
local out = {'ok'}
for _, e in ipairs(redis.call('XRANGE', s, '(' .. since, '+', 'COUNT', tonumber(ARGV[2]))) do
  out[#out + 1] = string.sub(e[2][2], 1, -2) .. ',"offset":"' .. e[1] .. '"}'
end
return out
)lua";

} // namespace

RedisHistory::RedisHistory(const BusHistory &config)
    : m_config(config)
    , m_read(ReadScript)
{}

QByteArray RedisHistory::streamKey(const QByteArray &channel) const
{
    return RelayKeys::historyKey(m_config.keyPrefix, channel);
}

QByteArrayList RedisHistory::publishCommand(const QByteArray &publishVerb, const QByteArray &channel,
                                            const QByteArray &payload, const QByteArray &origin,
                                            quint64 seq) const
{
    const QByteArray stream = streamKey(channel);
    return {"EVAL",
            QByteArray::fromRawData(PublishScript, sizeof PublishScript - 1),
            "2",
            stream,
            stream + ":meta",
            publishVerb,
            channel,
            payload,
            QByteArray::number(m_config.size),
            QByteArray::number(qint64(m_config.ttl.count()) * 1000),
            origin,
            QByteArray::number(seq)};
}

QByteArrayList RedisHistory::readKeys(const QByteArray &channel) const
{
    const QByteArray stream = streamKey(channel);
    return {stream, stream + ":meta"};
}

QByteArrayList RedisHistory::readArgs(const QByteArray &since, int count)
{
    return {since, QByteArray::number(count)};
}

HistoryPage RedisHistory::parseRead(const RedisValue &reply)
{
    HistoryPage page;
    page.status = HistoryPage::Status::Failed;
    if (reply.isError()) {
        page.error = QString::fromUtf8(reply.bytes());
        return page;
    }
    if (!reply.isArray() || reply.elements().empty() || !reply.elements().front().isString()) {
        page.error = u"unexpected reply to the history read"_s;
        return page;
    }
    const QByteArray &status = reply.elements().front().bytes();
    if (status == "stream_reset") {
        page.status = HistoryPage::Status::Reset;
    } else if (status == "offset_trimmed") {
        page.status = HistoryPage::Status::Trimmed;
    } else if (status == "ok") {
        page.status = HistoryPage::Status::Ok;
        page.payloads.reserve(qsizetype(reply.elements().size()) - 1);
        for (size_t i = 1; i < reply.elements().size(); ++i)
            page.payloads.append(reply.elements()[i].bytes());
    } else {
        page.error = u"unexpected history status %1"_s.arg(QString::fromUtf8(status));
    }
    return page;
}
