// SPDX-License-Identifier: MIT
#pragma once

#include "redisvalue.h"

#include <QByteArrayList>
#include <QString>

#include <memory>
#include <optional>

struct redisReader;

// Incremental RESP2 parser on top of hiredis's reader (0.14 or 1.x, same behaviour: RESP3 types
// are protocol errors). Bytes go in with feed(); complete replies come out of next(). Values are
// built directly as RedisValue trees.
class RespReader
{
public:
    RespReader();
    ~RespReader();
    RespReader(const RespReader &) = delete;
    RespReader &operator=(const RespReader &) = delete;

    void feed(const char *data, qsizetype size);
    void feed(const QByteArray &bytes) { feed(bytes.constData(), bytes.size()); }

    // The next complete reply, or nullopt when more bytes are needed or the stream is broken
    // (check hasError()). A broken stream stays broken until reset().
    std::optional<RedisValue> next();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    void reset();

    // A command in RESP form (hiredis's redisFormatCommandArgv).
    static QByteArray formatCommand(const QByteArrayList &args);
    // The hiredis this was compiled against, "major.minor.patch".
    static QString hiredisVersion();

private:
    struct State;
    std::unique_ptr<State> m_state;
    redisReader *m_reader = nullptr;
    QString m_error;
};
