"""The check-in page's HTML form read as its JSON body would carry it, and the names under which a
refusal points at the page's boxes: the form and the phone's JSON go through one service, so a
refusal names the same field in either."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext

from app.halls import services
from app.sheets.issues import _l
from app.wholenumbers import parse_whole

FORM_ROWS = 5
# A head count as officers type it: 35, 1.200, and the same followed by the word for people, with
# its tones, without them or cut short ("75 người", "75 nguoi", "75 ng"); spaces around anything.
# One rule for the server and the page: checkin.js gets this source (``count_rule``) and reads a
# count with it, case-insensitive, on NFC text, as ``whole_count`` does.
COUNT_RULE = (
    r"^\s*([-\u2212]?[0-9]{1,3}(?:[.\s\u00a0\u202f][0-9]{3})+|[-\u2212]?[0-9]+)"
    r"\s*(?:người|nguoi|ng)?\s*$"
)
COUNT = re.compile(COUNT_RULE, re.IGNORECASE)
NOT_A_COUNT = _l("The head count must be a whole number, for example 35.")
ATTENDEE_FIELD = re.compile(r"attendees\[(\d+)\]\.(\w+)")
FIELD_LABELS = {
    "head_count": _l("People in the hall now"),
    "attendees": _l("Attendee sheet (optional)"),
    "rows": _l("Number of attendee rows"),
    "sent_at": _l("Time the report was sent"),
    "clock": _l("Time on the phone"),
    "idempotency_key": _l("Report key"),
    "consent_version": _l("Purpose text"),
    "body": _l("Report"),
}
ATTENDEE_LABELS = {
    "name": _l("Full name"),
    "birth": _l("Year or date of birth"),
    "phone": _l("Phone"),
    "cccd": _l("CCCD (optional)"),
    "hamlet": _l("Hamlet"),
    "consent": _l("Agrees to the purpose above"),
}


def whole_count(value: Any) -> int | None:
    """The head count as sent: a whole number, or nothing (a submission of attendees only)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return read_count(value if isinstance(value, str) else "")


def read_count(text: str) -> int:
    """A head count typed for a hall, by ``COUNT_RULE``: the officer's form and the organiser's
    boxes (the hall page's head count, a hall's expected attendance) read "75 người" alike.

    A minus sign is read, for the range check to name it; anything else (blank too) is refused.
    """
    typed = COUNT.match(unicodedata.normalize("NFC", text))
    try:
        return parse_whole(typed[1] if typed else "")
    except ValueError:
        raise services.HallError("head_count", NOT_A_COUNT) from None


def form_body(rows_at: list[int]) -> dict[str, Any]:
    """The HTML form's fields as the JSON body would carry them; empty rows are skipped.

    ``rows`` says how many rows the form has; it is clamped to the most a submission may carry,
    so a forged number cannot make the server loop for minutes.
    """
    form = request.form
    text = (form.get("rows") or "").strip()
    if not text:
        count = FORM_ROWS
    elif re.fullmatch(r"[0-9]+", text):
        count = min(int(text[:7]), services.MAX_ATTENDEES)
    else:
        raise services.HallError("rows", _l("Must be a whole number."), text[:20])
    rows = []
    for i in range(count):
        row = {f: form.get(f"{f}-{i}", "").strip() for f in ATTENDEE_LABELS}
        if any(v for f, v in row.items() if f != "consent"):  # an answer alone is no row
            rows.append(row)
            rows_at.append(i)
    return {"idempotency_key": form.get("idempotency_key"), "head_count": form.get("head_count"),
            "consent_version": form.get("consent_version"), "attendees": rows}  # fmt: skip


def sent_rows(data: Any) -> list[int]:
    """The form's row (from 0) of each attendee a phone's JSON carries (``form_rows``, from 1:
    checkin.js skips empty rows as ``form_body`` does), so a refusal names the row the officer
    sees; none when they do not fit the attendees (the rows are then numbered as sent)."""
    rows = data.get("form_rows") if isinstance(data, dict) else None
    attendees = data.get("attendees") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not isinstance(attendees, list) or len(rows) != len(attendees):
        return []
    fit = all(type(n) is int and 1 <= n <= services.MAX_ATTENDEES for n in rows)
    return [n - 1 for n in rows] if fit else []


def field_label(field: str, rows_at: list[int]) -> tuple[str, str]:
    """The field's name on the page, and the id of its input there ("" when it has none)."""
    match = ATTENDEE_FIELD.fullmatch(field)
    if match and match[2] in ATTENDEE_LABELS:
        index = int(match[1]) - 1
        row = rows_at[index] if 0 <= index < len(rows_at) else index
        person = _("Person %(n)s", n=row + 1)
        return f"{person} · {_(ATTENDEE_LABELS[match[2]])}", f"{match[2]}-{row}"
    label = FIELD_LABELS.get(field)
    return (_(label) if label else field), ("head_count" if field == "head_count" else "")


def field_marks(exc: services.HallError, rows_at: list[int]) -> dict[str, Any]:
    """A refusal as the page shows it: a summary, and each box at fault with its reason."""
    problems = [(e.field, *field_label(e.field, rows_at), e.localized()) for e in exc.all]
    field, label, input_id, reason = problems[0]
    message = f"{label}: {reason}"
    inputs = {at: why for _name, _shown, at, why in reversed(problems) if at}  # the first wins
    summary = message if len(problems) == 1 else ngettext(
        "%(num)s problem to correct, each written beside its box.",
        "%(num)s problems to correct, each written beside its box.", len(problems))  # fmt: skip
    return {"field": field, "message": summary, "reason": reason, "input": input_id,
            "inputs": inputs, "count": None}  # fmt: skip
