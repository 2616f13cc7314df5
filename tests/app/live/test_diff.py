"""The patch a delta carries: only what moved, and applied to its base it gives the new summary."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from app.live.diff import diff, merge


def summary(halls: int = 0) -> dict[str, Any]:
    return {
        "views": None,
        "live_viewers": 120,
        "peak_viewers": 150,
        "reactions": {"like": 10, "love": 2, "total": 12},
        "comments": 40,
        "leads": 3,
        "last_sample_at": "2026-12-04T10:00:00+00:00",
        "targets": [
            {"id": 7, "kind": "facebook_live", "live_viewers": 80, "calls_used": 12},
            {"id": 9, "kind": "youtube_live", "live_viewers": 40, "calls_used": 5},
        ],
        **(
            {"halls": [{"id": i, "head_count": None, "status": "waiting"} for i in range(halls)]}
            if halls
            else {}
        ),
    }


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")))


def test_a_counters_only_change_sends_the_counters_that_moved() -> None:
    old = summary()
    new = copy.deepcopy(old)
    new["live_viewers"] = 125
    new["reactions"]["like"] = 11
    new["reactions"]["total"] = 13
    new["targets"][0]["live_viewers"] = 85
    patch = diff(old, new)
    assert patch == {
        "live_viewers": 125,
        "reactions": {"like": 11, "total": 13},
        "targets": {"$rows": {"7": {"live_viewers": 85}}},
    }
    assert size(patch) < size(new) / 3
    assert merge(old, patch) == new


def test_nothing_moved_is_an_empty_patch() -> None:
    assert diff(summary(), summary()) == {}
    assert merge(summary(), {}) == summary()


def test_a_check_in_at_one_hall_of_a_thousand_sends_that_hall() -> None:
    old = summary(halls=1000)
    new = copy.deepcopy(old)
    new["halls"][500].update(head_count=42, status="connected")
    patch = diff(old, new)
    assert patch == {"halls": {"$rows": {"500": {"head_count": 42, "status": "connected"}}}}
    assert merge(old, patch) == new


def test_rows_that_come_go_or_move_send_the_fewest_moves() -> None:
    old = summary(halls=5)
    new = copy.deepcopy(old)
    h = new["halls"]
    new["halls"] = [h[2], h[0], {"id": 9, "head_count": 3}, h[3], h[4]]  # 1 gone, 2 moved, 9 new
    patch = diff(old, new)
    assert patch["halls"]["$gone"] == ["1"]
    moves = patch["halls"]["$moves"]
    assert len(moves) == 2  # the new row and one of 0 or 2: the rest keep their order
    assert ["9", 2] in moves
    assert patch["halls"]["$rows"] == {"9": {"id": 9, "head_count": 3}}
    assert merge(old, patch) == new


def test_a_hall_connecting_moves_one_row_down_a_board_of_a_thousand() -> None:
    old = summary(halls=1000)
    new = copy.deepcopy(old)
    hall = new["halls"].pop(10)
    hall.update(head_count=30, status="reported_only")
    new["halls"].append(hall)  # the board: halls not connected first
    patch = diff(old, new)
    assert patch["halls"]["$moves"] == [["10", 999]]
    assert size(patch) < 150
    assert merge(old, patch) == new


@pytest.mark.parametrize("seed", range(20))
def test_any_reordering_round_trips(seed: int) -> None:
    rng = random.Random(seed)
    old = {"rows": [{"id": i, "n": i} for i in range(rng.randint(1, 30))]}
    kept = [dict(r) for r in old["rows"] if rng.random() > 0.2]
    kept += [{"id": 100 + i, "n": 0} for i in range(rng.randint(0, 4))]
    rng.shuffle(kept) if rng.random() > 0.5 else kept.reverse()
    new = {"rows": kept}
    assert merge(old, json.loads(json.dumps(diff(old, new)))) == new


def test_removed_keys_and_type_changes() -> None:
    old = summary(halls=2)
    new = copy.deepcopy(old)
    del new["halls"]
    del new["reactions"]["love"]
    new["views"] = 1000  # None to a number
    new["last_sample_at"] = None
    new["extra"] = {"a": [1, 2]}
    patch = diff(old, new)
    assert patch["$del"] == ["halls"]
    assert patch["reactions"] == {"$del": ["love"]}
    assert patch["views"] == 1000
    assert patch["last_sample_at"] is None
    assert merge(old, patch) == new


def test_lists_without_row_ids_are_replaced_whole_only_when_they_changed() -> None:
    old = {"series": [[1, 2], [3, 4]], "tags": ["a"], "same": [[5, 6]]}
    new = {"series": [[1, 2], [3, 5]], "tags": ["a", "b"], "same": [[5, 6]]}
    patch = diff(old, new)
    assert patch == {"series": [[1, 2], [3, 5]], "tags": ["a", "b"]}
    assert merge(old, patch) == new


def test_merge_leaves_its_base_as_it_was() -> None:
    old = summary(halls=3)
    kept = copy.deepcopy(old)
    new = copy.deepcopy(old)
    new["halls"][1]["head_count"] = 8
    new["reactions"]["like"] = 99
    merge(old, diff(old, new))
    assert old == kept


def test_round_trip_through_json() -> None:
    """The patch travels as JSON: ids become strings, and the merge still gives the new state."""
    old = summary(halls=5)
    new = copy.deepcopy(old)
    new["targets"].reverse()
    new["targets"][1]["calls_used"] = 13
    new["halls"].pop(0)
    new["halls"][0]["head_count"] = 4
    patch = json.loads(json.dumps(diff(old, new)))
    assert merge(old, patch) == new
