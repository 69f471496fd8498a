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
    const QCommandLineOption m_historySize{
        QStringLiteral("history-size"),
        QStringLiteral("Keep the last <n> messages of every room in a Redis stream and give each message an "
                       "\"offset\"; a join with \"since\" recovers what came after it (default 0: off; "
                       "turns sessions on)."),
        QStringLiteral("n")};
    const QCommandLineOption m_historyTtl{
        QStringLiteral("history-ttl"),
        QStringLiteral("Seconds a room's history is kept after its last message (default 0: as long as "
                       "Redis keeps it)."),
        QStringLiteral("seconds")};
    const QCommandLineOption m_sessionTtl{
        QStringLiteral("session-ttl"),
        QStringLiteral("Seconds a session is kept after its connection ends (default 300)."),
        QStringLiteral("seconds")};
};
