// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QStringList>

#include <deque>

// What the canary chart draws, kept apart from the widget: per relay, its p50 and p99 latency (ms)
// once a second, as (ms since the epoch, ms) points over a rolling window (default ten minutes).
// Bounded: points older than the window go, and at most seriesLimit() relays are kept.
class CanaryHistory : public QObject
{
    Q_OBJECT
public:
    enum class Percentile { P50, P99 };

    explicit CanaryHistory(QObject *parent = nullptr);

    void setWindow(qint64 msecs) { m_windowMs = msecs; }
    qint64 window() const { return m_windowMs; }
    void setSeriesLimit(int limit) { m_limit = limit; }
    int seriesLimit() const { return m_limit; }

    // Adds a point of both percentiles (a negative value: no point); false when the history is full
    // and the relay is new.
    bool append(const QString &relay, qint64 msecs, double p50, double p99);
    void removeRelay(const QString &relay);
    void clear();
    QStringList relays() const; // sorted
    QList<QPointF> points(const QString &relay, Percentile percentile) const;
    qint64 latest() const { return m_latest; }
    quint64 version() const { return m_version; }

Q_SIGNALS:
    void changed();

private:
    struct Series
    {
        std::deque<QPointF> p50;
        std::deque<QPointF> p99;
    };
    QHash<QString, Series> m_series;
    qint64 m_windowMs = 10 * 60 * 1000;
    qint64 m_latest = 0;
    int m_limit = 16;
    quint64 m_version = 0;
};
