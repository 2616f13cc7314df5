"""A commune's list of activities shows a post's reach (the people it was shown to) beside its
views, which stay the reach the report counts; read alike from the sources and the rollups."""

from __future__ import annotations

import re

from app.collection.steps import refresh_rollups
from app.collection.writer import write_batch
from app.extensions import db
from app.models import Target
from collectors.base import Batch, Sample
from collectors.facebook.metrics import POST_REACH
from tests.app.reports.conftest import OCTOBER, vn
from tests.conftest import HOME, login


def _row(html: str, event_id: int) -> str:
    # the row's cells carry their phone labels (data-label): match the cells by their tags only
    cell = r"<td[^>]*>"
    found = re.search(
        rf'<tr>\s*{cell}[^<]*</td>{cell}[^<]*</td>\s*{cell}<a href="/events/{event_id}">(.*?)</tr>',
        html,
        re.S,
    )
    assert found, html
    return found.group(1)


def test_a_post_shows_the_people_it_reached_beside_its_views(client, make, month) -> None:
    post = month.events["P1"]
    target = db.session.query(Target).filter_by(event_id=post.id).one()
    later = vn(post.planned_start.date(), 20)
    # Through the runner's writer, which keeps the rollup row in its transaction.
    batch = Batch(samples=(Sample(sampled_at=later, extra={POST_REACH: 321}),))
    refresh_rollups(write_batch(target, batch, later))
    db.session.commit()
    login(client, make.user("viewer", HOME).email)
    page = client.get(
        "/reports/channels", query_string={**OCTOBER, "org_unit": month.commune_a.code}
    )
    row = _row(page.get_data(as_text=True), post.id)
    assert re.search(
        r"<td class=\"num\"[^>]*>400<small class=\"post-reach\"", row
    )  # the views, as reach
    assert ">321 người tiếp cận</small>" in row
    livestream = _row(page.get_data(as_text=True), month.events["L2"].id)
    assert "người tiếp cận" not in livestream


def test_a_post_with_no_reach_read_shows_none(client, make, month) -> None:
    login(client, make.user("viewer", HOME).email)
    page = client.get(
        "/reports/channels", query_string={**OCTOBER, "org_unit": month.commune_a.code}
    )
    row = _row(page.get_data(as_text=True), month.events["P1"].id)
    assert "người tiếp cận" not in row
