"""Imports killed with SIGKILL while they write: each batch whole or absent, a retry completes it.

- The attendee sheet (932 rows) confirmed on the organiser's page of a served app (``flask run``):
  the server is killed while the confirm writes. Before, pysqlite let the batch's SAVEPOINT commit
  the batch row alone, so a kill left ``rows_ok=932`` with no attendee, and the retry was told
  "already imported".
- The enrolment export through ``flask followup import-enrolments``, which links what it brought in
  a second transaction: killed first inside the import, then (run again) inside the linkage; the
  third run finds the file imported and finishes the linkage (446 of 932 attendees converted).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app.auth.tokens import issue_token
from app.extensions import db
from app.models import Attendance, AuditLog, Enrolment, ImportBatch, Link
from tests.app.followup import seed_case
from tests.conftest import HOME, PASSWORD, Factory, csrf_token, login
from tests.durability.conftest import World
from tests.durability.processes import kill_after, serve, spawn

pytestmark = [pytest.mark.committing, pytest.mark.postgres]

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def count(model: type, *where: object) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def sheet_batches(event_id: int) -> list[ImportBatch]:
    return list(
        db.session.scalars(
            sa.select(ImportBatch).where(
                ImportBatch.kind == "attendees", ImportBatch.event_id == event_id
            )
        )
    )


def test_an_attendee_sheet_killed_while_confirming_is_whole_or_absent(
    app: Flask,
    client: FlaskClient,
    make: Factory,
    world: World,
    tmp_path: Path,
    writing: Callable[[], bool],
    kill_delay: Callable[[float, float], float],
) -> None:
    event_id = world.event.id
    officer = make.user("officer", HOME)
    url = f"/events/{event_id}/attendance/import"
    server, base = serve(app, tmp_path / "server.log")
    answered: list[int] = []
    try:
        web = requests.Session()
        token = TOKEN.search(web.get(f"{base}/login").text).group(1)  # type: ignore[union-attr]
        web.post(f"{base}/login", data={"email": officer.email, "password": PASSWORD,
                                        "csrf_token": token}).raise_for_status()  # fmt: skip
        token = TOKEN.search(web.get(base + url).text).group(1)  # type: ignore[union-attr]
        preview = web.post(base + url, data={"csrf_token": token},
                           files={"file": ("danh-sach.csv", world.case.sheet)})  # fmt: skip
        stash = re.search(r'name="stash" value="([^"]+)"', preview.text)
        assert stash is not None, preview.text[-2000:]
        confirm = {"csrf_token": token, "stash": stash.group(1)}

        def send() -> None:
            try:
                reply = web.post(base + url, data=confirm, allow_redirects=False, timeout=120)
                answered.append(reply.status_code)
            except requests.RequestException:
                pass  # killed

        sender = threading.Thread(target=send)
        sender.start()
        kill_after(server, writing, kill_delay(0.0, 0.4))
        sender.join(timeout=30)
    finally:
        server.kill()
    assert answered == [], "the confirm finished before the kill: nothing was tested"

    db.session.expire_all()
    batches = sheet_batches(event_id)
    stored = count(Attendance, Attendance.event_id == event_id)
    assert (len(batches), stored) in {(0, 0), (1, seed_case.ATTENDEES)}  # whole or absent
    assert all(b.rows_ok == seed_case.ATTENDEES for b in batches)

    # The officer confirms again: the preview is kept until the import has committed.
    login(client, officer.email)
    again = client.post(url, data={**confirm, "csrf_token": csrf_token(client, url)})
    assert again.status_code == 302, again.get_data(as_text=True)[-2000:]
    db.session.expire_all()
    assert len(sheet_batches(event_id)) == 1
    assert count(Attendance, Attendance.event_id == event_id) == seed_case.ATTENDEES


def enrolments_whole_or_absent() -> bool:
    """The export's batch with every one of its rows, or neither; True if the batch is there."""
    db.session.expire_all()
    batch = db.session.scalar(sa.select(ImportBatch).where(ImportBatch.kind == "enrolments"))
    if batch is None:
        assert count(Enrolment) == 0
        return False
    assert count(Enrolment) == batch.rows_ok > 0
    return True


def links_whole_or_absent() -> None:
    """A linkage run's audit entry with every link it counted, or neither."""
    runs = list(db.session.scalars(sa.select(AuditLog.detail).where(
        AuditLog.action == "followup.link")))  # fmt: skip
    assert len(runs) <= 1
    assert count(Link) == (sum(runs[0]["new_links"].values()) if runs else 0)


def test_an_enrolment_import_and_its_linkage_killed_are_whole_or_absent(
    app: Flask,
    client: FlaskClient,
    make: Factory,
    world: World,
    tmp_path: Path,
    writing: Callable[[], bool],
    kill_delay: Callable[[float, float], float],
) -> None:
    from app.attendance.sheet import commit_attendees, preview_attendees
    from app.models import utcnow

    commit_attendees(preview_attendees(world.event, world.case.sheet, "danh-sach.csv"),
                     user=None, now=utcnow())  # fmt: skip
    db.session.commit()
    export = tmp_path / "xuat-bhxh-tn.csv"
    export.write_bytes(world.case.export)
    args = ["followup", "import-enrolments", str(export)]

    # Killed inside the import's transaction (~2,100 rows).
    first = spawn(app, args, tmp_path / "import-1.log")
    assert kill_after(first, writing, kill_delay(0.0, 0.05)), first.output()
    enrolments_whole_or_absent()
    links_whole_or_absent()

    # The same command again: it imports (unless the first did) and says so, then links (about a
    # second of reading and matching, then the links written in one short transaction): killed.
    second = spawn(app, args, tmp_path / "import-2.log")
    linking = lambda: bool(re.search("enrolments imported|imported before", second.output()))  # noqa: E731
    assert kill_after(second, linking, kill_delay(0.0, 0.4)), second.output()
    assert enrolments_whole_or_absent()
    links_whole_or_absent()

    # Once more: the file is imported already, and its linkage is finished now.
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "imported before" in result.output
    db.session.expire_all()
    token = issue_token(make.user("viewer", HOME))
    db.session.commit()
    figures = client.get(f"/api/v1/events/{world.event.id}/conversion",
                         headers={"Authorization": f"Bearer {token}"}).get_json()  # fmt: skip
    assert (figures["identified"], figures["converted"]) == (
        seed_case.ATTENDEES,
        seed_case.CONVERTED,
    )
