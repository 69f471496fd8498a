// SPDX-License-Identifier: MIT
#include "relaymetrics.h"

#include "prometheusexposition.h"
#include "redisbus.h"
#include "relayserver.h"

#include <QCoreApplication>

namespace {

using Type = PrometheusExposition::Type;

void counter(PrometheusExposition &out, const QByteArray &name, const QByteArray &help, quint64 value)
{
    out.family(name + "_total", Type::Counter, help);
    out.sample({}, double(value));
}

void gauge(PrometheusExposition &out, const QByteArray &name, const QByteArray &help, double value)
{
    out.family(name, Type::Gauge, help);
    out.sample({}, value);
}

void writeServer(PrometheusExposition &out, const RelayServer &server)
{
    const RelayStats &s = server.stats();
    out.family("switchboard_relay_info", Type::Gauge, "The relay's instance id, version and bus; always 1.");
    out.sample({},
               {{"instance_id", server.options().instanceId.toUtf8()},
                {"version", QCoreApplication::applicationVersion().toUtf8()},
                {"bus", server.bus() ? server.bus()->description().toUtf8() : QByteArray("none")}},
               1);
    gauge(out, "switchboard_relay_listening", "1 while the relay accepts WebSocket connections.",
          server.isListening() ? 1 : 0);
    gauge(out, "switchboard_relay_connections", "WebSocket clients connected now.", server.clientCount());
    gauge(out, "switchboard_relay_pending_connections",
          "Opening handshakes in progress and refused connections still closing.",
          server.pendingConnections());
    gauge(out, "switchboard_relay_rooms", "Rooms with at least one member on this relay.",
          server.roomCount());
    counter(out, "switchboard_relay_connections_accepted", "WebSocket connections accepted.",
            s.connectionsAccepted);
    counter(out, "switchboard_relay_frames_in", "Text messages received from clients.", s.framesIn);
    counter(out, "switchboard_relay_frames_out", "Frames queued for clients.", s.framesOut);
    counter(out, "switchboard_relay_bytes_in", "Payload bytes of the messages received from clients.",
            s.bytesIn);
    counter(out, "switchboard_relay_bytes_out", "Payload bytes of the frames queued for clients.",
            s.bytesOut);
    counter(out, "switchboard_relay_publishes", "Client messages published to the bus.", s.published);
    counter(out, "switchboard_relay_bus_messages", "Messages received from the bus.", s.busMessages);
    counter(out, "switchboard_relay_echoes_suppressed",
            "The bus's copies of this relay's own messages, already delivered locally.", s.echoesSuppressed);
    counter(out, "switchboard_relay_duplicates_dropped", "A relay's message received again from the bus.",
            s.duplicatesDropped);
}

void writeCloses(PrometheusExposition &out, const CloseCodeCounts &closes)
{
    out.family("switchboard_relay_closes_total", Type::Counter,
               "Client connections ended, by close code: the relay's close frame, else the client's, else "
               "1006 (no closing handshake); code=\"other\" past 32 distinct codes.");
    for (auto it = closes.counts().cbegin(); it != closes.counts().cend(); ++it)
        out.sample({}, {{"code", QByteArray::number(it.key())}}, double(it.value()));
    if (closes.other() > 0)
        out.sample({}, {{"code", "other"}}, double(closes.other()));
}

void writeRefusals(PrometheusExposition &out, const RelayStats &s)
{
    out.family("switchboard_relay_refusals_total", Type::Counter,
               "Connections, handshakes, frames, joins and publishes the relay refused, by reason.");
    const QList<QPair<QByteArray, quint64>> reasons{
        {"max_connections", s.connectionsRefused},
        {"bad_handshake", s.badHandshakes},
        {"auth_failed", s.authFailures},
        {"origin", s.originsRefused},
        {"forbidden", s.forbidden},
        {"rate_limited", s.rateLimitedFrames},
        {"protocol_error", s.protocolErrors},
        {"user_mismatch", s.userMismatches},
        {"subscribe_refused", s.subscribeRefusals},
        {"oversize_bus_message", s.oversizeBusMessages},
        {"session_unknown", s.resumesUnknown},
        {"session_unavailable", s.resumesFailed},
    };
    for (const auto &[reason, count] : reasons)
        out.sample({}, {{"reason", reason}}, double(count));
}

void writeLatency(PrometheusExposition &out, const LatencyHistogram &h)
{
    out.family("switchboard_relay_delivery_latency_seconds", Type::Histogram,
               "From a bus message's arrival at the relay to the sendmsg() that writes it to its clients.");
    QList<double> bounds;
    for (const qint64 ns : LatencyHistogram::BoundsNs)
        bounds.append(double(ns) / 1e9);
    const QList<quint64> counts(h.counts().cbegin(), h.counts().cend());
    out.histogram(bounds, counts, double(h.sumNs()) / 1e9);
}

void writeBus(PrometheusExposition &out, const RelayServer &server)
{
    const MessageBus *bus = server.bus();
    const auto *redis = qobject_cast<const RedisBus *>(bus);
    const RedisBusStats b = redis ? redis->stats() : RedisBusStats{};
    gauge(out, "switchboard_relay_bus_connected", "1 while the bus can publish and its subscriber listens.",
          bus && bus->isConnected() ? 1 : 0);
    gauge(out, "switchboard_relay_outage_queue_messages",
          "Publishes Redis has not acknowledged yet (waiting or in flight).",
          redis ? double(redis->pendingPublishes()) : 0);
    gauge(out, "switchboard_relay_outage_queue_bytes", "Channel and payload bytes of those publishes.",
          redis ? double(redis->pendingBytes()) : 0);
    counter(out, "switchboard_relay_outage_queued", "Publishes queued while Redis was unreachable.",
            b.queuedDuringOutage);
    counter(out, "switchboard_relay_outage_dropped",
            "Oldest waiting publishes dropped at the queue's bounds.", b.dropped);
    counter(out, "switchboard_relay_outage_replayed", "Queued publishes sent after an outage.", b.replayed);
    counter(out, "switchboard_relay_publish_failures", "Publishes Redis refused with an error.",
            b.publishFailures);
    counter(out, "switchboard_relay_subscriber_gaps",
            "Times the subscriber stopped listening (an outage, a cut, a deaf subscriber).",
            b.subscriberGaps);
    out.family("switchboard_relay_subscriber_gap_seconds_total", Type::Counter,
               "Time the subscriber was not listening after it first was.");
    out.sample({}, double(b.subscriberGapMs) / 1000.0);
    counter(out, "switchboard_relay_deaf_subscribers",
            "Probes Redis acknowledged that did not come back: the subscriber was made again.",
            b.deafSubscribers);
    const qint64 roundTrip = redis && redis->probe() ? redis->probe()->lastRoundTripMs() : -1;
    gauge(out, "switchboard_relay_probe_round_trip_seconds",
          "The last subscriber probe's round trip through Redis; -1 before the first (or without a probe).",
          roundTrip < 0 ? -1.0 : double(roundTrip) / 1000.0);
}

} // namespace

QByteArray RelayMetrics::render(const RelayServer &server)
{
    PrometheusExposition out;
    writeServer(out, server);
    writeCloses(out, server.stats().closes);
    writeRefusals(out, server.stats());
    writeLatency(out, server.stats().deliveryLatency);
    writeBus(out, server);
    return out.text();
}
