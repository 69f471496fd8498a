#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds, and runs the main job: the operator console with the embedded
# relay on port 3000 and simulated clients chatting through it, on REDIS_URL or localhost:6379 -
# or, when nothing answers there, on a private redis-server that lives as long as the console.
# Arguments go to the console (try --help). With no display it says so and runs the headless
# relay, switchboard-relay, instead (arguments then go to the relay).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  echo "run: no display (DISPLAY and WAYLAND_DISPLAY are unset), so no console: starting the headless relay," \
       "switchboard-relay, instead. For the console, run this from a desktop session or under xvfb-run." >&2
  exec "$root/build/release/app/relay/switchboard-relay" "$@"
fi
exec "$root/build/release/app/console/switchboard" --private-redis --relay-port 3000 --simulate 24 --tap '*' "$@"
