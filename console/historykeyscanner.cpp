// SPDX-License-Identifier: MIT
#include "historykeyscanner.h"

#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "relaykeys.h"

using namespace Qt::StringLiterals;

namespace {

const QByteArray Kind = "history:";

QByteArray globEscaped(const QByteArray &text)
{
    QByteArray out;
    for (const char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

} // namespace

struct HistoryKeyScanner::Round
{
    QList<QPointer<RedisConnection>> nodes;
    QStringList nodeNames;
    QList<int> calls;
    int outstanding = 0;
    QSet<QByteArray> found;
    bool partial = false;
    QStringList errors;
};

HistoryKeyScanner::HistoryKeyScanner(QObject *parent)
    : QObject(parent)
{}

HistoryKeyScanner::~HistoryKeyScanner() = default;

void HistoryKeyScanner::attach(RedisConnection *connection)
{
    detach();
    m_connection = connection;
}

void HistoryKeyScanner::attachCluster(RedisClusterConnection *cluster)
{
    detach();
    m_cluster = cluster;
}

void HistoryKeyScanner::detach()
{
    m_connection = nullptr;
    m_cluster = nullptr;
    m_round.reset();
    m_again = false;
    m_sinceLast.invalidate();
    m_partial = false;
    m_lastError.clear();
    if (!m_channels.isEmpty()) {
        const QByteArrayList gone(m_channels.cbegin(), m_channels.cend());
        m_channels.clear();
        Q_EMIT scanned(gone);
    }
}

void HistoryKeyScanner::setPrefixes(const QByteArrayList &prefixes)
{
    m_prefixes.clear();
    for (const QByteArray &prefix : prefixes)
        if (!m_prefixes.contains(prefix))
            m_prefixes.append(prefix);
}

QByteArray HistoryKeyScanner::pattern() const
{
    if (m_prefixes.size() == 1)
        return globEscaped(m_prefixes.front()) + Kind + '*';
    return '*' + Kind + '*';
}

void HistoryKeyScanner::scan()
{
    if (m_round) {
        m_again = true;
        return;
    }
    startRound();
}

void HistoryKeyScanner::scanIfDue()
{
    if (m_round || (m_sinceLast.isValid() && m_sinceLast.elapsed() < m_minInterval.count()))
        return;
    startRound();
}

std::optional<HistoryKeyScanner::KeyName> HistoryKeyScanner::parseKey(const QByteArray &key)
{
    // <prefix>history:{<channel>} or, for a channel with braces, <prefix>history:{<tag>}<channel>;
    // the prefix may itself hold "history:{", so every occurrence is tried.
    const QByteArray marker = Kind + '{';
    for (qsizetype at = key.indexOf(marker); at >= 0; at = key.indexOf(marker, at + 1)) {
        const QByteArray prefix = key.first(at);
        const QByteArray rest = key.mid(at + Kind.size());
        QByteArrayList candidates;
        if (rest.endsWith('}'))
            candidates.append(rest.mid(1, rest.size() - 2));
        // Only a channel with braces is stored after a tag; anything else (a stream's ":meta") is not.
        const qsizetype close = rest.indexOf('}');
        if (close > 0 && close + 1 < rest.size()) {
            const QByteArray tail = rest.mid(close + 1);
            if (tail.contains('{') || tail.contains('}'))
                candidates.append(tail);
        }
        for (const QByteArray &channel : std::as_const(candidates)) {
            if (channel.isEmpty() || !channel.startsWith(prefix) ||
                RelayKeys::historyKey(prefix, channel) != key)
                continue;
            // A tagged channel's ":meta" has the form of a channel ending in ":meta" in the same slot.
            if (channel.endsWith(":meta") &&
                RelayKeys::historyKey(prefix, channel.chopped(5)) + ":meta" == key)
                continue;
            return KeyName{prefix, channel};
        }
    }
    return std::nullopt;
}

void HistoryKeyScanner::startRound()
{
    m_again = false;
    auto round = std::make_shared<Round>();
    if (m_cluster) {
        for (const auto &shard : m_cluster->topology().shards()) {
            round->nodes.append(m_cluster->nodeConnection(shard.primary.host, shard.primary.port));
            round->nodeNames.append(shard.primary.key());
        }
        if (round->nodes.isEmpty())
            round->errors.append(tr("the Cluster's topology is not known yet"));
    } else if (m_connection) {
        round->nodes.append(m_connection);
        round->nodeNames.append(QString());
    } else {
        return;
    }
    m_sinceLast.start();
    m_round = round;
    round->calls.fill(0, round->nodes.size());
    round->outstanding = int(round->nodes.size());
    if (round->nodes.isEmpty()) {
        round->partial = true;
        finish(round);
        return;
    }
    for (int i = 0; i < round->nodes.size(); ++i)
        scanNode(round, i, "0");
}

void HistoryKeyScanner::scanNode(const std::shared_ptr<Round> &round, int node, const QByteArray &cursor)
{
    RedisConnection *connection = round->nodes[node];
    if (!connection) {
        round->partial = true;
        round->errors.append(tr("%1: connection closed").arg(round->nodeNames[node]));
        nodeDone(round);
        return;
    }
    ++round->calls[node];
    connection->command({"SCAN", cursor, "MATCH", pattern(), "COUNT", QByteArray::number(m_limits.count)},
                        this, [this, round, node](const RedisValue &reply) { onReply(round, node, reply); });
}

void HistoryKeyScanner::onReply(const std::shared_ptr<Round> &round, int node, const RedisValue &reply)
{
    if (round != m_round)
        return;
    const auto &e = reply.elements();
    if (reply.isError() || e.size() != 2 || !e[1].isArray()) {
        round->partial = true;
        const QString where = round->nodeNames[node].isEmpty() ? QString() : round->nodeNames[node] + u": "_s;
        round->errors.append(
            where + (reply.isError() ? QString::fromUtf8(reply.bytes()) : tr("unexpected SCAN reply")));
        nodeDone(round);
        return;
    }
    for (const RedisValue &key : e[1].elements()) {
        if (round->found.size() >= m_limits.maxChannels) {
            round->partial = true;
            round->errors.append(tr("stopped at the limit of %1 channels").arg(m_limits.maxChannels));
            break;
        }
        if (const auto name = parseKey(key.bytes()))
            round->found.insert(name->channel);
    }
    const QByteArray next = e[0].bytes();
    if (next == "0" || round->found.size() >= m_limits.maxChannels) {
        nodeDone(round);
        return;
    }
    if (round->calls[node] >= m_limits.maxCallsPerNode) {
        round->partial = true;
        round->errors.append(
            tr("stopped at the limit of %1 SCAN calls per node").arg(m_limits.maxCallsPerNode));
        nodeDone(round);
        return;
    }
    scanNode(round, node, next);
}

void HistoryKeyScanner::nodeDone(const std::shared_ptr<Round> &round)
{
    if (--round->outstanding == 0)
        finish(round);
}

void HistoryKeyScanner::finish(const std::shared_ptr<Round> &round)
{
    m_round.reset();
    // What a partial round did not reach may still be there: it stays until a complete round.
    if (round->partial)
        round->found.unite(m_channels);
    QByteArrayList changed;
    for (const QByteArray &c : std::as_const(round->found))
        if (!m_channels.contains(c))
            changed.append(c);
    for (const QByteArray &c : std::as_const(m_channels))
        if (!round->found.contains(c))
            changed.append(c);
    m_channels = std::move(round->found);
    m_partial = round->partial;
    round->errors.removeDuplicates();
    m_lastError = round->errors.join(u"; "_s);
    const QPointer<HistoryKeyScanner> alive(this);
    Q_EMIT scanned(changed);
    if (alive && m_again)
        startRound();
}
