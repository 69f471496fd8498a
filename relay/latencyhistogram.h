// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <array>

// A latency histogram with fixed bucket bounds (Prometheus's "le", in seconds on the wire,
// nanoseconds here): observe() is a scan of 14 integers, no allocation, no floating point.
class LatencyHistogram
{
public:
    // Upper bounds, inclusive: 100 us to 2.5 s; anything slower lands in the +Inf bucket.
    static constexpr std::array<qint64, 14> BoundsNs{
        100'000,    250'000,    500'000,     1'000'000,   2'500'000,   5'000'000,     10'000'000,
        25'000'000, 50'000'000, 100'000'000, 250'000'000, 500'000'000, 1'000'000'000, 2'500'000'000};
    static constexpr int BucketCount = int(BoundsNs.size()) + 1; // the last one is +Inf

    void observe(qint64 ns)
    {
        ns = ns < 0 ? 0 : ns;
        int i = 0;
        while (i < int(BoundsNs.size()) && ns > BoundsNs[size_t(i)])
            ++i;
        ++m_counts[size_t(i)];
        ++m_count;
        m_sumNs += ns;
    }

    // Per bucket, not cumulative: counts()[i] observations fell in (BoundsNs[i-1], BoundsNs[i]].
    const std::array<quint64, BucketCount> &counts() const { return m_counts; }
    quint64 count() const { return m_count; }
    qint64 sumNs() const { return m_sumNs; }

private:
    std::array<quint64, BucketCount> m_counts{};
    quint64 m_count = 0;
    qint64 m_sumNs = 0;
};
