// SPDX-License-Identifier: MIT
#include "announcementcontroller.h"

#include "auditlog.h"
#include "clusterannouncer.h"
#include "redisconnection.h"

#include <QDateTime>
#include <QSettings>

#include <memory>

using namespace Qt::StringLiterals;

AnnouncementController::AnnouncementController(AuditLog *log, QObject *parent)
    : QObject(parent)
    , m_log(log)
{}

void AnnouncementController::setCluster(RedisClusterConnection *cluster)
{
    delete m_cluster;
    m_cluster = cluster ? new ClusterAnnouncer(cluster, this) : nullptr;
}

void AnnouncementController::estimateOnCluster(Estimate estimate, quint64 generation)
{
    m_cluster->estimate(estimate.channels, [this, estimate, generation](const auto &audience) mutable {
        if (generation != m_estimateGeneration)
            return;
        for (const ClusterAnnouncer::Audience &a : audience) {
            estimate.subscribers.append(a.classic + a.sharded);
            estimate.shardedSubscribers.append(a.sharded);
            estimate.totalSubscribers += a.classic + a.sharded;
            estimate.commands.append(QString::fromLatin1(ClusterAnnouncer::commandsFor(a).join(" + ")));
            if (estimate.error.isEmpty())
                estimate.error = a.error;
        }
        if (m_audience) {
            for (const QByteArray &channel : std::as_const(estimate.channels)) {
                if (auto clients = m_audience(channel))
                    estimate.relayClients = estimate.relayClients.value_or(0) + *clients;
            }
        }
        Q_EMIT estimateReady(estimate);
    });
}

// The audience is counted again right before sending: who is subscribed how decides the commands.
void AnnouncementController::publishOnCluster(const Announcement &a, Result result)
{
    const QByteArray payload = a.toJson();
    QPointer<ClusterAnnouncer> announcer = m_cluster;
    m_cluster->estimate(result.channels, [this, a, result, payload, announcer](const auto &audience) {
        if (!announcer)
            return;
        announcer->publish(audience, payload, [this, a, result](const QList<ClusterAnnouncer::Sent> &sent) mutable {
            result.receivers = QList<qint64>(result.channels.size(), 0);
            for (qsizetype i = 0; i < result.channels.size(); ++i) {
                for (const ClusterAnnouncer::Sent &s : sent) {
                    if (s.channel != result.channels[i])
                        continue;
                    if (!s.error.isEmpty())
                        result.error = QString::fromLatin1(s.command) + u": "_s + s.error;
                    result.receivers[i] += s.receivers;
                }
                result.commands.append(ClusterAnnouncer::resultText(sent, result.channels[i]));
                result.total += result.receivers[i];
            }
            record(a, result);
            Q_EMIT published(result);
        });
    });
}

void AnnouncementController::setReadOnly(bool readOnly)
{
    if (m_readOnly == readOnly)
        return;
    m_readOnly = readOnly;
    Q_EMIT readOnlyChanged(readOnly);
}

QString AnnouncementController::blocker(const Announcement &a) const
{
    if (m_readOnly)
        return tr("This profile is read-only: announcements are disabled.");
    if (!m_connection || !m_connection->isReady())
        return tr("Not connected to Redis.");
    return a.validate();
}

void AnnouncementController::requestEstimate(const Announcement &a)
{
    const quint64 generation = ++m_estimateGeneration;
    Estimate estimate;
    estimate.channels = a.channels(m_prefix);
    if (!m_connection || !m_connection->isReady() || estimate.channels.isEmpty()) {
        estimate.error =
            !m_connection || !m_connection->isReady() ? tr("Not connected to Redis.") : QString();
        Q_EMIT estimateReady(estimate);
        return;
    }
    if (m_cluster) {
        estimateOnCluster(estimate, generation);
        return;
    }
    QByteArrayList args{"PUBSUB"_ba, "NUMSUB"_ba};
    args += estimate.channels;
    m_connection->command(args, this, [this, generation, estimate](const RedisValue &reply) mutable {
        if (generation != m_estimateGeneration)
            return; // a newer estimate is on its way
        if (reply.isError() || !reply.isArray()) {
            estimate.error = QString::fromUtf8(reply.bytes());
            Q_EMIT estimateReady(estimate);
            return;
        }
        const auto &e = reply.elements();
        for (size_t i = 1; i < e.size(); i += 2) {
            estimate.subscribers.append(e[i].toInteger());
            estimate.totalSubscribers += e[i].toInteger();
        }
        if (m_audience) {
            for (const QByteArray &channel : std::as_const(estimate.channels)) {
                if (auto clients = m_audience(channel))
                    estimate.relayClients = estimate.relayClients.value_or(0) + *clients;
            }
        }
        Q_EMIT estimateReady(estimate);
    });
}

bool AnnouncementController::publish(const Announcement &a)
{
    Result result;
    result.id = a.id;
    result.channels = a.channels(m_prefix);
    result.error = blocker(a);
    if (!result.error.isEmpty()) {
        record(a, result);
        Q_EMIT published(result);
        return false;
    }
    if (m_cluster) {
        publishOnCluster(a, result);
        return true;
    }
    const QByteArray payload = a.toJson();
    auto shared = std::make_shared<Result>(result);
    auto remaining = std::make_shared<int>(int(result.channels.size()));
    shared->receivers = QList<qint64>(result.channels.size(), 0);
    for (int i = 0; i < result.channels.size(); ++i) {
        m_connection->command({"PUBLISH"_ba, result.channels[i], payload}, this,
                              [this, a, shared, remaining, i](const RedisValue &reply) {
                                  if (reply.isError())
                                      shared->error = QString::fromUtf8(reply.bytes());
                                  else
                                      shared->receivers[i] = reply.toInteger();
                                  if (--*remaining > 0)
                                      return;
                                  for (qint64 r : std::as_const(shared->receivers))
                                      shared->total += r;
                                  record(a, *shared);
                                  Q_EMIT published(*shared);
                              });
    }
    return true;
}

void AnnouncementController::record(const Announcement &a, const Result &r)
{
    if (!m_log)
        return;
    AuditEntry entry;
    entry.timeMs = QDateTime::currentMSecsSinceEpoch();
    entry.profile = m_profile;
    entry.level = Announcement::levelKey(a.level);
    entry.target = a.targetText();
    entry.channels = r.channels;
    entry.text = a.text;
    entry.id = a.id;
    entry.receivers = r.receivers;
    entry.commands = r.commands;
    entry.error = r.error;
    m_log->append(entry);
}

TemplateStore::TemplateStore(QSettings *settings)
    : m_settings(settings)
{}

QStringList TemplateStore::names() const
{
    m_settings->beginGroup(u"templates"_s);
    QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    return names;
}

std::optional<Announcement> TemplateStore::load(const QString &name) const
{
    if (!names().contains(name))
        return std::nullopt;
    m_settings->beginGroup(u"templates/"_s + name);
    Announcement a;
    a.text = m_settings->value(u"text"_s).toString();
    a.level = Announcement::levelFromKey(m_settings->value(u"level"_s).toString());
    a.broadcast = m_settings->value(u"broadcast"_s, true).toBool();
    a.rooms = m_settings->value(u"rooms"_s).toStringList();
    m_settings->endGroup();
    return a;
}

void TemplateStore::save(const QString &name, const Announcement &a)
{
    m_settings->beginGroup(u"templates/"_s + name);
    m_settings->setValue(u"text"_s, a.text);
    m_settings->setValue(u"level"_s, Announcement::levelKey(a.level));
    m_settings->setValue(u"broadcast"_s, a.broadcast);
    m_settings->setValue(u"rooms"_s, a.rooms);
    m_settings->endGroup();
    m_settings->sync();
}

void TemplateStore::remove(const QString &name)
{
    m_settings->remove(u"templates/"_s + name);
    m_settings->sync();
}
