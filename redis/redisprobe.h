// SPDX-License-Identifier: MIT
#pragma once

#include "redisurl.h"

#include <QObject>

#include <chrono>
#include <functional>

// One-shot reachability check: connect, PING, INFO server, disconnect. Never retries.
class RedisProbe
{
public:
    struct Result
    {
        bool reachable = false;
        QString error;         // why not, when unreachable
        QString serverVersion; // redis_version from INFO
    };
    using Callback = std::function<void(const Result &)>;

    // Runs asynchronously; callback runs on the event loop unless context dies first.
    static void probe(const RedisUrl &url, std::chrono::milliseconds timeout, QObject *context,
                      Callback callback);
};
