""" "Vừa ghi" for a check-in page without JavaScript (an old phone, a blocked script): the hall's
latest entries written into the page, each with "Sửa" and "Xóa" links that open one entry's form
(``?edit=<ref>`` / ``?withdraw=<ref>``), posted as a plain form with a CSRF token to
``/checkin/<token>/fix``. The correction goes through ``entries.correct``, as the script's
does: the same 12 hours, the same refusal once the person is followed up, the same audit row.

The page has no memory of what it sent, so every entry is shown as another phone's is (the
phone masked): the form sends what the officer changed, a blank phone or CCCD keeps the stored
one, and the answer to the purpose text is not asked again (``checkin.js`` editEntry).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.formatting import local
from app.halls import entries
from app.halls.checkin_form import ATTENDEE_LABELS
from app.halls.links import OpenHall
from app.halls.services import HallError

BOXES = ("name", "birth", "phone", "cccd", "hamlet")  # the form's inputs, as the script's


@dataclass
class Fixing:
    """The one entry whose form is open: ``action`` "edit" or "withdraw", what was typed, and
    a refusal's reasons (``inputs``: beside each box; ``message``: above the form)."""

    entry: dict[str, Any]
    action: str
    key: str
    typed: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    message: str = ""


def hall_of(point: Any) -> OpenHall:
    return OpenHall(id=point.id, event_id=point.event_id, org_unit_id=point.org_unit_id)


def listed(hall: OpenHall, now: datetime) -> list[dict[str, Any]]:
    """The hall's entries of the last 12 hours as the page lists them, newest first."""
    out = []
    for entry in entries.recent(hall, now):
        parts = [entry["name"], str(entry["birth_year"] or ""), entry["phone"], entry["hamlet"]]
        line = " · ".join(p for p in parts if p)
        out.append({**entry, "line": line, "time": _hhmm(entry["at"])})
    return out


def opened(shown: list[dict[str, Any]], args: MultiDict[str, str]) -> Fixing | None:
    """The form a "Sửa" or "Xóa" link asks for, if its entry is listed."""
    for action in ("edit", "withdraw"):
        ref = args.get(action)
        entry = next((e for e in shown if ref and e["ref"] == ref), None)
        if entry is not None:
            return Fixing(entry, action, uuid.uuid4().hex)
    return None


def body(form: MultiDict[str, str], entry: dict[str, Any] | None) -> dict[str, Any]:
    """The posted form as ``entries.correct`` reads the script's JSON: only what changed."""
    attendee: dict[str, str] = {}
    for box in BOXES:
        value = form.get(box, "").strip()
        if box != "name" and entry is not None:
            if box in ("phone", "cccd") and not value:
                continue  # left blank: kept
            if box in ("birth", "hamlet") and value == str(entry.get(_SHOWN[box]) or ""):
                continue  # as shown: kept (a full date of birth stays)
        attendee[box] = value
    action = form.get("action", "")
    return {"idempotency_key": form.get("idempotency_key", ""), "action": action,
            "ref": form.get("ref", ""), "attendee": attendee if action == "edit" else None,
            "consent_version": form.get("consent_version")}  # fmt: skip


_SHOWN = {"birth": "birth_year", "hamlet": "hamlet"}


def refused(fixing: Fixing, exc: HallError) -> Fixing:
    """The form again, with each reason beside its box; one that names no box, above it."""
    above = []
    for problem in reversed(exc.all):  # the first reason of a box wins
        box = problem.field.removeprefix("attendee.")
        if box in BOXES:
            fixing.inputs[box] = problem.localized()
        else:
            label = ATTENDEE_LABELS.get(box)
            above.insert(0, f"{_(label)}: {problem.localized()}" if label else problem.localized())
    fixing.message = " ".join(above)
    return fixing


def named(hall: OpenHall, form: MultiDict[str, str]) -> dict[str, str] | None:
    """Whom a refused correction was about (name, time entered): the entry as stored, even
    past the 12 hours, or, once it has gone, the name and time its form showed."""
    found = entries.entry_of(hall, form.get("ref", "")[:200])
    if found is not None:
        return {"name": found["name"], "time": _hhmm(found["at"])}
    name, at = form.get("who", "").strip()[:200], form.get("entered", "").strip()
    return {"name": name, "time": at} if name and re.fullmatch(r"\d\d:\d\d", at) else None


def _hhmm(iso: str) -> str:
    return local(datetime.fromisoformat(iso)).strftime("%H:%M")


def refusal(who: dict[str, str] | None, action: str | None, reason: str) -> str:
    """A refusal said above the list, naming the entry it was about when it is known."""
    if who is None:
        return reason
    if action == "withdraw":
        text = _("The removal of %(name)s (entered at %(t)s) was not accepted:", name=who["name"],
                 t=who["time"])  # fmt: skip
    else:
        text = _("The correction of %(name)s (entered at %(t)s) was not accepted:",
                 name=who["name"], t=who["time"])  # fmt: skip
    return f"{text} {reason}"


def done(answer: entries.Answer) -> str:
    """What the officer reads once the server has the correction (as the JSON answer says)."""
    if not answer.created:
        return _("Already received earlier — nothing was changed twice.")
    return _("Corrected.") if answer.action == "edit" else _("Withdrawn.")
