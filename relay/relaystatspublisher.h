// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

class RelayServer;

// A relay's heartbeat on the bus: every interval it publishes on <channel prefix>switchboard:relays
// which channels it serves and how many of its clients are on each, so the console can tell relays
// from other subscribers.
//   {"type":"relay-stats","instance":..,"prefix":..,"url":..,"clients":N,
//    "channels":{"<full channel>":<local members>,...},"interval":<ms>,"at":<ms since epoch>, ...}
// (every field: docs/protocol.md, "The stats heartbeat"). On the broadcast channel every client
// counts; canary connections (?switchboard=canary) count in "canaries" only. publishStopped() sends
//   {"type":"relay-stopped","instance":..,"prefix":..,"at":..}.
// Both go out with MessageBus::publishLatest(): during an outage only the newest waits, apart from
// the clients' messages and their bounds.
class RelayStatsPublisher : public QObject
{
    Q_OBJECT
public:
    // Under the relay's channel prefix, like its other channels (and its ACL's channel patterns).
    static QByteArray channel(const QByteArray &prefix = {}) { return prefix + "switchboard:relays"; }
    // Every relay's heartbeat, whatever its prefix.
    static QByteArray channelPattern() { return QByteArrayLiteral("*switchboard:relays"); }
    // Clients listed in topClients.
    static constexpr int TopClients = 5;

    // interval 0 = off: start() then does nothing.
    explicit RelayStatsPublisher(RelayServer *server,
                                 std::chrono::milliseconds interval = std::chrono::milliseconds(2000),
                                 QObject *parent = nullptr);

    std::chrono::milliseconds interval() const { return m_interval; }
    bool isActive() const { return m_timer.isActive(); }
    quint64 publishedCount() const { return m_published; }

    // Publishes once now, then every interval.
    void start();
    void stop();
    void publishNow();
    // Stops the heartbeat and tells the console this instance is gone.
    void publishStopped();

    QByteArray statsPayload() const;
    QByteArray stoppedPayload() const;

private:
    void addCounters(QJsonObject &o) const;
    void addLoad(QJsonObject &o) const;

    QPointer<RelayServer> m_server;
    std::chrono::milliseconds m_interval;
    qint64 m_startedAt;
    QTimer m_timer;
    quint64 m_published = 0;
};
