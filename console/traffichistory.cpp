// SPDX-License-Identifier: MIT
#include "traffichistory.h"

TrafficHistory::TrafficHistory(QObject *parent)
    : QObject(parent)
{}

bool TrafficHistory::append(Group group, const QString &name, qint64 msecs, double value)
{
    auto &series = m_groups[size_t(group)];
    auto it = series.find(name);
    if (it == series.end()) {
        if (series.size() >= m_limit)
            return false;
        it = series.insert(name, {});
    }
    it->push_back(QPointF(double(msecs), value));
    m_latest = qMax(m_latest, msecs);
    const double horizon = double(m_latest - m_windowMs);
    for (auto &points : series) {
        while (!points.empty() && points.front().x() < horizon)
            points.pop_front();
    }
    ++m_version;
    Q_EMIT changed();
    return true;
}

void TrafficHistory::removeSeries(Group group, const QString &name)
{
    if (m_groups[size_t(group)].remove(name)) {
        ++m_version;
        Q_EMIT changed();
    }
}

QStringList TrafficHistory::series(Group group) const
{
    QStringList names = m_groups[size_t(group)].keys();
    names.sort();
    return names;
}

QList<QPointF> TrafficHistory::points(Group group, const QString &name) const
{
    const auto &series = m_groups[size_t(group)];
    const auto it = series.constFind(name);
    if (it == series.cend())
        return {};
    return QList<QPointF>(it->cbegin(), it->cend());
}
