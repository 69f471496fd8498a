// SPDX-License-Identifier: MIT
#include "relayprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace RelayProtocol {

namespace {

Request invalid(const char *code, const QString &message)
{
    Request r;
    r.errorCode = code;
    r.errorMessage = message;
    return r;
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        return u"undefined"_s;
    }
    return {};
}

// Number.prototype.toString(): the shortest round-trip digits, laid out as JavaScript does,
// so that a numeric roomId names the same channel as the seed's `room:${roomId}`.
QString numberText(double d)
{
    if (d == 0)
        return u"0"_s; // JS prints -0 as "0"
    const bool negative = d < 0;
    // "d.ddde+XX": the shortest digits and the decimal exponent.
    const QString sci = QString::number(std::fabs(d), 'e', QLocale::FloatingPointShortest);
    const qsizetype e = sci.indexOf(u'e');
    QString digits = sci.left(e);
    digits.remove(u'.');
    while (digits.size() > 1 && digits.endsWith(u'0'))
        digits.chop(1);
    const int k = int(digits.size());
    const int n = sci.mid(e + 1).toInt() + 1; // value = 0.digits * 10^n
    QString out;
    if (k <= n && n <= 21) {
        out = digits + QString(n - k, u'0');
    } else if (0 < n && n <= 21) {
        out = digits.left(n) + u'.' + digits.mid(n);
    } else if (-6 < n && n <= 0) {
        out = u"0."_s + QString(-n, u'0') + digits;
    } else {
        const int exponent = n - 1;
        out = digits.left(1);
        if (k > 1)
            out += u'.' + digits.mid(1);
        out += (exponent < 0 ? u"e-"_s : u"e+"_s) + QString::number(std::abs(exponent));
    }
    return negative ? u'-' + out : out;
}

// Reads roomId; returns false and fills *error when it is present but unusable.
bool readRoom(const QJsonObject &o, Request &r, bool required, RoomIds policy, Request *error)
{
    const QJsonValue v = o.value("roomId"_L1);
    if (v.isUndefined() || (!required && v.isNull())) {
        if (required) {
            *error = invalid(Error::MissingField, u"\"roomId\" is required"_s);
            return false;
        }
        return true;
    }
    if (v.isString()) {
        if (v.toString().isEmpty()) {
            *error = invalid(Error::InvalidField, u"\"roomId\" must not be empty"_s);
            return false;
        }
        r.roomKey = v.toString();
    } else if (v.isDouble()) {
        const double d = v.toDouble();
        if (!std::isfinite(d)) {
            *error = invalid(Error::InvalidField, u"\"roomId\" must be a finite number"_s);
            return false;
        }
        r.roomKey = numberText(d);
    } else {
        *error = invalid(Error::InvalidField,
                         u"\"roomId\" must be a string or a number, not %1"_s.arg(jsonTypeName(v)));
        return false;
    }
    if (const QString problem = roomKeyProblem(r.roomKey, policy); !problem.isEmpty()) {
        *error = invalid(Error::InvalidRoom, problem);
        return false;
    }
    r.roomId = v;
    r.hasRoom = true;
    return true;
}

bool readString(const QJsonObject &o, QLatin1StringView key, QString *out, Request *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        *error = invalid(Error::MissingField, u"\"%1\" is required"_s.arg(key));
        return false;
    }
    if (!v.isString()) {
        *error = invalid(Error::InvalidField, u"\"%1\" must be a string, not %2"_s.arg(key, jsonTypeName(v)));
        return false;
    }
    *out = v.toString();
    return true;
}

} // namespace

QString roomKeyProblem(QStringView roomKey, RoomIds rooms)
{
    if (roomKey.isEmpty())
        return u"\"roomId\" must not be empty"_s;
    if (roomKey.size() > MaxRoomIdLength)
        return u"\"roomId\" is longer than %1 characters"_s.arg(MaxRoomIdLength);
    if (rooms == RoomIds::Seed)
        return {};
    for (const QChar c : roomKey) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                        u == '_' || u == '.' || u == ':' || u == '-';
        if (!ok)
            return u"\"roomId\" may only contain A-Z a-z 0-9 _ . : - (room \"%1\")"_s.arg(
                roomKey.left(32).toString());
    }
    return {};
}

namespace {

// A join's optional "since" (an offset) and "user" (shown in presence).
bool readJoinExtras(const QJsonObject &o, Request &r, Request *error)
{
    if (o.contains("user"_L1)) {
        r.hasUser = true;
        if (!readString(o, "user"_L1, &r.user, error))
            return false;
    }
    const QJsonValue since = o.value("since"_L1);
    if (since.isUndefined() || since.isNull())
        return true;
    if (!since.isString() || !isOffset(since.toString().toLatin1())) {
        *error = invalid(Error::InvalidOffset,
                         u"\"since\" must be an offset the relay sent, such as \"1733480000000-0\""_s);
        return false;
    }
    r.since = since.toString().toLatin1();
    return true;
}

bool readResume(const QJsonObject &o, RoomIds rooms, Request &r, Request *error)
{
    const QJsonValue session = o.value("session"_L1);
    if (session.isUndefined()) {
        *error = invalid(Error::MissingField, u"\"session\" is required"_s);
        return false;
    }
    if (!session.isString()) {
        *error = invalid(Error::InvalidField,
                         u"\"session\" must be a string, not %1"_s.arg(jsonTypeName(session)));
        return false;
    }
    // Any string is looked up: one the relay never gave out is simply unknown.
    r.session = session.toString().left(256).toUtf8();
    const QJsonValue offsets = o.value("offsets"_L1);
    if (offsets.isUndefined() || offsets.isNull())
        return true;
    if (!offsets.isObject()) {
        *error = invalid(
            Error::InvalidField,
            u"\"offsets\" must be an object of room id -> offset, not %1"_s.arg(jsonTypeName(offsets)));
        return false;
    }
    const QJsonObject map = offsets.toObject();
    if (map.size() > MaxResumeOffsets) {
        *error =
            invalid(Error::InvalidField, u"\"offsets\" names more than %1 rooms"_s.arg(MaxResumeOffsets));
        return false;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (const QString problem = roomKeyProblem(it.key(), rooms); !problem.isEmpty()) {
            *error = invalid(Error::InvalidRoom, problem);
            return false;
        }
        if (!it.value().isString() || !isOffset(it.value().toString().toLatin1())) {
            *error = invalid(Error::InvalidOffset,
                             u"the offset of room \"%1\" must be an offset the relay sent, such as "
                             u"\"1733480000000-0\""_s.arg(it.key().left(128)));
            return false;
        }
        r.offsets.append({it.key(), it.value().toString().toLatin1()});
    }
    return true;
}

} // namespace

bool isOffset(QByteArrayView text)
{
    const qsizetype dash = text.indexOf('-');
    if (dash <= 0 || dash == text.size() - 1)
        return false;
    auto number = [](QByteArrayView digits) {
        if (digits.size() > 20 || (digits.size() > 1 && digits[0] == '0'))
            return false;
        if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        bool ok = false;
        (void)digits.toULongLong(&ok);
        return ok;
    };
    return number(text.first(dash)) && number(text.sliced(dash + 1));
}

QByteArrayView offsetOf(QByteArrayView payload)
{
    static constexpr QByteArrayView Key = R"(,"offset":")";
    if (!payload.endsWith("\"}"))
        return {};
    const qsizetype end = payload.size() - 2;
    const qsizetype quote = payload.first(end).lastIndexOf('"');
    if (quote < Key.size() - 1 || payload.sliced(quote + 1 - Key.size(), Key.size()) != Key)
        return {};
    const QByteArrayView offset = payload.sliced(quote + 1, end - quote - 1);
    return isOffset(offset) ? offset : QByteArrayView();
}

bool offsetBefore(QByteArrayView a, QByteArrayView b)
{
    const qsizetype da = a.indexOf('-'), db = b.indexOf('-');
    const quint64 msA = a.first(da).toULongLong(), msB = b.first(db).toULongLong();
    return msA < msB || (msA == msB && a.sliced(da + 1).toULongLong() < b.sliced(db + 1).toULongLong());
}

Request parse(const QByteArray &utf8Frame, RoomIds rooms, UserField user)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8Frame, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // QJsonDocument refuses top-level scalars ("ping", 42, null) that JSON itself allows.
        QJsonParseError wrapped;
        const QJsonDocument asArray = QJsonDocument::fromJson('[' + utf8Frame + ']', &wrapped);
        if (wrapped.error == QJsonParseError::NoError && asArray.array().size() == 1)
            return invalid(Error::NotAnObject,
                           u"a frame must be a JSON object such as {\"type\":\"ping\"}"_s);
        return invalid(Error::InvalidJson,
                       u"not valid JSON: %1 at offset %2"_s.arg(pe.errorString()).arg(pe.offset));
    }
    if (!doc.isObject())
        return invalid(Error::NotAnObject, u"a frame must be a JSON object such as {\"type\":\"ping\"}"_s);
    const QJsonObject o = doc.object();
    const QJsonValue typeValue = o.value("type"_L1);
    if (typeValue.isUndefined())
        return invalid(Error::MissingType, u"\"type\" is required (join, leave, message or ping)"_s);
    if (!typeValue.isString())
        return invalid(Error::InvalidType,
                       u"\"type\" must be a string, not %1"_s.arg(jsonTypeName(typeValue)));

    const QString type = typeValue.toString();
    Request r;
    Request error;
    if (type == "join"_L1 || type == "leave"_L1) {
        if (!readRoom(o, r, true, rooms, &error))
            return error;
        r.kind = type == "join"_L1 ? Request::Kind::Join : Request::Kind::Leave;
        if (r.kind == Request::Kind::Join && !readJoinExtras(o, r, &error))
            return error;
        return r;
    }
    if (type == "message"_L1) {
        r.hasUser = user == UserField::Required || o.contains("user"_L1);
        if (!readRoom(o, r, false, rooms, &error) || (r.hasUser && !readString(o, "user"_L1, &r.user, &error)) ||
            !readString(o, "text"_L1, &r.text, &error))
            return error;
        r.kind = Request::Kind::Message;
        return r;
    }
    if (type == "ping"_L1) {
        r.kind = Request::Kind::Ping;
        return r;
    }
    if (type == "presence"_L1) {
        if (!readRoom(o, r, true, rooms, &error))
            return error;
        r.kind = Request::Kind::Presence;
        return r;
    }
    if (type == "resume"_L1) {
        if (!readResume(o, rooms, r, &error))
            return error;
        r.kind = Request::Kind::Resume;
        return r;
    }
    QString shown = type.left(64);
    return invalid(Error::UnknownType,
                   u"unknown type \"%1\" (expected join, leave, message or ping)"_s.arg(shown));
}

void appendJsonString(QByteArray &out, QStringView text)
{
    static constexpr char hex[] = "0123456789abcdef";
    auto escapeUnit = [&out](char16_t u) {
        out.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4)
            out.append(hex[(u >> shift) & 0xf]);
    };
    out.reserve(out.size() + text.size() + 2);
    out.append('"');
    qsizetype runStart = 0;
    auto flush = [&](qsizetype end) {
        if (end > runStart)
            out.append(text.mid(runStart, end - runStart).toUtf8());
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        if (u >= 0x20 && u != '"' && u != '\\' && !QChar::isSurrogate(u))
            continue;
        if (QChar::isHighSurrogate(u) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text[i + 1].unicode())) {
            ++i; // a proper pair stays in the run
            continue;
        }
        flush(i);
        runStart = i + 1;
        switch (u) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            // Control characters, and lone surrogates as JSON.stringify writes them.
            escapeUnit(u);
        }
    }
    flush(text.size());
    out.append('"');
}

void appendJsonBytes(QByteArray &out, QByteArrayView utf8)
{
    const bool plain = std::all_of(utf8.begin(), utf8.end(), [](char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (!plain) {
        appendJsonString(out, QString::fromUtf8(utf8));
        return;
    }
    out.append('"').append(utf8).append('"');
}

void appendJson(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        appendJsonString(out, value.toString());
        return;
    case QJsonValue::Double:
        out.append(numberText(value.toDouble()).toLatin1());
        return;
    case QJsonValue::Bool:
        out.append(value.toBool() ? "true" : "false");
        return;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.append("null");
        return;
    case QJsonValue::Array:
        out.append(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
        return;
    case QJsonValue::Object:
        out.append(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        return;
    }
}

QByteArray joined(const QJsonValue &roomId, const JoinedExtras &extras)
{
    QByteArray out = R"({"type":"joined","roomId":)"_ba;
    appendJson(out, roomId);
    if (!extras.session.isEmpty()) {
        out.append(R"(,"session":)");
        appendJsonBytes(out, extras.session);
    }
    if (extras.recovered) {
        out.append(*extras.recovered ? R"(,"recovered":true)" : R"(,"recovered":false)");
        if (!extras.reason.isEmpty()) {
            out.append(R"(,"reason":)");
            appendJsonBytes(out, extras.reason);
        }
    }
    out.append('}');
    return out;
}

QByteArray left(const QJsonValue &roomId)
{
    QByteArray out = R"({"type":"left","roomId":)"_ba;
    appendJson(out, roomId);
    out.append('}');
    return out;
}

QByteArray resumed(const QByteArray &session, const QList<QJsonValue> &roomIds)
{
    QByteArray out = R"({"type":"resumed","session":)"_ba;
    appendJsonBytes(out, session);
    out.append(R"(,"rooms":[)");
    for (qsizetype i = 0; i < roomIds.size(); ++i) {
        if (i)
            out.append(',');
        appendJson(out, roomIds[i]);
    }
    out.append("]}");
    return out;
}

QByteArray pong()
{
    return R"({"type":"pong"})"_ba;
}

QByteArray error(const QByteArray &code, const QString &message)
{
    QByteArray out = R"({"type":"error","code":)"_ba;
    appendJsonString(out, QString::fromLatin1(code));
    out.append(R"(,"message":)");
    appendJsonString(out, message);
    out.append('}');
    return out;
}

QByteArray roomError(const QByteArray &code, const QString &message, const QJsonValue &roomId)
{
    QByteArray out = error(code, message);
    out.chop(1);
    out.append(R"(,"roomId":)");
    appendJson(out, roomId);
    out.append('}');
    return out;
}

QByteArray chatMessage(const QString &user, const QString &text, qint64 timestampMs, const QJsonValue *roomId,
                       const QByteArray &id, const QByteArray &origin)
{
    QByteArray out;
    out.reserve(76 + user.size() + text.size() * 3 / 2 + id.size() + origin.size());
    out.append(R"({"type":"message","user":)");
    appendJsonString(out, user);
    out.append(R"(,"text":)");
    appendJsonString(out, text);
    out.append(R"(,"timestamp":)");
    out.append(QByteArray::number(timestampMs));
    if (roomId) {
        out.append(R"(,"roomId":)");
        appendJson(out, *roomId);
    }
    out.append(R"(,"id":)");
    appendJsonBytes(out, id);
    if (!origin.isEmpty()) {
        out.append(R"(,"relay":)");
        appendJsonBytes(out, origin);
    }
    out.append('}');
    return out;
}

} // namespace RelayProtocol

namespace RelayProtocol {

namespace {

void appendMember(QByteArray &out, const PresenceMember &member)
{
    out.append(R"("user":)");
    appendJson(out, member.user);
    out.append(R"(,"since":)");
    out.append(QByteArray::number(member.since));
}

} // namespace

QByteArray presence(const QJsonValue &roomId, const QList<PresenceMember> &members, qsizetype total)
{
    QByteArray out = R"({"type":"presence","roomId":)"_ba;
    appendJson(out, roomId);
    out.append(R"(,"members":[)");
    for (qsizetype i = 0; i < members.size(); ++i) {
        out.append(i ? ",{" : "{");
        appendMember(out, members[i]);
        out.append('}');
    }
    out.append(']');
    if (members.size() < total)
        out.append(R"(,"truncated":true,"total":)").append(QByteArray::number(total));
    out.append('}');
    return out;
}

QByteArray presenceJoin(const QJsonValue &roomId, const PresenceMember &member)
{
    QByteArray out = R"({"type":"presence_join","roomId":)"_ba;
    appendJson(out, roomId);
    out.append(',');
    appendMember(out, member);
    out.append('}');
    return out;
}

QByteArray presenceLeave(const QJsonValue &roomId, const QJsonValue &user)
{
    QByteArray out = R"({"type":"presence_leave","roomId":)"_ba;
    appendJson(out, roomId);
    out.append(R"(,"user":)");
    appendJson(out, user);
    out.append('}');
    return out;
}

} // namespace RelayProtocol
