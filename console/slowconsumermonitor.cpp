// SPDX-License-Identifier: MIT
#include "slowconsumermonitor.h"

#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "relaydirectory.h"

#include <QLocale>
#include <QSet>

#include <algorithm>
#include <cctype>

using namespace Qt::StringLiterals;

namespace {

const QLatin1StringView relayPrefix("switchboard-relay:");
const QLatin1StringView consolePrefix("switchboard-console:");

} // namespace

std::optional<qint64> OutputBufferLimit::parseSize(const QByteArray &text)
{
    const QByteArray t = text.trimmed().toLower();
    qsizetype digits = 0;
    while (digits < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[digits])) || (digits == 0 && t[0] == '-')))
        ++digits;
    if (digits == 0)
        return std::nullopt;
    bool ok = false;
    const qint64 number = t.left(digits).toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    static const QList<std::pair<QByteArray, qint64>> units{{"", 1},
                                                            {"k", 1000},
                                                            {"kb", 1024},
                                                            {"m", 1000 * 1000},
                                                            {"mb", 1024 * 1024},
                                                            {"g", 1000 * 1000 * 1000},
                                                            {"gb", qint64(1024) * 1024 * 1024}};
    const QByteArray unit = t.mid(digits);
    for (const auto &[name, factor] : units) {
        if (unit == name)
            return number * factor;
    }
    return std::nullopt;
}

std::optional<OutputBufferLimit> OutputBufferLimit::parse(const QByteArray &value,
                                                          const QByteArray &clientClass)
{
    const QByteArrayList words = value.simplified().split(' ');
    if (words.size() % 4 != 0)
        return std::nullopt;
    const auto matches = [&clientClass](const QByteArray &name) {
        const QByteArray lower = name.toLower();
        if (clientClass == "replica" || clientClass == "slave")
            return lower == "replica" || lower == "slave";
        return lower == clientClass;
    };
    std::optional<OutputBufferLimit> found;
    for (qsizetype i = 0; i + 3 < words.size(); i += 4) {
        if (!matches(words[i]))
            continue;
        const auto hard = parseSize(words[i + 1]);
        const auto soft = parseSize(words[i + 2]);
        bool ok = false;
        const qint64 seconds = words[i + 3].toLongLong(&ok);
        if (!hard || !soft || !ok || *hard < 0 || *soft < 0 || seconds < 0)
            return std::nullopt;
        found = OutputBufferLimit{*hard, *soft, seconds};
    }
    return found;
}

QString SlowConsumerMonitor::describeLimits(const QList<NodeOutputLimit> &limits)
{
    if (limits.isEmpty())
        return tr("Waiting for CONFIG GET client-output-buffer-limit.");
    const auto size = [](qint64 n) {
        return QLocale().formattedDataSize(n, 1, QLocale::DataSizeIecFormat);
    };
    QStringList lines;
    QList<NodeOutputLimit> rest = limits;
    while (!rest.isEmpty()) {
        const NodeOutputLimit first = rest.first();
        QStringList nodes;
        for (auto it = rest.begin(); it != rest.end();) {
            if (it->limit == first.limit && it->assumed == first.assumed && it->error == first.error) {
                nodes.append(it->node);
                it = rest.erase(it);
            } else {
                ++it;
            }
        }
        const OutputBufferLimit &l = first.limit;
        QString text;
        if (l.isUnlimited())
            text = tr(
                "pubsub 0 0 0: no limit, Redis never disconnects a slow subscriber (nothing to warn about)");
        else if (l.softBytes <= 0)
            text = tr("Redis's pubsub limit: hard %1 at once, no soft limit (warnings are a share of the "
                      "hard one)")
                       .arg(size(l.hardBytes));
        else if (l.hardBytes <= 0)
            text = tr("Redis's pubsub limit: no hard limit, soft %1 for %2 s")
                       .arg(size(l.softBytes))
                       .arg(l.softSeconds);
        else
            text = tr("Redis's pubsub limit: hard %1 at once, soft %2 for %3 s")
                       .arg(size(l.hardBytes), size(l.softBytes))
                       .arg(l.softSeconds);
        if (first.assumed) {
            const bool refused =
                first.error.startsWith(u"NOPERM"_s) || first.error.contains(u"unknown command"_s);
            text = (refused ? tr("CONFIG refused (%1): Redis's defaults assumed; %2")
                            : tr("CONFIG GET did not report the limit (%1): Redis's defaults assumed; %2"))
                       .arg(first.error, text);
        }
        if (limits.size() > 1)
            text = tr("%1: %2").arg(nodes.size() == limits.size() ? tr("every node") : nodes.join(u", "_s),
                                    text);
        lines.append(text);
    }
    return lines.join(u'\n');
}

QString SlowConsumer::displayName() const
{
    if (kind == Kind::RelayClient)
        return SlowConsumerMonitor::tr("client %1 (%2)").arg(id).arg(address);
    if (!name.isEmpty())
        return name;
    return SlowConsumerMonitor::tr("id %1 (%2)").arg(id).arg(address);
}

QString SlowConsumerEvent::text() const
{
    switch (kind) {
    case Kind::Warned:
        return SlowConsumerMonitor::tr("above the warning share");
    case Kind::Cleared:
        return SlowConsumerMonitor::tr("back below the warning share");
    case Kind::Disconnected:
        return consumer.kind == SlowConsumer::Kind::RelayClient
                   ? SlowConsumerMonitor::tr(
                         "gone (likely closed by its relay: queued bytes over --max-outbound-bytes)")
                   : SlowConsumerMonitor::tr("disconnected (likely by Redis: output buffer over limit)");
    }
    return {};
}

struct SlowConsumerMonitor::Round
{
    QElapsedTimer clock;
    int outstanding = 0;
    QSet<QString> nodes;                          // asked this round
    QHash<QString, QList<PubSubClient>> answered; // CLIENT LIST by node
    qint64 maxClients = 0;
    qint64 maxElapsedUs = 0;
};

SlowConsumerMonitor::SlowConsumerMonitor(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_deadline.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { startRound(); });
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_round)
            finishRound();
    });
}

SlowConsumerMonitor::~SlowConsumerMonitor() = default;

void SlowConsumerMonitor::start(RedisConnection *connection)
{
    if (connection && connection == m_connection)
        return;
    stop();
    m_connection = connection;
    startRound();
}

void SlowConsumerMonitor::start(RedisClusterConnection *cluster)
{
    if (cluster && cluster == m_cluster)
        return;
    stop();
    m_cluster = cluster;
    startRound();
}

void SlowConsumerMonitor::stop()
{
    m_connection = nullptr;
    m_cluster = nullptr;
    m_round.reset();
    m_refreshQueued = false;
    m_timer.stop();
    m_deadline.stop();
    m_configAskedMs.clear();
    const bool hadLimits = !m_limits.isEmpty();
    m_limits.clear();
    if (hadLimits)
        Q_EMIT limitsChanged();
    const bool hadWarnings = !m_warnings.isEmpty();
    m_warnings.clear();
    announce(hadWarnings);
}

void SlowConsumerMonitor::setInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
    if (interval.count() <= 0)
        m_timer.stop();
    else if (isRunning() && !m_round)
        m_timer.start(interval);
}

void SlowConsumerMonitor::setThreshold(double share)
{
    m_threshold = std::clamp(share, 0.05, 1.0);
}

void SlowConsumerMonitor::setMaxEvents(int count)
{
    m_maxEvents = qMax(1, count);
    while (m_events.size() > m_maxEvents)
        m_events.removeFirst();
}

void SlowConsumerMonitor::refresh()
{
    if (m_round)
        m_refreshQueued = true;
    else if (isRunning())
        startRound();
}

QList<NodeOutputLimit> SlowConsumerMonitor::limits() const
{
    QList<NodeOutputLimit> list = m_limits.values();
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.node < b.node; });
    return list;
}

QList<SlowConsumer> SlowConsumerMonitor::warnings() const
{
    QList<SlowConsumer> list;
    list.reserve(m_warnings.size());
    for (const Tracked &t : m_warnings)
        list.append(t.consumer);
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
    return list;
}

QList<SlowConsumerMonitor::Target> SlowConsumerMonitor::targets() const
{
    QList<Target> list;
    if (m_connection) {
        list.append({QString(), m_connection.data()});
    } else if (m_cluster) {
        for (const auto &shard : m_cluster->topology().shards()) {
            QList<RedisClusterTopology::Node> members{shard.primary};
            members += shard.replicas;
            for (const auto &node : std::as_const(members))
                list.append({node.key(), m_cluster->nodeConnection(node.host, node.port)});
        }
    }
    return list;
}

void SlowConsumerMonitor::startRound()
{
    m_timer.stop();
    const QList<Target> list = targets();
    if (list.isEmpty()) {
        m_lastError = tr("the Cluster's topology is not known yet");
        Q_EMIT pollFailed(m_lastError);
        scheduleNext();
        return;
    }
    auto round = std::make_shared<Round>();
    round->clock.start();
    m_round = round;
    ++round->outstanding; // released once every node was asked
    for (const Target &t : list) {
        if (!t.connection)
            continue;
        round->nodes.insert(t.node);
        const auto asked = m_configAskedMs.constFind(t.node);
        if (asked == m_configAskedMs.cend() || m_clock.elapsed() - *asked >= m_configInterval.count())
            askConfig(round, t);
        askClients(round, t);
    }
    m_deadline.start(m_nodeTimeout);
    settle(round);
}

void SlowConsumerMonitor::askConfig(const std::shared_ptr<Round> &round, const Target &target)
{
    m_configAskedMs.insert(target.node, m_clock.elapsed());
    ++round->outstanding;
    const QString node = target.node;
    target.connection->command({"CONFIG"_ba, "GET"_ba, "client-output-buffer-limit"_ba}, this,
                               [this, round, node](const RedisValue &reply) {
                                   if (round != m_round)
                                       return;
                                   if (RedisConnection::isConnectionFailure(reply))
                                       m_configAskedMs.remove(node); // asked again once it answers
                                   else
                                       onConfig(node, reply);
                                   settle(round);
                               });
}

void SlowConsumerMonitor::onConfig(const QString &node, const RedisValue &reply)
{
    NodeOutputLimit limit;
    limit.node = node;
    std::optional<OutputBufferLimit> parsed;
    if (reply.isError()) {
        limit.error = QString::fromUtf8(reply.bytes());
    } else {
        const auto &e = reply.elements();
        for (size_t i = 0; i + 1 < e.size() && !parsed; i += 2) {
            if (e[i].bytes() == "client-output-buffer-limit")
                parsed = OutputBufferLimit::parse(e[i + 1].bytes());
        }
        if (!parsed)
            limit.error = tr("CONFIG GET client-output-buffer-limit did not report the pubsub class");
    }
    if (parsed) {
        limit.limit = *parsed;
    } else {
        limit.assumed = true;
        limit.limit = OutputBufferLimit::redisDefault();
    }
    const auto it = m_limits.constFind(node);
    if (it == m_limits.cend() || !(*it == limit)) {
        m_limits.insert(node, limit);
        Q_EMIT limitsChanged();
    }
}

void SlowConsumerMonitor::askClients(const std::shared_ptr<Round> &round, const Target &target)
{
    ++round->outstanding;
    const QString node = target.node;
    const qint64 sentUs = round->clock.nsecsElapsed() / 1000;
    target.connection->command(
        {"CLIENT"_ba, "LIST"_ba, "TYPE"_ba, "pubsub"_ba}, this,
        [this, round, node, sentUs](const RedisValue &reply) {
            if (round != m_round)
                return;
            if (reply.isError()) {
                m_lastError =
                    (node.isEmpty() ? QString() : node + u": "_s) + QString::fromUtf8(reply.bytes());
            } else {
                const auto clients = ChannelMonitor::parseClientList(reply.bytes());
                round->answered.insert(node, clients);
                round->maxClients = qMax<qint64>(round->maxClients, clients.size());
                round->maxElapsedUs = qMax(round->maxElapsedUs, round->clock.nsecsElapsed() / 1000 - sentUs);
            }
            settle(round);
        });
}

void SlowConsumerMonitor::settle(const std::shared_ptr<Round> &round)
{
    if (round == m_round && --round->outstanding == 0)
        finishRound();
}

void SlowConsumerMonitor::finishRound()
{
    const std::shared_ptr<Round> round = std::move(m_round);
    m_deadline.stop();
    bool changed = false;
    // Nodes that left the topology take their warnings along (no event: the node is gone, not the client).
    for (auto it = m_warnings.begin(); it != m_warnings.end();) {
        if (it->consumer.kind == SlowConsumer::Kind::Subscriber &&
            !round->nodes.contains(it->consumer.node)) {
            it = m_warnings.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    for (auto it = round->answered.cbegin(); it != round->answered.cend(); ++it) {
        QList<SlowConsumer> seen;
        for (const PubSubClient &c : it.value())
            seen.append(fromClient(it.key(), c));
        changed = apply(it.key(), seen) || changed;
    }
    if (round->answered.size() == round->nodes.size())
        m_lastError.clear();
    else if (m_lastError.isEmpty())
        m_lastError = tr("%n node(s) did not answer CLIENT LIST", nullptr,
                         int(round->nodes.size() - round->answered.size()));
    m_pacing = PollPacing::compute(m_interval, round->maxClients, m_budget.clientsPerSecond,
                                   round->maxElapsedUs, m_budget);
    announce(changed);
    Q_EMIT roundFinished();
    if (std::exchange(m_refreshQueued, false) && isRunning())
        startRound();
    else
        scheduleNext();
}

void SlowConsumerMonitor::scheduleNext()
{
    if (!isRunning() || m_interval.count() <= 0)
        return;
    m_timer.start(std::max(m_interval, m_pacing.interval));
}

SlowConsumer SlowConsumerMonitor::fromClient(const QString &node, const PubSubClient &client) const
{
    SlowConsumer s;
    s.key = node + u'#' + QString::number(client.id);
    s.id = quint64(client.id);
    s.name = client.name;
    s.address = client.address;
    s.node = node;
    if (client.name.startsWith(relayPrefix))
        s.relay = client.name.mid(relayPrefix.size());
    s.console = client.name.startsWith(consolePrefix);
    s.bytes = client.outputBytes;
    s.totalMemory = client.totalMemory;
    s.queryBuffer = client.queryBuffer;
    s.channels = client.channels;
    s.patterns = client.patterns;
    s.shardChannels = client.shardChannels;
    s.ageSeconds = client.ageSeconds;
    const auto limit = m_limits.constFind(node);
    const OutputBufferLimit l = limit == m_limits.cend() ? OutputBufferLimit::redisDefault() : limit->limit;
    s.softLimit = l.softBytes;
    s.hardLimit = l.hardBytes;
    return s;
}

void SlowConsumerMonitor::ingest(const QString &node, const QList<PubSubClient> &clients)
{
    QList<SlowConsumer> seen;
    for (const PubSubClient &c : clients)
        seen.append(fromClient(node, c));
    announce(apply(node, seen));
}

void SlowConsumerMonitor::ingestRelays(const QList<RelayInstanceStats> &relays)
{
    bool changed = false;
    QSet<QString> sources;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const RelayInstanceStats &r : relays) {
        const QString source = u"relay:"_s + r.key; // unique per heartbeat prefix and instance
        sources.insert(source);
        QList<SlowConsumer> seen;
        for (const RelayClientLoad &l : r.topClients) {
            SlowConsumer s;
            s.kind = SlowConsumer::Kind::RelayClient;
            s.key = source + u'#' + QString::number(l.id);
            s.id = l.id;
            s.address = l.address;
            s.relay = r.instance;
            s.bytes = l.queuedBytes;
            s.channels = l.rooms;
            s.ageSeconds = l.connectedAt.isValid() ? qMax<qint64>(0, l.connectedAt.secsTo(now)) : -1;
            s.hardLimit = r.maxOutboundBytes;
            seen.append(s);
        }
        changed = apply(source, seen) || changed;
    }
    for (auto it = m_warnings.begin(); it != m_warnings.end();) {
        const SlowConsumer &c = it->consumer;
        if (c.kind == SlowConsumer::Kind::RelayClient && !sources.contains(c.key.section(u'#', 0, -2))) {
            it = m_warnings.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    announce(changed);
}

void SlowConsumerMonitor::followRelays(RelayDirectory *directory)
{
    disconnect(m_relaysConnection);
    if (!directory) {
        ingestRelays({});
        return;
    }
    m_relaysConnection = connect(directory, &RelayDirectory::changed, this,
                                 [this, directory] { ingestRelays(directory->instances()); });
    ingestRelays(directory->instances());
}

bool SlowConsumerMonitor::apply(const QString &source, const QList<SlowConsumer> &seen)
{
    const QString keyPrefix = source + u'#';
    const auto belongs = [&keyPrefix](const SlowConsumer &c) {
        return c.key.startsWith(keyPrefix);
    };
    bool changed = false;
    QSet<QString> present;
    const qint64 now = m_clock.elapsed();
    for (SlowConsumer c : seen) {
        present.insert(c.key);
        const qint64 base = c.softLimit > 0 ? c.softLimit : c.hardLimit;
        const bool above = base > 0 && double(c.bytes) >= m_threshold * double(base);
        auto it = m_warnings.find(c.key);
        if (!above) {
            if (it != m_warnings.end()) {
                addEvent(SlowConsumerEvent::Kind::Cleared, c);
                m_warnings.erase(it);
                changed = true;
            }
            continue;
        }
        if (it == m_warnings.end()) {
            c.aboveSince = QDateTime::currentDateTimeUtc();
            it = m_warnings.insert(c.key, {c, now});
            addEvent(SlowConsumerEvent::Kind::Warned, c);
        } else {
            c.aboveSince = it->consumer.aboveSince;
            c.aboveMs = now - it->aboveSinceMs;
            it->consumer = c;
        }
        changed = true;
    }
    for (auto it = m_warnings.begin(); it != m_warnings.end();) {
        if (belongs(it->consumer) && !present.contains(it.key())) {
            addEvent(SlowConsumerEvent::Kind::Disconnected, it->consumer);
            it = m_warnings.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    return changed;
}

void SlowConsumerMonitor::addEvent(SlowConsumerEvent::Kind kind, const SlowConsumer &consumer)
{
    SlowConsumerEvent e{kind, QDateTime::currentDateTimeUtc(), consumer};
    m_events.append(e);
    while (m_events.size() > m_maxEvents)
        m_events.removeFirst();
    Q_EMIT eventAdded(e);
}

void SlowConsumerMonitor::announce(bool changed)
{
    if (!changed)
        return;
    Q_EMIT warningsChanged();
    if (std::exchange(m_announcedCount, warningCount()) != warningCount())
        Q_EMIT warningCountChanged(warningCount());
}
