// SPDX-License-Identifier: MIT
#pragma once

#include "redisvalue.h"

#include <QByteArrayList>
#include <QString>

#include <optional>

struct redisReader;

// Incremental RESP2 parser on top of hiredis's reader. Bytes go in with feed(); complete
// replies come out of next(). Values are built directly as RedisValue trees.
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

private:
    redisReader *m_reader = nullptr;
    QString m_error;
};
