#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates docs/screenshots/: the console under Xvfb with a private redis-server, the embedded
# relay and simulated clients, in the light and the dark theme and in German.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
out=$root/docs/screenshots
mkdir -p "$out"
shot() { # shot <name> <theme> <language>
  local settings
  settings=$(mktemp --suffix=.ini)
  printf '[ui]\ntheme=%s\nlanguage=%s\n[audit]\npath=%s\n' "$2" "$3" "${settings%.ini}-audit.ndjson" >"$settings"
  xvfb-run -a -s "-screen 0 1600x1000x24" "$root/build/release/app/console/switchboard" \
    --settings "$settings" --no-keychain --private-redis --relay-port 0 --simulate 30 --tap '*' \
    --screenshot "$out/$1.png" --screenshot-delay "${SCREENSHOT_DELAY:-25}" >/dev/null 2>&1
  rm -f "$settings" "${settings%.ini}-audit.ndjson"
  echo "screenshots: $out/$1.png"
}
shot console light en
shot console-dark dark en
shot console-de light de

# The fleet view: three switchboard-relay processes with clients chatting (scripts/fleet.sh) and the
# console's embedded relay, all on one private redis-server.
fleet_shot() { # fleet_shot <name> <dock>
  local log settings redis_url
  log=$(mktemp)
  "$root/scripts/fleet.sh" --build "$root/build/release" --relays 3 --clients 90 --rate 60 >"$log" 2>&1 &
  local fleet=$!
  for _ in $(seq 100); do grep -q '^relay-3 ' "$log" && break; sleep 0.1; done
  redis_url=$(sed -n 's/^REDIS_URL=//p' "$log")
  settings=$(mktemp --suffix=.ini)
  printf '[ui]\ntheme=light\nlanguage=en\n[audit]\npath=%s\n' "${settings%.ini}-audit.ndjson" >"$settings"
  REDIS_URL=$redis_url xvfb-run -a -s "-screen 0 1600x1000x24" "$root/build/release/app/console/switchboard" \
    --settings "$settings" --no-keychain --relay-port 0 --simulate 30 --show "$2" \
    --screenshot "$out/$1.png" --screenshot-delay "${SCREENSHOT_DELAY:-25}" >/dev/null 2>&1
  kill "$fleet" 2>/dev/null || true
  wait "$fleet" 2>/dev/null || true
  rm -f "$log" "$settings" "${settings%.ini}-audit.ndjson"
  echo "screenshots: $out/$1.png"
}
fleet_shot fleet fleet
