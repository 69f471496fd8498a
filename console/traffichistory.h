// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>

#include <array>
#include <deque>

// What the charts draw, kept apart from the chart widgets: named series of (time, value) points
// in three groups, over a rolling window (default five minutes). Bounded: points older than the
// window go, and each group holds at most seriesLimit() series.
class TrafficHistory : public QObject
{
    Q_OBJECT

public:
    enum class Group { Messages, Subscribers, RelayConnections };
    static constexpr int GroupCount = 3;

    explicit TrafficHistory(QObject *parent = nullptr);

    void setWindow(qint64 msecs) { m_windowMs = msecs; }
    qint64 window() const { return m_windowMs; }
    void setSeriesLimit(int limit) { m_limit = limit; }
    int seriesLimit() const { return m_limit; }

    // Adds a point; returns false when the group is full and the series is new.
    bool append(Group group, const QString &series, qint64 msecs, double value);
    void removeSeries(Group group, const QString &series);
    QStringList series(Group group) const;
    QList<QPointF> points(Group group, const QString &series) const;
    qint64 latest() const { return m_latest; }
    quint64 version() const { return m_version; }

Q_SIGNALS:
    void changed();

private:
    std::array<QHash<QString, std::deque<QPointF>>, GroupCount> m_groups;
    qint64 m_windowMs = 5 * 60 * 1000;
    qint64 m_latest = 0;
    int m_limit = 10;
    quint64 m_version = 0;
};
