// SPDX-License-Identifier: MIT
#include "redisvalue.h"

#include <QStringList>

using namespace Qt::StringLiterals;

RedisValue RedisValue::status(QByteArray text)
{
    RedisValue v;
    v.m_type = Type::Status;
    v.m_bytes = std::move(text);
    return v;
}

RedisValue RedisValue::error(QByteArray text)
{
    RedisValue v;
    v.m_type = Type::Error;
    v.m_bytes = std::move(text);
    return v;
}

RedisValue RedisValue::integer(long long value)
{
    RedisValue v;
    v.m_type = Type::Integer;
    v.m_integer = value;
    return v;
}

RedisValue RedisValue::string(QByteArray bytes)
{
    RedisValue v;
    v.m_type = Type::String;
    v.m_bytes = std::move(bytes);
    return v;
}

RedisValue RedisValue::array(std::vector<RedisValue> elements)
{
    RedisValue v;
    v.m_type = Type::Array;
    v.m_elements = std::move(elements);
    return v;
}

QString RedisValue::toDisplayString() const
{
    switch (m_type) {
    case Type::Nil:
        return u"(nil)"_s;
    case Type::Status:
        return QString::fromUtf8(m_bytes);
    case Type::Error:
        return u"(error) "_s + QString::fromUtf8(m_bytes);
    case Type::Integer:
        return u"(integer) "_s + QString::number(m_integer);
    case Type::String:
        return u'"' + QString::fromUtf8(m_bytes) + u'"';
    case Type::Array: {
        QStringList parts;
        parts.reserve(qsizetype(m_elements.size()));
        for (const RedisValue &e : m_elements)
            parts.append(e.toDisplayString());
        return u'[' + parts.join(u", "_s) + u']';
    }
    }
    return {};
}
