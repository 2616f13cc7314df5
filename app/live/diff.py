"""A patch between two summaries (``diff``) and its application (``merge``), for the deltas.

Bytes are what a fan-out to a thousand screens costs, so a delta carries only what moved since
the summary last sent for the event. The page's script (``lantoaLive.merge`` in live.js) applies
the same rules, which are:

- a patch is a dict of the keys whose value changed, each with its new value; a key gone from the
  new summary is listed under ``"$del"`` (summary keys never start with ``$``);
- when both values are dicts, the key holds a patch of its own (recursively);
- when both values are lists of rows each with a distinct ``id`` (per-target rows, the halls
  board), the key holds ``{"$rows": {id: row patch, or the whole row if new}}``, plus
  ``"$gone": [ids]`` for rows removed and ``"$moves": [[id, index], …]`` for rows new or moved
  (the fewest: the others keep their order): a check-in at one of a thousand halls sends that
  row and its one move on the board, not the board;
- any other change (a list of points, a number, ``None`` to a dict) sends the new value whole.

Values are absolute, never increments: a patch applied to the summary it was made from gives the
new summary exactly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import Any

DELETED = "$del"
ROWS = "$rows"
GONE = "$gone"
MOVES = "$moves"


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """What to send so that ``merge(old, patch) == new``; ``{}`` when nothing moved."""
    patch: dict[str, Any] = {}
    for key, value in new.items():
        if key not in old:
            patch[key] = value
            continue
        before = old[key]
        if before is value or before == value:  # a row kept from the last delta: no walk
            continue
        if isinstance(before, Mapping) and isinstance(value, Mapping):
            patch[key] = diff(before, value)
        elif _row_ids(before) is not None and _row_ids(value) is not None:
            patch[key] = _diff_rows(before, value)
        else:
            patch[key] = value
    gone = [key for key in old if key not in new]
    if gone:
        patch[DELETED] = gone
    return patch


def merge(old: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``old`` with ``patch`` applied; ``old`` is left as it was."""
    out = dict(old)
    for key in patch.get(DELETED, ()):
        out.pop(key, None)
    for key, value in patch.items():
        if key == DELETED:
            continue
        before = out.get(key)
        if isinstance(value, Mapping) and isinstance(before, Mapping):
            out[key] = merge(before, value)
        elif isinstance(value, Mapping) and ROWS in value and isinstance(before, list):
            out[key] = _merge_rows(before, value)
        else:
            out[key] = value
    return out


def _row_ids(value: Any) -> list[str] | None:
    """The rows' ids (as JSON object keys) if ``value`` is a non-empty list of rows with
    distinct ids, else None."""
    if not isinstance(value, list) or not value:
        return None
    ids = []
    for row in value:  # one pass: a board has a thousand rows, and each delta diffs it twice
        if not (type(row) is dict or isinstance(row, Mapping)) or "id" not in row:
            return None
        ids.append(str(row["id"]))
    return ids if len(set(ids)) == len(ids) else None


def _diff_rows(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> Any:
    before = {str(row["id"]): row for row in old}
    rows: dict[str, Any] = {}
    for row in new:
        key = str(row["id"])
        if key not in before:
            rows[key] = row
        elif before[key] is not row and before[key] != row:
            rows[key] = diff(before[key], row)
    patch: dict[str, Any] = {ROWS: rows}
    order = [str(row["id"]) for row in new]
    if order != list(before):
        position = {key: i for i, key in enumerate(order)}
        gone = [key for key in before if key not in position]
        stay = _kept_in_order([position[key] for key in before if key in position])
        if gone:
            patch[GONE] = gone
        patch[MOVES] = [[key, i] for i, key in enumerate(order) if i not in stay]
    return patch


def _kept_in_order(positions: list[int]) -> set[int]:
    """The longest increasing run (not necessarily contiguous) of ``positions``: those rows
    keep their relative order, every other one is a move (patience sorting, n log n)."""
    tails: list[int] = []  # tails[k]: index in positions ending the best run of length k + 1
    ends: list[int] = []  # ends[k] = positions[tails[k]], increasing: bisect's C search on it
    before: list[int] = [-1] * len(positions)
    for i, value in enumerate(positions):
        lo = bisect_left(ends, value)
        before[i] = tails[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(i)
            ends.append(value)
        else:
            tails[lo] = i
            ends[lo] = value
    kept: set[int] = set()
    i = tails[-1] if tails else -1
    while i >= 0:
        kept.add(positions[i])
        i = before[i]
    return kept


def _merge_rows(old: Sequence[Any], patch: Mapping[str, Any]) -> list[Any]:
    rows = {str(row["id"]): row for row in old}
    for key in patch.get(GONE, ()):
        rows.pop(key, None)
    for key, value in patch[ROWS].items():
        rows[key] = merge(rows[key], value) if key in rows else value
    moves = sorted(patch.get(MOVES, ()), key=lambda move: move[1])
    moved = {key for key, _ in moves}
    order = [
        str(row["id"]) for row in old if str(row["id"]) in rows and str(row["id"]) not in moved
    ]
    for key, index in moves:
        order.insert(index, key)
    return [rows[key] for key in order]
