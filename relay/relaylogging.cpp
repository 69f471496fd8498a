// SPDX-License-Identifier: MIT
#include "relaylogging.h"

Q_LOGGING_CATEGORY(lcBus, "switchboard.bus", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRelay, "switchboard.relay", QtInfoMsg)
