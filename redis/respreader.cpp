// SPDX-License-Identifier: MIT
#include "respreader.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <climits>
#include <memory>

using namespace Qt::StringLiterals;

// hiredis 0.14 and 1.x: the same reader, with different callback tables. 1.x also parses RESP3
// (maps, sets, doubles, booleans, nulls, pushes, big numbers, verbatim strings) and has no
// nesting limit of its own. This reader speaks RESP2 only, and behaves as 0.14 does with either:
// a RESP3 type byte is "Protocol error, got "%" as reply type byte", an aggregate nested deeper
// than 7 is refused with 0.14's message, a multi-bulk count above INT_MAX is out of range.
#if !defined(HIREDIS_MAJOR) || (HIREDIS_MAJOR != 0 && HIREDIS_MAJOR != 1)
#error "redis/respreader.cpp supports hiredis 0.14 and 1.x"
#endif
#if HIREDIS_MAJOR == 0 && HIREDIS_MINOR < 14
#error "redis/respreader.cpp needs hiredis 0.14 or later"
#endif

namespace {

// hiredis hands every nested value its parent task; children live inside the parent's element
// vector, so only the root is heap-allocated and freed. The vector grows as children arrive
// rather than to the declared count, so "*2000000000" from a broken peer allocates nothing big.
// Growing is safe: a child index only appears once the previous sibling is complete, so no
// in-progress value lives in the part of the vector that moves.
constexpr int MaxReservedElements = 4096;

// hiredis 0.14 keeps 9 read tasks: an aggregate at depth 8 (the root is 0) is refused.
constexpr int MaxAggregateDepth = 7;
constexpr const char *DepthError = "No support for nested multi bulk replies with depth > 7";

// What a callback refused, for RespReader::next() to report in 0.14's words. hiredis passes it
// to every task as privdata. (A refusing callback returns nullptr, which hiredis reports as
// "Out of memory".)
struct Refusal
{
    QByteArray message;
};

int depthOf(const redisReadTask *task)
{
    int depth = 0;
    for (const redisReadTask *t = task->parent; t; t = t->parent)
        ++depth;
    return depth;
}

// The RESP3 type byte that made hiredis 1.x pick this task type; 0 for the RESP2 types.
char resp3TypeByte([[maybe_unused]] int type)
{
#if HIREDIS_MAJOR >= 1
    switch (type) {
    case REDIS_REPLY_DOUBLE: return ',';
    case REDIS_REPLY_BOOL: return '#';
    case REDIS_REPLY_NIL: return '_';
    case REDIS_REPLY_MAP: return '%';
    case REDIS_REPLY_SET: return '~';
    case REDIS_REPLY_ATTR: return '|';
    case REDIS_REPLY_PUSH: return '>';
    case REDIS_REPLY_BIGNUM: return '(';
    case REDIS_REPLY_VERB: return '=';
    default: break;
    }
#endif
    return 0;
}

QByteArray typeByteError(char byte)
{
    return "Protocol error, got \"" + QByteArray(1, byte) + "\" as reply type byte";
}

// True (and the reason noted) when 0.14 would not have read this task.
bool refuse(const redisReadTask *task, bool aggregate)
{
    auto *refusal = static_cast<Refusal *>(task->privdata);
    if (const char byte = resp3TypeByte(task->type)) {
        refusal->message = typeByteError(byte);
        return true;
    }
    if (aggregate && depthOf(task) > MaxAggregateDepth) {
        refusal->message = DepthError;
        return true;
    }
    return false;
}

RedisValue *slotFor(const redisReadTask *task)
{
    if (task->parent) {
        auto &elements = static_cast<RedisValue *>(task->parent->obj)->elements();
        const auto index = size_t(task->idx);
        if (index >= elements.size())
            elements.resize(index + 1);
        return &elements[index];
    }
    return new RedisValue;
}

void *createString(const redisReadTask *task, char *str, size_t len)
{
    if (refuse(task, false))
        return nullptr;
    RedisValue *slot = slotFor(task);
    QByteArray bytes(str, qsizetype(len));
    switch (task->type) {
    case REDIS_REPLY_ERROR:
        *slot = RedisValue::error(std::move(bytes));
        break;
    case REDIS_REPLY_STATUS:
        *slot = RedisValue::status(std::move(bytes));
        break;
    default:
        *slot = RedisValue::string(std::move(bytes));
        break;
    }
    return slot;
}

#if HIREDIS_MAJOR >= 1
using ElementCount = size_t;
#else
using ElementCount = int;
#endif

void *createArray(const redisReadTask *task, ElementCount elements)
{
    if (refuse(task, true))
        return nullptr;
    RedisValue *slot = slotFor(task);
    std::vector<RedisValue> children;
    children.reserve(std::min(size_t(elements), size_t(MaxReservedElements)));
    *slot = RedisValue::array(std::move(children));
    return slot;
}

void *createInteger(const redisReadTask *task, long long value)
{
    RedisValue *slot = slotFor(task);
    *slot = RedisValue::integer(value);
    return slot;
}

// "$-1" and "*-1" (and, in 1.x, RESP3's "_", refused).
void *createNil(const redisReadTask *task)
{
    if (refuse(task, task->type == REDIS_REPLY_ARRAY))
        return nullptr;
    RedisValue *slot = slotFor(task);
    *slot = RedisValue::nil();
    return slot;
}

void freeObject(void *obj)
{
    delete static_cast<RedisValue *>(obj);
}

#if HIREDIS_MAJOR >= 1
void *createDouble(const redisReadTask *task, double, char *, size_t)
{
    refuse(task, false);
    return nullptr;
}

void *createBool(const redisReadTask *task, int)
{
    refuse(task, false);
    return nullptr;
}

redisReplyObjectFunctions g_functions = {createString, createArray, createInteger, createDouble,
                                         createNil,    createBool,  freeObject};
#else
redisReplyObjectFunctions g_functions = {createString, createArray, createInteger, createNil, freeObject};
#endif

// 0.14 refuses a RESP3 type byte, or an aggregate too deep, as soon as it reads the type byte;
// 1.x reads on and calls back once the item's line is complete. This finds the task 1.x is in
// the middle of, when a reply is incomplete, and says what 0.14 would have said.
QByteArray pendingRefusal([[maybe_unused]] const redisReader *reader)
{
#if HIREDIS_MAJOR >= 1
    if (reader->ridx < 0)
        return {};
    const redisReadTask *task = reader->task[reader->ridx];
    if (const char byte = resp3TypeByte(task->type))
        return typeByteError(byte);
    if (task->type == REDIS_REPLY_ARRAY && reader->ridx > MaxAggregateDepth)
        return DepthError;
#endif
    return {};
}

} // namespace

struct RespReader::State
{
    Refusal refusal;
};

RespReader::RespReader()
    : m_state(std::make_unique<State>())
{
    reset();
}

RespReader::~RespReader()
{
    if (m_reader)
        redisReaderFree(m_reader);
}

void RespReader::reset()
{
    if (m_reader)
        redisReaderFree(m_reader);
    m_reader = redisReaderCreateWithFunctions(&g_functions);
    if (m_reader) {
        m_reader->maxbuf = 1024 * 1024; // avoid re-allocating the buffer on every busy feed
        m_reader->privdata = &m_state->refusal;
#if HIREDIS_MAJOR >= 1
        m_reader->maxelements = INT_MAX; // 0.14's bound
#endif
    }
    m_state->refusal.message.clear();
    m_error.clear();
    if (!m_reader)
        m_error = u"out of memory creating the RESP reader"_s;
}

void RespReader::feed(const char *data, qsizetype size)
{
    if (hasError() || size <= 0)
        return;
    if (redisReaderFeed(m_reader, data, size_t(size)) != REDIS_OK)
        m_error = u"RESP reader: "_s + QString::fromUtf8(m_reader->errstr);
}

std::optional<RedisValue> RespReader::next()
{
    if (hasError())
        return std::nullopt;
    void *reply = nullptr;
    if (redisReaderGetReply(m_reader, &reply) != REDIS_OK) {
        const QByteArray &refused = m_state->refusal.message;
        m_error = u"RESP protocol error: "_s +
                  QString::fromUtf8(refused.isEmpty() ? QByteArray(m_reader->errstr) : refused);
        return std::nullopt;
    }
    if (!reply) {
        if (const QByteArray refused = pendingRefusal(m_reader); !refused.isEmpty())
            m_error = u"RESP protocol error: "_s + QString::fromUtf8(refused);
        return std::nullopt;
    }
    std::unique_ptr<RedisValue> owned(static_cast<RedisValue *>(reply));
    return std::move(*owned);
}

QByteArray RespReader::formatCommand(const QByteArrayList &args)
{
    std::vector<const char *> argv;
    std::vector<size_t> argvlen;
    argv.reserve(size_t(args.size()));
    argvlen.reserve(size_t(args.size()));
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        argvlen.push_back(size_t(a.size()));
    }
    char *target = nullptr;
    const int len = redisFormatCommandArgv(&target, int(args.size()), argv.data(), argvlen.data());
    if (len < 0 || !target)
        return {};
    QByteArray out(target, len);
    redisFreeCommand(target);
    return out;
}

QString RespReader::hiredisVersion()
{
    return u"%1.%2.%3"_s.arg(HIREDIS_MAJOR).arg(HIREDIS_MINOR).arg(HIREDIS_PATCH);
}
