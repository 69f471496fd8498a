// SPDX-License-Identifier: MIT
#include "reconnectbackoff.h"

#include <QRandomGenerator>

#include <algorithm>

ReconnectBackoff::ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds cap)
    : m_initial(std::max(initial, std::chrono::milliseconds(1)))
    , m_cap(std::max(cap, m_initial))
{}

std::chrono::milliseconds ReconnectBackoff::ceilingFor(int attempt) const
{
    const int shift = std::clamp(attempt, 0, 20);
    const std::int64_t d = m_initial.count() << shift;
    return std::chrono::milliseconds(std::min<std::int64_t>(d, m_cap.count()));
}

std::chrono::milliseconds ReconnectBackoff::next()
{
    const std::int64_t ceiling = ceilingFor(m_attempt).count();
    ++m_attempt;
    const std::int64_t floor = std::max<std::int64_t>(1, ceiling / 2);
    const std::int64_t span = ceiling - floor;
    const std::int64_t jitter =
        span > 0 ? std::int64_t(QRandomGenerator::global()->bounded(quint64(span + 1))) : 0;
    return std::chrono::milliseconds(floor + jitter);
}
