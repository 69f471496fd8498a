// SPDX-License-Identifier: MIT
#include "consolelogging.h"

Q_LOGGING_CATEGORY(lcConsole, "switchboard.console", QtInfoMsg)
