// SPDX-License-Identifier: MIT
#include "latencywindow.h"

#include <algorithm>
#include <cmath>
#include <vector>

LatencyWindow::LatencyWindow(qint64 windowMs, std::size_t maxSamples)
    : m_windowMs(windowMs)
    , m_maxSamples(std::max<std::size_t>(1, maxSamples))
{}

void LatencyWindow::addSample(qint64 atMs, double latencyMs)
{
    m_samples.push_back({atMs, latencyMs});
    while (m_samples.size() > m_maxSamples)
        m_samples.pop_front();
    expire(atMs);
}

void LatencyWindow::addLoss(qint64 atMs)
{
    m_losses.push_back(atMs);
    while (m_losses.size() > m_maxSamples)
        m_losses.pop_front();
    expire(atMs);
}

void LatencyWindow::expire(qint64 nowMs)
{
    const qint64 oldest = nowMs - m_windowMs;
    while (!m_samples.empty() && m_samples.front().at < oldest)
        m_samples.pop_front();
    while (!m_losses.empty() && m_losses.front() < oldest)
        m_losses.pop_front();
}

void LatencyWindow::clear()
{
    m_samples.clear();
    m_losses.clear();
}

double LatencyWindow::percentile(double q) const
{
    if (m_samples.empty())
        return -1;
    std::vector<double> values;
    values.reserve(m_samples.size());
    for (const Sample &s : m_samples)
        values.push_back(s.latency);
    const auto rank = std::size_t(std::ceil(std::clamp(q, 0.0, 1.0) * double(values.size())));
    const std::size_t index = rank == 0 ? 0 : rank - 1;
    std::nth_element(values.begin(), values.begin() + qsizetype(index), values.end());
    return values[index];
}
