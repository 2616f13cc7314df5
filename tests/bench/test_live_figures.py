"""The live bench's arithmetic on hand-made receipts: matching, loss, bytes, steal."""

from __future__ import annotations

from typing import Any

from bench.live_figures import (
    busy_cores,
    delivery,
    medians,
    per_update,
    percentile,
    steal_percent,
)

SENT = [(7, 100.0), (8, 101.0), (9, 102.0)]


def part(**kw: Any) -> dict[str, Any]:
    base = {"joined": 2, "failed": 0, "disconnects": 0, "probes": 1}
    return {**base, **kw}


def test_receipts_match_send_times_by_seq_and_a_missing_one_is_lost() -> None:
    got = delivery(
        [
            part(
                receipts=[(0, 7, 100.010), (0, 9, 102.030)],
                counts=[2, 3],
                seqs=[[7, 9], [7, 8, 9]],
                bytes=[600, 900],
            )
        ],  # fmt: skip
        SENT,
    )
    assert [round(x) for x in got.latencies_ms] == [10, 30]
    assert (got.delivered, got.lost) == (5, 1)
    assert got.bytes_per_update == 300
    assert round(got.broadcast_done_ms) == 20  # median of 10 and 30


def test_without_a_seq_the_nth_receipt_answers_the_nth_send() -> None:
    got = delivery(
        [
            part(
                receipts=[(0, None, 100.005), (0, None, 101.015)],
                counts=[2, 2],
                seqs=[[], []],
                bytes=[10, 10],
            )
        ],  # fmt: skip
        SENT,
    )
    assert [round(x) for x in got.latencies_ms] == [5, 15]
    assert (got.delivered, got.lost) == (4, 2)


def test_per_update_lines_name_every_update_even_one_nobody_got() -> None:
    lines = per_update([part(receipts=[(0, 7, 100.010), (1, 7, 100.020)])], SENT)
    assert len(lines) == 3
    assert "2 probe receipts" in lines[0]
    assert "slowest    20.0 ms" in lines[0]
    assert "0 probe receipts" in lines[2]


def test_percentile_steal_and_busy() -> None:
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert percentile([float(i) for i in range(101)], 95) == 95.0
    assert steal_percent((1000.0, 500.0, 10.0), (2000.0, 900.0, 60.0)) == 5.0
    assert busy_cores((1000.0, 500.0, 10.0), (2000.0, 1500.0, 60.0), 2) == 0.0


def test_medians_group_runs_by_server_and_client_count() -> None:
    rows = [
        {"server": "bare", "clients": 10, "p95": p, "ratio": "", "cpu_ms": 1, "connect_s": 1}
        for p in (10.0, 30.0, 20.0)
    ] + [{"server": "lantoa", "clients": 10, "p95": 40.0, "ratio": "2.00", "cpu_ms": 2,
          "connect_s": 3, "connect_ratio": "1.50", "join_cpu_ms": 2.5}]  # fmt: skip
    bare, lantoa = medians(rows)
    assert bare.startswith("bare 10: 3 runs, 20.00 (10.00–30.00) ms p95")
    assert "× bare" not in bare
    assert "2.00 (2.00–2.00) × bare p95" in lantoa
    assert "1.50 (1.50–1.50) × bare connect" in lantoa
    assert "2.50 (2.50–2.50) ms CPU/join" in lantoa
