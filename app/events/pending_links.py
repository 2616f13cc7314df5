"""The links typed on an event's form, waiting with the event for an officer to track them.

A new event's links were already read from their platforms before it was saved
(``app.events.pasted``); what the platforms said is kept with each line, so the confirmation page
shows it without asking each platform a second time (for ``READ_KEPT``: later, or for an officer
without the accounts that read them, the platforms are asked again, about those lines only, the
others keeping their reading). Links typed on the edit form were not read yet: the confirmation
page reads them.

Nothing is tracked until an officer confirms ("Start tracking"). Until then the lines wait in
``pending_links`` (encrypted: a pasted Zoom link may carry its passcode), with who typed them and
when: the event page lists them to every officer who sees the event and leads to their
confirmation. Tracking them (``forget``), "Cancel" on their confirmation (``cancel``) or the
button beside one line (``drop``) ends their wait; a drop is audited, as event changes are.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import audit
from app.events.services import FieldError
from app.extensions import db
from app.models import Event, PendingLink, utcnow
from collectors.base import Description
from collectors.links import Link, pasted_lines

if TYPE_CHECKING:
    from app.collection.links import Checked

# How long what the platforms said of a new event's links is shown again without asking them:
# an object's status (upcoming, live) and times change, a reading a day old would mislead.
READ_KEPT = timedelta(hours=1)


def after_save(event: Event, text: str, checked: list[Checked] | None = None) -> Response:
    """The event page, or first the confirmation of the links typed on the form (``checked``:
    what their platforms said of them, when they were already asked). The lines wait with the
    event (committed here), a line already waiting is not kept twice."""
    lines = pasted_lines(text)
    if not lines:
        return redirect(url_for("events.event_detail", event_id=event.id))
    readings = [None] * len(lines) if checked is None else [_row(c) for c in checked]
    waiting = {p.line for p in waiting_links(event)}
    for line, reading in zip(lines, readings, strict=True):
        if line not in waiting:
            waiting.add(line)
            db.session.add(PendingLink(event_id=event.id, line=line, checked=reading,
                                       created_by_id=current_user.id))  # fmt: skip
    db.session.commit()
    # No notice here: the confirmation page itself says nothing is tracked until confirmed.
    return redirect(url_for("events.event_links", event_id=event.id))


def waiting_links(event: Event) -> list[PendingLink]:
    """The lines typed for ``event`` and not tracked yet, oldest first, with who typed them."""
    return list(db.session.scalars(
        select(PendingLink).where(PendingLink.event_id == event.id).order_by(PendingLink.id)
    ))  # fmt: skip


def take(event: Event) -> tuple[str, list[Checked] | None] | None:
    """The links waiting for ``event``'s confirmation page: their text, and what their platforms
    said (None: ask them). None when none wait. They wait until tracked (``forget``) or
    dropped: the confirmation can be opened again, by any officer of the event.

    Only the lines whose reading is missing, older than ``READ_KEPT`` or made through an
    account the officer may no longer use are asked again; the others keep what was said."""
    from app.collection.links import check_links  # it reads the events' services

    waiting = waiting_links(event)
    if not waiting:
        return None
    text = "\n".join(p.line for p in waiting)
    fresh = utcnow() - READ_KEPT
    rows = [p.checked for p in waiting if p.checked is not None and p.created_at >= fresh]
    kept = {c.line: c for c in _checked(rows)}
    if len(kept) == len(waiting):
        return text, list(kept.values())
    if not kept:
        return text, None
    try:
        return text, check_links(event, text, current_user, kept=kept)
    except FieldError:  # too many lines: the page says so when it checks them all
        return text, None


def forget(event: Event, text: str) -> int:
    """The waiting lines of ``event`` found in ``text`` (a confirmation just done) wait no more:
    they are tracked now, or the officer chose not to. How many; committed."""
    done = set(pasted_lines(text))
    gone = [p for p in waiting_links(event) if p.line in done]
    for pending in gone:
        db.session.delete(pending)
    db.session.commit()
    return len(gone)


def cancel(event: Event) -> Response:
    """The officer's "Cancel" on the confirmation: the links it showed (all waiting ones when it
    does not say) are not to be tracked, so they wait no more, nor show on the event page."""
    shown = request.form.get("links")
    gone = [p for p in waiting_links(event) if shown is None or p.line in pasted_lines(shown)]
    if gone:
        _drop(event, gone)
        flash(_("The links were not tracked and are no longer kept."), "info")
    return redirect(url_for("events.event_detail", event_id=event.id))


def drop(event: Event) -> Response:
    """The button beside one waiting line on the event page: that line is not to be tracked."""
    back = redirect(url_for("events.event_detail", event_id=event.id))
    number = request.form.get("pending", type=int)
    pending = next((p for p in waiting_links(event) if p.id == number), None)
    if pending is None:  # dropped or tracked by someone else meanwhile
        flash(_("This link is no longer waiting: it was tracked or removed meanwhile."), "info")
        return back
    _drop(event, [pending])
    flash(_("The link was removed: it will not be tracked."), "info")
    return back


def _drop(event: Event, gone: list[PendingLink]) -> None:
    """Delete the waiting lines ``gone`` and audit it (not their text: it may hold a passcode)."""
    for pending in gone:
        db.session.delete(pending)
    audit.record("event.links_drop", current_user, "event", event.id, links=len(gone),
                 typed_by=sorted({p.created_by_id for p in gone}))  # fmt: skip
    db.session.commit()


def _row(item: Checked) -> dict[str, Any]:
    d = item.description
    return {
        "line": item.line,
        "link": None if item.link is None else asdict(item.link),
        "description": None if d is None else {**asdict(d), "starts_at": _iso(d.starts_at),
                                                "ends_at": _iso(d.ends_at)},
        "accounts": [a.id for a in item.accounts],
        "account": None if item.account is None else item.account.id,
        "problem": item.problem,
        "warning": item.warning,
    }  # fmt: skip


def _checked(rows: list[dict[str, Any]]) -> list[Checked]:
    """The kept lines again, their accounts read anew (still the user's); a line whose account
    is not any more (disconnected meanwhile) is left out: its platform is asked again."""
    from app.collection.links import Checked, usable_accounts  # it reads the events' services

    accounts = {a.id: a for found in usable_accounts(current_user).values() for a in found}
    checked = []
    for row in rows:
        named = {i for i in [*row["accounts"], row["account"]] if i is not None}
        if not named <= accounts.keys():
            continue
        d = row["description"]
        description = None if d is None else Description(**{
            **d, "starts_at": _when(d["starts_at"]), "ends_at": _when(d["ends_at"])})  # fmt: skip
        checked.append(Checked(
            row["line"], None if row["link"] is None else Link(**row["link"]), description,
            [accounts[i] for i in row["accounts"]],
            None if row["account"] is None else accounts[row["account"]],
            row["problem"], row["warning"],
        ))  # fmt: skip
    return checked


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
