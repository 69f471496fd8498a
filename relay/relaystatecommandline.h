// SPDX-License-Identifier: MIT
#pragma once

#include "relayoptions.h"

#include <QCommandLineOption>

class QCommandLineParser;

// switchboard-relay's options for what a relay keeps beside Pub/Sub: sessions (and the history
// and presence that go with them), read into RelayServerOptions with specific errors.
class RelayStateCommandLine
{
public:
    void addTo(QCommandLineParser *parser) const;
    bool read(const QCommandLineParser &parser, RelayServerOptions *options, QString *error) const;

private:
    const QCommandLineOption m_sessions{
        QStringLiteral("sessions"),
        QStringLiteral(
            "Give every connection a session (named in its joined frames, kept in Redis) that a "
            "resume on any relay of the fleet gets back with its rooms (on with --history-size).")};
    const QCommandLineOption m_sessionTtl{
        QStringLiteral("session-ttl"),
        QStringLiteral("Seconds a session is kept after its connection ends (default 300)."),
        QStringLiteral("seconds")};
};
