#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds, and runs the main job: switchboard-relay in the foreground.
# Arguments go to switchboard-relay (try --help). With no Redis configured (REDIS_URL, REDIS_HOST,
# --redis) and none on localhost:6379, it runs as a single instance on an in-process bus.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
exec "$root/build/release/app/relay/switchboard-relay" "$@"
