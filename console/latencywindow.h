// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <cstddef>
#include <deque>

// Latency samples and losses over a sliding time window (times in ms of any monotonic clock), for
// percentiles: at most maxSamples() samples, the oldest going first.
class LatencyWindow
{
public:
    explicit LatencyWindow(qint64 windowMs = 60'000, std::size_t maxSamples = 4096);

    void addSample(qint64 atMs, double latencyMs);
    void addLoss(qint64 atMs);
    // Forgets what is older than the window before nowMs.
    void expire(qint64 nowMs);
    void clear();

    qint64 windowMs() const { return m_windowMs; }
    std::size_t maxSamples() const { return m_maxSamples; }
    std::size_t sampleCount() const { return m_samples.size(); }
    std::size_t lossCount() const { return m_losses.size(); }
    // The q-quantile (0 < q <= 1, nearest rank) of the samples in the window; -1 when there are none.
    double percentile(double q) const;

private:
    struct Sample
    {
        qint64 at;
        double latency;
    };
    qint64 m_windowMs;
    std::size_t m_maxSamples;
    std::deque<Sample> m_samples;
    std::deque<qint64> m_losses;
};
