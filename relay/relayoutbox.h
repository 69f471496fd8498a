// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <vector>

#include "relayclient.h"
#include "relayoptions.h"

class MessageBus;

// Everything the relay writes to its clients. A message is encoded into one WebSocket frame once
// for all its recipients, queued on each client's connection (shared, not copied), and every
// client written to in a loop turn is flushed with one sendmsg() at the turn's end, after the
// bus's own buffered publishes. A client that leaves more than maxOutboundBytes unread is closed
// as a slow consumer (4001).
class RelayOutbox : public QObject
{
    Q_OBJECT
public:
    RelayOutbox(const RelayServerOptions &options, RelayStats &stats, MessageBus *bus,
                const RelayRecipients &clients, QObject *parent = nullptr);

    // One frame (UTF-8 JSON) to one client.
    void send(RelayClient *client, const QByteArray &utf8);
    // Where a delivered message comes from: a bus message's time from its delivery here to the
    // sendmsg() of its frames goes into RelayStats::deliveryLatency.
    enum class Source { Local, Bus };
    // One message to many clients, encoded once.
    void deliver(const RelayRecipients &to, const QByteArray &payload, Source source = Source::Local);
    // Sends the bus's buffered publishes, then what this turn queued for clients.
    void flush();

private:
    void writeFrame(RelayClient *client, const QByteArray &frame, qsizetype payloadBytes);
    void queueFlush();
    void checkOutbound(RelayClient *client);

    const RelayServerOptions &m_options;
    RelayStats &m_stats;
    QPointer<MessageBus> m_bus;
    const RelayRecipients &m_clients;
    // Clients written to in this loop turn, flushed together at its end.
    std::vector<quint64> m_written;
    std::vector<quint64> m_flushing; // m_written while flush() walks it
    // relayNowNs() of the bus messages delivered in this turn; kept in capacity like m_written.
    std::vector<qint64> m_busArrivals;
    bool m_flushQueued = false;
};
