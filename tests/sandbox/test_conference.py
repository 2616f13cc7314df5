"""The scripted conference: 39 commune halls, typed names, rejoins, a deterministic truth."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.conference import Conference, spell
from sandbox.loopback import FaultQueue
from sandbox.people import plain


def test_the_same_seed_gives_the_same_script() -> None:
    assert Conference(seed=3).sessions() == Conference(seed=3).sessions()
    assert Conference(seed=3).sessions() != Conference(seed=4).sessions()


def test_39_halls_plus_the_host_and_guests() -> None:
    conf = Conference()
    assert len(conf.truth()) == 39
    names = {s.name for s in conf.sessions()}
    assert {"BHXH tỉnh Nghệ An", "iPhone của Lan", "Xã Tăng Thành"} <= names
    kinds = Counter(a.kind for a in conf.attendees())
    assert kinds["hall"] == 39
    assert kinds["host"] == 1


def test_names_are_spelled_the_ways_officers_type_them() -> None:
    names = [s.name for s in Conference().sessions()]
    assert any(n.startswith("UBND xa ") for n in names)
    assert any(n.startswith("Điểm cầu xã ") and n.endswith(" người") for n in names)
    assert any(n.isupper() and n == plain(n) for n in names)
    assert any(n.endswith(" 2") for n in names)  # a guest hall typing its name again
    assert spell("{upper}", "Tăng Thành", 1) == "TANG THANH"
    assert spell("xã {lower}", "Tăng Thành", 1) == "xã Tăng thành"


def test_sessions_are_ordered_and_drops_leave_gaps() -> None:
    conf = Conference()
    joins = [s.join for s in conf.sessions() if s.attendee.kind == "hall"]
    assert min(joins) >= conf.start
    assert sum(j <= conf.start + 20 + conf.params.join_window for j in joins) >= 37
    rejoined = [c for c, sessions in conf.truth().items() if len(sessions) > 1]
    assert len(rejoined) == conf.params.rejoiners
    for sessions in conf.truth().values():
        for before, after in zip(sessions, sessions[1:], strict=False):
            assert 30 <= after.join - before.leave <= 240
        assert all(s.join < s.leave <= conf.end for s in sessions)


def test_phases_and_an_early_end_clip_the_sessions() -> None:
    conf = Conference()
    assert [conf.phase(t) for t in (0, conf.start, conf.end)] == ["scheduled", "live", "ended"]
    conf.end_meeting(conf.start + 900)
    assert conf.end == conf.start + 900
    assert all(s.leave <= conf.end and s.join < conf.end for s in conf.sessions())
    assert not conf.active(conf.end)
    conf.reset()
    assert conf.end == conf.start + conf.params.duration


def test_fault_queue_takes_oldest_first_and_refuses_unknown_kinds() -> None:
    queue = FaultQueue({"a", "b"})
    queue.fail_next("a", times=2, code=1)
    queue.fail_next("b")
    assert queue.take({"b"}).kind == "b"  # type: ignore[union-attr]
    assert [queue.take().opt("code", 0), queue.take().opt("code", 0)] == [1, 1]  # type: ignore[union-attr]
    assert queue.take() is None
    with pytest.raises(ValueError, match="unknown fault"):
        queue.fail_next("c")
