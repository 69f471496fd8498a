#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test.sh [--relay-only]: installs what is missing, builds with -Werror, runs every test; then does
# it again in an AddressSanitizer + UndefinedBehaviorSanitizer build, then runs the fuzzers.
# --relay-only: only switchboard-relay (-DSWITCHBOARD_CONSOLE=OFF: the redis, relay and admin layers,
# their tests and the interop test), built with -Werror in build/relay and tested; it installs
# only the relay's packages (scripts/bootstrap.sh --relay-only). Builds use -j$SWITCHBOARD_JOBS
# (default: the number of cores).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
relay_only=0
for arg in "$@"; do
  case $arg in
    --relay-only) relay_only=1 ;;
    -h|--help) sed -n '3,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
jobs=${SWITCHBOARD_JOBS:-$(nproc)}

if ((relay_only)); then
  "$root/scripts/bootstrap.sh" --relay-only
  echo "== relay-only build (-Werror) and test"
  "$root/scripts/build.sh" "$root/build/relay" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_CONSOLE=OFF
  (cd "$root/build/relay" && ctest --output-on-failure -j"$jobs")
  echo "== relay-only tests passed"
  exit 0
fi

"$root/scripts/bootstrap.sh"

echo "== build (-Werror) and test"
"$root/scripts/build.sh" "$root/build/werror" -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$root/build/werror" && ctest --output-on-failure -j"$jobs")

echo "== build (ASan + UBSan) and test"
"$root/scripts/build.sh" "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DSWITCHBOARD_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$root/build/asan" && ctest --output-on-failure -j"$jobs")

echo "== fuzz (clang libFuzzer, ASan + UBSan, bounded time per target)"
"$root/scripts/fuzz.sh" "${SWITCHBOARD_FUZZ_SECONDS:-30}"
echo "== all tests passed (release -Werror, ASan+UBSan, fuzzers)"
