// SPDX-License-Identifier: MIT
#include "connectionwarden.h"

#include "relaylogging.h"

#include <algorithm>

using namespace Qt::StringLiterals;

ConnectionWarden::ConnectionWarden(const RelayServerOptions &options, RelayStats &stats,
                                   const RelayRecipients &clients, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_clients(clients)
{
    m_heartbeat.setInterval(m_options.pingInterval);
    connect(&m_heartbeat, &QTimer::timeout, this, &ConnectionWarden::heartbeat);
    if (m_options.limits.idleTimeout.count() > 0) {
        m_idleSweep.setInterval(std::clamp(m_options.limits.idleTimeout / 4, std::chrono::milliseconds(10),
                                           std::chrono::milliseconds(1000)));
        connect(&m_idleSweep, &QTimer::timeout, this, &ConnectionWarden::sweepIdle);
    }
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &ConnectionWarden::closeExpired);
}

void ConnectionWarden::start()
{
    if (m_options.pingInterval.count() > 0)
        m_heartbeat.start();
    if (m_options.limits.idleTimeout.count() > 0)
        m_idleSweep.start();
}

void ConnectionWarden::heartbeat()
{
    const QList<RelayClient *> all = m_clients.values();
    for (RelayClient *c : all) {
        if (!c->alive) {
            ++m_stats.heartbeatTimeouts;
            qCInfo(lcRelay).noquote() << "client" << c->id << "missed its pong; closing";
            c->connection->close(RelayProtocol::Close::GoingAway, "heartbeat timeout");
            c->connection->abort();
            continue;
        }
        c->alive = false;
        c->connection->ping();
    }
}

void ConnectionWarden::sweepIdle()
{
    const qint64 now = relayNowNs();
    const QList<RelayClient *> all = m_clients.values();
    for (RelayClient *c : all) {
        if (c->closing || !c->isIdleSince(now, m_options.limits.idleTimeout))
            continue;
        ++m_stats.idleCloses;
        qCInfo(lcRelay).noquote() << "client" << c->id << "idle for" << m_options.limits.idleTimeout.count()
                                  << "ms - closing with 4002";
        c->close(RelayProtocol::Close::IdleTimeout, u"idle timeout"_s);
    }
}

void ConnectionWarden::watch(const RelayClient *client)
{
    if (client->expiresAtMs <= 0)
        return;
    const auto it = m_expiries.emplace(client->expiresAtMs, client->id);
    if (it == m_expiries.begin())
        closeExpired(); // arms the timer for the new earliest
}

void ConnectionWarden::forget(const RelayClient *client)
{
    if (client->expiresAtMs <= 0)
        return;
    const auto [first, last] = m_expiries.equal_range(client->expiresAtMs);
    for (auto it = first; it != last; ++it) {
        if (it->second == client->id) {
            m_expiries.erase(it);
            return;
        }
    }
}

void ConnectionWarden::closeExpired()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_expiries.empty() && m_expiries.begin()->first <= now) {
        const quint64 id = m_expiries.begin()->second;
        m_expiries.erase(m_expiries.begin());
        RelayClient *c = m_clients.value(id);
        if (!c || c->closing)
            continue;
        ++m_stats.tokenExpiredCloses;
        qCInfo(lcRelay).noquote() << "client" << id << "from" << c->peer
                                  << "- token expired; closing with 1008";
        c->close(RelayProtocol::Close::PolicyViolation, u"token_expired: the token has expired"_s);
    }
    if (m_expiries.empty()) {
        m_expiryTimer.stop();
        return;
    }
    // QTimer takes an int of milliseconds; a later expiry is looked at again within a day.
    const qint64 wait = std::clamp<qint64>(m_expiries.begin()->first - now, 0, 24 * 3600 * 1000);
    m_expiryTimer.start(std::chrono::milliseconds(wait));
}
