"""The figures of a live run, from the probes' receipts and the publisher's send times.

Pure functions over the JSON the probe processes and the publisher write, plus two readings of
the machine: the server processes' CPU (psutil) and the host's steal time (``/proc/stat``), so a
run disturbed by a neighbour says so.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass(frozen=True)
class Delivery:
    """What the clients got, against what was sent."""

    latencies_ms: list[float]
    broadcast_done_ms: float  # median over updates of the slowest probe's delay
    delivered: int
    lost: int
    bytes_per_update: float
    joined: int
    failed: int
    disconnects: int
    probes: int


def delivery(parts: list[dict[str, Any]], sent: list[tuple[int, float]]) -> Delivery:
    """Match receipts with send times by seq (or by arrival order when a frame has none).

    Lost = for each joined client, the sent updates it never received (a client that dropped
    out loses the rest); bytes per update = the mean size of one received delta packet.
    """
    send_time = dict(sent)
    order = [seq for seq, _ in sent]
    latencies: list[float] = []
    slowest: dict[int, float] = {}
    delivered = lost = total_bytes = 0
    for part in parts:
        seen: dict[int, int] = {}
        for client, seq, arrived in part["receipts"]:
            if seq is None:  # no number in the frame: the n-th receipt answers the n-th send
                seq = order[min(seen.get(client, 0), len(order) - 1)]
            seen[client] = seen.get(client, 0) + 1
            if seq not in send_time:
                continue
            delay = (arrived - send_time[seq]) * 1000
            latencies.append(delay)
            slowest[seq] = max(slowest.get(seq, 0.0), delay)
        for count, seqs in zip(part["counts"], part["seqs"], strict=True):
            got = len(set(seqs) & set(order)) if seqs else min(count, len(order))
            delivered += got
            lost += len(order) - got
        total_bytes += sum(part["bytes"])
    received = sum(sum(p["counts"]) for p in parts)
    return Delivery(
        latencies_ms=latencies,
        broadcast_done_ms=statistics.median(slowest.values()) if slowest else float("nan"),
        delivered=delivered,
        lost=lost,
        bytes_per_update=total_bytes / received if received else float("nan"),
        joined=sum(p["joined"] for p in parts),
        failed=sum(p["failed"] for p in parts),
        disconnects=sum(p["disconnects"] for p in parts),
        probes=sum(p["probes"] for p in parts),
    )


def per_update(parts: list[dict[str, Any]], sent: list[tuple[int, float]]) -> list[str]:
    """One line per update: how many probe receipts, their median and slowest delay."""
    send_time = dict(sent)
    delays: dict[int, list[float]] = {seq: [] for seq, _ in sent}
    for part in parts:
        for _client, seq, arrived in part["receipts"]:
            if seq in delays:
                delays[seq].append((arrived - send_time[seq]) * 1000)
    return [
        f"  update {seq:>4}: {len(d):>4} probe receipts, median {percentile(d, 50):7.1f} ms, "
        f"slowest {max(d, default=float('nan')):7.1f} ms"
        for seq, d in delays.items()
    ]


def connect_seconds(parts: list[dict[str, Any]]) -> float:
    """From the first client process starting to connect to the last one joined."""
    if not parts:
        return float("nan")
    return max(p["done"] for p in parts) - min(p["started"] for p in parts)


def cpu_times() -> tuple[float, float, float]:
    """(all, idle + iowait, steal) jiffies of the machine since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [float(v) for v in fields[:8]]  # guest time is already inside user
    return sum(values), values[3] + values[4], values[7] if len(values) > 7 else 0.0


def steal_percent(before: tuple[float, ...], after: tuple[float, ...]) -> float:
    """Host steal as a share of all CPU time in the window (the baseline's disturbance gauge)."""
    total = after[0] - before[0]
    return 100 * (after[2] - before[2]) / total if total > 0 else float("nan")


def busy_cores(before: tuple[float, ...], after: tuple[float, ...], cpus: int) -> float:
    """Cores busy on the whole machine in the window: ours and everybody else's."""
    total = after[0] - before[0]
    return cpus * (1 - (after[1] - before[1]) / total) if total > 0 else float("nan")


def process_tree(pids: list[int]) -> list[Any]:
    import psutil

    found = []
    for pid in pids:
        try:
            parent = psutil.Process(pid)
        except psutil.NoSuchProcess:
            continue
        found += [parent, *parent.children(recursive=True)]
    return found


def tree_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes and their children so far."""
    import psutil

    total = 0.0
    for process in process_tree(pids):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def tree_rss_kib(pids: list[int]) -> float:
    import psutil

    total = 0
    for process in process_tree(pids):
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 1024


def medians(rows: list[dict[str, Any]]) -> list[str]:
    """Median (range) of the figures that vary most, per server and client count."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["server"], row["clients"]), []).append(row)
    lines = []
    for (server, clients), group in groups.items():
        parts = [f"{server} {clients}: {len(group)} runs"]
        for key, unit in (("p95", "ms p95"), ("ratio", "× bare p95"), ("cpu_ms", "ms CPU/update"),
                          ("connect_s", "s connect"), ("connect_ratio", "× bare connect"),
                          ("join_cpu_ms", "ms CPU/join")):  # fmt: skip
            values = [float(r[key]) for r in group if r.get(key, "") != ""]
            if values:
                parts.append(f"{statistics.median(values):.2f} ({min(values):.2f}–"
                             f"{max(values):.2f}) {unit}")  # fmt: skip
        lines.append(", ".join(parts))
    return lines


def row_text(row: dict[str, Any]) -> str:
    """One line of the table ``live_latency`` prints."""
    return (
        f"{row['server']:<7} {row['clients']:>6} {row['joined']:>6} {row['p50']:>6.0f} "
        f"{row['p95']:>6.0f} {row['p99']:>6.0f} {row['max']:>6.0f} {row['done']:>6.0f} "
        f"{row['ratio']:>6} {row['lost']:>5} {row['cpu_ms']:>6.0f} {row['bytes']:>7.0f} "
        f"{row['kib_per_client']:>6.0f} {row['connect_s']:>7.1f} {row['connect_ratio']:>5} "
        f"{row['join_cpu_ms']:>6.2f} {row['steal']:>5.1f} {row['busy']:>5.2f}"
    )


HEADER = (
    "server  clients joined    p50    p95    p99    max   done p95 ×b  lost CPUms bytes/u "
    "KiB/cl connect  c×b CPU/jn steal busy"
)
UNITS = (
    "(latency in ms from the commit; done = median over updates of the slowest probe; p95 ×b = "
    "p95 over the bare server's p95 at the same N; CPUms = server CPU per update; bytes/u = one "
    "delta packet; KiB/cl = server RSS growth per joined client; connect = seconds for all N to "
    "connect and join; c×b = that over the bare server's; CPU/jn = server CPU ms per client while "
    "they join; steal = host steal % and busy = cores busy machine-wide during the updates)"
)
