"""Calls that arrive while one runs are run together next, each with its own result or error."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask

from app.realtime import grouped

CALLERS = 5


def _held_group() -> tuple[grouped.Group[int, int], list[list[int]], threading.Event]:
    """A group whose first run waits until the other callers are queued behind it."""
    runs: list[list[int]] = []
    first_running = threading.Event()
    group: grouped.Group[int, int]

    def run(items: list[int]) -> list[int]:
        runs.append(list(items))
        if not first_running.is_set():
            first_running.set()
            deadline = time.monotonic() + 20
            while len(group.calls) < CALLERS - 1 and time.monotonic() < deadline:
                time.sleep(0.01)
        if -1 in items:
            raise ValueError("a bad item")
        return [item * 10 for item in items]

    group = grouped.Group(run)
    return group, runs, first_running


def _call_all(group: grouped.Group[int, int], items: list[int], first_running: threading.Event,
              ) -> dict[int, Any]:  # fmt: skip
    got: dict[int, Any] = {}

    def call(item: int) -> None:
        try:
            got[item] = group(item)
        except Exception as exc:
            got[item] = exc

    first = threading.Thread(target=call, args=(items[0],))
    first.start()
    assert first_running.wait(20)
    others = [threading.Thread(target=call, args=(item,)) for item in items[1:]]
    for thread in others:
        thread.start()
    for thread in [first, *others]:
        thread.join(30)
    return got


def test_calls_queued_behind_a_run_go_together_in_the_next_each_with_its_result() -> None:
    group, runs, first_running = _held_group()
    got = _call_all(group, [1, 2, 3, 4, 5], first_running)
    assert got == {1: 10, 2: 20, 3: 30, 4: 40, 5: 50}
    assert runs[0] == [1]
    assert len(runs) == 2
    assert sorted(runs[1]) == [2, 3, 4, 5]
    assert not group.running
    assert not group.calls
    assert group(6) == 60  # alone: runs at once


def test_a_failed_run_fails_every_call_of_its_group_and_only_those() -> None:
    group, runs, first_running = _held_group()
    got = _call_all(group, [1, 2, -1, 4, 5], first_running)
    assert got[1] == 10  # ran alone, before
    assert all(isinstance(got[item], ValueError) for item in (2, -1, 4, 5))
    assert group(7) == 70  # the next call runs again


def test_an_apps_group_is_kept_by_name(app: Flask) -> None:
    def run(items: list[int]) -> list[int]:
        return items

    assert grouped.of_app("test.one", run) is grouped.of_app("test.one", run)
    assert grouped.of_app("test.one", run) is not grouped.of_app("test.two", run)


class Killed(BaseException):
    """As gevent's GreenletExit or Timeout: not an Exception."""


def test_an_interrupted_run_fails_its_calls_and_the_group_runs_again() -> None:
    def run(items: list[int]) -> list[int]:
        if 0 in items:
            raise Killed
        return items

    group = grouped.Group(run)
    with pytest.raises(Killed):
        group(0)
    assert not group.running
    assert group(3) == 3


def test_a_call_that_gave_up_waiting_leaves_the_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grouped, "WAIT_SECONDS", 0.05)
    release = threading.Event()

    def run(items: list[int]) -> list[int]:
        release.wait(20)
        return items

    group = grouped.Group(run)
    leader = threading.Thread(target=group, args=(1,))
    leader.start()
    deadline = time.monotonic() + 20
    while not group.running and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(TimeoutError):
        group(2)  # queued behind a run that does not end in time
    assert group.calls == []  # not left to be handed a lead it would never take
    release.set()
    leader.join(20)
    assert not group.running
    assert group(4) == 4
