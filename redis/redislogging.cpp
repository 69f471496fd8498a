// SPDX-License-Identifier: MIT
#include "redislogging.h"

Q_LOGGING_CATEGORY(lcRedis, "switchboard.redis", QtInfoMsg)
