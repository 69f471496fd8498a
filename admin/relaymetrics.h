// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

class RelayServer;

// A relay's numbers as Prometheus metrics (docs/metrics.md lists every one): RelayStats, the
// server's gauges and, on a Redis bus, RedisBusStats and the outage queue. Everything is read
// when asked; nothing is kept here.
class RelayMetrics
{
public:
    static QByteArray render(const RelayServer &server);
};
