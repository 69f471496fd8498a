// SPDX-License-Identifier: MIT
#pragma once

#include "relayoptions.h"

#include <QCommandLineOption>

class QCommandLineParser;

// switchboard-relay's --demo-page: the development page (DemoPage) on the relay's own port, off by
// default.
class DemoPageCommandLine
{
public:
    void addTo(QCommandLineParser *parser) const;
    void read(const QCommandLineParser &parser, RelayServerOptions *options) const;

private:
    const QCommandLineOption m_demoPage{
        QStringLiteral("demo-page"),
        QStringLiteral("Serve a development page at / (GET http://<host>:<port>/ in a browser) where a "
                       "developer joins rooms and chats. For development only; off by default.")};
};
