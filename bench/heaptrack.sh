#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# heaptrack.sh <build dir> [connections] [rounds]: switchboard-relay under heaptrack (Debian's package:
# apt-get install heaptrack) with <connections> idle joined clients (default 10,000, in 100 rooms) through
# <rounds> heartbeat rounds (default 5; one ping every HEARTBEAT_S seconds, default 2, each answered by
# switchboard-loadgen), then heaptrack_print's summary: peak heap, peak RSS, leaked, and the top
# allocators by peak and by calls. One relay on a private redis-server on a free loopback port. The
# relay's RSS (VmRSS, heaptrack's own bookkeeping included) is printed after the joins and after the
# rounds. The data file stays in the printed directory (heaptrack_gui or heaptrack_print can open it).
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 <build dir> [connections] [rounds]" >&2; exit 2; }
build=$(cd "$1" && pwd)
n=${2:-10000}
rounds=${3:-5}
interval=${HEARTBEAT_S:-2}
command -v heaptrack >/dev/null || { echo "heaptrack missing: apt-get install heaptrack" >&2; exit 2; }
relay=$build/app/relay/switchboard-relay
loadgen=$build/bench/switchboard-loadgen
[[ -x $relay && -x $loadgen ]] || { echo "build switchboard-relay and switchboard-loadgen in $build" >&2; exit 2; }
ulimit -Hn 1048576 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/sb-heaptrack-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 300); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listening on $1" >&2
  return 1
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --loglevel warning \
  >/dev/null &
pids+=($!)
wait_port "$redis_port"

port=$(free_port)
heaptrack -o "$work/relay" "$relay" --port "$port" --bind 127.0.0.1 --redis "redis://127.0.0.1:$redis_port" \
  --instance-id heaptrack --stats-interval 0 --rate-limit 0 --max-connections $((n + 100)) \
  --ping-interval "$interval" >"$work/heaptrack.log" 2>&1 &
heaptrack_pid=$!
wait_port "$port"
# heaptrack's children: the relay and its interpreter pipeline; the relay is the one running $relay.
relay_pid=$(pgrep -P "$heaptrack_pid" -f "^$relay" | head -1)
[[ -n $relay_pid ]] || { echo "relay not found under heaptrack (pid $heaptrack_pid)" >&2; exit 1; }
start_kib=$(rss_kib "$relay_pid")

"$loadgen" --url "ws://127.0.0.1:$port" --clients "$n" --rooms 100 --idle --hold 3600 >"$work/loadgen.out" &
loadgen_pid=$!
pids+=("$loadgen_pid")
# Waits until the load generator has printed $1 lines (the join line, then one per round).
wait_lines() {
  local deadline=$((SECONDS + $2))
  while (($(grep -c '^{' "$work/loadgen.out" || true) < $1)); do
    kill -0 "$loadgen_pid" 2>/dev/null || { echo "loadgen exited" >&2; return 1; }
    ((SECONDS < deadline)) || { echo "timed out waiting for line $1" >&2; cat "$work/loadgen.out" >&2; return 1; }
    sleep 0.2
  done
}
wait_lines 1 $((120 + n / 200))
joins_kib=$(rss_kib "$relay_pid")
wait_lines $((1 + rounds)) $((rounds * interval * 5 + 60))
rounds_kib=$(rss_kib "$relay_pid")
kill "$loadgen_pid"
wait "$loadgen_pid" 2>/dev/null || true
sleep 1
kill -TERM "$relay_pid"
wait "$heaptrack_pid" || true

echo "== switchboard-relay under heaptrack: $n idle joined connections, $rounds heartbeat rounds of ${interval} s"
sed 's/^/loadgen: /' "$work/loadgen.out"
per_conn() { awk -v a="$1" -v b="$start_kib" -v n="$n" 'BEGIN { printf "%.2f", (a - b) / n }'; }
echo "relay VmRSS (KiB, heaptrack included): start $start_kib, after joins $joins_kib ($(per_conn "$joins_kib") KiB/conn), after rounds $rounds_kib ($(per_conn "$rounds_kib") KiB/conn)"
data=$(ls "$work"/relay*.zst "$work"/relay*.gz 2>/dev/null | head -1 || true)
echo "data: $data"
heaptrack_print -f "$data" --print-peaks --print-allocators --print-temporary 0 --print-leaks 0 \
  --peak-limit 10 --sub-peak-limit 1 >"$work/print.txt"
# The summary (at the end) first, then the top allocators by peak and by calls; all of it in print.txt.
sed -n '/^total runtime/,$p' "$work/print.txt"
echo
sed -n '/^PEAK MEMORY CONSUMERS/,/^total runtime/p' "$work/print.txt" | sed '$d' | head -200
sed -n '/^MOST CALLS TO ALLOCATION FUNCTIONS/,/^PEAK MEMORY CONSUMERS/p' "$work/print.txt" | sed '$d' | head -80
echo "full output: $work/print.txt"
