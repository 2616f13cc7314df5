"""The paginator stops on a missing token, on its page cap, and refuses repeated tokens."""

from __future__ import annotations

import pytest

from collectors.pagination import PageLoop, Paginator


def test_stops_when_no_token() -> None:
    pager = Paginator()
    assert pager.advance("a")
    assert pager.advance("b")
    assert not pager.advance(None)
    assert pager.pages == 3


def test_refuses_a_repeated_token() -> None:
    pager = Paginator()
    pager.advance("a")
    with pytest.raises(PageLoop):
        pager.advance("a")


def test_caps_pages_per_run() -> None:
    pager = Paginator(max_pages=3)
    assert pager.advance("a")
    assert pager.advance("b")
    assert not pager.advance("c")
    assert pager.capped
