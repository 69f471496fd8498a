// SPDX-License-Identifier: MIT
#include "relaystatecommandline.h"

#include "optionreaders.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

void RelayStateCommandLine::addTo(QCommandLineParser *parser) const
{
    parser->addOptions({m_sessions, m_sessionTtl});
}

bool RelayStateCommandLine::read(const QCommandLineParser &parser, RelayServerOptions *options,
                                 QString *error) const
{
    RelaySessionOptions &sessions = options->sessions;
    sessions.enabled = sessions.enabled || parser.isSet(m_sessions);
    if (!OptionReaders::readInto(parser, m_sessionTtl, 1, 30 * 86400, false, &sessions.ttl, error))
        return false;
    if (parser.isSet(m_sessionTtl) && !sessions.enabled) {
        *error = u"--session-ttl needs sessions: add --sessions (or --history-size)"_s;
        return false;
    }
    return true;
}
