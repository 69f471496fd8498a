// SPDX-License-Identifier: MIT
#pragma once

#include "relaydirectory.h"

#include <QHash>
#include <QObject>
#include <QPointF>
#include <QPointer>

#include <array>
#include <deque>

// Each relay's load over time, taken from its heartbeats (RelayDirectory), kept apart from the
// chart widgets: per relay and measure, (ms since the epoch, value) points over a rolling window
// (default 15 minutes). Bounded: older points go, at most relayLimit() relays are followed, and a
// relay the directory dropped is forgotten.
class FleetHistory : public QObject
{
    Q_OBJECT
public:
    enum class Measure { Clients, InRate, OutRate, QueuedBytes };
    static constexpr int MeasureCount = 4;

    explicit FleetHistory(QObject *parent = nullptr);

    void setDirectory(RelayDirectory *directory);
    void setWindow(qint64 msecs) { m_windowMs = msecs; }
    qint64 window() const { return m_windowMs; }
    void setRelayLimit(int limit) { m_limit = limit; }
    int relayLimit() const { return m_limit; }

    // One heartbeat; ignored when it is not newer than the relay's last one.
    void record(const RelayInstanceStats &stats);
    void forget(const QString &key);
    QStringList relays() const { return m_relays.keys(); }
    QList<QPointF> points(const QString &key, Measure measure) const;
    quint64 version() const { return m_version; }

Q_SIGNALS:
    void changed();

private:
    void follow();

    struct Relay
    {
        qint64 lastAt = 0;
        std::array<std::deque<QPointF>, MeasureCount> series;
    };
    QPointer<RelayDirectory> m_directory;
    QHash<QString, Relay> m_relays;
    qint64 m_windowMs = 15 * 60 * 1000;
    int m_limit = 64;
    quint64 m_version = 0;
};
