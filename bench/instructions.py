#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Instructions per delivery: an A/B of relay builds that does not depend on how busy the machine is.

Wall-clock scenarios (bench/run.py) on a shared 2-core machine scatter by a factor of 2 and more; the
number of instructions a relay executes for the same work does not. Each build's switchboard-relay
runs under `valgrind --tool=callgrind` (user-space instructions, Ir) on a private redis-server, while
switchboard-loadgen puts --clients clients in one room on it and --publishers of them send --rate
messages/s in all. Every run is made twice, for --short and --long seconds: the difference divided by
the extra deliveries is the cost of one delivery on the relay's full path (frame in, PUBLISH, the
subscriber's message, one frame out to each member), with start-up, joins and shutdown cancelled out.
Builds are interleaved over --rounds rounds.

Usage: bench/instructions.py --build before=<dir> --build after=<dir> [--clients 1000] [--publishers 10]
                             [--rate 5] [--short 4] [--long 12] [--rounds 2] [--json out.json]
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (free_port, wait_port, Redis, loadgen_once)


def callgrind_ir(path):
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {path}")


def one_run(build, loadgen_build, redis_port, a, duration):
    port = run.free_port()
    out = tempfile.NamedTemporaryFile(prefix="sb-callgrind-", delete=False).name
    relay = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
         os.path.join(build, "app/relay/switchboard-relay"), "--port", str(port), "--bind", "127.0.0.1",
         "--redis", f"redis://127.0.0.1:{redis_port}", "--instance-id", "ir", "--stats-interval", "0",
         "--rate-limit", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        run.wait_port(port, relay, timeout=60)
        cmd = [os.path.join(loadgen_build, "bench/switchboard-loadgen"), "--url", f"ws://127.0.0.1:{port}",
               "--clients", str(a.clients), "--rooms", "1", "--publishers", str(a.publishers), "--rate",
               str(a.rate), "--duration", str(duration), "--drain", "10", "--size", "100"]
        r = json.loads(subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True).stdout)
    finally:
        relay.send_signal(signal.SIGTERM)
        relay.wait(timeout=120)
    ir = callgrind_ir(out)
    os.unlink(out)
    return {"duration": duration, "ir": ir, "received": r["received"], "published": r["published"],
            "lost": r["lost"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", required=True, help="label=<build dir>, repeatable")
    ap.add_argument("--loadgen", default="", help="build dir whose switchboard-loadgen to use (default: the first)")
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--publishers", type=int, default=10)
    ap.add_argument("--rate", type=float, default=5)
    ap.add_argument("--short", type=float, default=4)
    ap.add_argument("--long", type=float, default=12)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    builds = [b.split("=", 1) for b in a.build]
    loadgen_build = a.loadgen or builds[0][1]
    redis = run.Redis()
    results = {label: [] for label, _ in builds}
    try:
        for round_ in range(a.rounds):
            for label, build in builds:
                short = one_run(build, loadgen_build, redis.port, a, a.short)
                long_ = one_run(build, loadgen_build, redis.port, a, a.long)
                extra = long_["received"] - short["received"]
                per = (long_["ir"] - short["ir"]) / extra if extra > 0 else float("nan")
                results[label].append({"short": short, "long": long_, "ir_per_delivery": per})
                print(f"round {round_ + 1} {label}: {per:.0f} Ir per delivery "
                      f"({short['received']} / {long_['received']} deliveries)", file=sys.stderr, flush=True)
    finally:
        redis.stop()
    print(f"{a.clients:,} clients in one room on one relay under callgrind, {a.publishers} publishers, "
          f"{a.rate:g} msg/s, runs of {a.short:g} s and {a.long:g} s; {a.rounds} interleaved rounds\n")
    print("| build | Ir per delivery (each round) | lost |")
    print("|---|---|---|")
    for label, runs in results.items():
        per = ", ".join(f"{r['ir_per_delivery']:.0f}" for r in runs)
        lost = sum(r["short"]["lost"] + r["long"]["lost"] for r in runs)
        print(f"| {label} | {per} | {lost} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"args": vars(a), "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
