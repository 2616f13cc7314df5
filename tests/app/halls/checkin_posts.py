"""A hall's check-in link driven as a phone without JavaScript drives it, and what was stored.

Plain form posts: each step posts the form the page before it rendered (``CheckinForm``), with
the fields it carried and the ones typed. Shared by the no-JavaScript check-in tests and the
count-first tests (which post the same reports as JSON).
"""

from __future__ import annotations

from html.parser import HTMLParser

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.extensions import db
from app.halls import services
from app.models import AttendanceReport, BridgePoint, Event
from tests.app.halls.conftest import commune_codes, event_with_channel
from tests.conftest import HOME, Factory


class CheckinForm(HTMLParser):
    """The fields the page's report form would send (``form#checkin``), and its buttons."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self._inside = False
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = a.get("id") == "checkin"
        elif not self._inside:
            return
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("name"):
            self.buttons[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self.fields.setdefault(self._select or "", "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None


class NoScriptPhone:
    """One hall's check-in page on a phone without JavaScript."""

    def __init__(self, client: FlaskClient, point: BridgePoint) -> None:
        self.client = client
        self.path = f"/checkin/{point.checkin_token}"

    def blank(self) -> CheckinForm:
        """The form as the link first opens it (a fresh idempotency key)."""
        return CheckinForm(self.client.get(self.path).get_data(as_text=True))

    def post(self, form: CheckinForm, **typed: str) -> TestResponse:
        """``form`` sent back with what was typed over its fields."""
        return self.client.post(self.path, data={**form.fields, **typed})

    def next_form(self, form: CheckinForm, **typed: str) -> CheckinForm:
        """The form of the page that answers ``post(form, **typed)``."""
        return CheckinForm(self.post(form, **typed).get_data(as_text=True))


def one_hall(make: Factory, expected: int | None = None) -> tuple[Event, BridgePoint]:
    """A conference of the home province, held now, with one commune's hall."""
    event = event_with_channel(make)
    code = commune_codes(HOME, 1)[0]
    (point,) = services.set_bridge_points(event, [code], {code: expected} if expected else {})
    db.session.commit()
    return event, point


def stored() -> list[tuple[str, int | None, int]]:
    """(idempotency key, head count, attendee rows) of every report stored, oldest first."""
    db.session.expire_all()
    rows = db.session.execute(sa.select(AttendanceReport.idempotency_key,
                                        AttendanceReport.head_count, AttendanceReport.attendees)
                              .order_by(AttendanceReport.id))  # fmt: skip
    return [tuple(r) for r in rows]
