// SPDX-License-Identifier: MIT
#include "clusterannouncer.h"

#include "redisclusterconnection.h"

#include <memory>

using namespace Qt::StringLiterals;

ClusterAnnouncer::ClusterAnnouncer(RedisClusterConnection *cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
{}

QByteArrayList ClusterAnnouncer::commandsFor(const Audience &a)
{
    if (a.sharded > 0 && a.classic <= 0)
        return {"SPUBLISH"_ba};
    if (a.classic > 0 && a.sharded <= 0)
        return {"PUBLISH"_ba};
    return {"SPUBLISH"_ba, "PUBLISH"_ba};
}

QString ClusterAnnouncer::resultText(const QList<Sent> &sent, const QByteArray &channel)
{
    QStringList parts;
    for (const Sent &s : sent) {
        if (s.channel == channel)
            parts << QString::fromLatin1(s.command) + u' ' +
                         (s.error.isEmpty() ? QString::number(s.receivers) : s.error);
    }
    return parts.join(u" + "_s);
}

void ClusterAnnouncer::estimate(const QByteArrayList &channels, EstimateCallback done)
{
    auto result = std::make_shared<QList<Audience>>();
    for (const QByteArray &c : channels)
        result->append({c, 0, 0, {}});
    auto remaining = std::make_shared<int>(1);
    const auto settle = [result, remaining, done] {
        if (--*remaining == 0)
            done(*result);
    };
    const auto fail = [result](qsizetype i, const QString &node, const RedisValue &reply) {
        (*result)[i].error = node + u": "_s + QString::fromUtf8(reply.bytes());
    };
    if (!m_cluster || m_cluster->topology().shards().isEmpty()) {
        for (Audience &a : *result)
            a.error = tr("the Cluster's topology is not known yet");
        settle();
        return;
    }
    const RedisClusterTopology topology = m_cluster->topology();
    for (const auto &shard : topology.shards()) {
        QList<RedisClusterTopology::Node> members{shard.primary};
        members += shard.replicas;
        for (const auto &node : std::as_const(members)) {
            RedisConnection *connection = m_cluster->nodeConnection(node.host, node.port);
            const QString key = node.key();
            // Classic: every node counts its own subscribers.
            QByteArrayList numsub{"PUBSUB"_ba, "NUMSUB"_ba};
            numsub += channels;
            ++*remaining;
            connection->command(numsub, this, [result, settle, fail, key](const RedisValue &r) {
                const auto &e = r.elements();
                for (qsizetype i = 0; i < result->size(); ++i) {
                    if (r.isError())
                        fail(i, key, r);
                    else if (size_t(2 * i + 1) < e.size())
                        (*result)[i].classic += e[size_t(2 * i + 1)].toInteger();
                }
                settle();
            });
            // Sharded: on the nodes of the shard that owns each channel.
            for (qsizetype i = 0; i < channels.size(); ++i) {
                if (topology.shardForSlot(RedisClusterTopology::keySlot(channels[i])) != &shard)
                    continue;
                ++*remaining;
                connection->command({"PUBSUB"_ba, "SHARDNUMSUB"_ba, channels[i]}, this,
                                    [result, settle, fail, key, i](const RedisValue &r) {
                                        if (r.isError())
                                            fail(i, key, r);
                                        else if (r.elements().size() == 2)
                                            (*result)[i].sharded += r.elements()[1].toInteger();
                                        settle();
                                    });
            }
        }
    }
    settle();
}

void ClusterAnnouncer::publish(const QList<Audience> &audience, const QByteArray &payload, PublishCallback done)
{
    auto sent = std::make_shared<QList<Sent>>();
    for (const Audience &a : audience)
        for (const QByteArray &command : commandsFor(a))
            sent->append({a.channel, command, 0, {}});
    auto remaining = std::make_shared<int>(int(sent->size()) + 1);
    const auto settle = [sent, remaining, done] {
        if (--*remaining == 0)
            done(*sent);
    };
    for (qsizetype i = 0; i < sent->size(); ++i) {
        const Sent &s = sent->at(i);
        if (!m_cluster) {
            (*sent)[i].error = tr("not connected");
            settle();
            continue;
        }
        // Routed to the owner of the channel's slot: SPUBLISH must go there; PUBLISH reaches every node
        // from any of them.
        m_cluster->command({s.command, s.channel, payload}, this, [sent, settle, i](const RedisValue &r) {
            if (r.isError())
                (*sent)[i].error = QString::fromUtf8(r.bytes());
            else
                (*sent)[i].receivers = r.toInteger();
            settle();
        });
    }
    settle();
}
