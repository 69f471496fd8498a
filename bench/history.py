#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""What history costs and what recovery takes (issue 16), side by side in one run:
- fan-out (1,000 clients, 2 instances, 1 room) and client publish ingest (200 publishers, 200 rooms), each
  for Switchboard with history off, Switchboard with --history-size (every room message XADDed to its
  stream and published by one Lua script) and the seed baseline, interleaved per scenario;
- the time for a client to recover 10,000 missed messages with join "since" (bench/recover.js, Node's
  `ws`), publisher and recovering client on different relays; the seed has no history.
Prints a Markdown table and writes the raw results as JSON.

Usage: bench/history.py --build <build dir> [--quick] [--json out.json] [--history-size N]
(bench/history.sh builds what it needs first and calls this.)
"""
import argparse
import json
import os
import subprocess
import sys

from run import ROOT, Fleet, Redis, fanout, ingest, raise_file_limit


def recover(build, redis, history_size, missed, rounds):
    fleet = Fleet("switchboard", build, redis, ["--history-size", str(history_size)])
    try:
        out = subprocess.run(["node", os.path.join(ROOT, "bench/recover.js")] + fleet.urls() +
                             ["--missed", str(missed), "--rounds", str(rounds)],
                             capture_output=True, text=True, timeout=600)
    finally:
        fleet.stop()
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"recover.js failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(lines[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", default="")
    ap.add_argument("--history-size", type=int, default=1000)
    ap.add_argument("--missed", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    raise_file_limit()
    variants = [("history off", "switchboard", []),
                (f"history on ({a.history_size})", "switchboard", ["--history-size", str(a.history_size)]),
                ("seed baseline", "baseline", [])]
    redis = Redis()
    results = {}
    try:
        for name, fn in (("fanout", fanout), ("ingest", ingest)):
            results[name] = {}
            for label, impl, args in variants:
                fleet = Fleet(impl, a.build, redis, args)
                try:
                    results[name][label] = fn(a.build, fleet, a.quick)
                except Exception as e:  # reported, not hidden
                    results[name][label] = {"value": None, "error": str(e)}
                finally:
                    fleet.stop()
                print(f"{name} {label}: {json.dumps(results[name][label])}", file=sys.stderr, flush=True)
        try:
            results["recover"] = recover(a.build, redis, max(a.missed * 2, a.history_size), a.missed,
                                         2 if a.quick else a.rounds)
        except Exception as e:
            results["recover"] = {"error": str(e)}
        print(f"recover: {json.dumps(results['recover'])}", file=sys.stderr, flush=True)
    finally:
        redis.stop()

    labels = [v[0] for v in variants]
    print("| scenario | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for name, title in (("fanout", "fan-out, deliveries/s (p99 < 50 ms, no loss)"),
                        ("ingest", "ingest, publishes/s (p99 < 50 ms, no loss)")):
        cells = []
        for label in labels:
            r = results[name][label]
            cells.append("error: " + r["error"] if r.get("error") else
                         f"{r['value']:,.0f} (p99 {r.get('p99_ms', 0):.1f} ms)")
        print(f"| {title} | " + " | ".join(cells) + " |")
    rec = results["recover"]
    if rec.get("error"):
        cell = "error: " + rec["error"]
    else:
        per_s = sorted(r["perSecond"] for r in rec["rounds"])[len(rec["rounds"]) // 2]
        cell = (f"median {rec['medianTotalMs']:.0f} ms, max {rec['maxTotalMs']:.0f} ms "
                f"({per_s:,.0f} messages/s)")
    print(f"| recover {a.missed:,} missed messages (join since -> last one) | n/a | {cell} | n/a (no history) |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
