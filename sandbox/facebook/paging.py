"""Cursor paging shared by the comments and ``live_videos`` edges, with the empty,
duplicate and overlapping pages the faults ask for."""

from __future__ import annotations

import base64
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sandbox.facebook.errors import GraphError
from sandbox.facebook.fields import FieldSpec, format_fields

if TYPE_CHECKING:
    from sandbox.facebook.calls import Call
    from sandbox.facebook.settings import FacebookSettings
    from sandbox.faults import Fault


class PagingMixin:
    """``_page_of`` and its cursors, limits and ``paging`` URLs."""

    settings: FacebookSettings
    _lock: threading.Lock
    _continued_pages: int
    _cursor_serial: int

    def _page_of(
        self,
        items: list[Any],
        keys: list[int],
        params: dict[str, str],
        call: Call,
        *,
        path: str,
        children: tuple[FieldSpec, ...] | None,
        fault: Fault | None,
        descending: bool,
    ) -> dict[str, Any]:
        """Cursor paging over ``items`` in answer order; ``keys`` are stable positions.

        Cursors name a key, not an offset, so comments arriving or being deleted between two
        pages neither skip nor repeat anything. ``next`` is absent only on the last page.
        """
        limit = self._limit(params)
        start_key = 10**9 if descending else -1  # "before the first item"
        after_raw, before_raw = params.get("after"), params.get("before")
        after = _decode_cursor(after_raw) if after_raw else None
        if after is not None:
            first = _index_after(keys, after, descending)
            chosen = range(first, min(first + limit, len(items)))
        elif before_raw:
            end = _index_after(keys, _decode_cursor(before_raw), descending, inclusive=True)
            chosen = range(max(0, end - limit), end)
        else:
            chosen = range(min(limit, len(items)))
        if limit == 0:
            return {"data": []}
        kind = fault.kind if fault else None
        if kind is None and after is not None and chosen and self._empty_page_due():
            kind = "empty_page"
        data = [items[n] for n in chosen]
        next_cursor: str | None = None
        if kind == "empty_page" and chosen:
            data = []
            next_cursor = self._encode_cursor(after if after is not None else start_key)
        elif kind == "duplicate_page":
            next_cursor = after_raw or self._encode_cursor(start_key)
        elif kind == "overlapping_page" and chosen and fault is not None:
            back = chosen[-1] - int(fault.opt("overlap", 3))
            next_cursor = self._encode_cursor(keys[back] if back >= 0 else start_key)
        elif chosen and chosen[-1] + 1 < len(items):
            next_cursor = self._encode_cursor(keys[chosen[-1]])
        page: dict[str, Any] = {"data": data}
        if not data and next_cursor is None:
            return page
        cursors = {
            "before": self._encode_cursor(keys[chosen[0]]) if data else next_cursor,
            "after": next_cursor or self._encode_cursor(keys[chosen[-1]]),
        }
        page["paging"] = {"cursors": cursors}
        if data and chosen[0] > 0:
            page["paging"]["previous"] = self._url(
                call, path, params, children, before=cursors["before"]
            )
        if next_cursor is not None:
            page["paging"]["next"] = self._url(call, path, params, children, after=next_cursor)
        return page

    def _empty_page_due(self) -> bool:
        every = self.settings.empty_page_every
        if not every:
            return False
        with self._lock:
            self._continued_pages += 1
            return self._continued_pages % every == 0

    def _encode_cursor(self, key: int) -> str:
        with self._lock:
            self._cursor_serial += 1
            serial = self._cursor_serial
        raw = f"{key}:{serial}".encode()
        return base64.urlsafe_b64encode(b"QVFI" + raw).decode().rstrip("=")

    def _limit(self, params: dict[str, str]) -> int:
        raw = params.get("limit", str(self.settings.default_limit))
        try:
            limit = int(raw)
        except ValueError as exc:
            raise GraphError(100, f"(#100) Param limit must be a number, got {raw}") from exc
        if limit < 0:
            raise GraphError(100, "(#100) Param limit must be a non-negative integer")
        return min(limit, self.settings.max_limit)

    def _url(
        self,
        call: Call,
        path: str,
        params: dict[str, str],
        children: tuple[FieldSpec, ...] | None,
        **cursor: str,
    ) -> str:
        query = {k: v for k, v in params.items() if k not in ("after", "before", "access_token")}
        if children is not None:
            query["fields"] = format_fields(children)
        query.setdefault("limit", str(self._limit(params)))
        if call.token_in_query and call.token:
            query["access_token"] = call.token
        query.update(cursor)
        return f"{call.base}/{path}?{urlencode(query)}"


def _decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        if not raw.startswith(b"QVFI"):
            raise ValueError(cursor)
        return int(raw[4:].split(b":")[0])
    except ValueError as exc:
        raise GraphError(100, "(#100) The After Cursor specified is invalid") from exc


def _index_after(keys: list[int], cursor: int, descending: bool, inclusive: bool = False) -> int:
    """Index of the first item that comes after the cursor's key in answer order."""
    for n, key in enumerate(keys):
        later = key < cursor if descending else key > cursor
        if later or (inclusive and key == cursor):
            return n
    return len(keys)
