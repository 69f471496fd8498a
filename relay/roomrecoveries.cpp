// SPDX-License-Identifier: MIT
#include "roomrecoveries.h"

#include "messagebus.h"
#include "relaylogging.h"

using namespace Qt::StringLiterals;

namespace {

const char *unrecoveredReason(HistoryPage::Status status)
{
    switch (status) {
    case HistoryPage::Status::Trimmed:
        return RelayProtocol::Unrecovered::OffsetTrimmed;
    case HistoryPage::Status::Reset:
        return RelayProtocol::Unrecovered::StreamReset;
    case HistoryPage::Status::Off:
        return RelayProtocol::Unrecovered::HistoryOff;
    case HistoryPage::Status::Failed:
    case HistoryPage::Status::Ok:
        break;
    }
    return RelayProtocol::Unrecovered::HistoryUnavailable;
}

} // namespace

RoomRecoveries::RoomRecoveries(const RelayServerOptions &options, RelayStats &stats, MessageBus *bus,
                               Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_bus(bus)
    , m_hooks(std::move(hooks))
{
    m_waitTick.setInterval(std::chrono::milliseconds(5));
    connect(&m_waitTick, &QTimer::timeout, this, &RoomRecoveries::resumeWaiting);
}

RoomRecoveries::Recovery *RoomRecoveries::find(quint64 clientId, const QByteArray &channel)
{
    auto room = m_byChannel.find(channel);
    if (room == m_byChannel.end())
        return nullptr;
    auto it = room->find(clientId);
    return it == room->end() ? nullptr : &*it;
}

void RoomRecoveries::erase(quint64 clientId, const QByteArray &channel)
{
    auto room = m_byChannel.find(channel);
    if (room == m_byChannel.end())
        return;
    room->remove(clientId);
    if (room->isEmpty())
        m_byChannel.erase(room);
}

void RoomRecoveries::start(RelayClient *client, const QJsonValue &roomId, const QByteArray &channel,
                           const QByteArray &since)
{
    ++m_stats.recoveries;
    Recovery &r = m_byChannel[channel][client->id];
    r = Recovery{roomId, since, {}, Phase::Reading, false, m_nextGeneration++};
    read(client->id, channel);
}

void RoomRecoveries::read(quint64 clientId, const QByteArray &channel)
{
    Recovery *r = find(clientId, channel);
    if (!r || !m_bus)
        return;
    r->phase = Phase::Reading;
    const quint64 generation = r->generation;
    m_bus->readHistory(channel, r->cursor, m_options.history.pageSize, this,
                       [this, clientId, channel, generation](const HistoryPage &page) {
                           onPage(clientId, channel, generation, page);
                       });
}

void RoomRecoveries::onPage(quint64 clientId, const QByteArray &channel, quint64 generation,
                            const HistoryPage &page)
{
    Recovery *r = find(clientId, channel);
    if (!r || r->generation != generation || r->phase != Phase::Reading)
        return; // cancelled, or started again by a newer join
    RelayClient *client = m_hooks.clients->value(clientId);
    if (!client || client->closing) {
        erase(clientId, channel);
        return;
    }
    if (r->answered && page.status != HistoryPage::Status::Ok) {
        // A later page failed: what was held follows a gap.
        ++m_stats.recoveriesIncomplete;
        m_hooks.send(client, RelayProtocol::roomError(RelayProtocol::Error::RecoveryIncomplete,
                                                      u"the history could not be read to the end: join again "
                                                      u"with \"since\" set to the last offset you have"_s,
                                                      r->roomId));
    } else if (!r->answered) {
        answer(client, *r, page);
    }
    if (page.status != HistoryPage::Status::Ok) {
        // Not recovered: what was held came after the join, in order.
        for (const QByteArray &payload : r->held)
            m_hooks.send(client, payload);
        erase(clientId, channel);
        return;
    }
    for (const QByteArray &payload : page.payloads)
        m_hooks.send(client, payload);
    m_stats.recoveredMessages += quint64(page.payloads.size());
    if (!page.payloads.isEmpty())
        r->cursor = RelayProtocol::offsetOf(page.payloads.back()).toByteArray();
    if (page.payloads.size() < m_options.history.pageSize) {
        finish(client, *r);
        return;
    }
    // The next page once the client has read most of this one.
    if (client->connection->bytesToWrite() > m_options.limits.maxOutboundBytes / 2) {
        r->phase = Phase::Waiting;
        if (!m_waitTick.isActive())
            m_waitTick.start();
        return;
    }
    read(clientId, channel);
}

void RoomRecoveries::answer(RelayClient *client, Recovery &r, const HistoryPage &page)
{
    RelayProtocol::JoinedExtras extras = m_hooks.extras(client);
    extras.recovered = page.status == HistoryPage::Status::Ok;
    if (page.status != HistoryPage::Status::Ok) {
        extras.reason = unrecoveredReason(page.status);
        ++m_stats.recoveriesFailed;
        if (page.status == HistoryPage::Status::Failed)
            qCWarning(lcRelay).noquote() << "client" << client->id << "- history read failed:" << page.error;
    }
    m_hooks.send(client, RelayProtocol::joined(r.roomId, extras));
    r.answered = true;
}

void RoomRecoveries::finish(RelayClient *client, Recovery &r)
{
    // The held messages the history did not already give (a message published between the
    // subscription and the read is in both).
    for (const QByteArray &payload : r.held) {
        const QByteArrayView offset = RelayProtocol::offsetOf(payload);
        if (offset.isEmpty()) {
            m_hooks.send(client, payload);
        } else if (r.cursor.isEmpty() || RelayProtocol::offsetBefore(r.cursor, offset)) {
            m_hooks.send(client, payload);
            r.cursor = offset.toByteArray();
        }
    }
    r.held.clear();
    r.held.shrink_to_fit();
    r.phase = Phase::Fenced;
}

QSet<quint64> RoomRecoveries::intercept(const QByteArray &channel, const QByteArray &payload)
{
    QSet<quint64> skip;
    auto room = m_byChannel.find(channel);
    if (room == m_byChannel.end())
        return skip;
    const QByteArrayView offset = RelayProtocol::offsetOf(payload);
    for (auto it = room->begin(); it != room->end();) {
        Recovery &r = *it;
        if (r.phase == Phase::Fenced) {
            // Payloads without an offset (presence events, other publishers) pass the fence.
            if (offset.isEmpty()) {
                ++it;
            } else if (!r.cursor.isEmpty() && !RelayProtocol::offsetBefore(r.cursor, offset)) {
                skip.insert(it.key()); // sent with the history already
                ++it;
            } else {
                it = room->erase(it); // past the fence: live from now on
            }
            continue;
        }
        if (qsizetype(r.held.size()) >= m_options.history.maxBuffered) {
            ++m_stats.recoveriesIncomplete;
            if (RelayClient *client = m_hooks.clients->value(it.key())) {
                qCInfo(lcRelay).noquote() << "client" << client->id << "fell" << r.held.size()
                                          << "messages behind while recovering; recovery stopped";
                m_hooks.send(client, RelayProtocol::roomError(
                                         RelayProtocol::Error::RecoveryIncomplete,
                                         u"more than %1 messages arrived while catching up: join again with "
                                         u"\"since\" set to the last offset you have"_s.arg(
                                             m_options.history.maxBuffered),
                                         r.roomId));
            }
            it = room->erase(it); // live from this message on
            continue;
        }
        r.held.push_back(payload);
        skip.insert(it.key());
        ++it;
    }
    if (room->isEmpty())
        m_byChannel.erase(room);
    return skip;
}

void RoomRecoveries::resumeWaiting()
{
    bool waiting = false;
    QList<std::pair<quint64, QByteArray>> ready;
    for (auto room = m_byChannel.begin(); room != m_byChannel.end(); ++room) {
        for (auto it = room->begin(); it != room->end(); ++it) {
            if (it->phase != Phase::Waiting)
                continue;
            RelayClient *client = m_hooks.clients->value(it.key());
            if (!client || client->closing ||
                client->connection->bytesToWrite() <= m_options.limits.maxOutboundBytes / 2)
                ready.append({it.key(), room.key()});
            else
                waiting = true;
        }
    }
    if (!waiting)
        m_waitTick.stop();
    for (const auto &[clientId, channel] : ready) {
        if (m_hooks.clients->contains(clientId))
            read(clientId, channel);
        else
            erase(clientId, channel);
    }
}

void RoomRecoveries::cancel(quint64 clientId, const QByteArray &channel)
{
    erase(clientId, channel);
}

void RoomRecoveries::cancelAll(RelayClient *client)
{
    for (auto room = m_byChannel.begin(); room != m_byChannel.end();) {
        room->remove(client->id);
        if (room->isEmpty())
            room = m_byChannel.erase(room);
        else
            ++room;
    }
}
