// SPDX-License-Identifier: MIT
#include "demopagecommandline.h"

#include <QCommandLineParser>

void DemoPageCommandLine::addTo(QCommandLineParser *parser) const
{
    parser->addOption(m_demoPage);
}

void DemoPageCommandLine::read(const QCommandLineParser &parser, RelayServerOptions *options) const
{
    options->demoPage = options->demoPage || parser.isSet(m_demoPage);
}
