// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

// A token bucket of `burst` tokens refilled at `rate` per second, kept in exact integer time as
// the generic cell rate algorithm does (no drift from adding fractions). Time is passed in
// (nanoseconds on any monotonic clock) so it costs no syscall of its own and tests can drive it.
// A rate of 0 means unlimited.
class TokenBucket
{
public:
    TokenBucket(double ratePerSecond, double burst, qint64 nowNs);

    bool tryTake(qint64 nowNs);
    double available(qint64 nowNs) const;
    bool isUnlimited() const { return m_intervalNs <= 0; }

private:
    qint64 m_intervalNs;  // one token per interval
    qint64 m_toleranceNs; // (burst - 1) intervals
    qint64 m_burst;
    qint64 m_theoreticalNs; // when the bucket would be full again at the sustained rate
};
