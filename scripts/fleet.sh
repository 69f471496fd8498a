#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fleet.sh [--relays N] [--clients N] [--rate msgs/s] [--build DIR] [--redis URL]: a local fleet for
# development and for the console's fleet view. Starts a private redis-server on a free loopback port
# (unless --redis), N switchboard-relay processes on free ports with a 1 s stats heartbeat, and
# switchboard-loadgen clients chatting through all of them. Prints REDIS_URL=... and the relays' URLs,
# then runs until Ctrl+C (or SIGTERM), which stops everything it started.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
relays=3 clients=60 rate=40 build=$root/build/werror redis_url=""
while (($#)); do
  case $1 in
    --relays) relays=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --redis) redis_url=$2; shift 2 ;;
    -h|--help) sed -n '3,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ $relays =~ ^[1-9][0-9]?$ ]] || { echo "fleet: --relays needs 1-99" >&2; exit 2; }
relay=$build/app/relay/switchboard-relay
loadgen=$build/bench/switchboard-loadgen
[[ -x $relay ]] || { echo "fleet: $relay not built (scripts/build.sh $build)" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

if [[ -z $redis_url ]]; then
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_url=redis://127.0.0.1:$port
fi
echo "REDIS_URL=$redis_url"

urls=()
for i in $(seq "$relays"); do
  p=$(free_port)
  "$relay" --port "$p" --bind 127.0.0.1 --redis "$redis_url" --instance-id "relay-$i" --stats-interval 1 \
    --advertise-url "ws://127.0.0.1:$p" >"$work/relay-$i.log" 2>&1 &
  pids+=($!)
  urls+=("ws://127.0.0.1:$p")
  echo "relay-$i ws://127.0.0.1:$p"
done
sleep 1
if [[ -x $loadgen ]] && ((clients > 0)); then
  args=()
  for u in "${urls[@]}"; do args+=(--url "$u"); done
  "$loadgen" "${args[@]}" --clients "$clients" --rooms 6 --publishers $((clients / 6 + 1)) --rate "$rate" \
    --duration 3600 --size 120 >"$work/loadgen.log" 2>&1 &
  pids+=($!)
fi
wait
