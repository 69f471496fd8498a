// SPDX-License-Identifier: MIT
#include "relaystatspublisher.h"

#include "messagebus.h"
#include "redisbus.h"
#include "relayserver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

using namespace Qt::StringLiterals;

RelayStatsPublisher::RelayStatsPublisher(RelayServer *server, std::chrono::milliseconds interval,
                                         QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_interval(interval.count() > 0 ? interval : std::chrono::milliseconds(0))
    , m_startedAt(QDateTime::currentMSecsSinceEpoch())
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
    m_server->bus()->publishLatest(channel(m_server->options().channelPrefix), statsPayload());
    ++m_published;
}

void RelayStatsPublisher::publishStopped()
{
    m_timer.stop();
    if (!m_server || !m_server->bus() || m_interval.count() <= 0)
        return;
    m_server->bus()->publishLatest(channel(m_server->options().channelPrefix), stoppedPayload());
    ++m_published;
}

QByteArray RelayStatsPublisher::statsPayload() const
{
    if (!m_server)
        return {};
    // Canary connections (a console's delivery probes) are left out of every audience figure.
    const int clients = m_server->clientCount() - m_server->canaryCount();
    const QHash<QString, int> canaryRooms = m_server->canaryRooms();
    QJsonObject channels;
    channels.insert(QString::fromUtf8(m_server->broadcastChannel()), clients);
    const QStringList rooms = m_server->rooms();
    for (const QString &room : rooms) {
        const int members = m_server->roomMemberCount(room) - canaryRooms.value(room);
        if (members > 0)
            channels.insert(QString::fromUtf8(m_server->roomChannel(room)), members);
    }
    QJsonObject o{
        {u"type"_s, u"relay-stats"_s},
        {u"instance"_s, m_server->options().instanceId},
        {u"prefix"_s, QString::fromUtf8(m_server->options().channelPrefix)},
        {u"url"_s, m_server->advertisedUrl().toString()},
        {u"listen"_s, m_server->url().toString()},
        {u"version"_s, QStringLiteral(SWITCHBOARD_VERSION)},
        {u"host"_s, QSysInfo::machineHostName()},
        {u"pid"_s, QCoreApplication::applicationPid()},
        {u"startedAt"_s, m_startedAt},
        {u"clients"_s, clients},
        {u"canaries"_s, m_server->canaryCount()},
        {u"rooms"_s, qint64(rooms.size())},
        {u"channels"_s, channels},
        {u"interval"_s, qint64(m_interval.count())},
        {u"at"_s, QDateTime::currentMSecsSinceEpoch()},
    };
    addCounters(o);
    addLoad(o);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void RelayStatsPublisher::addCounters(QJsonObject &o) const
{
    const RelayStats &st = m_server->stats();
    const QJsonObject protection{
        {u"oversizeCloses"_s, qint64(st.oversizeCloses)},
        {u"rateLimitedFrames"_s, qint64(st.rateLimitedFrames)},
        {u"rateLimitCloses"_s, qint64(st.rateLimitCloses)},
        {u"slowConsumerCloses"_s, qint64(st.slowConsumerCloses)},
        {u"idleCloses"_s, qint64(st.idleCloses)},
        {u"connectionsRefused"_s, qint64(st.connectionsRefused)},
        {u"authFailures"_s, qint64(st.authFailures)},
        {u"originsRefused"_s, qint64(st.originsRefused)},
        {u"forbidden"_s, qint64(st.forbidden)},
        {u"duplicatesDropped"_s, qint64(st.duplicatesDropped)},
        {u"handshakesRefused"_s, qint64(st.handshakesRefused)},
        {u"oversizeBusMessages"_s, qint64(st.oversizeBusMessages)},
        {u"userMismatches"_s, qint64(st.userMismatches)},
        {u"tokenExpiredCloses"_s, qint64(st.tokenExpiredCloses)},
        {u"subscribeRefusals"_s, qint64(st.subscribeRefusals)},
    };
    // What the relay keeps beside Pub/Sub (docs/protocol.md, "History and recovery", "Sessions",
    // "Presence"): which of it is on, and what it did.
    const RelayServerOptions &opt = m_server->options();
    const QJsonObject state{
        {u"historySize"_s, qint64(opt.history.size)},
        {u"sessions"_s, opt.sessions.enabled},
        {u"presence"_s, opt.presence.enabled},
        {u"sessionsCreated"_s, qint64(st.sessionsCreated)},
        {u"resumes"_s, qint64(st.resumes)},
        {u"resumesUnknown"_s, qint64(st.resumesUnknown)},
        {u"resumesFailed"_s, qint64(st.resumesFailed)},
        {u"recoveries"_s, qint64(st.recoveries)},
        {u"recoveriesFailed"_s, qint64(st.recoveriesFailed)},
        {u"recoveriesIncomplete"_s, qint64(st.recoveriesIncomplete)},
        {u"recoveredMessages"_s, qint64(st.recoveredMessages)},
        {u"presenceQueries"_s, qint64(st.presenceQueries)},
        {u"presenceEvents"_s, qint64(st.presenceEvents)},
        {u"presenceEventsDropped"_s, qint64(st.presenceEventsDropped)},
        {u"presenceFailures"_s, qint64(st.presenceFailures)},
    };
    QJsonObject bus;
    if (const auto *redis = qobject_cast<const RedisBus *>(m_server->bus())) {
        const RedisBusStats &b = redis->stats();
        bus = {
            {u"connected"_s, redis->isConnected()},
            {u"pendingPublishes"_s, qint64(redis->pendingPublishes())},
            {u"publishFailures"_s, qint64(b.publishFailures)},
            {u"replayed"_s, qint64(b.replayed)},
            {u"dropped"_s, qint64(b.dropped)},
            {u"subscriberGaps"_s, qint64(b.subscriberGaps)},
            {u"subscriberGapMs"_s, b.subscriberGapMs},
            {u"deafSubscribers"_s, qint64(b.deafSubscribers)},
            {u"probeRoundTripMs"_s, redis->probe() ? redis->probe()->lastRoundTripMs() : qint64(-1)},
        };
    }
    o.insert(u"protection"_s, protection);
    o.insert(u"bus"_s, bus);
    o.insert(u"state"_s, state);
}

void RelayStatsPublisher::addLoad(QJsonObject &o) const
{
    const RelayStats &st = m_server->stats();
    o.insert(u"traffic"_s, QJsonObject{
                               {u"framesIn"_s, qint64(st.framesIn)},
                               {u"framesOut"_s, qint64(st.framesOut)},
                               {u"bytesIn"_s, qint64(st.bytesIn)},
                               {u"bytesOut"_s, qint64(st.bytesOut)},
                               {u"published"_s, qint64(st.published)},
                               {u"busMessages"_s, qint64(st.busMessages)},
                           });
    o.insert(u"queuedBytes"_s, m_server->queuedBytes());
    o.insert(u"maxOutboundBytes"_s, m_server->options().limits.maxOutboundBytes);
    QJsonArray top;
    const QList<RelayClientInfo> busiest = m_server->busiestClients(TopClients);
    for (const RelayClientInfo &c : busiest) {
        top.append(QJsonObject{
            {u"id"_s, qint64(c.id)},
            {u"address"_s, c.peer},
            {u"queued"_s, c.queuedBytes},
            {u"rooms"_s, qint64(c.rooms.size())},
            {u"in"_s, qint64(c.framesIn)},
            {u"out"_s, qint64(c.framesOut)},
            {u"since"_s, c.connectedAt.toMSecsSinceEpoch()},
        });
    }
    o.insert(u"topClients"_s, top);
}

QByteArray RelayStatsPublisher::stoppedPayload() const
{
    const QJsonObject o{
        {u"type"_s, u"relay-stopped"_s},
        {u"instance"_s, m_server ? m_server->options().instanceId : QString()},
        {u"prefix"_s, m_server ? QString::fromUtf8(m_server->options().channelPrefix) : QString()},
        {u"at"_s, QDateTime::currentMSecsSinceEpoch()},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
