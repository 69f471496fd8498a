// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <chrono>

class RedisBusLink;

struct SubscriberProbeOptions
{
    // The probe channel's name (one per shard on a sharded Cluster: name{tag}); empty: no probe.
    QByteArray channel;
    // Between two probes on each channel; 0: no probe.
    std::chrono::milliseconds interval{5000};
    // A probe Redis acknowledged and the subscriber has not heard after this is a deaf subscriber.
    std::chrono::milliseconds timeout{3000};
};

// Proves that the bus's subscriptions hear what is published: publishes a token on its own
// probe channel(s) through the bus's publisher and waits for it on the subscriber. A connection
// can be open at the TCP level and answer PING, and still receive nothing: its node was demoted
// or cut off from the Cluster bus. A token Redis acknowledged that does not come back within the
// timeout makes the link drop that subscriber and make it again (classic on a Cluster: on
// another node). A probe only counts while the subscriber is settled: one lost in a drop that the
// subscriber noticed itself is no evidence.
class SubscriberProbe : public QObject
{
    Q_OBJECT
public:
    SubscriberProbe(RedisBusLink *link, SubscriberProbeOptions options, QObject *parent = nullptr);

    void start();
    void stop();
    bool isProbeChannel(const QByteArray &channel) const { return m_probes.contains(channel); }
    // A message on a probe channel; returns false for any other channel.
    bool take(const QByteArray &channel, const QByteArray &payload);

    // The last token's round trip (publish to delivery), -1 before the first.
    qint64 lastRoundTripMs() const { return m_lastRoundTripMs; }
    // Since a token last came back on every probe channel; -1 before that happened once.
    qint64 msSinceAllAnswered() const;
    quint64 deafCount() const { return m_deaf; }

Q_SIGNALS:
    void answered(const QByteArray &channel, qint64 roundTripMs);
    // The subscriber of channel did not hear a probe; silentMs since it last did (or since the
    // probe started listening), the window in which messages may have been missed.
    void deaf(const QByteArray &channel, qint64 silentMs);

private:
    struct Probe
    {
        QByteArray token; // outstanding; empty: none
        QElapsedTimer sent;
        QElapsedTimer heard; // since the last answer, or since subscribed
        bool acknowledged = false;
        bool answeredOnce = false;
    };

    void round();
    void syncChannels();
    void send(const QByteArray &channel, Probe &probe);
    void check(const QByteArray &channel, const QByteArray &token);
    void cancelOutstanding();

    RedisBusLink *m_link;
    SubscriberProbeOptions m_options;
    QHash<QByteArray, Probe> m_probes;
    QTimer m_timer;
    quint64 m_sequence = 0;
    quint64 m_deaf = 0;
    qint64 m_lastRoundTripMs = -1;
    bool m_running = false;
};
