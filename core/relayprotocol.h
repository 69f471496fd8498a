// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

// The client <-> relay protocol (docs/protocol.md): JSON text frames, compatible with the
// seed's Node.js server.
namespace RelayProtocol {

// Stable error codes sent in {"type":"error","code":...}.
namespace Error {
inline constexpr char InvalidJson[] = "invalid_json";
inline constexpr char NotAnObject[] = "not_an_object";
inline constexpr char MissingType[] = "missing_type";
inline constexpr char InvalidType[] = "invalid_type";
inline constexpr char UnknownType[] = "unknown_type";
inline constexpr char MissingField[] = "missing_field";
inline constexpr char InvalidField[] = "invalid_field";
inline constexpr char BinaryNotSupported[] = "binary_not_supported";
} // namespace Error

struct Request
{
    enum class Kind { Invalid, Join, Leave, Message, Ping };
    Kind kind = Kind::Invalid;

    // The room id exactly as the client sent it (string or number), echoed in acks, and its
    // canonical text form used in channel names ("room:" + roomKey), as the seed's template
    // string would produce it.
    QJsonValue roomId;
    QString roomKey;
    bool hasRoom = false;
    QString user;
    QString text;

    // Set when kind == Invalid.
    QByteArray errorCode;
    QString errorMessage;
};

Request parse(const QByteArray &utf8Frame);

// Outgoing frames, as compact UTF-8 JSON with the keys in the documented order.
QByteArray joined(const QJsonValue &roomId);
QByteArray left(const QJsonValue &roomId);
QByteArray pong();
QByteArray error(const QByteArray &code, const QString &message);
// The payload published to Redis for a client's message.
QByteArray chatMessage(const QString &user, const QString &text, qint64 timestampMs, const QJsonValue *roomId,
                       const QByteArray &id);

// Appends value as JSON (strings escaped, numbers in shortest round-trip form).
void appendJson(QByteArray &out, const QJsonValue &value);
void appendJsonString(QByteArray &out, QStringView text);

} // namespace RelayProtocol
