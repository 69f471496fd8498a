#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Console at scale (issue 14, item 6): switchboard-consolebench --mode channels-scale for each channel
count and each build, alternating builds per repeat, each run on its own fresh redis-server (free
loopback port, no persistence, pubsub output buffers unlimited). Prints a Markdown table and writes
the raw JSON lines.

Usage: bench/consolescale.py --build new=build/dev --build old=/tmp/scale-base/build/base
                             [--channels 100000,1000000] [--repeats 2] [--rounds 2] [--churn 2000]
                             [--json out.json]
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(directory):
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", directory, "--loglevel", "warning", "--maxclients", "1000",
         "--client-output-buffer-limit", "pubsub 0 0 0"], stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("redis-server did not start")


def run(build, channels, rounds, churn, on_cluster=False):
    with tempfile.TemporaryDirectory() as d:
        cluster = None
        if on_cluster:
            # A 3-primary Redis Cluster (bench/cluster.py's), the subscribers spread over its nodes.
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import cluster as cluster_mod  # noqa: E402
            cluster = cluster_mod.Cluster(3, ["--maxclients", "1000", "--client-output-buffer-limit", "pubsub 0 0 0"])
            proc, port = None, cluster.ports[0]
        else:
            proc, port = start_redis(d)
        try:
            cmd = [os.path.join(build, "bench/switchboard-consolebench"), "--mode", "channels-scale",
                   "--redis-port", str(port), "--channels", str(channels), "--rounds", str(rounds),
                   "--churn", str(churn)]
            if cluster:
                cmd += ["--cluster-ports", ",".join(str(p) for p in cluster.ports)]
            env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
            load = os.getloadavg()[0]
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, env=env)
            lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
            if out.returncode != 0 or not lines:
                sys.stderr.write(out.stderr[-2000:])
                return {"failed": out.returncode, "channels": channels, "load_before": load}
            r = json.loads(lines[-1])
            r["load_before"] = load
            r["load_after"] = os.getloadavg()[0]
            return r
        finally:
            if cluster:
                cluster.stop()
            else:
                proc.terminate()
                proc.wait()


def worst(rounds, key):
    return max((r[key] for r in rounds), default=0)


def row(name, r):
    if "failed" in r:
        return f"| {name} | failed ({r['failed']}) |" + " |" * 7
    f, w, c = r["first"], r["warm"], r["churned"]
    flt = r["filter"]
    return (f"| {name} | {f['rows_ms']:,} ms, lag p50/p99/max {f['p50_ms']:g}/{f['p99_ms']:g}/{f['max_ms']:g} "
            f"| {worst(w, 'rows_ms'):,} ms, p99 {worst(w, 'p99_ms'):g}, max {worst(w, 'max_ms'):g} "
            f"| {worst(c, 'rows_ms'):,} ms, p99 {worst(c, 'p99_ms'):g}, max {worst(c, 'max_ms'):g} "
            f"| {' / '.join(str(flt[k]['set_text_ms']) for k in ('room:12345', 'room:5*', '(cleared)'))} ms "
            f"| {r['rss_end_kib'] // 1024:,} MiB (peak {r['rss_peak_kib'] // 1024:,}), "
            f"{r['rss_per_channel_bytes']:.0f} B/channel | {r['load_before']:.1f} / {r['load_after']:.1f} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", action="append", required=True, help="name=build dir (repeatable)")
    ap.add_argument("--channels", default="100000,1000000")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--churn", type=int, default=2000)
    ap.add_argument("--cluster", action="store_true", help="on a 3-primary Redis Cluster instead of one server")
    ap.add_argument("--json", default="")
    args = ap.parse_args()
    builds = [b.split("=", 1) for b in args.build]
    results = []
    for channels in [int(c) for c in args.channels.split(",")]:
        for rep in range(args.repeats):
            order = builds if rep % 2 == 0 else list(reversed(builds))
            for name, build in order:
                r = run(build, channels, args.rounds, args.churn, args.cluster)
                r["build"] = name
                r["repeat"] = rep + 1
                results.append(r)
                sys.stderr.write(f"{name} {channels} #{rep + 1}: {json.dumps(r)}\n")
                if args.json:
                    with open(args.json, "w") as f:
                        json.dump(results, f, indent=1)
    print("| run | first refresh: time to rows, lag (ms) | warm unchanged (worst round) | churned (worst round) "
          "| filter: substring / glob / clear | RSS end, per channel | load avg before / after |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(row(f"{r['build']} {r['channels']:,} #{r['repeat']}", r))


if __name__ == "__main__":
    main()
