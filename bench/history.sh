#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# History's cost and recovery time (bench/history.py) in one command: installs what is missing, builds
# the relay and the load generator in release, installs the baseline's npm packages, runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
if [[ ! -d $root/bench/baseline/node_modules/ws ]]; then
  (cd "$root/bench/baseline" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$root/bench/results"
exec python3 "$root/bench/history.py" --build "$root/build/release" \
  --json "$root/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)-history.json" "$@"
