// SPDX-License-Identifier: MIT
#include "jwtverifier.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

namespace {

constexpr auto Base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

JwtVerifier::Result failure(const char *code, const QString &reason)
{
    JwtVerifier::Result r;
    r.code = code;
    r.reason = reason;
    return r;
}

// Strict unpadded base64url: only [A-Za-z0-9_-], no '=', a possible length, and the canonical
// encoding of what it decodes to (no stray bits in the last character).
std::optional<QByteArray> decodeSegment(QByteArrayView segment)
{
    if (segment.size() % 4 == 1)
        return std::nullopt;
    for (const char c : segment) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_';
        if (!ok)
            return std::nullopt;
    }
    const QByteArray encoded = segment.toByteArray();
    auto decoded =
        QByteArray::fromBase64Encoding(encoded, Base64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(Base64Url) != encoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<QJsonObject> parseObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QByteArray hs256(QByteArrayView signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput.toByteArray(), secret, QCryptographicHash::Sha256);
}

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The header: base64url JSON with "alg": "HS256", an optional string "typ", no "crit".
std::optional<JwtVerifier::Result> checkHeader(QByteArrayView headerPart)
{
    const std::optional<QByteArray> headerJson = decodeSegment(headerPart);
    if (!headerJson)
        return failure(JwtError::Malformed, u"token header is not valid base64url"_s);
    const std::optional<QJsonObject> header = parseObject(*headerJson);
    if (!header)
        return failure(JwtError::Malformed, u"token header is not a JSON object"_s);
    const QJsonValue alg = header->value("alg"_L1);
    if (alg.isUndefined())
        return failure(JwtError::Alg, u"token header has no \"alg\""_s);
    if (alg.toString() != "HS256"_L1)
        return failure(JwtError::Alg, u"token algorithm must be HS256"_s);
    const QJsonValue typ = header->value("typ"_L1);
    if (!typ.isUndefined() && !typ.isString())
        return failure(JwtError::Malformed, u"token header \"typ\" must be a string"_s);
    if (header->contains("crit"_L1)) // RFC 7515 4.1.11: no extensions are understood
        return failure(JwtError::Malformed, u"token header \"crit\" is not supported"_s);
    return std::nullopt;
}

// "exp" and "nbf", each optional, against now with the leeway.
std::optional<JwtVerifier::Result> checkTimes(const QJsonObject &payload, qint64 nowSecs,
                                              std::chrono::seconds leewaySecs)
{
    const double leeway = double(leewaySecs.count());
    const double now = double(nowSecs);
    const QJsonValue exp = payload.value("exp"_L1);
    if (!exp.isUndefined()) {
        if (!exp.isDouble())
            return failure(JwtError::Claims, u"\"exp\" must be a number"_s);
        if (!(now < exp.toDouble() + leeway))
            return failure(JwtError::Expired, u"token has expired"_s);
    }
    const QJsonValue nbf = payload.value("nbf"_L1);
    if (!nbf.isUndefined()) {
        if (!nbf.isDouble())
            return failure(JwtError::Claims, u"\"nbf\" must be a number"_s);
        if (!(now >= nbf.toDouble() - leeway))
            return failure(JwtError::NotYetValid, u"token is not valid yet"_s);
    }
    return std::nullopt;
}

// "rooms": an array of non-empty strings; with it, broadcast defaults to false.
std::optional<JwtVerifier::Result> readRooms(const QJsonValue &rooms, JwtClaims *claims)
{
    if (!rooms.isArray())
        return failure(JwtError::Claims, u"\"rooms\" must be an array of strings"_s);
    QStringList list;
    const QJsonArray array = rooms.toArray();
    list.reserve(array.size());
    for (const QJsonValue &room : array) {
        if (!room.isString() || room.toString().isEmpty())
            return failure(JwtError::Claims, u"\"rooms\" must be an array of non-empty strings"_s);
        list.append(room.toString());
    }
    claims->rooms = std::move(list);
    claims->broadcast = false;
    return std::nullopt;
}

// The claims the relay acts on: "sub", "rooms", "broadcast", and the whole payload.
std::optional<JwtVerifier::Result> readClaims(const QJsonObject &payload, JwtClaims *claims)
{
    const QJsonValue sub = payload.value("sub"_L1);
    if (!sub.isUndefined()) {
        if (!sub.isString())
            return failure(JwtError::Claims, u"\"sub\" must be a string"_s);
        claims->subject = sub.toString();
    }
    const QJsonValue rooms = payload.value("rooms"_L1);
    if (!rooms.isUndefined()) {
        if (std::optional<JwtVerifier::Result> refused = readRooms(rooms, claims))
            return refused;
    }
    const QJsonValue broadcast = payload.value("broadcast"_L1);
    if (!broadcast.isUndefined()) {
        if (!broadcast.isBool())
            return failure(JwtError::Claims, u"\"broadcast\" must be a boolean"_s);
        claims->broadcast = broadcast.toBool();
    }
    claims->raw = payload;
    return std::nullopt;
}

} // namespace

bool JwtClaims::allowsRoom(const QString &roomKey) const
{
    if (!rooms)
        return true;
    for (const QString &entry : *rooms) {
        if (entry.endsWith(u'*')) {
            if (roomKey.startsWith(QStringView(entry).chopped(1)))
                return true;
        } else if (entry == roomKey) {
            return true;
        }
    }
    return false;
}

JwtVerifier::JwtVerifier(QByteArray secret, std::chrono::seconds leeway)
    : m_secret(std::move(secret))
    , m_leeway(leeway < std::chrono::seconds(0) ? std::chrono::seconds(0) : leeway)
{}

bool JwtVerifier::constantTimeEquals(QByteArrayView a, QByteArrayView b) noexcept
{
    if (a.size() != b.size())
        return false;
    volatile unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff = diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    return diff == 0;
}

JwtVerifier::Result JwtVerifier::verify(QByteArrayView token, qint64 nowSecs) const
{
    if (token.size() > MaxTokenLength)
        return failure(JwtError::TooLong, u"token is longer than %1 bytes"_s.arg(MaxTokenLength));

    // Exactly three segments.
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (firstDot < 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0)
        return failure(JwtError::Malformed, u"token must have three dot-separated segments"_s);
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = token.sliced(secondDot + 1);
    if (headerPart.isEmpty() || payloadPart.isEmpty())
        return failure(JwtError::Malformed, u"token has an empty segment"_s);

    if (std::optional<Result> refused = checkHeader(headerPart))
        return *refused;

    // Signature, before anything in the payload is looked at.
    const std::optional<QByteArray> signature = decodeSegment(signaturePart);
    if (!signature)
        return failure(JwtError::Malformed, u"token signature is not valid base64url"_s);
    if (m_secret.isEmpty())
        return failure(JwtError::Signature, u"no secret is configured"_s);
    const QByteArray expected = hs256(token.first(secondDot), m_secret);
    if (!constantTimeEquals(*signature, expected))
        return failure(JwtError::Signature, u"token signature does not match"_s);

    // Payload.
    const std::optional<QByteArray> payloadJson = decodeSegment(payloadPart);
    if (!payloadJson)
        return failure(JwtError::Malformed, u"token payload is not valid base64url"_s);
    const std::optional<QJsonObject> payload = parseObject(*payloadJson);
    if (!payload)
        return failure(JwtError::Malformed, u"token payload is not a JSON object"_s);
    if (std::optional<Result> refused = checkTimes(*payload, nowSecs, m_leeway))
        return *refused;

    Result r;
    if (std::optional<Result> refused = readClaims(*payload, &r.claims))
        return *refused;
    r.ok = true;
    return r;
}

QByteArray JwtVerifier::sign(const QJsonObject &payload, const QByteArray &secret)
{
    const QByteArray header = R"({"alg":"HS256","typ":"JWT"})"_ba;
    const QByteArray signingInput = header.toBase64(Base64Url) + '.' +
                                    QJsonDocument(payload).toJson(QJsonDocument::Compact).toBase64(Base64Url);
    return signingInput + '.' + hs256(signingInput, secret).toBase64(Base64Url);
}

std::optional<QByteArray> JwtVerifier::secretFromFile(const QString &path, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<QByteArray> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QFileInfo info(path);
    if (!info.exists())
        return fail(u"JWT secret file %1 does not exist"_s.arg(path));
    QFile file(path);
    if (info.isDir() || !file.open(QIODevice::ReadOnly))
        return fail(u"JWT secret file %1 cannot be read"_s.arg(path));
    QByteArray secret = file.readAll();
    qsizetype end = secret.size();
    while (end > 0 && isAsciiSpace(secret.at(end - 1)))
        --end;
    secret.truncate(end);
    if (secret.isEmpty())
        return fail(u"JWT secret file %1 is empty"_s.arg(path));
    if (secret.size() < MinSecretFileLength)
        return fail(u"JWT secret in %1 is shorter than %2 bytes"_s.arg(path).arg(MinSecretFileLength));
    if (error)
        error->clear();
    return secret;
}
