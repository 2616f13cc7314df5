"""Batch jobs killed with SIGKILL while they write: a collection round and a rollup rebuild.

- ``flask collect once --event ID`` over 16 Facebook lives of one page (one Graph batch call, then
  one transaction per target: its comments, samples, cursor and run row): after the kill each
  target has its whole first round or nothing of it, and running the round again completes it,
  every comment once.
- ``flask reports rollup --full`` over a seeded province-year: the rebuild deletes every rollup row
  and writes them again, so a kill must leave the last build untouched or the new one complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.models import (
    CollectionRun,
    Comment,
    EngagementSample,
    Event,
    EventRollup,
    RollupState,
    Target,
)
from sandbox import ManualClock, Sandbox, Scenario
from tests.conftest import Factory
from tests.durability.conftest import SEEN
from tests.durability.processes import kill_after, spawn

pytestmark = [pytest.mark.committing, pytest.mark.postgres]

MIRRORS = 15  # lives beside the main one, playing the same script
AT = 420.0  # scenario seconds: the live is on, most comments written


@pytest.fixture
def live() -> Iterator[Sandbox]:
    scenario = Scenario(seed=13, epoch=SEEN, start_offset=5, duration=600, comment_count=400,
                        mirror_lives=MIRRORS)  # fmt: skip
    sandbox = Sandbox.start(scenario=scenario, clock=ManualClock())
    sandbox.advance(AT)
    yield sandbox
    sandbox.stop()


def first_round(target_id: int) -> tuple[int, int, bool] | None:
    """(comments, samples, cursor moved) of the target's one round, or None if it has none;
    asserts that what the run row counts is what is stored."""
    runs = list(db.session.scalars(sa.select(CollectionRun).where(
        CollectionRun.target_id == target_id)))  # fmt: skip
    comments = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(
        Comment.target_id == target_id))  # fmt: skip
    samples = db.session.scalar(sa.select(sa.func.count()).select_from(EngagementSample).where(
        EngagementSample.target_id == target_id))  # fmt: skip
    cursor = bool(db.session.get(Target, target_id).cursor)
    if not runs:
        assert (comments, samples, cursor) == (0, 0, False), target_id
        return None
    assert len(runs) == 1
    assert (runs[0].outcome, runs[0].comments, runs[0].samples) == ("ok", comments, samples)
    return comments, samples, cursor


def test_a_collection_round_killed_leaves_each_target_whole_or_untouched(
    app: Flask,
    make: Factory,
    live: Sandbox,
    tmp_path: Path,
    writing: Callable[[], bool],
    kill_delay: Callable[[float, float], float],
) -> None:
    params = live.scenario.params
    account = make.account(credentials={"access_token": live.facebook_token,
                                        "base_url": live.facebook_url},
                           external_id=params.page_id)  # fmt: skip
    event = make.event(title="Livestream tư vấn", planned_start=SEEN)
    ids = [make.target(event, account, external_id=v).id
           for v in (params.live_video_id, *params.mirror_live_ids)]  # fmt: skip
    event_id = event.id
    child = spawn(app, ["collect", "once", "--event", str(event_id)], tmp_path / "collect.log")
    assert kill_after(child, writing, kill_delay(0.0, 0.3)), child.output()

    db.session.expire_all()
    rounds = [first_round(i) for i in ids]
    assert None in rounds, "every target was written before the kill: nothing was tested"
    assert all(r is None or (r[0] > 0 and r[2]) for r in rounds), rounds

    again = app.test_cli_runner().invoke(args=["collect", "once", "--event", str(event_id)])
    assert again.exit_code == 0, again.output
    db.session.expire_all()
    visible = {c.id for c in live.scenario.shown_comments(AT)}  # not those the page hid
    for target_id in ids:
        stored = list(db.session.scalars(
            sa.select(Comment.external_id).where(Comment.target_id == target_id)))  # fmt: skip
        assert sorted(stored) == sorted(visible), target_id  # every comment, once


@pytest.fixture
def seeded_units_dropped(database_url: str) -> Iterator[None]:
    """The seed adds its own province; once the app fixture has emptied the tables (this fixture
    is set up before it, so it is torn down after), remove those units too."""
    yield
    engine = sa.create_engine(database_url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for kind in ("commune", "province"):
            conn.execute(sa.text("DELETE FROM org_units WHERE source_version = 'seed' "
                                 "AND kind = :kind"), {"kind": kind})  # fmt: skip
    engine.dispose()


def built() -> tuple[datetime | None, dict[int, tuple], list[datetime]]:
    """When the rollups were last built, each event's figures, and when each row was written."""
    db.session.expire_all()
    when = db.session.scalar(sa.select(RollupState.built_at))
    rows = list(db.session.scalars(sa.select(EventRollup)))
    figures = {r.event_id: (r.views, r.interactions, r.present, r.identified, r.credit)
               for r in rows}  # fmt: skip
    return when, figures, [r.refreshed_at for r in rows]


def test_a_rollup_rebuild_killed_keeps_the_last_build_or_completes_the_new_one(
    seeded_units_dropped: None,
    app: Flask,
    tmp_path: Path,
    writing: Callable[[], bool],
    kill_delay: Callable[[float, float], float],
) -> None:
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["seed", "province-year", "--communes", "20", "--events", "300",
                                 "--samples", "3000", "--comments", "3000", "--people", "8000",
                                 "--enrolments", "3000", "--now", "2026-12-06 10:00"])  # fmt: skip
    assert seeded.exit_code == 0, seeded.output  # and built the rollups once
    first, figures, _ = built()
    events = db.session.scalar(sa.select(sa.func.count()).select_from(Event))
    assert first is not None and len(figures) == events  # noqa: PT018

    child = spawn(app, ["reports", "rollup", "--full"], tmp_path / "rollup.log")
    assert kill_after(child, writing, kill_delay(0.0, 0.2)), child.output()
    when, after, written = built()
    assert after == figures  # the same sources: every row there, none missing or half-done
    if when == first:  # the old build, untouched
        assert all(at <= first for at in written)
    else:  # the new build, complete
        assert when > first and all(at > first for at in written)  # noqa: PT018

    again = runner.invoke(args=["reports", "rollup", "--full"])
    assert again.exit_code == 0, again.output
    when, after, _ = built()
    assert when > first
    assert after == figures
