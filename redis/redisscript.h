// SPDX-License-Identifier: MIT
#pragma once

#include "redisvalue.h"

#include <QByteArray>
#include <QByteArrayList>

#include <functional>

// A Lua script run by EVALSHA, falling back to EVAL (which loads it) when the server answers
// NOSCRIPT: a new server, a SCRIPT FLUSH, a failover to a replica that never saw it. The caller
// sends commandArgs(); a reply for which isNoScript() is true is answered by sending
// loadArgs() with the same keys and arguments.
class RedisScript
{
public:
    explicit RedisScript(QByteArray source);

    const QByteArray &source() const { return m_source; }
    // Lowercase hex SHA-1 of the source, as SCRIPT LOAD answers it.
    const QByteArray &sha1() const { return m_sha1; }

    // EVALSHA <sha1> <numkeys> keys... args...
    QByteArrayList commandArgs(const QByteArrayList &keys, const QByteArrayList &args) const;
    // EVAL <source> <numkeys> keys... args...
    QByteArrayList loadArgs(const QByteArrayList &keys, const QByteArrayList &args) const;

    static bool isNoScript(const RedisValue &reply);

    // Runs the script through send (a function that sends one command and calls back with its
    // reply), retrying once with EVAL on NOSCRIPT. done gets the final reply.
    using Send =
        std::function<void(const QByteArrayList &args, std::function<void(const RedisValue &)> reply)>;
    void run(const Send &send, const QByteArrayList &keys, const QByteArrayList &args,
             std::function<void(const RedisValue &)> done) const;

private:
    QByteArray m_source;
    QByteArray m_sha1;
};
