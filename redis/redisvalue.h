// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <vector>

// One RESP2 reply, as parsed by RespReader.
class RedisValue
{
public:
    enum class Type { Nil, Status, Error, Integer, String, Array };

    RedisValue() = default;
    static RedisValue nil() { return RedisValue(); }
    static RedisValue status(QByteArray text);
    static RedisValue error(QByteArray text);
    static RedisValue integer(long long value);
    static RedisValue string(QByteArray bytes);
    static RedisValue array(std::vector<RedisValue> elements);

    Type type() const { return m_type; }
    bool isNil() const { return m_type == Type::Nil; }
    bool isError() const { return m_type == Type::Error; }
    bool isArray() const { return m_type == Type::Array; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isString() const { return m_type == Type::String; }
    bool isStatus() const { return m_type == Type::Status; }

    // Bytes of a String, Status or Error; empty otherwise.
    const QByteArray &bytes() const { return m_bytes; }
    long long toInteger() const { return m_integer; }
    const std::vector<RedisValue> &elements() const { return m_elements; }
    std::vector<RedisValue> &elements() { return m_elements; }

    // Human-readable rendering in redis-cli style, for logs and tests.
    QString toDisplayString() const;

    bool operator==(const RedisValue &other) const = default;

private:
    friend class RespReader;
    Type m_type = Type::Nil;
    long long m_integer = 0;
    QByteArray m_bytes;
    std::vector<RedisValue> m_elements;
};

Q_DECLARE_METATYPE(RedisValue)
