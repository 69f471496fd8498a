// SPDX-License-Identifier: MIT
#include "relayoutbox.h"

#include "messagebus.h"
#include "relaylogging.h"
#include "websocketframe.h"

using namespace Qt::StringLiterals;

namespace {

// Text frames must carry valid UTF-8; anything else published to a channel is sent with U+FFFD
// in place of the broken sequences, as QWebSocket would.
QByteArray validUtf8(const QByteArray &bytes)
{
    return bytes.isValidUtf8() ? bytes : QString::fromUtf8(bytes).toUtf8();
}

} // namespace

RelayOutbox::RelayOutbox(const RelayServerOptions &options, RelayStats &stats, MessageBus *bus,
                         const RelayRecipients &clients, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_bus(bus)
    , m_clients(clients)
{
}

void RelayOutbox::send(RelayClient *client, const QByteArray &utf8)
{
    const QByteArray payload = validUtf8(utf8);
    writeFrame(client, WebSocketFrame::text(payload), payload.size());
}

void RelayOutbox::deliver(const RelayRecipients &to, const QByteArray &payload, Source source)
{
    if (to.isEmpty())
        return;
    const qint64 arrived = source == Source::Bus ? relayNowNs() : 0;
    const quint64 framesBefore = m_stats.framesOut;
    // Once per message, not per recipient.
    const QByteArray valid = validUtf8(payload);
    const QByteArray frame = WebSocketFrame::text(valid);
    for (RelayClient *c : to)
        writeFrame(c, frame, valid.size());
    if (source == Source::Bus && m_stats.framesOut != framesBefore) {
        m_busArrivals.push_back(arrived);
        queueFlush();
    }
}

void RelayOutbox::queueFlush()
{
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    QMetaObject::invokeMethod(this, &RelayOutbox::flush, Qt::QueuedConnection);
}

void RelayOutbox::writeFrame(RelayClient *client, const QByteArray &frame, qsizetype payloadBytes)
{
    WebSocketConnection *connection = client->connection;
    if (client->closing || !connection->isOpen())
        return;
    ++client->framesOut;
    ++m_stats.framesOut;
    m_stats.bytesOut += quint64(payloadBytes);
    const bool listed = connection->hasUnflushed();
    connection->queue(frame);
    if (connection->bytesToWrite() > m_options.limits.maxOutboundBytes) {
        checkOutbound(client); // sends the queue
        return;
    }
    // Everything written to a client in one turn goes out in one sendmsg() when the turn ends.
    if (!listed) {
        queueFlush();
        m_written.push_back(client->id);
    }
}

void RelayOutbox::flush()
{
    m_flushQueued = false;
    // Publishes first: the other instances' clients need not wait for this one's.
    if (m_bus)
        m_bus->flush();
    // Swapped, not moved: both vectors keep their capacity from turn to turn.
    m_flushing.swap(m_written);
    for (quint64 id : m_flushing) {
        if (RelayClient *client = m_clients.value(id))
            client->connection->flushQueued();
    }
    m_flushing.clear();
    if (!m_busArrivals.empty()) {
        const qint64 now = relayNowNs();
        for (const qint64 arrived : m_busArrivals)
            m_stats.deliveryLatency.observe(now - arrived);
        m_busArrivals.clear();
    }
}

void RelayOutbox::checkOutbound(RelayClient *client)
{
    // Most of a burst is still queued only because the loop has not flushed it yet; a client
    // that reads has room for it in the kernel.
    client->connection->flushQueued();
    const qint64 queued = client->connection->bytesToWrite();
    if (queued <= m_options.limits.maxOutboundBytes)
        return;
    ++m_stats.slowConsumerCloses;
    qCWarning(lcRelay).noquote() << "client" << client->id << "from" << client->peer
                                 << "is not reading:" << queued << "bytes queued (cap"
                                 << m_options.limits.maxOutboundBytes << ") - closing with 4001";
    client->close(RelayProtocol::Close::SlowConsumer,
                  u"slow consumer: more than %1 bytes queued"_s.arg(m_options.limits.maxOutboundBytes));
}
