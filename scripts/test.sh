#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds with -Werror, runs every test; then does it again in an
# AddressSanitizer + UndefinedBehaviorSanitizer build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/bootstrap.sh"

echo "== build (-Werror) and test"
"$root/scripts/build.sh" "$root/build/werror" -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$root/build/werror" && ctest --output-on-failure -j2)

echo "== build (ASan + UBSan) and test"
"$root/scripts/build.sh" "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DSWITCHBOARD_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$root/scripts/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$root/build/asan" && ctest --output-on-failure -j2)

echo "== fuzz (clang libFuzzer, ASan + UBSan, bounded time per target)"
"$root/scripts/fuzz.sh" "${SWITCHBOARD_FUZZ_SECONDS:-30}"
echo "== all tests passed (release -Werror, ASan+UBSan, fuzzers)"
