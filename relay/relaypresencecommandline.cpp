// SPDX-License-Identifier: MIT
#include "relaypresencecommandline.h"

#include "optionreaders.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

void RelayPresenceCommandLine::addTo(QCommandLineParser *parser) const
{
    parser->addOptions({m_presence, m_events, m_eventsRate, m_ttl, m_maxMembers});
}

bool RelayPresenceCommandLine::read(const QCommandLineParser &parser, RelayServerOptions *options,
                                    QString *error) const
{
    RelayPresenceOptions &presence = options->presence;
    presence.events = presence.events || parser.isSet(m_events);
    presence.enabled = presence.enabled || presence.events || parser.isSet(m_presence);
    if (!OptionReaders::readInto(parser, m_eventsRate, 1, 100000, false, &presence.eventsPerSecond, error) ||
        !OptionReaders::readInto(parser, m_ttl, 3, 86400, false, &presence.ttl, error) ||
        !OptionReaders::readInto(parser, m_maxMembers, 1, 100000, false, &presence.maxMembers, error))
        return false;
    if (parser.isSet(m_eventsRate) && !presence.events) {
        *error = u"--presence-events-rate needs --presence-events"_s;
        return false;
    }
    for (const QCommandLineOption *option : {&m_ttl, &m_maxMembers}) {
        if (parser.isSet(*option) && !presence.enabled) {
            *error =
                u"--%1 needs presence: add --presence (or --presence-events)"_s.arg(option->names().first());
            return false;
        }
    }
    return true;
}
