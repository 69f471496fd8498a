// SPDX-License-Identifier: MIT
#include "redisscript.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

RedisScript::RedisScript(QByteArray source)
    : m_source(std::move(source))
    , m_sha1(QCryptographicHash::hash(m_source, QCryptographicHash::Sha1).toHex())
{}

namespace {

QByteArrayList scriptArgs(const QByteArray &verb, const QByteArray &body, const QByteArrayList &keys,
                          const QByteArrayList &args)
{
    QByteArrayList out;
    out.reserve(3 + keys.size() + args.size());
    out << verb << body << QByteArray::number(keys.size());
    out += keys;
    out += args;
    return out;
}

} // namespace

QByteArrayList RedisScript::commandArgs(const QByteArrayList &keys, const QByteArrayList &args) const
{
    return scriptArgs("EVALSHA"_ba, m_sha1, keys, args);
}

QByteArrayList RedisScript::loadArgs(const QByteArrayList &keys, const QByteArrayList &args) const
{
    return scriptArgs("EVAL"_ba, m_source, keys, args);
}

bool RedisScript::isNoScript(const RedisValue &reply)
{
    return reply.isError() && reply.bytes().startsWith("NOSCRIPT");
}

void RedisScript::run(const Send &send, const QByteArrayList &keys, const QByteArrayList &args,
                      std::function<void(const RedisValue &)> done) const
{
    QByteArrayList load = loadArgs(keys, args);
    send(commandArgs(keys, args),
         [send, load = std::move(load), done = std::move(done)](const RedisValue &reply) {
             if (isNoScript(reply))
                 send(load, done);
             else
                 done(reply);
         });
}
