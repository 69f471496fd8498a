// SPDX-License-Identifier: MIT
#include "canaryhistory.h"

#include <algorithm>

CanaryHistory::CanaryHistory(QObject *parent)
    : QObject(parent)
{}

bool CanaryHistory::append(const QString &relay, qint64 msecs, double p50, double p99)
{
    auto it = m_series.find(relay);
    if (it == m_series.end()) {
        if (m_series.size() >= m_limit)
            return false;
        it = m_series.insert(relay, {});
    }
    const qint64 oldest = msecs - m_windowMs;
    for (auto [points, value] : {std::pair{&it->p50, p50}, std::pair{&it->p99, p99}}) {
        if (value >= 0)
            points->push_back(QPointF(double(msecs), value));
        while (!points->empty() && points->front().x() < double(oldest))
            points->pop_front();
    }
    m_latest = std::max(m_latest, msecs);
    ++m_version;
    Q_EMIT changed();
    return true;
}

void CanaryHistory::removeRelay(const QString &relay)
{
    if (m_series.remove(relay) > 0) {
        ++m_version;
        Q_EMIT changed();
    }
}

void CanaryHistory::clear()
{
    if (m_series.isEmpty())
        return;
    m_series.clear();
    ++m_version;
    Q_EMIT changed();
}

QStringList CanaryHistory::relays() const
{
    QStringList out = m_series.keys();
    out.sort();
    return out;
}

QList<QPointF> CanaryHistory::points(const QString &relay, Percentile percentile) const
{
    const auto it = m_series.constFind(relay);
    if (it == m_series.cend())
        return {};
    const std::deque<QPointF> &points = percentile == Percentile::P50 ? it->p50 : it->p99;
    return QList<QPointF>(points.begin(), points.end());
}
