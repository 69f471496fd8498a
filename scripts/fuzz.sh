#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh [seconds]: builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for
# a bounded time (default 60 s) from the committed seed corpus. New inputs go to a scratch copy;
# a crash leaves its reproducer in build/fuzz/artifacts and fails the script.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
dir=$root/build/fuzz
if [[ ! -f $dir/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSWITCHBOARD_FUZZ=ON -DSWITCHBOARD_BUILD_TESTS=OFF -DSWITCHBOARD_WERROR=ON >/dev/null
fi
cmake --build "$dir" --target fuzz_relayprotocol fuzz_websocket fuzz_resp -j"${SWITCHBOARD_JOBS:-$(nproc)}"
mkdir -p "$dir/artifacts"
for target in relayprotocol websocket resp; do
  scratch=$(mktemp -d)
  cp "$root/fuzz/corpus/$target/"* "$scratch/"
  echo "fuzz: $target for ${seconds}s"
  status=0
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$dir/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$target-" "$scratch" >"$dir/$target.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY)' "$dir/$target.log" || true
  rm -rf "$scratch"
  [[ $status -eq 0 ]] || tail -40 "$dir/$target.log" >&2
  if [[ $status -ne 0 ]]; then
    echo "fuzz: $target failed (status $status); reproducer in $dir/artifacts" >&2
    exit 1
  fi
done
echo "fuzz: clean"
