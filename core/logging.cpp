// SPDX-License-Identifier: MIT
#include "logging.h"

Q_LOGGING_CATEGORY(lcRedis, "switchboard.redis", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBus, "switchboard.bus", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelay, "switchboard.relay", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConsole, "switchboard.console", QtInfoMsg)
