"""The links typed on an event's form, on their way to the page that confirms them.

A new event's links were already read from their platforms before it was saved
(``app.events.pasted``); what the platforms said is kept with the text, so the confirmation page
shows it without asking each platform a second time. Links typed on the edit form were not read
yet: the confirmation page reads them. Kept in the shared store, encrypted, not in the cookie: a
pasted Zoom link may carry its passcode, and Flask's session cookie is signed, not encrypted.

Nothing is tracked until the officer confirms ("Start tracking"): until then the links stay kept
(for the store's hour), the event page and the links page say so and lead back to the
confirmation, and ``forget`` drops them once tracked; "Cancel" drops them too (``cancel``).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from hashlib import sha256
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.models import Event
from app.sheets import stash
from collectors.base import Description
from collectors.links import Link

if TYPE_CHECKING:
    from app.collection.links import Checked

PENDING_LINKS = "pending_links"  # links typed on the event form, confirmed on the next page


def after_save(event: Event, text: str, checked: list[Checked] | None = None) -> Response:
    """The event page, or first the confirmation of the links typed on the form (``checked``:
    what their platforms said of them, when they were already asked)."""
    if not text.strip():
        return redirect(url_for("events.event_detail", event_id=event.id))
    kept = {"text": text, "checked": None if checked is None else [_row(c) for c in checked]}
    data = json.dumps(kept).encode()
    stash_id = stash.put(data, "links.json", sha256(data).hexdigest(), owner(), event.id)
    session[PENDING_LINKS] = {"event": event.id, "stash": stash_id}
    # No notice here: the confirmation page itself says nothing is tracked until confirmed.
    return redirect(url_for("events.event_links", event_id=event.id))


def owner() -> str:
    return f"user:{current_user.id}"


def take(event: Event) -> tuple[str, list[Checked] | None] | None:
    """The links kept for ``event``'s confirmation page: their text, and what their platforms
    said (None: ask them). None when nothing is kept for this event. They stay kept until
    tracked (``forget``): the confirmation can be opened again."""
    pending = session.get(PENDING_LINKS) or {}
    if pending.get("event") != event.id:
        return None
    kept = stash.get(pending.get("stash", ""), owner(), event.id)
    if kept is None:  # an hour old: gone
        session.pop(PENDING_LINKS)
        return None
    entry = json.loads(kept.data.decode())
    rows = entry.get("checked")
    return entry["text"], None if rows is None else _checked(rows)


def pending_lines(event: Event) -> list[str]:
    """The lines typed for ``event`` and not tracked yet (for the event page), else none."""
    pending = session.get(PENDING_LINKS) or {}
    if pending.get("event") != event.id:
        return []
    kept = stash.get(pending.get("stash", ""), owner(), event.id)
    if kept is None:
        return []
    text = json.loads(kept.data.decode())["text"]
    return [line.strip() for line in text.splitlines() if line.strip()]


def forget(event: Event) -> bool:
    """The kept links of ``event`` are tracked now, or refused: nothing is pending any more.
    False when none were kept."""
    pending = session.get(PENDING_LINKS) or {}
    if pending.get("event") != event.id:
        return False
    session.pop(PENDING_LINKS)
    stash.drop(pending.get("stash", ""))
    return True


def cancel(event: Event) -> Response:
    """The officer's "Cancel" on the confirmation: the links typed on the form are not to be
    tracked, so they are no longer kept, nor listed on the event page."""
    if forget(event):
        flash(_("The links were not tracked and are no longer kept."), "info")
    return redirect(url_for("events.event_detail", event_id=event.id))


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


def _checked(rows: list[dict[str, Any]]) -> list[Checked] | None:
    """The kept lines again, their accounts read anew (still the user's); None when one of them
    is not any more (disconnected meanwhile): the platforms are then asked again."""
    from app.collection.links import Checked, usable_accounts  # it reads the events' services

    accounts = {a.id: a for found in usable_accounts(current_user).values() for a in found}
    named = {i for row in rows for i in [*row["accounts"], row["account"]] if i is not None}
    if not named <= accounts.keys():
        return None
    checked = []
    for row in rows:
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
