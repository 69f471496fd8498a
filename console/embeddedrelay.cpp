// SPDX-License-Identifier: MIT
#include "embeddedrelay.h"

#include "localbus.h"
#include "relaylogging.h"
#include "redisbus.h"
#include "relaystatspublisher.h"

#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;

EmbeddedRelay::EmbeddedRelay(QObject *parent)
    : QObject(parent)
{}

EmbeddedRelay::~EmbeddedRelay()
{
    delete m_server;
    delete m_bus;
}

MessageBus *EmbeddedRelay::bus() const
{
    return m_server ? m_bus.data() : nullptr;
}

bool EmbeddedRelay::start(const Settings &settings, QString *error)
{
    if (m_server || m_stopping) {
        if (error)
            *error = tr("The relay is already running.");
        return false;
    }
    m_settings = settings;
    if (m_settings.relay.instanceId.isEmpty())
        m_settings.relay.instanceId = u"console-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
    MessageBus *bus = nullptr;
    if (settings.inProcessBus) {
        bus = new LocalBus(this);
    } else {
        RedisConnectionOptions options = settings.redis;
        options.clientName = u"switchboard-relay:"_s + m_settings.relay.instanceId;
        bus = new RedisBus(options, this);
    }
    auto *server = new RelayServer(m_settings.relay, bus, this);
    QString problem;
    if (!server->listen(&problem)) {
        delete server;
        delete bus;
        if (error)
            *error = problem;
        qCWarning(lcRelay).noquote() << "embedded relay:" << problem;
        return false;
    }
    bus->start();
    m_bus = bus;
    m_server = server;
    // Like switchboard-relay, report rooms and clients so consoles can count relays per channel.
    if (!settings.inProcessBus) {
        m_stats = new RelayStatsPublisher(server, std::chrono::seconds(2), server);
        m_stats->start();
    }
    qCInfo(lcRelay).noquote() << "embedded relay listening on" << server->url().toString()
                              << "bus:" << bus->description();
    Q_EMIT serverChanged(server);
    Q_EMIT started(server->url());
    return true;
}

void EmbeddedRelay::stop()
{
    if (!m_server || m_stopping)
        return;
    m_stopping = true;
    RelayServer *server = m_server;
    if (m_stats) {
        m_stats->stop();
        m_stats->publishStopped(); // flushed by the bus's stop()
    }
    connect(server, &RelayServer::finished, this, [this] {
        if (!m_bus) {
            finish();
            return;
        }
        connect(m_bus, &MessageBus::stopped, this, &EmbeddedRelay::finish, Qt::QueuedConnection);
        m_bus->stop();
    });
    server->shutdown();
}

void EmbeddedRelay::finish()
{
    if (!m_stopping)
        return;
    Q_EMIT serverChanged(nullptr);
    if (m_server)
        m_server->deleteLater();
    if (m_bus)
        m_bus->deleteLater();
    m_server = nullptr;
    m_bus = nullptr;
    m_stopping = false;
    qCInfo(lcRelay) << "embedded relay stopped";
    Q_EMIT stopped();
}

QUrl EmbeddedRelay::url() const
{
    return m_server ? m_server->url() : QUrl();
}
