// SPDX-License-Identifier: MIT
#include "admincommandline.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

void AdminCommandLine::addTo(QCommandLineParser *parser) const
{
    parser->addOptions({m_port, m_bind});
}

bool AdminCommandLine::read(const QCommandLineParser &parser, quint16 relayPort, RelayAdminOptions *options,
                            QString *error) const
{
    if (parser.isSet(m_bind) && !parser.isSet(m_port)) {
        *error = u"--admin-bind needs --admin-port"_s;
        return false;
    }
    if (!parser.isSet(m_port))
        return true;
    const QString text = parser.value(m_port).trimmed();
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port > 65535) {
        *error = u"--admin-port: invalid port '%1': expected 0-65535"_s.arg(text);
        return false;
    }
    if (port != 0 && port == relayPort) {
        *error =
            u"--admin-port: %1 is the WebSocket port (--port); give the admin listener its own"_s.arg(port);
        return false;
    }
    if (parser.isSet(m_bind)) {
        const QString bind = parser.value(m_bind).trimmed();
        QHostAddress address;
        if (bind == "localhost"_L1)
            address = QHostAddress(QHostAddress::LocalHost);
        else if (!address.setAddress(bind)) {
            *error = u"--admin-bind: '%1' is not an IP address (use 127.0.0.1, ::1 or 0.0.0.0)"_s.arg(bind);
            return false;
        }
        options->bindAddress = address;
    }
    options->enabled = true;
    options->port = quint16(port);
    return true;
}
