// SPDX-License-Identifier: MIT
#include "relaystatspublisher.h"

#include "messagebus.h"
#include "relayserver.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

RelayStatsPublisher::RelayStatsPublisher(RelayServer *server, std::chrono::milliseconds interval,
                                         QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_interval(interval.count() > 0 ? interval : std::chrono::milliseconds(0))
{
    m_timer.callOnTimeout(this, &RelayStatsPublisher::publishNow);
}

void RelayStatsPublisher::start()
{
    if (m_interval.count() <= 0)
        return;
    publishNow();
    m_timer.start(m_interval);
}

void RelayStatsPublisher::stop()
{
    m_timer.stop();
}

void RelayStatsPublisher::publishNow()
{
    if (!m_server || !m_server->bus())
        return;
    m_server->bus()->publish(channel(), statsPayload());
    ++m_published;
}

void RelayStatsPublisher::publishStopped()
{
    m_timer.stop();
    if (!m_server || !m_server->bus() || m_interval.count() <= 0)
        return;
    m_server->bus()->publish(channel(), stoppedPayload());
    ++m_published;
}

QByteArray RelayStatsPublisher::statsPayload() const
{
    if (!m_server)
        return {};
    QJsonObject channels;
    channels.insert(QString::fromUtf8(m_server->broadcastChannel()), m_server->clientCount());
    const QStringList rooms = m_server->rooms();
    for (const QString &room : rooms)
        channels.insert(QString::fromUtf8(m_server->roomChannel(room)), m_server->roomMemberCount(room));
    const QJsonObject o{
        {u"type"_s, u"relay-stats"_s},
        {u"instance"_s, m_server->options().instanceId},
        {u"prefix"_s, QString::fromUtf8(m_server->options().channelPrefix)},
        {u"url"_s, m_server->url().toString()},
        {u"clients"_s, m_server->clientCount()},
        {u"channels"_s, channels},
        {u"interval"_s, qint64(m_interval.count())},
        {u"at"_s, QDateTime::currentMSecsSinceEpoch()},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray RelayStatsPublisher::stoppedPayload() const
{
    const QJsonObject o{
        {u"type"_s, u"relay-stopped"_s},
        {u"instance"_s, m_server ? m_server->options().instanceId : QString()},
        {u"at"_s, QDateTime::currentMSecsSinceEpoch()},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
