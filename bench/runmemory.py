# SPDX-License-Identifier: MIT
"""The idle-memory scenarios of bench/run.py (idle_rss, idle_rss_100k): idle joined connections held
through several WebSocket heartbeat rounds, the relays' (or the seed's) RSS growth per connection right
after the joins and after each round. Needs only a fleet (run.Fleet): urls(), rss_kib(), procs."""
import functools
import json
import os
import queue
import resource
import subprocess
import threading
import time

# The idle scenarios' ping interval, both implementations: 2 s, 5 s above 20,000 connections (on two
# shared cores a 2 s round of 100,000 pings and pongs, on top of the joins, made clients miss pongs).
HEARTBEAT_S = 2
HEARTBEAT_LARGE_S = 5
JOIN_TIMEOUT_S = 300  # per load generator (its connects and joins)


def heartbeat_for(n):
    return HEARTBEAT_S if n <= 20000 else HEARTBEAT_LARGE_S


class LineReader:
    """The JSON lines a running load generator prints, read on a thread so that waits can time out."""

    def __init__(self, proc):
        self.proc = proc
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith("{"):
                self.lines.put(json.loads(line))
        self.lines.put(None)

    def drain(self):
        """Drops the lines printed so far (the rounds of a load generator that joined before the others)."""
        while not self.lines.empty():
            self.lines.get_nowait()

    def next(self, timeout):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None


def fd_budget():
    """Connections one process can hold: its descriptor limit (raised to the hard limit by main) less
    a margin for everything else it has open."""
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 300


def fleet_size(n):
    """Two instances, or more when one process cannot hold half of n connections: a container without
    CAP_SYS_RESOURCE cannot raise its hard RLIMIT_NOFILE (20,000 on the benchmark machine)."""
    return max(2, -(-n // fd_budget()))


def idle_connections(quick, full):
    return full // 5 if quick else full


def idle_fleet(full):
    return lambda quick: {"heartbeat_s": heartbeat_for(idle_connections(quick, full)),
                          "instances": fleet_size(idle_connections(quick, full))}


def start_idle_loadgens(build, fleet, n):
    """n idle clients in 100 rooms, from as many load generators as the descriptor limit needs (each
    spreads its clients over every instance), started one after the other: each joins all its clients
    before the next starts. Returns the processes, their line readers and their join lines (None for
    one that failed; the rest are not started then)."""
    count = -(-n // fd_budget())
    shares = [n // count + (1 if i < n % count else 0) for i in range(count)]
    procs, readers, joined = [], [], []
    for i, k in enumerate(shares):
        # Its own source addresses per load generator past 20,000 connections in all: one address's
        # ephemeral ports to one instance run out (connect() prefers the even half, ~14,000).
        sources = ["--source-addrs", "8", "--source-offset", str(8 * i)] if n > 20000 else []
        procs.append(subprocess.Popen([os.path.join(build, "bench/switchboard-loadgen")] + fleet.urls() +
                                      ["--clients", str(k), "--rooms", "100", "--idle", "--hold", "3600",
                                       "--join-timeout", str(JOIN_TIMEOUT_S)] + sources,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        readers.append(LineReader(procs[-1]))
        joined.append(readers[-1].next(JOIN_TIMEOUT_S * 2 + 30))
        if not (joined[-1] and "ready" in joined[-1]):
            break
    return procs, readers, joined


def stderr_of(proc):
    """What a load generator that stopped said, or "running" (a later one failed)."""
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return "running"
    return proc.stderr.read().strip() or f"exit {proc.returncode}"


def idle_memory(full, build, fleet, quick):
    """n idle joined connections in 100 rooms, pings every HEARTBEAT_S on both implementations: the
    growth of the instances' RSS (summed) over n right after the joins and after each heartbeat round
    (every connection pinged and its pong read)."""
    n, rounds = idle_connections(quick, full), 2 if quick else 5
    heartbeat = heartbeat_for(n)
    before = fleet.rss_kib()
    procs, readers, joined = start_idle_loadgens(build, fleet, n)
    per_conn = lambda kib: round((kib - before) / n, 2)
    per_round, closed = [], 0
    try:
        if not all(line and "ready" in line for line in joined):
            errors = [stderr_of(p) for p in procs]
            return {"value": None, "unit": "KiB/conn", "error": "clients did not all join: " + "; ".join(errors)}
        time.sleep(0.5)
        after_joins = fleet.rss_kib()
        for r in readers:
            r.drain()
        while len(per_round) < rounds:
            lines = [r.next(heartbeat * 5 + n / 10000) for r in readers]
            if not all(line and "round" in line for line in lines):
                break
            closed = sum(line["closed"] for line in lines)
            per_round.append(per_conn(fleet.rss_kib()))
    finally:
        for p in procs:
            p.terminate()
            p.wait()
    out = {"value": per_round[-1] if per_round else None, "unit": "KiB/conn", "connections": n,
           "instances": len(fleet.procs), "loadgens": len(procs), "heartbeat_s": heartbeat,
           "after_joins": per_conn(after_joins), "rounds": len(per_round),
           "after_rounds": per_round[-1] if per_round else None, "per_round": per_round, "closed": closed,
           "connect_s": max(line["connect_s"] for line in joined),
           "source_addrs": joined[0]["source_addrs"], "before_kib": before, "after_joins_kib": after_joins}
    if len(per_round) < rounds:
        out["error"] = f"only {len(per_round)} of {rounds} heartbeat rounds completed (closed: {closed})"
    out["rows"] = [{"label": "right after the joins", "value": out["after_joins"], "unit": "KiB/conn"},
                   {"label": f"after {len(per_round)} heartbeat rounds ({heartbeat} s)",
                    "value": out["after_rounds"], "unit": "KiB/conn"}]
    return out


idle_rss = functools.partial(idle_memory, 10000)
idle_rss_100k = functools.partial(idle_memory, 100000)
