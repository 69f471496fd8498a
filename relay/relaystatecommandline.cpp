// SPDX-License-Identifier: MIT
#include "relaystatecommandline.h"

#include "optionreaders.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

void RelayStateCommandLine::addTo(QCommandLineParser *parser) const
{
    parser->addOptions({m_historySize, m_historyTtl, m_sessions, m_sessionTtl});
}

bool RelayStateCommandLine::read(const QCommandLineParser &parser, RelayServerOptions *options,
                                 QString *error) const
{
    RelayHistoryOptions &history = options->history;
    if (!OptionReaders::readInto(parser, m_historySize, 1, 1'000'000, true, &history.size, error) ||
        !OptionReaders::readInto(parser, m_historyTtl, 1, 365 * 86400, true, &history.ttl, error))
        return false;
    if (history.ttl.count() > 0 && history.size == 0) {
        *error = u"--history-ttl needs history: add --history-size"_s;
        return false;
    }
    RelaySessionOptions &sessions = options->sessions;
    sessions.enabled = sessions.enabled || parser.isSet(m_sessions) || history.size > 0;
    if (!OptionReaders::readInto(parser, m_sessionTtl, 1, 30 * 86400, false, &sessions.ttl, error))
        return false;
    if (parser.isSet(m_sessionTtl) && !sessions.enabled) {
        *error = u"--session-ttl needs sessions: add --sessions (or --history-size)"_s;
        return false;
    }
    return true;
}
