// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

class ConnectionController;

// The status bar's connection state: a colored dot and "Connected to <profile>", "Reconnecting to
// <profile>: <error>", ... as rich text (translated in the MainWindow context).
QString connectionStateHtml(const ConnectionController *connection);
