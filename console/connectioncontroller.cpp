// SPDX-License-Identifier: MIT
#include "connectioncontroller.h"

#include "consolelogging.h"
#include "redisclusterconnection.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

ConnectionController::ConnectionController(QObject *parent)
    : QObject(parent)
{
    m_pingTimer.setInterval(2000);
    connect(&m_pingTimer, &QTimer::timeout, this, &ConnectionController::ping);
}

ConnectionController::~ConnectionController()
{
    disconnectFromServer();
}

bool ConnectionController::connectTo(const ConnectionProfile &profile, const QString &password,
                                     QString *error)
{
    return connectTo(profile, password, QString(), error);
}

bool ConnectionController::connectTo(const ConnectionProfile &profile, const QString &password,
                                     const QString &sentinelPassword, QString *error)
{
    const QString problem = profile.validate();
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    disconnectFromServer();
    m_profile = profile;
    m_options = profile.connectionOptions(password, QString(), nullptr, sentinelPassword);
    m_topology = m_options->url.topology();
    RedisConnectionOptions own = *m_options;
    own.clientName = u"switchboard-console:%1"_s.arg(QCoreApplication::applicationPid());
    if (m_topology == RedisUrl::Topology::Cluster) {
        openCluster(own);
        const RedisUrl::Node seed = m_options->url.nodes().value(0);
        m_options->url = m_options->url.atNode(seed.host, seed.port);
        own.url = m_options->url;
    }
    openCommandConnection(own);
    m_pingTimer.start();
    return true;
}

void ConnectionController::openCommandConnection(const RedisConnectionOptions &own)
{
    m_connection = new RedisConnection(own, this);
    connect(m_connection, &RedisConnection::primaryChanged, this, &ConnectionController::serverInfoChanged);
    connect(m_connection, &RedisConnection::stateChanged, this,
            [this](RedisConnection::State state, const QString &lastError) {
                if (state != RedisConnection::State::Ready) {
                    m_pingOutstanding = false;
                    if (m_roundTripMs >= 0) {
                        m_roundTripMs = -1;
                        Q_EMIT roundTripChanged(m_roundTripMs);
                    }
                }
                Q_EMIT stateChanged(state, lastError);
                if (state == RedisConnection::State::Reconnecting)
                    moveToLiveNode();
            });
    connect(m_connection, &RedisConnection::ready, this, &ConnectionController::onReady);
    Q_EMIT connectionChanged(m_connection);
    m_connection->open();
}

// A Cluster whose node under the command connection is down: a healthy primary takes over (one whose
// connection answers, if any), and the features follow through connectionChanged.
void ConnectionController::moveToLiveNode()
{
    // Only a connection that failed: one still making its first attempt is given its chance.
    if (!m_cluster || !m_connection || m_connection->state() != RedisConnection::State::Reconnecting || !m_options)
        return;
    const QString current = RedisClusterTopology::nodeKey(m_options->url.host(), m_options->url.port());
    const RedisClusterTopology::Node *choice = nullptr;
    for (const auto &shard : m_cluster->topology().shards()) {
        const RedisClusterTopology::Node &p = shard.primary;
        if (p.key() == current || !p.healthy)
            continue;
        if (!choice || m_cluster->nodeConnection(p.host, p.port)->isReady())
            choice = &p;
    }
    if (!choice)
        return;
    qCInfo(lcConsole).noquote() << "command connection moves from" << current << "to" << choice->key() << "-"
                                << m_connection->lastError();
    m_options->url = m_options->url.atNode(choice->host, choice->port);
    RedisConnectionOptions own = m_connection->options();
    own.url = m_options->url;
    RedisConnection *old = m_connection;
    old->disconnect(this);
    m_pingOutstanding = false;
    openCommandConnection(own);
    old->close();
    old->deleteLater();
}

void ConnectionController::disconnectFromServer()
{
    if (!m_connection)
        return;
    m_pingTimer.stop();
    RedisConnection *old = m_connection;
    m_connection = nullptr;
    m_options.reset();
    m_pingOutstanding = false;
    m_roundTripMs = -1;
    m_serverVersion.clear();
    m_serverMode.clear();
    Q_EMIT connectionChanged(nullptr);
    old->disconnect(this);
    old->close();
    delete old;
    if (m_cluster) {
        m_cluster->disconnect(this);
        m_cluster->close();
        delete m_cluster;
        m_cluster = nullptr;
    }
    m_topology = RedisUrl::Topology::Standalone;
    Q_EMIT stateChanged(RedisConnection::State::Disconnected, QString());
    Q_EMIT serverInfoChanged();
    Q_EMIT roundTripChanged(m_roundTripMs);
}

void ConnectionController::openCluster(const RedisConnectionOptions &options)
{
    m_cluster = new RedisClusterConnection(options, this);
    connect(m_cluster, &RedisClusterConnection::topologyChanged, this, [this] {
        Q_EMIT serverInfoChanged();
        moveToLiveNode();
    });
    connect(m_cluster, &RedisClusterConnection::stateChanged, this, &ConnectionController::serverInfoChanged);
    m_cluster->open();
}

QString ConnectionController::topologyText() const
{
    if (m_cluster) {
        const auto &shards = m_cluster->topology().shards();
        if (shards.isEmpty())
            return tr("Redis Cluster · %1").arg(RedisConnection::stateName(m_cluster->state()));
        // A primary that owns no slot is being added, or failed and was replaced: it is a node, not
        // one of the primaries that serve the Cluster.
        qsizetype nodes = 0, primaries = 0;
        for (const auto &shard : shards) {
            nodes += 1 + shard.replicas.size();
            primaries += shard.slots.isEmpty() ? 0 : 1;
        }
        return tr("Redis Cluster · %1 primaries / %2 nodes").arg(primaries).arg(nodes);
    }
    if (m_connection && m_topology == RedisUrl::Topology::Sentinel) {
        const QString name = m_connection->options().url.primaryName();
        const RedisUrl::Node node = m_connection->currentNode();
        if (node.host.isEmpty())
            return tr("Sentinel '%1' · looking for the primary").arg(name);
        return tr("Sentinel '%1' · primary %2").arg(name, RedisClusterTopology::nodeKey(node.host, node.port));
    }
    return {};
}

RedisConnection::State ConnectionController::state() const
{
    return m_connection ? m_connection->state() : RedisConnection::State::Disconnected;
}

QString ConnectionController::lastError() const
{
    return m_connection ? m_connection->lastError() : QString();
}

void ConnectionController::setPingInterval(std::chrono::milliseconds interval)
{
    m_pingTimer.setInterval(interval);
}

void ConnectionController::onReady()
{
    m_connection->command({"INFO"_ba, "server"_ba}, this, [this](const RedisValue &reply) {
        if (reply.isError())
            return;
        const QByteArrayList lines = reply.bytes().split('\n');
        for (const QByteArray &raw : lines) {
            const QByteArray line = raw.trimmed();
            if (line.startsWith("redis_version:"))
                m_serverVersion = QString::fromUtf8(line.mid(14));
            else if (line.startsWith("redis_mode:"))
                m_serverMode = QString::fromUtf8(line.mid(11));
        }
        Q_EMIT serverInfoChanged();
    });
    ping();
}

void ConnectionController::ping()
{
    if (!m_connection || !m_connection->isReady() || m_pingOutstanding)
        return;
    m_pingOutstanding = true;
    m_pingClock.start();
    m_connection->command({"PING"_ba}, this, [this](const RedisValue &reply) {
        m_pingOutstanding = false;
        if (reply.isError())
            return;
        m_roundTripMs = double(m_pingClock.nsecsElapsed()) / 1e6;
        Q_EMIT roundTripChanged(m_roundTripMs);
    });
}
