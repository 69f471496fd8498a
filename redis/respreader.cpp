// SPDX-License-Identifier: MIT
#include "respreader.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// hiredis hands every nested value its parent task; children live inside the parent's element
// vector, so only the root is heap-allocated and freed. The vector grows as children arrive
// rather than to the declared count, so "*2000000000" from a broken peer allocates nothing big.
// Growing is safe: a child index only appears once the previous sibling is complete, so no
// in-progress value lives in the part of the vector that moves.
constexpr int MaxReservedElements = 4096;

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

void *createArray(const redisReadTask *task, int elements)
{
    RedisValue *slot = slotFor(task);
    std::vector<RedisValue> children;
    children.reserve(size_t(std::clamp(elements, 0, MaxReservedElements)));
    *slot = RedisValue::array(std::move(children));
    return slot;
}

void *createInteger(const redisReadTask *task, long long value)
{
    RedisValue *slot = slotFor(task);
    *slot = RedisValue::integer(value);
    return slot;
}

void *createNil(const redisReadTask *task)
{
    RedisValue *slot = slotFor(task);
    *slot = RedisValue::nil();
    return slot;
}

void freeObject(void *obj)
{
    delete static_cast<RedisValue *>(obj);
}

redisReplyObjectFunctions g_functions = {createString, createArray, createInteger, createNil, freeObject};

} // namespace

RespReader::RespReader()
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
    if (m_reader)
        m_reader->maxbuf = 1024 * 1024; // avoid re-allocating the buffer on every busy feed
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
        m_error = u"RESP protocol error: "_s + QString::fromUtf8(m_reader->errstr);
        return std::nullopt;
    }
    if (!reply)
        return std::nullopt;
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
