// SPDX-License-Identifier: MIT
#include "relayclient.h"

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 OneSecondNs = 1'000'000'000;

QString identityOf(const std::optional<JwtClaims> &claims)
{
    if (!claims)
        return {};
    const QJsonValue name = claims->raw.value("name"_L1);
    if (name.isString() && !name.toString().isEmpty())
        return name.toString();
    return claims->subject;
}

qint64 expiryOf(const std::optional<JwtClaims> &claims, std::chrono::seconds leeway)
{
    if (!claims)
        return 0;
    const QJsonValue exp = claims->raw.value("exp"_L1);
    if (!exp.isDouble())
        return 0;
    return qint64((exp.toDouble() + double(leeway.count())) * 1000.0);
}

} // namespace

qint64 relayNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

RelayClient::RelayClient(quint64 id, WebSocketConnection *connection, QString peer, const RelayLimits &limits,
                         std::optional<JwtClaims> claims, std::chrono::seconds leeway, qint64 nowNs)
    : id(id)
    , connection(connection)
    , peer(std::move(peer))
    , claims(std::move(claims))
    , identity(identityOf(this->claims))
    , expiresAtMs(expiryOf(this->claims, leeway))
    , connectedAt(QDateTime::currentDateTimeUtc())
    , m_bucket(limits.messagesPerSecond, limits.messageBurst, nowNs)
    , m_lastActivityNs(nowNs)
{
}

RelayClient::Admission RelayClient::admit(qint64 nowNs, const RelayLimits &limits)
{
    m_lastActivityNs = nowNs;
    if (m_bucket.tryTake(nowNs))
        return Admission::Accept;
    if (m_limitedSinceNs < 0 || nowNs - m_lastDropNs > OneSecondNs)
        m_limitedSinceNs = nowNs;
    m_lastDropNs = nowNs;
    if (nowNs - m_limitedSinceNs >= std::chrono::nanoseconds(limits.rateLimitGrace).count())
        return Admission::Close;
    if (m_lastRateErrorNs < 0 || nowNs - m_lastRateErrorNs >= OneSecondNs) {
        m_lastRateErrorNs = nowNs;
        return Admission::DropAndWarn;
    }
    return Admission::Drop;
}

bool RelayClient::isIdleSince(qint64 nowNs, std::chrono::milliseconds limit) const
{
    return nowNs - m_lastActivityNs >= std::chrono::nanoseconds(limit).count();
}

void RelayClient::close(int code, const QString &reason)
{
    if (closing)
        return;
    closing = true;
    // The close frame waits behind what is queued; a client that does not read it within the
    // linger time is cut, so what it holds is freed either way.
    connection->close(quint16(code), reason.toUtf8());
}
