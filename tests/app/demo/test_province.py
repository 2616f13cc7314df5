"""The demo province's seeded events are named as not real, as the sandbox's own events are."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from app import demo
from app.demo.province import DEMO_MARK, SEEDED_TITLES
from app.extensions import db
from app.models import Event


def _titles() -> list[str]:
    return list(db.session.scalars(sa.select(Event.title).order_by(Event.id)))


def test_every_seeded_event_carries_the_demo_mark(app: Flask) -> None:
    demo.load(db.session, "40")
    db.session.commit()
    titles = _titles()
    assert len(titles) == len(SEEDED_TITLES)
    assert all(title.endswith(f" {DEMO_MARK}") for title in titles), titles


def test_an_earlier_database_s_unmarked_events_are_marked_on_the_next_load(app: Flask) -> None:
    demo.load(db.session, "40")
    for event in db.session.scalars(sa.select(Event)):
        event.title = event.title.removesuffix(f" {DEMO_MARK}")
    db.session.commit()
    assert not any(DEMO_MARK in title for title in _titles())

    assert demo.load(db.session, "40").password is None  # the admin is there: nothing added
    db.session.commit()
    titles = _titles()
    assert len(titles) == len(SEEDED_TITLES)
    assert all(title.endswith(f" {DEMO_MARK}") for title in titles), titles
    assert all(title.count(DEMO_MARK) == 1 for title in titles)
