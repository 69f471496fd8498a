#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Relays on a Redis Cluster: sharded vs classic Pub/Sub, and where Redis's CPU goes.

Starts a private 3-primary Redis Cluster on free loopback ports (no replicas: a replica would add
its own copy of every classic message and blur the per-shard picture), then runs the same load
three times, interleaved over --rounds rounds:
  - Switchboard, --cluster-pubsub sharded (SPUBLISH / SSUBSCRIBE on each room's shard)
  - Switchboard, --cluster-pubsub classic (PUBLISH / SUBSCRIBE: Redis copies every message to
    every node over the cluster bus)
  - the seed's Node.js server (bench/baseline), which knows nothing of Clusters: classic Pub/Sub
    through one node
Load: --clients clients over two instances in --rooms rooms, one publisher per room, --rate
messages/s in all (switchboard-loadgen). Per node it reads the CPU seconds redis-server used
from /proc/<pid>/stat during the run. Prints a Markdown table and writes JSON.

Usage: bench/cluster.py --build <build dir> [--rooms 300] [--clients 3000] [--rate 3000]
                        [--duration 10] [--rounds 2] [--json out.json]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (free_port, wait_port, cpu_s, Fleet, loadgen_once)


class Cluster:
    """Three primaries, every slot assigned, on free loopback ports."""

    def __init__(self, primaries=3, extra=()):
        self.dir = tempfile.mkdtemp(prefix="sb-bench-cluster-")
        self.ports = [run.free_port() for _ in range(primaries)]
        self.procs = []
        for port in self.ports:
            node_dir = os.path.join(self.dir, str(port))
            os.makedirs(node_dir)
            self.procs.append(subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                 "--cluster-config-file", os.path.join(node_dir, "nodes.conf"), "--save", "", "--appendonly",
                 "no", "--dir", node_dir, "--loglevel", "warning", "--cluster-node-timeout", "5000",
                 # A free port of its own: the default (port + 10000) is past 65535 for high ports.
                 "--cluster-port", str(run.free_port())] + list(extra),
                stdout=subprocess.DEVNULL))
        for port, proc in zip(self.ports, self.procs):
            run.wait_port(port, proc)
        subprocess.run(["redis-cli", "--cluster", "create"] + [f"127.0.0.1:{p}" for p in self.ports] +
                       ["--cluster-replicas", "0", "--cluster-yes"], check=True, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            states = [subprocess.run(["redis-cli", "-p", str(p), "cluster", "info"], capture_output=True,
                                     text=True).stdout for p in self.ports]
            if all("cluster_state:ok" in s for s in states):
                return
            time.sleep(0.2)
        raise RuntimeError("the cluster did not reach cluster_state:ok")

    def url(self):
        return "redis-cluster://" + ",".join(f"127.0.0.1:{p}" for p in self.ports)

    def cpu(self):
        return [run.cpu_s(p.pid) for p in self.procs]

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class FirstNode:
    """What run.Fleet reads of its Redis: the seed connects to the Cluster's first node."""

    def __init__(self, cluster):
        self.port = cluster.ports[0]
        self.proc = cluster.procs[0]


def measure(build, cluster, impl, pubsub, a):
    args = ["--cluster-pubsub", pubsub] if impl == "switchboard" else []
    fleet = run.Fleet(impl, build, FirstNode(cluster), args, redis_url=cluster.url())
    try:
        before = cluster.cpu()
        start = time.monotonic()
        r = run.loadgen_once(build, fleet, ["--clients", a.clients, "--rooms", a.rooms, "--publishers", a.rooms,
                                            "--rate", a.rate, "--duration", a.duration, "--size", 100,
                                            "--drain", 5], timeout=600)
        wall = time.monotonic() - start
        r["redis_node_cpu_pct"] = [round(100.0 * (c1 - c0) / wall, 1) for c0, c1 in zip(before, cluster.cpu())]
        return r
    finally:
        fleet.stop()


VARIANTS = [("switchboard", "sharded", "Switchboard, sharded (SPUBLISH)"),
            ("switchboard", "classic", "Switchboard, classic (PUBLISH)"),
            ("baseline", "classic", "seed (Node), classic through one node")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--rooms", type=int, default=300)
    ap.add_argument("--clients", type=int, default=3000)
    ap.add_argument("--rate", type=float, default=3000)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    cluster = Cluster()
    results = {label: [] for _, _, label in VARIANTS}
    try:
        for round_ in range(a.rounds):
            for impl, pubsub, label in VARIANTS:
                r = measure(a.build, cluster, impl, pubsub, a)
                results[label].append(r)
                print(f"round {round_ + 1} {label}: {json.dumps(r)}", file=sys.stderr, flush=True)
    finally:
        cluster.stop()
    print(f"{a.clients:,} clients on 2 instances, {a.rooms} rooms, {a.rate:g} msg/s for {a.duration:g} s, "
          f"3-primary Redis Cluster; medians of {a.rounds} interleaved rounds\n")
    print("| variant | redis CPU per node (% of a core) | redis CPU, all nodes | deliveries/s | p99 | lost |")
    print("|---|---|---|---|---|---|")
    for label, runs in results.items():
        mid = sorted(runs, key=lambda r: sum(r["redis_node_cpu_pct"]))[len(runs) // 2]
        nodes = " / ".join(f"{c:g}" for c in mid["redis_node_cpu_pct"])
        print(f"| {label} | {nodes} | {sum(mid['redis_node_cpu_pct']):.1f} | {mid['deliveries_per_s']:,.0f} | "
              f"{mid['p99_ms']:g} ms | {sum(r['lost'] for r in runs)} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"args": vars(a), "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
