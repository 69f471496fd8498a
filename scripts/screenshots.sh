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
