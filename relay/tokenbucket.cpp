// SPDX-License-Identifier: MIT
#include "tokenbucket.h"

#include <algorithm>
#include <cmath>

TokenBucket::TokenBucket(double ratePerSecond, double burst, qint64 nowNs)
    : m_intervalNs(ratePerSecond > 0 ? std::max<qint64>(1, std::llround(1e9 / ratePerSecond)) : 0)
    , m_burst(std::max<qint64>(1, std::llround(burst)))
    , m_theoreticalNs(nowNs)
{
    m_toleranceNs = (m_burst - 1) * m_intervalNs;
}

bool TokenBucket::tryTake(qint64 nowNs)
{
    if (isUnlimited())
        return true;
    if (nowNs < m_theoreticalNs - m_toleranceNs)
        return false;
    m_theoreticalNs = std::max(m_theoreticalNs, nowNs) + m_intervalNs;
    return true;
}

double TokenBucket::available(qint64 nowNs) const
{
    if (isUnlimited())
        return double(m_burst);
    const qint64 backlog = std::max<qint64>(0, m_theoreticalNs - nowNs);
    return std::clamp(double(m_toleranceNs + m_intervalNs - backlog) / double(m_intervalNs), 0.0,
                      double(m_burst));
}
