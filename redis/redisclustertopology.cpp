// SPDX-License-Identifier: MIT
#include "redisclustertopology.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr std::array<quint16, 256> crcTable()
{
    std::array<quint16, 256> table{};
    for (int i = 0; i < 256; ++i) {
        quint16 crc = quint16(i << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
        table[size_t(i)] = crc;
    }
    return table;
}

constexpr std::array<quint16, 256> CrcTable = crcTable();

quint16 crc16(QByteArrayView bytes)
{
    quint16 crc = 0;
    for (char c : bytes)
        crc = quint16((crc << 8) ^ CrcTable[size_t(((crc >> 8) ^ quint8(c)) & 0xff)]);
    return crc;
}

// A RESP2 map (a flat array of alternating keys and values) as lookups by key.
const RedisValue *field(const RedisValue &map, QByteArrayView key)
{
    const auto &e = map.elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2) {
        if (e[i].bytes() == key)
            return &e[i + 1];
    }
    return nullptr;
}

bool validPort(long long port)
{
    return port > 0 && port <= 65535;
}

} // namespace

int RedisClusterTopology::keySlot(QByteArrayView key)
{
    const qsizetype open = key.indexOf('{');
    if (open >= 0) {
        const qsizetype close = key.sliced(open + 1).indexOf('}');
        if (close > 0)
            key = key.sliced(open + 1, close);
    }
    return crc16(key) % SlotCount;
}

std::optional<RedisClusterTopology> RedisClusterTopology::fromShards(const RedisValue &reply, QString *error,
                                                                     bool tls)
{
    if (!reply.isArray()) {
        *error = u"CLUSTER SHARDS: expected an array, got %1"_s.arg(reply.toDisplayString());
        return std::nullopt;
    }
    RedisClusterTopology t;
    for (const RedisValue &shardValue : reply.elements()) {
        const RedisValue *slots = field(shardValue, "slots");
        const RedisValue *nodes = field(shardValue, "nodes");
        if (!slots || !nodes || !slots->isArray() || !nodes->isArray() || slots->elements().size() % 2 != 0) {
            *error = u"CLUSTER SHARDS: a shard without slots and nodes"_s;
            return std::nullopt;
        }
        Shard shard;
        for (size_t i = 0; i < slots->elements().size(); i += 2) {
            const long long from = slots->elements()[i].toInteger(), to = slots->elements()[i + 1].toInteger();
            if (from < 0 || to < from || to >= SlotCount) {
                *error = u"CLUSTER SHARDS: invalid slot range %1-%2"_s.arg(from).arg(to);
                return std::nullopt;
            }
            shard.slots.append({int(from), int(to)});
        }
        bool hasPrimary = false;
        for (const RedisValue &nodeValue : nodes->elements()) {
            const RedisValue *id = field(nodeValue, "id");
            const RedisValue *ip = field(nodeValue, "ip");
            const RedisValue *port = field(nodeValue, tls ? "tls-port" : "port");
            const RedisValue *role = field(nodeValue, "role");
            const RedisValue *health = field(nodeValue, "health");
            if (id && ip && role && !port && field(nodeValue, tls ? "port" : "tls-port")) {
                *error = tls ? u"CLUSTER SHARDS: node %1 has no TLS port (tls-port): it does not serve "
                               "TLS; use redis-cluster://"_s.arg(QString::fromUtf8(ip->bytes()))
                             : u"CLUSTER SHARDS: node %1 serves only TLS (no port, only tls-port): use "
                               "rediss-cluster://"_s.arg(QString::fromUtf8(ip->bytes()));
                return std::nullopt;
            }
            if (!id || !ip || !port || !role || !validPort(port->toInteger())) {
                *error = u"CLUSTER SHARDS: a node without id, ip, port and role"_s;
                return std::nullopt;
            }
            Node node{id->bytes(), QString::fromUtf8(ip->bytes()), quint16(port->toInteger()),
                      role->bytes() == "master", !health || health->bytes() == "online"};
            if (node.primary && !hasPrimary) {
                shard.primary = node;
                hasPrimary = true;
            } else if (!node.primary) {
                shard.replicas.append(node);
            }
        }
        // A shard whose primary failed and has no replica to promote has no usable primary;
        // one without slots is a primary being added or emptied.
        if (hasPrimary)
            t.m_shards.append(shard);
    }
    t.index();
    return t;
}

std::optional<RedisClusterTopology> RedisClusterTopology::fromSlots(const RedisValue &reply, QString *error)
{
    if (!reply.isArray()) {
        *error = u"CLUSTER SLOTS: expected an array, got %1"_s.arg(reply.toDisplayString());
        return std::nullopt;
    }
    RedisClusterTopology t;
    for (const RedisValue &range : reply.elements()) {
        const auto &e = range.elements();
        if (e.size() < 3 || !e[2].isArray() || e[2].elements().size() < 2) {
            *error = u"CLUSTER SLOTS: a range without a primary"_s;
            return std::nullopt;
        }
        const long long from = e[0].toInteger(), to = e[1].toInteger();
        if (from < 0 || to < from || to >= SlotCount) {
            *error = u"CLUSTER SLOTS: invalid slot range %1-%2"_s.arg(from).arg(to);
            return std::nullopt;
        }
        QList<Node> nodes;
        for (size_t i = 2; i < e.size(); ++i) {
            const auto &n = e[i].elements();
            if (n.size() < 2 || !validPort(n[1].toInteger())) {
                *error = u"CLUSTER SLOTS: a node without an address"_s;
                return std::nullopt;
            }
            nodes.append(Node{n.size() > 2 ? n[2].bytes() : QByteArray(), QString::fromUtf8(n[0].bytes()),
                              quint16(n[1].toInteger()), i == 2, true});
        }
        auto shard = std::find_if(t.m_shards.begin(), t.m_shards.end(), [&](const Shard &s) {
            return s.primary.host == nodes.first().host && s.primary.port == nodes.first().port;
        });
        if (shard == t.m_shards.end()) {
            t.m_shards.append(Shard{nodes.first(), nodes.mid(1), {}});
            shard = t.m_shards.end() - 1;
        }
        shard->slots.append({int(from), int(to)});
    }
    t.index();
    return t;
}

void RedisClusterTopology::index()
{
    m_owner.fill(0);
    for (qsizetype i = 0; i < m_shards.size(); ++i) {
        for (const auto &[from, to] : std::as_const(m_shards[i].slots)) {
            for (int slot = from; slot <= to; ++slot)
                m_owner[size_t(slot)] = qint16(i + 1);
        }
    }
}

const RedisClusterTopology::Shard *RedisClusterTopology::shardForSlot(int slot) const
{
    if (slot < 0 || slot >= SlotCount || m_owner[size_t(slot)] == 0)
        return nullptr;
    return &m_shards[m_owner[size_t(slot)] - 1];
}

bool RedisClusterTopology::coversAllSlots() const
{
    return std::all_of(m_owner.cbegin(), m_owner.cend(), [](qint16 owner) { return owner != 0; });
}

void RedisClusterTopology::moveSlot(int slot, const QString &host, quint16 port)
{
    if (slot < 0 || slot >= SlotCount)
        return;
    auto target = std::find_if(m_shards.begin(), m_shards.end(), [&](const Shard &s) {
        return s.primary.host == host && s.primary.port == port;
    });
    if (target == m_shards.end()) {
        m_shards.append(Shard{Node{{}, host, port, true, true}, {}, {}});
        target = m_shards.end() - 1;
    }
    // Only the lookup changes: shards() keeps the ranges of the last full refresh.
    m_owner[size_t(slot)] = qint16(target - m_shards.begin() + 1);
}
