#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The benchmark in one command: installs what is missing, builds every target in release (the relay,
# the load generator, the console benchmark), installs the seed baseline's npm packages, and runs every
# scenario (relay: against both implementations; console: Switchboard only) on one private
# redis-server. Arguments go to bench/run.py (--quick, --only). bench/history.sh runs
# bench/history.py the same way (--script <file in bench/> --suffix <results file suffix> first).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"
"$root/scripts/build.sh" "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_BUILD_TESTS=OFF >/dev/null
if [[ ! -d $root/bench/baseline/node_modules/ws ]]; then
  (cd "$root/bench/baseline" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
script=run.py
suffix=
if [[ ${1:-} == --script ]]; then
  script=$2
  shift 2
fi
if [[ ${1:-} == --suffix ]]; then
  suffix=$2
  shift 2
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
mkdir -p "$root/bench/results"
exec python3 "$root/bench/$script" --build "$root/build/release" \
  --json "$root/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ)$suffix.json" "$@"
