// SPDX-License-Identifier: MIT
#include "fleethistory.h"

#include <QSet>

FleetHistory::FleetHistory(QObject *parent)
    : QObject(parent)
{}

void FleetHistory::setDirectory(RelayDirectory *directory)
{
    if (m_directory)
        disconnect(m_directory, nullptr, this, nullptr);
    m_directory = directory;
    m_relays.clear();
    if (directory)
        connect(directory, &RelayDirectory::changed, this, &FleetHistory::follow);
    follow();
}

void FleetHistory::follow()
{
    const QList<RelayInstanceStats> instances =
        m_directory ? m_directory->instances() : QList<RelayInstanceStats>();
    QSet<QString> present;
    const quint64 before = m_version;
    for (const RelayInstanceStats &s : instances) {
        present.insert(s.key);
        record(s);
    }
    for (auto it = m_relays.begin(); it != m_relays.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        it = m_relays.erase(it);
        ++m_version;
    }
    if (m_version != before)
        Q_EMIT changed();
}

void FleetHistory::record(const RelayInstanceStats &s)
{
    const qint64 at = s.receivedAt.toMSecsSinceEpoch();
    auto it = m_relays.find(s.key);
    if (it == m_relays.end()) {
        if (m_relays.size() >= m_limit)
            return;
        it = m_relays.insert(s.key, Relay{});
    }
    Relay &r = *it;
    if (at <= r.lastAt)
        return;
    r.lastAt = at;
    const std::array<double, MeasureCount> values{double(s.clients), s.framesInPerSecond,
                                                  s.framesOutPerSecond, double(s.queuedBytes)};
    for (int m = 0; m < MeasureCount; ++m) {
        std::deque<QPointF> &points = r.series[size_t(m)];
        if (values[size_t(m)] >= 0) // a rate is unknown (-1) until the second heartbeat
            points.emplace_back(double(at), values[size_t(m)]);
        while (!points.empty() && points.front().x() < double(at - m_windowMs))
            points.pop_front();
    }
    ++m_version;
}

void FleetHistory::forget(const QString &key)
{
    if (m_relays.remove(key) > 0) {
        ++m_version;
        Q_EMIT changed();
    }
}

QList<QPointF> FleetHistory::points(const QString &key, Measure measure) const
{
    const auto it = m_relays.constFind(key);
    if (it == m_relays.cend())
        return {};
    const std::deque<QPointF> &points = it->series[size_t(measure)];
    return QList<QPointF>(points.cbegin(), points.cend());
}
