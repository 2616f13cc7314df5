"""The live bench keeps the logs of a join storm far slower than the bare server's: its working
directory is deleted at the end, and such a run is the one worth reading."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench import live_latency


def test_a_slow_join_storm_keeps_its_logs_and_a_normal_one_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "lantoa-0.log").write_text("worker booted\n")
    (tmp_path / "probes-1a2b").mkdir()  # each run's probes log in a directory of their own
    (tmp_path / "probes-1a2b" / "probe-0.log").write_text("joined 1000\n")
    connects = iter([1.4, 4.5, 1.4, 3.9])  # bare, then Lan Tỏa: 3.2× bare; then 2.8× bare

    def measured(*_: Any) -> dict[str, Any]:
        return {"p95": 50.0, "connect_s": next(connects)}

    monkeypatch.setattr(live_latency, "run_bare", measured)
    monkeypatch.setattr(live_latency, "run_lantoa", measured)
    monkeypatch.setattr(live_latency.fig, "row_text", lambda row: "")
    args = argparse.Namespace(servers="bare,lantoa")
    live_latency.run_pair(1000, args, tmp_path, {}, 1, 1, "token")
    said = capsys.readouterr().out
    kept = Path(said.split("logs kept in ")[1].split()[0])
    assert sorted(str(p.relative_to(kept)) for p in kept.rglob("*.log")) == [
        "lantoa-0.log",
        "probes-1a2b/probe-0.log",
    ]
    assert (kept / "probes-1a2b" / "probe-0.log").read_text() == "joined 1000\n"
    shutil.rmtree(kept)
    live_latency.run_pair(1000, args, tmp_path, {}, 1, 1, "token")
    assert "logs kept" not in capsys.readouterr().out


def test_every_other_pair_measures_lantoa_first_and_still_divides_by_the_bare_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine slower at the end of a sitting must not always weigh on the second server."""
    order: list[str] = []

    def measured(server: str, p95: float) -> Any:
        def run(*_: Any) -> dict[str, Any]:
            order.append(server)
            return {"server": server, "p95": p95, "connect_s": 2.0}

        return run

    monkeypatch.setattr(live_latency, "run_bare", measured("bare", 40.0))
    monkeypatch.setattr(live_latency, "run_lantoa", measured("lantoa", 46.0))
    monkeypatch.setattr(live_latency.fig, "row_text", lambda row: "")
    args = argparse.Namespace(servers="bare,lantoa")
    first = live_latency.run_pair(1000, args, tmp_path, {}, 1, 1, "token", turn=0)
    second = live_latency.run_pair(1000, args, tmp_path, {}, 1, 1, "token", turn=1)
    assert order == ["bare", "lantoa", "lantoa", "bare"]
    assert [row.get("ratio") for row in first] == [None, "1.15"]
    assert [row.get("ratio") for row in second] == ["1.15", None]
