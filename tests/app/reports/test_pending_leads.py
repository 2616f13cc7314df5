""" "People identified" and the lead comments the follow-up has not made people yet.

The tour saw a livestream's row say "Người được định danh 0" while its follow-up listed 19 comment
leads, 10 with a phone. The report counts a commenter once the follow-up has registered them as
a person (``register_comment_leads``), the follow-up list groups the comments itself: the
channels page says what the figure counts, and how many lead comments wait, with how many
phones. Here L1 of the hand-made October (0 people identified: p6 is linked by an attendance
sheet, not a comment) gains three lead comments by three authors, two with a phone, a deleted
lead comment and a lead comment of another province's livestream, neither of which counts.
"""

from __future__ import annotations

import re
from datetime import date

from app.attendance.lead_people import register_comment_leads
from app.collection.runner import run_targets
from app.extensions import db
from app.models import Comment, Target
from app.personal_data import indexed
from app.reports.facts import ReportFilter
from app.reports.pending_leads import PendingLeads, pending_leads, pending_statement
from app.reports.rollups.full_build import rebuild
from collectors.base import Batch, CommentRecord
from tests.app.reports.conftest import vn
from tests.conftest import HOME, login

OCTOBER = {"from": "2026-10-01", "to": "2026-10-31", "org_unit": HOME}
AT = vn(date(2026, 10, 5), 10)
NOTE = "3 bình luận quan tâm (2 có số điện thoại) chưa được tính vào Người được định danh"


def _lead(event, n: int, author: str, phone: str | None, *, deleted: bool = False) -> None:
    target = db.session.scalars(db.select(Target).where(Target.event_id == event.id)).first()
    db.session.add(Comment(target_id=target.id, external_id=f"lead-{event.id}-{n}",
                           created_at=AT, message="Tư vấn giúp em", author_name=author,
                           author_external_id=f"fb-{n}", is_lead=True, lead_intents=["advice"],
                           deleted_at=AT if deleted else None,
                           **indexed(phone=phone)))  # fmt: skip


def _identified(html: str) -> str:
    row = re.search(r'<tr data-channel="livestream">(.*?)</tr>', html, re.S).group(1)
    return re.search(r'data-key="identified">([^<]*)<', row).group(1)


def test_the_page_says_which_lead_comments_are_not_counted_yet(client, make, month) -> None:
    _lead(month.events["L1"], 1, "Nguyễn Thị Hoa", "+84912345678")
    _lead(month.events["L1"], 2, "Trần Văn Nam", "+84987654321")
    _lead(month.events["L1"], 3, "Lê Thu", None)
    _lead(month.events["L1"], 4, "Phạm An", "+84911111111", deleted=True)
    _lead(month.events["X"], 5, "Người tỉnh khác", "+84922222222")
    db.session.commit()
    if client.application.config["REPORTS_ROLLUPS"] == "auto":
        rebuild()
        db.session.commit()
    login(client, make.user("viewer", HOME).email)
    html = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    before = int(_identified(html))
    assert 'id="identified-note"' in html
    assert NOTE in re.sub(r"\s+", " ", html)

    assert register_comment_leads(AT) == 4  # three here, one in the other province
    db.session.commit()
    if client.application.config["REPORTS_ROLLUPS"] == "auto":
        rebuild()
        db.session.commit()
    html = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    assert int(_identified(html)) == before + 3  # now people: counted, and the note is gone
    assert 'id="pending-leads"' not in html


class _Scripted:
    """The platform's answer: one batch of comments, as a collector hands it to the runner."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch

    def collect(self, target, cursor) -> Batch:  # noqa: ANN001
        return self.batch


def test_collected_lead_comments_are_counted_at_once_and_nothing_waits(client, make, month) -> None:
    """Comments collected on the day (the embedded scheduler and ``flask collect run`` both write
    through the runner) are people when their batch commits: counted without ``flask followup
    link``, and the page has no lead comment to say it does not count."""
    login(client, make.user("viewer", HOME).email)
    if client.application.config["REPORTS_ROLLUPS"] == "auto":
        rebuild()
        db.session.commit()
    html = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    before = int(_identified(html))
    target = db.session.scalars(
        db.select(Target).where(Target.event_id == month.events["L1"].id)
    ).first()
    batch = Batch(
        comments=(
            CommentRecord("day-1", "Tư vấn giúp em, sđt 0912 345 678", AT, "Nguyễn Thị Hoa", "f1"),
            CommentRecord("day-2", "đóng bao nhiêu 1 tháng ạ", AT, "Trần Văn Nam", "f2"),
            CommentRecord("day-3", "Gọi tổng đài 1900 9068 nhé", AT, "BHXH Nghệ An", "page",
                          by_owner=True),
        ),
        cursor={"since": "x"},
        status="ended",
    )  # fmt: skip
    (result,) = run_targets([target.id], factory=lambda kind, url: _Scripted(batch),
                            clock=lambda: AT, publish=lambda *a: None)  # fmt: skip
    assert result.outcome == "ok"
    html = client.get("/reports/channels", query_string=OCTOBER).get_data(as_text=True)
    assert int(_identified(html)) == before + 2  # Hoa and Nam; the page's answer is nobody
    assert 'id="pending-leads"' not in html


def test_the_waiting_lead_comments_are_counted_from_their_index_alone(client, make, month) -> None:
    """Every channels page counts them: from ix_comments_pending_leads, which holds only the lead
    comments still waiting, not through the table's every lead comment of the period (a
    province-year page spent 91 ms on it at a tenth of the target size, bench/reports.py). A
    registered lead comment leaves the index and the count. PostgreSQL is told to avoid plain
    scans, which it would rightly choose for tables this small."""
    _lead(month.events["L1"], 1, "Nguyễn Thị Hoa", "+84912345678")
    _lead(month.events["L1"], 2, "Lê Thu", None)
    db.session.commit()
    year = ReportFilter(unit=month.events["L1"].org_unit, start=date(2026, 1, 1),
                        end=date(2026, 12, 31))  # fmt: skip
    assert pending_leads(year) == PendingLeads(comments=2, with_phone=1)
    connection = db.session.connection()
    sql = str(pending_statement(year).compile(connection, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}").scalars())
        assert "Index Only Scan using ix_comments_pending_leads on comments" in plan, plan
    else:
        details = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
        assert any("COVERING INDEX ix_comments_pending_leads" in d for d in details), details
    register_comment_leads(AT)
    db.session.commit()
    assert pending_leads(year) == PendingLeads(comments=0, with_phone=0)
