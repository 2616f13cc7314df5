"""Derived properties of the domain vocabularies."""

from __future__ import annotations

from app.models import Channel


def test_conferences_and_small_groups_have_halls() -> None:
    with_halls = {channel for channel in Channel if channel.has_halls}
    assert with_halls == {Channel.ONLINE_CONFERENCE, Channel.CONFERENCE, Channel.SMALL_GROUP}
