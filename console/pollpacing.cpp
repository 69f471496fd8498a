// SPDX-License-Identifier: MIT
#include "pollpacing.h"

#include <algorithm>
#include <cmath>

using namespace std::chrono_literals;

namespace {
constexpr std::chrono::milliseconds Steps[] = {1s, 2s, 5s, 10s, 15s, 20s, 30s, 60s, 120s, 300s};

std::chrono::milliseconds roundUp(std::chrono::milliseconds needed)
{
    for (const auto step : Steps)
        if (needed <= step)
            return step;
    return needed;
}
} // namespace

PollPacing PollPacing::compute(std::chrono::milliseconds requested, qint64 entries, qint64 perSecond,
                               qint64 elapsedUs, const PollBudget &budget)
{
    PollPacing p;
    p.entries = entries;
    p.elapsedUs = elapsedUs;
    p.interval = requested;
    if (requested <= 0ms)
        return p;
    const auto bySize = std::chrono::milliseconds(
        perSecond > 0 ? qint64(std::ceil(1000.0 * double(entries) / double(perSecond))) : 0);
    const double elapsedMs = double(elapsedUs) / 1000.0;
    const bool slow =
        budget.timeShare > 0 && elapsedMs > budget.timeShare * double(budget.shortestInterval.count());
    const auto byTime = std::chrono::milliseconds(slow ? qint64(std::ceil(elapsedMs / budget.timeShare)) : 0);
    const auto needed = std::max(bySize, byTime);
    if (needed <= requested)
        return p;
    auto interval = std::min(needed < 1s ? needed : roundUp(needed), budget.maxInterval);
    // A whole number of the operator's intervals: the part rides on every n-th round.
    interval = requested * ((interval.count() + requested.count() - 1) / requested.count());
    if (interval <= requested)
        return p;
    p.interval = interval;
    p.reason = bySize >= byTime ? Reason::Size : Reason::Time;
    return p;
}
