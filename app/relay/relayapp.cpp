// SPDX-License-Identifier: MIT
#include "relayapp.h"

#include "adminserver.h"
#include "localbus.h"
#include "redisbus.h"
#include "redisprobe.h"
#include "relaylogging.h"
#include "relayserver.h"
#include "relaystatspublisher.h"

using namespace Qt::StringLiterals;

RelayApp::RelayApp(RelayCommandLine config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCWarning(lcRelay) << "shutdown took too long; exiting now";
        Q_EMIT exitRequested(0);
    });
}

void RelayApp::start()
{
    const auto redisOptions = [this] {
        RedisConnectionOptions options;
        options.url = m_config.redis;
        options.clientName = u"switchboard-relay:"_s + m_config.server.instanceId;
        options.heartbeat = m_config.redisHeartbeat;
        return options;
    };
    switch (m_config.busMode) {
    case RelayCommandLine::BusMode::InProcess:
        qCInfo(lcRelay) << "running as a single instance on an in-process bus (--in-process)";
        startWithBus(new LocalBus(this));
        return;
    case RelayCommandLine::BusMode::Redis:
        startWithBus(new RedisBus(redisOptions(), m_config.outage, this));
        return;
    case RelayCommandLine::BusMode::Auto:
        RedisProbe::probe(
            m_config.redis, std::chrono::milliseconds(700), this,
            [this, redisOptions](const RedisProbe::Result &result) {
                if (result.reachable) {
                    qCInfo(lcRelay).noquote()
                        << "no Redis configured; using the one found at" << m_config.redis.toDisplayString()
                        << "(Redis" << result.serverVersion << ")";
                    startWithBus(new RedisBus(redisOptions(), m_config.outage, this));
                    return;
                }
                qCWarning(lcRelay).noquote()
                    << "no Redis configured and none reachable at" << m_config.redis.toDisplayString()
                    << u"("_s + result.error + u")"_s
                    << "- running as a single instance on an in-process bus; set REDIS_URL or --redis "
                       "to scale out";
                startWithBus(new LocalBus(this));
            });
        return;
    }
}

void RelayApp::startWithBus(MessageBus *bus)
{
    m_bus = bus;
    m_bus->start();
    m_server = new RelayServer(m_config.server, m_bus, this);
    connect(m_server, &RelayServer::finished, this, [this] {
        if (m_stats)
            m_stats->publishStopped(); // flushed by the bus's stop()
        connect(m_bus, &MessageBus::stopped, this, [this] { Q_EMIT exitRequested(0); });
        m_bus->stop();
    });
    QString error;
    if (!m_server->listen(&error)) {
        qCCritical(lcRelay).noquote() << error;
        Q_EMIT exitRequested(1);
        return;
    }
    if (!startAdmin())
        return;
    m_stats = new RelayStatsPublisher(m_server, m_config.statsInterval, this);
    m_stats->start();
    if (m_stopping)
        m_server->shutdown();
}

bool RelayApp::startAdmin()
{
    const RelayAdminOptions &admin = m_config.admin;
    if (!admin.enabled)
        return true;
    m_admin = new AdminServer(m_server, this);
    QString error;
    if (!m_admin->listen(admin.bindAddress, admin.port, &error)) {
        qCCritical(lcRelay).noquote() << error;
        Q_EMIT exitRequested(1);
        return false;
    }
    const QString host = admin.bindAddress.protocol() == QAbstractSocket::IPv6Protocol
                             ? u"[%1]"_s.arg(admin.bindAddress.toString())
                             : admin.bindAddress.toString();
    qCInfo(lcRelay).noquote()
        << u"admin listening on http://%1:%2 (/metrics, /healthz, /readyz)"_s.arg(host).arg(m_admin->port());
    return true;
}

void RelayApp::stop()
{
    if (m_stopping) {
        Q_EMIT exitRequested(0);
        return;
    }
    m_stopping = true;
    m_deadline.start(std::chrono::milliseconds(1800));
    if (m_server)
        m_server->shutdown();
    else
        Q_EMIT exitRequested(0);
}
