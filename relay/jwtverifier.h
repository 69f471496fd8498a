// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

// Stable error codes of JwtVerifier::Result::code.
namespace JwtError {
inline constexpr char Malformed[] = "token_malformed";
inline constexpr char Alg[] = "token_alg";
inline constexpr char Signature[] = "token_signature";
inline constexpr char Expired[] = "token_expired";
inline constexpr char NotYetValid[] = "token_not_yet_valid";
inline constexpr char Claims[] = "token_claims";
inline constexpr char TooLong[] = "token_too_long";
} // namespace JwtError

// The claims of a verified token that the relay acts on.
struct JwtClaims
{
    QString subject;                  // "sub", may be empty
    std::optional<QStringList> rooms; // "rooms"; std::nullopt when absent (no room restriction)
    bool broadcast = true;            // "broadcast"; defaults to true without "rooms", false with it
    QJsonObject raw;                  // the whole payload

    // True when there is no "rooms" claim; otherwise when an entry equals roomKey, is "*", or
    // ends in '*' and the rest is a prefix of roomKey ("team:*").
    bool allowsRoom(const QString &roomKey) const;
};

// Verifies compact-serialised HS256 JSON Web Tokens (RFC 7519) against a shared secret.
// The signature is checked before the payload is parsed; exp and nbf are optional.
class JwtVerifier
{
public:
    static constexpr qsizetype MaxTokenLength = 8 * 1024;
    static constexpr qsizetype MinSecretFileLength = 32;

    explicit JwtVerifier(QByteArray secret, std::chrono::seconds leeway = std::chrono::seconds(0));

    struct Result
    {
        bool ok = false;
        QByteArray code;  // one of JwtError, empty when ok
        QString reason;   // short human message; never contains the secret or the token
        JwtClaims claims; // filled when ok
    };

    // nowSecs: seconds since the epoch (injected for tests).
    Result verify(QByteArrayView token, qint64 nowSecs) const;

    std::chrono::seconds leeway() const { return m_leeway; }

    // An HS256 token for payload with the header {"alg":"HS256","typ":"JWT"}; for tests and tools.
    static QByteArray sign(const QJsonObject &payload, const QByteArray &secret);

    // Reads a secret from path, trimming trailing whitespace. Fails (with *error set, when given)
    // if the file is missing, unreadable, empty, or shorter than MinSecretFileLength bytes.
    static std::optional<QByteArray> secretFromFile(const QString &path, QString *error);

    // Compares a and b in time that depends only on their lengths.
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b) noexcept;

private:
    QByteArray m_secret;
    std::chrono::seconds m_leeway;
};
