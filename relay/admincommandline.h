// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineOption>
#include <QHostAddress>

class QCommandLineParser;

// The relay's admin listener (/metrics, /healthz, /readyz; admin/AdminServer): off unless
// --admin-port is given.
struct RelayAdminOptions
{
    bool enabled = false;
    QHostAddress bindAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0; // 0: any free port
};

// switchboard-relay's --admin-port and --admin-bind, read into RelayAdminOptions with specific
// errors.
class AdminCommandLine
{
public:
    void addTo(QCommandLineParser *parser) const;
    // relayPort: the WebSocket port, which the admin port must not repeat (unless both are 0).
    bool read(const QCommandLineParser &parser, quint16 relayPort, RelayAdminOptions *options,
              QString *error) const;

private:
    const QCommandLineOption m_port{
        QStringLiteral("admin-port"),
        QStringLiteral("Serve /metrics (Prometheus), /healthz and /readyz over HTTP on this port (0 picks "
                       "a free one; default: no admin listener)."),
        QStringLiteral("port")};
    const QCommandLineOption m_bind{
        QStringLiteral("admin-bind"),
        QStringLiteral("Address of the admin listener (default 127.0.0.1; needs --admin-port)."),
        QStringLiteral("address")};
};
