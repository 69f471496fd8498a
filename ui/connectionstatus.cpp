// SPDX-License-Identifier: MIT
#include "connectionstatus.h"

#include "connectioncontroller.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QString connectionStateHtml(const ConnectionController *connection)
{
    QString color = u"#8c959f"_s;
    QString text;
    switch (connection->state()) {
    case RedisConnection::State::Ready:
        color = u"#1a7f37"_s;
        text = QCoreApplication::translate("MainWindow", "Connected to %1").arg(connection->profile().name);
        break;
    case RedisConnection::State::Connecting:
        color = u"#bf8700"_s;
        text = QCoreApplication::translate("MainWindow", "Connecting to %1…").arg(connection->profile().name);
        break;
    case RedisConnection::State::Reconnecting:
        color = u"#d1242f"_s;
        text = QCoreApplication::translate("MainWindow", "Reconnecting to %1: %2")
                   .arg(connection->profile().name, connection->lastError());
        break;
    case RedisConnection::State::Disconnected:
    case RedisConnection::State::Closed:
        text =
            connection->isConnected() && !connection->lastError().isEmpty()
                ? QCoreApplication::translate("MainWindow", "Disconnected: %1").arg(connection->lastError())
                : QCoreApplication::translate("MainWindow", "Not connected");
        break;
    }
    return u"<span style=\"color:%1\">●</span> %2"_s.arg(color, text.toHtmlEscaped());
}
