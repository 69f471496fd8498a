// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>

// Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] where
// d = min(initial * 2^n, cap). Starts near 50 ms and caps at 2 s by default, like the seed's
// retryStrategy, but spreads a fleet's reconnects instead of synchronising them.
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(std::chrono::milliseconds initial = std::chrono::milliseconds(50),
                              std::chrono::milliseconds cap = std::chrono::milliseconds(2000));

    std::chrono::milliseconds next();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

    // The deterministic upper bound of the delay for a given attempt (before jitter).
    std::chrono::milliseconds ceilingFor(int attempt) const;

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_cap;
    int m_attempt = 0;
};
