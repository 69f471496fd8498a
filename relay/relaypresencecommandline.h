// SPDX-License-Identifier: MIT
#pragma once

#include "relayoptions.h"

#include <QCommandLineOption>

class QCommandLineParser;

// switchboard-relay's presence options (docs/protocol.md, "Presence"), read into
// RelayServerOptions::presence with specific errors.
class RelayPresenceCommandLine
{
public:
    void addTo(QCommandLineParser *parser) const;
    bool read(const QCommandLineParser &parser, RelayServerOptions *options, QString *error) const;

private:
    const QCommandLineOption m_presence{
        QStringLiteral("presence"),
        QStringLiteral("Keep who is in each room in Redis, across the fleet, for presence frames.")};
    const QCommandLineOption m_events{
        QStringLiteral("presence-events"),
        QStringLiteral(
            "Send presence_join / presence_leave frames to a room's members (implies --presence).")};
    const QCommandLineOption m_eventsRate{
        QStringLiteral("presence-events-rate"),
        QStringLiteral(
            "Presence events this relay sends per room and second; the excess is dropped (default 50)."),
        QStringLiteral("n")};
    const QCommandLineOption m_ttl{
        QStringLiteral("presence-ttl"),
        QStringLiteral("Seconds after which a dead relay's members are gone (default 30, at least 3)."),
        QStringLiteral("seconds")};
    const QCommandLineOption m_maxMembers{
        QStringLiteral("presence-max-members"),
        QStringLiteral(
            "Members listed in one presence answer; a larger room's says truncated (default 1000)."),
        QStringLiteral("n")};
};
