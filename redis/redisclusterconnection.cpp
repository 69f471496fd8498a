// SPDX-License-Identifier: MIT
#include "redisclusterconnection.h"

#include "redislogging.h"

#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr char Closed[] = "ERR switchboard: connection closed";
constexpr auto WatchInterval = 250ms; // while a primary is down or the slots are not covered

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 [::1]:6381" / "MOVED 3999 :6381" (unknown endpoint).
bool parseRedirect(const QByteArray &error, int *slot, QString *host, quint16 *port)
{
    const QList<QByteArray> parts = error.split(' ');
    if (parts.size() != 3)
        return false;
    bool ok = false;
    *slot = parts[1].toInt(&ok);
    if (!ok || *slot < 0 || *slot >= RedisClusterTopology::SlotCount)
        return false;
    const qsizetype colon = parts[2].lastIndexOf(':');
    if (colon < 0)
        return false;
    *port = parts[2].mid(colon + 1).toUShort(&ok);
    QByteArray h = parts[2].left(colon);
    if (h.startsWith('[') && h.endsWith(']'))
        h = h.mid(1, h.size() - 2);
    *host = QString::fromUtf8(h);
    return ok && *port > 0;
}

} // namespace

RedisClusterConnection::RedisClusterConnection(RedisConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_backoff(m_options.reconnectInitialDelay, m_options.reconnectMaxDelay)
{
    m_refreshSoon.setSingleShot(true);
    m_retry.setSingleShot(true);
    m_refreshAttempt.setSingleShot(true);
    m_refreshPeriodic.setInterval(std::chrono::seconds(30));
    connect(&m_refreshSoon, &QTimer::timeout, this, &RedisClusterConnection::startRefresh);
    connect(&m_retry, &QTimer::timeout, this, &RedisClusterConnection::startRefresh);
    connect(&m_refreshPeriodic, &QTimer::timeout, this, &RedisClusterConnection::startRefresh);
}

RedisClusterConnection::~RedisClusterConnection()
{
    for (RedisConnection *node : std::as_const(m_nodes))
        node->disconnect(this);
}

void RedisClusterConnection::setTopologyInterval(std::chrono::milliseconds interval)
{
    m_refreshPeriodic.setInterval(interval);
    if (m_refreshPeriodic.isActive() || interval.count() <= 0)
        m_refreshPeriodic.stop();
    if (interval.count() > 0 && m_state != State::Disconnected && m_state != State::Closed)
        m_refreshPeriodic.start();
}

void RedisClusterConnection::open()
{
    if (m_state == State::Connecting || m_state == State::Ready || m_state == State::Reconnecting)
        return;
    m_closing = false;
    m_backoff.reset();
    setState(State::Connecting);
    if (m_refreshPeriodic.interval() > 0)
        m_refreshPeriodic.start();
    startRefresh();
}

void RedisClusterConnection::close()
{
    if (m_state == State::Closed)
        return;
    m_closing = true;
    ++m_refreshGeneration;
    m_refreshing = false;
    for (QTimer *t : {&m_refreshSoon, &m_refreshPeriodic, &m_refreshAttempt, &m_retry})
        t->stop();
    std::deque<Pending> failed = std::exchange(m_unrouted, {});
    for (auto &queue : m_waiting) {
        for (Pending &p : queue)
            failed.push_back(std::move(p));
    }
    m_waiting.clear();
    const QHash<QString, RedisConnection *> nodes = std::exchange(m_nodes, {});
    setState(State::Closed);
    for (RedisConnection *node : nodes) {
        node->close(); // fails what it had in flight
        node->deleteLater();
    }
    for (const Pending &p : failed)
        invoke(p, RedisValue::error(Closed));
}

qsizetype RedisClusterConnection::waitingCount() const
{
    qsizetype n = qsizetype(m_unrouted.size());
    for (const auto &queue : m_waiting)
        n += qsizetype(queue.size());
    return n;
}

void RedisClusterConnection::command(const QByteArrayList &args, QObject *context, ReplyCallback callback)
{
    commandForSlot(args.size() > 1 ? RedisClusterTopology::keySlot(args[1]) : 0, args, context,
                   std::move(callback));
}

void RedisClusterConnection::commandForSlot(int slot, const QByteArrayList &args, QObject *context,
                                            ReplyCallback callback)
{
    Pending p;
    p.args = args;
    p.slot = slot;
    p.callback = std::move(callback);
    p.context = context;
    p.hasContext = context != nullptr;
    const QByteArray refused = args.isEmpty()             ? "ERR switchboard: empty command (no arguments)"_ba
                               : m_state == State::Closed ? QByteArray(Closed)
                                                          : QByteArray();
    if (!refused.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [p = std::move(p), refused] { invoke(p, RedisValue::error(refused)); },
            Qt::QueuedConnection);
        return;
    }
    dispatch(std::move(p));
}

void RedisClusterConnection::dispatch(Pending p)
{
    if (p.hasContext && !p.context)
        return;
    QString host = p.askHost;
    quint16 port = p.askPort;
    if (host.isEmpty() && !m_movedSlots.empty() && m_movedSlots[size_t(p.slot)] != SlotSettled) {
        // From the event loop, never inside the caller's command(); until that failure is
        // delivered every later command for the slot fails too, in order, so none overtakes it.
        const int slot = p.slot;
        m_movedSlots[size_t(slot)] = SlotFailing;
        ++m_failingCommands;
        const QByteArray why =
            "ERR switchboard: connection moved: slot " + QByteArray::number(slot) + " has a new owner";
        QMetaObject::invokeMethod(
            this,
            [this, p = std::move(p), why, slot] {
                if (--m_failingCommands == 0 && m_movedSlots[size_t(slot)] == SlotFailing)
                    m_movedSlots[size_t(slot)] = SlotSettled;
                invoke(p, RedisValue::error(why));
            },
            Qt::QueuedConnection);
        return;
    }
    if (host.isEmpty()) {
        const RedisClusterTopology::Shard *shard = m_hasTopology ? m_topology.shardForSlot(p.slot) : nullptr;
        if (!shard) {
            m_unrouted.push_back(std::move(p));
            if (m_hasTopology)
                refreshTopology();
            return;
        }
        host = shard->primary.host;
        port = shard->primary.port;
    }
    RedisConnection *node = nodeConnection(host, port);
    if (!node->isReady()) {
        m_waiting[RedisClusterTopology::nodeKey(host, port)].push_back(std::move(p));
        return;
    }
    sendTo(node, std::move(p));
}

void RedisClusterConnection::sendTo(RedisConnection *node, Pending p)
{
    if (!p.askHost.isEmpty()) {
        node->command({"ASKING"_ba}, this, [](const RedisValue &) {});
        p.askHost.clear();
    }
    const QByteArrayList args = p.args;
    node->command(args, this, [this, p = std::move(p)](const RedisValue &reply) { onReply(p, reply); });
}

void RedisClusterConnection::onReply(Pending p, const RedisValue &reply)
{
    if (p.hasContext && !p.context)
        return;
    if (reply.isError() && !m_closing && redirect(p, reply))
        return;
    if (RedisConnection::isConnectionFailure(reply) && !m_closing)
        refreshTopology();
    invoke(p, reply);
}

// True when the reply sent p elsewhere (or to later): its callback runs with a later reply.
bool RedisClusterConnection::redirect(Pending &p, const RedisValue &reply)
{
    const QByteArray &error = reply.bytes();
    const bool moved = error.startsWith("MOVED "), ask = error.startsWith("ASK "),
               tryAgain = error.startsWith("TRYAGAIN");
    if (error.startsWith("CLUSTERDOWN"))
        refreshTopology();
    if (!moved && !ask && !tryAgain)
        return false;
    int slot = 0;
    QString host;
    quint16 port = 0;
    if (!tryAgain && !parseRedirect(error, &slot, &host, &port)) {
        qCWarning(lcRedis).noquote() << "cluster: cannot read the redirection" << QString::fromUtf8(error);
        return false;
    }
    if (p.redirects >= MaxRedirections) {
        invoke(p, RedisValue::error("ERR switchboard: more than " + QByteArray::number(MaxRedirections) +
                                    " cluster redirections (last: " + error + ")"));
        return true;
    }
    ++p.redirects;
    ++m_redirections;
    if (tryAgain) {
        QTimer::singleShot(50ms, this, [this, p] { dispatch(p); });
        return true;
    }
    if (host.isEmpty()) { // the node does not know its endpoint: the one we asked
        const RedisClusterTopology::Shard *asked = m_topology.shardForSlot(p.slot);
        host = asked ? asked->primary.host : m_options.url.host();
    }
    if (moved) {
        m_topology.moveSlot(slot, host, port);
        refreshTopology();
        if (!m_followMoves) {
            invoke(p, RedisValue::error("ERR switchboard: connection moved: " + error));
            return true;
        }
    } else {
        p.askHost = host;
        p.askPort = port;
    }
    dispatch(std::move(p));
    return true;
}

RedisConnection *RedisClusterConnection::nodeConnection(const QString &host, quint16 port)
{
    const QString key = RedisClusterTopology::nodeKey(host, port);
    if (RedisConnection *existing = m_nodes.value(key))
        return existing;
    RedisConnectionOptions o = m_options;
    o.url = m_options.url.atNode(host, port);
    auto *node = new RedisConnection(o, this);
    m_nodes.insert(key, node);
    connect(node, &RedisConnection::stateChanged, this, [this, key, node] { onNodeState(key, node); });
    if (!m_closing)
        node->open();
    return node;
}

void RedisClusterConnection::onNodeState(const QString &key, RedisConnection *node)
{
    if (m_closing)
        return;
    if (node->isReady()) {
        flushWaiting(key);
        return;
    }
    // The node being asked for the topology cannot be reached: ask the next one now.
    if (m_refreshing && key == m_refreshNode && node->state() == State::Reconnecting) {
        const auto next = m_refreshNext;
        next(node->lastError());
        return;
    }
    if (m_hasTopology)
        refreshTopology(); // a node down: has a replica taken over?
}

void RedisClusterConnection::flushWaiting(const QString &key)
{
    std::deque<Pending> waiting = m_waiting.take(key);
    for (Pending &p : waiting)
        dispatch(std::move(p));
}

void RedisClusterConnection::flush()
{
    for (RedisConnection *node : std::as_const(m_nodes))
        node->flush();
}

void RedisClusterConnection::refreshTopology()
{
    if (m_closing || m_state == State::Disconnected)
        return;
    if (!m_refreshSoon.isActive())
        m_refreshSoon.start(0);
}

QList<RedisUrl::Node> RedisClusterConnection::refreshCandidates() const
{
    QList<RedisUrl::Node> out;
    const auto add = [&out](const QString &host, quint16 port) {
        const RedisUrl::Node n{host, port};
        if (!out.contains(n))
            out.append(n);
    };
    // Connected primaries first: no connection to wait for.
    for (bool connectedOnly : {true, false}) {
        for (const RedisClusterTopology::Shard &shard : m_topology.shards()) {
            const RedisConnection *c = m_nodes.value(shard.primary.key());
            if (shard.primary.healthy && (!connectedOnly || (c && c->isReady())))
                add(shard.primary.host, shard.primary.port);
        }
    }
    for (const RedisClusterTopology::Shard &shard : m_topology.shards()) {
        for (const RedisClusterTopology::Node &replica : shard.replicas) {
            if (replica.healthy)
                add(replica.host, replica.port);
        }
    }
    for (const RedisUrl::Node &seed : m_options.url.nodes())
        add(seed.host, seed.port);
    return out;
}

void RedisClusterConnection::startRefresh()
{
    if (m_refreshing || m_closing || m_state == State::Closed || m_state == State::Disconnected)
        return;
    m_refreshing = true;
    m_candidates = refreshCandidates();
    m_refreshErrors.clear();
    tryRefreshFrom(0, ++m_refreshGeneration);
}

void RedisClusterConnection::tryRefreshFrom(qsizetype candidate, quint64 generation)
{
    if (candidate >= m_candidates.size()) {
        refreshFailed(m_refreshErrors.join(u"; "_s));
        return;
    }
    const RedisUrl::Node n = m_candidates.at(candidate);
    const QString where = RedisClusterTopology::nodeKey(n.host, n.port);
    RedisConnection *node = nodeConnection(n.host, n.port);
    const auto next = [this, candidate, generation, where](const QString &why) {
        if (generation != m_refreshGeneration)
            return;
        m_refreshErrors.append(where + u": "_s + why);
        tryRefreshFrom(candidate + 1, ++m_refreshGeneration);
    };
    m_refreshNode = where;
    m_refreshNext = next;
    m_refreshAttempt.disconnect(this);
    connect(&m_refreshAttempt, &QTimer::timeout, this,
            [next, this] { next(u"no answer within %1 ms"_s.arg(m_options.connectTimeout.count())); });
    m_refreshAttempt.start(m_options.connectTimeout);
    const auto parse = [this, generation, next](bool shardsForm, const RedisValue &reply) {
        if (generation != m_refreshGeneration)
            return;
        if (reply.isError()) {
            next(QString::fromUtf8(reply.bytes()));
            return;
        }
        QString error;
        std::optional<RedisClusterTopology> t =
            shardsForm ? RedisClusterTopology::fromShards(reply, &error,
                                                          m_options.url.scheme() == RedisUrl::Scheme::Tls)
                       : RedisClusterTopology::fromSlots(reply, &error);
        if (!t) {
            next(error);
            return;
        }
        onTopology(std::move(*t));
    };
    node->command({"CLUSTER"_ba, "SHARDS"_ba}, this,
                  [this, node, parse, generation](const RedisValue &reply) {
                      if (generation != m_refreshGeneration)
                          return;
                      const QByteArray lower = reply.bytes().toLower();
                      if (reply.isError() &&
                          (lower.contains("unknown subcommand") || lower.contains("unknown command"))) {
                          node->command({"CLUSTER"_ba, "SLOTS"_ba}, this,
                                        [parse](const RedisValue &slots) { parse(false, slots); });
                          return;
                      }
                      parse(true, reply);
                  });
}

void RedisClusterConnection::onTopology(RedisClusterTopology topology)
{
    m_refreshAttempt.stop();
    m_refreshNode.clear();
    m_refreshing = false;
    ++m_refreshGeneration;
    ++m_refreshes;
    m_backoff.reset();
    if (!m_followMoves && m_hasTopology) {
        m_movedSlots.resize(RedisClusterTopology::SlotCount, SlotSettled);
        for (int slot = 0; slot < RedisClusterTopology::SlotCount; ++slot) {
            const RedisClusterTopology::Shard *was = m_topology.shardForSlot(slot);
            const RedisClusterTopology::Shard *now = topology.shardForSlot(slot);
            if (was && now && was->primary.key() != now->primary.key() &&
                m_movedSlots[size_t(slot)] == SlotSettled)
                m_movedSlots[size_t(slot)] = SlotMoved;
        }
    }
    // Listeners reroute on this; a Cluster that comes back unchanged still lets them place what
    // waited while it was unreachable.
    const bool changed =
        !m_hasTopology || m_state != State::Ready || m_topology.shards() != topology.shards();
    m_topology = std::move(topology);
    m_hasTopology = true;
    // Connections to nodes the cluster no longer has: closed (what they had in flight fails).
    QSet<QString> known;
    for (const RedisClusterTopology::Shard &shard : m_topology.shards()) {
        known.insert(shard.primary.key());
        for (const RedisClusterTopology::Node &replica : shard.replicas)
            known.insert(replica.key());
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (known.contains(it.key())) {
            ++it;
            continue;
        }
        RedisConnection *gone = it.value();
        it = m_nodes.erase(it);
        gone->disconnect(this);
        gone->close();
        gone->deleteLater();
    }
    if (m_topology.coversAllSlots())
        setState(State::Ready);
    else
        m_lastError = u"the cluster does not serve every slot (CLUSTERDOWN?)"_s;
    // Everything waiting goes to the slot's owner now, in order.
    std::deque<Pending> again = std::exchange(m_unrouted, {});
    const auto waiting = std::exchange(m_waiting, {});
    for (auto it = waiting.cbegin(); it != waiting.cend(); ++it) {
        for (const Pending &p : it.value()) {
            const RedisClusterTopology::Shard *owner = m_topology.shardForSlot(p.slot);
            const bool moved = p.askHost.isEmpty() && owner && owner->primary.key() != it.key();
            if (moved && !m_movedSlots.empty() && m_movedSlots[size_t(p.slot)] == SlotMoved)
                m_movedSlots[size_t(p.slot)] = SlotSettled; // this failure reports the move
            if (moved && !m_followMoves)
                invoke(p, RedisValue::error("ERR switchboard: connection moved: slot " +
                                            QByteArray::number(p.slot) + " went from " + it.key().toUtf8() +
                                            " to " + owner->primary.key().toUtf8()));
            else
                again.push_back(p);
        }
    }
    for (Pending &p : again)
        dispatch(std::move(p));
    if (needsWatching())
        m_refreshSoon.start(WatchInterval);
    if (changed)
        Q_EMIT topologyChanged();
}

bool RedisClusterConnection::needsWatching() const
{
    if (!m_topology.coversAllSlots())
        return true;
    // A node we use (a primary, or a replica that serves subscriptions) that the Cluster still
    // calls healthy but does not answer us: watched until the Cluster marks it failed.
    const auto lost = [this](const RedisClusterTopology::Node &node) {
        const RedisConnection *c = m_nodes.value(node.key());
        return node.healthy && c && !c->isReady();
    };
    for (const RedisClusterTopology::Shard &shard : m_topology.shards()) {
        if (!shard.primary.healthy || lost(shard.primary) ||
            std::any_of(shard.replicas.cbegin(), shard.replicas.cend(), lost))
            return true;
    }
    return false;
}

void RedisClusterConnection::refreshFailed(const QString &why)
{
    m_refreshAttempt.stop();
    m_refreshNode.clear();
    m_refreshing = false;
    const QString error = u"no cluster node answered: "_s + why;
    qCWarning(lcRedis).noquote() << error;
    setState(State::Reconnecting, error);
    m_retry.start(m_backoff.next());
}

void RedisClusterConnection::setState(State state, const QString &error)
{
    if (!error.isEmpty())
        m_lastError = error;
    else if (state == State::Ready)
        m_lastError.clear();
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, m_lastError);
}

void RedisClusterConnection::invoke(const Pending &p, const RedisValue &value)
{
    if (p.hasContext && !p.context)
        return;
    if (p.callback)
        p.callback(value);
}
