// SPDX-License-Identifier: MIT
#pragma once

#include "admincommandline.h"
#include "redisbus.h"
#include "redisurl.h"
#include "relayserver.h"

#include <QProcessEnvironment>
#include <QStringList>

#include <chrono>

// switchboard-relay's options (QCommandLineParser), with the seed's environment variables.
struct RelayCommandLine
{
    enum class Outcome { Run, Help, Version, Error };
    enum class BusMode {
        Auto,     // Redis if configured or reachable on localhost, else the in-process bus
        Redis,    // configured explicitly: an outage is an outage, never a fallback
        InProcess // --in-process
    };

    enum class EventLoop {
        Epoll, // EpollEventDispatcher (default)
        Qt     // Qt's own dispatcher (ppoll over every socket each turn)
    };

    Outcome outcome = Outcome::Run;
    QString message; // help text, version, or the error
    RelayServerOptions server;
    BusMode busMode = BusMode::Auto;
    RedisUrl redis;
    bool verbose = false;
    EventLoop eventLoop = EventLoop::Epoll;
    // Period of the switchboard:relays heartbeat (RelayStatsPublisher); 0 = off.
    std::chrono::milliseconds statsInterval{2000};
    RedisBusOptions outage;
    // For every Redis connection of the relay (RedisConnectionOptions::heartbeat).
    RedisHeartbeatOptions redisHeartbeat;
    RelayAdminOptions admin;

    static RelayCommandLine parse(const QStringList &arguments, const QProcessEnvironment &env);
    // The dispatcher is installed before the application (and this parser) exists: a look at argv
    // for --event-loop qt only; parse() validates the option.
    static EventLoop eventLoopBeforeParsing(int argc, const char *const *argv);
};
