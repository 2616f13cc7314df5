"""Call outcomes recorded once per submission, however many times a page sends them.

An officer calling from a phone saves the outcome (status, next call, notes; on the follow-up
list the assignee too) while the connection comes and goes: the page keeps each submission in a
queue under a key of its own (app/static/js/call-queue.js) and sends it again until an answer
comes, as the halls' check-ins do. The first arrival of a key records one ``LeadCall`` and applies
its values to the lead (``lead_work.update_lead``: the same rules, scope and audit); a later
arrival of the same key changes nothing and answers with what was stored. The key is claimed
before anything else is written, so two arrivals at once (two tabs, a retry racing a slow first
answer) wait on the unique key and the second finds the first's call (``Duplicate``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.events.services import FieldError
from app.extensions import db
from app.followup.lead_work import update_lead
from app.models import Event, LeadCall, LeadStatus, User
from app.timeparse import sent_time

KEY = re.compile(r"^[A-Za-z0-9_-]{8,80}$")


class Duplicate(Exception):  # noqa: N818 - it is the answer, not a failure
    """The key was stored by another request meanwhile: roll back, then read it (``stored``)."""


def stored(user_id: int, key: str) -> LeadCall | None:
    """The call the user recorded under ``key``, if any."""
    return db.session.scalar(
        select(LeadCall).where(LeadCall.user_id == user_id, LeadCall.idempotency_key == key)
    )


def record_call(
    event: Event,
    person_id: int,
    user: User,
    key: str,
    changes: Mapping[str, Any],
    *,
    now: datetime,
    sent_at: datetime | None = None,
    clock: datetime | None = None,
) -> tuple[LeadCall, bool]:
    """Record the submission ``key`` of the person's lead once; the caller commits.

    Returns the call and whether this request stored it (False: a retry, nothing changed).
    Raises what ``update_lead`` raises (NotInPart, NotAllowed, FieldError), FieldError for a
    malformed key or a key already used for another lead, and ``Duplicate`` when another
    request stored the key meanwhile (the caller rolls back and reads ``stored``)."""
    if not isinstance(key, str) or not KEY.match(key):
        raise FieldError("idempotency_key", "8 to 80 letters, digits, - or _, the same every retry")
    known = stored(user.id, key)
    if known is not None:
        if (known.event_id, known.person_id) != (event.id, person_id):
            raise FieldError("idempotency_key", "this key was used for another lead")
        return known, False
    call = LeadCall(event_id=event.id, person_id=person_id, user_id=user.id,
                    idempotency_key=key, status=LeadStatus.NEW, notes="",
                    called_at=sent_time(sent_at, now, clock))  # fmt: skip
    db.session.add(call)
    try:
        db.session.flush()  # the key claimed first: a concurrent twin waits here, then fails
    except IntegrityError as exc:
        raise Duplicate(key) from exc
    work = update_lead(event, person_id, user, changes)
    call.status = work.status
    call.next_call_on = work.next_call_on
    call.notes = work.notes or ""
    db.session.flush()
    return call, True
