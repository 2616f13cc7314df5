"""People made from comment leads: each commenter becomes one person with a touch of each event.

Attendee sheets, check-ins and platform participants already arrive as Person + Attendance
(``rows``); a lead comment (``leads`` decided it is one when it was collected, and never when the
page itself wrote it) only carries the author's display name, the platform's author id and the
phone found in it.

Who wrote a comment is told by its keys (``lead_keys``), strongest first: the platform's author id
within its account (a Facebook user id is scoped to the page's app; a YouTube channel id is the
same everywhere), the phone written in it with the folded name, and, for a comment with neither,
the folded name on its target. A comment belongs to the person of its first key already known
(``Authors``) — from this run or an earlier one — so a commenter is one person however many
comments, targets, events or runs; the same human across platforms is merged later by
app.followup.dedup. The follow-up call list groups the comments not yet registered the same way.

A collected batch registers its own new lead comments in its transaction
(``register_collected_leads``, a step of app.collection.steps), so a commenter is a person as soon
as their comment is stored, whichever process collects; ``flask followup link``
(``register_pending_leads``) and an officer working a lead register whatever is still left
(comments stored before, or whose registration failed). The batch's registration and the sweep
run inside a SAVEPOINT (``register_apart``): a lead that cannot be registered (a stored phone
that no longer decrypts, a database refusing the row) is logged and left waiting, without the
batch it came in, or the other leads, being lost with it.

Nobody asked these people for consent: they are held under the public-comment basis
(app.consent.PUBLIC_COMMENT), for a limited time after their latest comment. Comments whose text
the retention sweep already removed make nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Row, Select, func, select

from app.consent import PUBLIC_COMMENT
from app.extensions import db
from app.identity.names import written_name
from app.identity.text import NAME_CHARS, fit, fold, name_columns
from app.models import Attendance, Comment, Person, Target, utcnow

log = logging.getLogger(__name__)
SOURCE = "comment"
# The PostgreSQL advisory lock a collected batch holds while it registers its leads (to its commit).
LOCK = "lantoa.lead_people.collected"
CHUNK = 500  # values per IN list when looking up earlier comments
Key = tuple[str, ...]


class LeadComment(Protocol):
    """What the keys are made of: a Comment, or a row of these columns."""

    target_id: int
    author_name: str
    author_external_id: str | None
    phone_bidx: str | None


def display_name(comment: LeadComment) -> str:
    """The author's name as a person's: single spaces, cut at a word to fit the column (the
    comment keeps it whole, as the platform gave it)."""
    return fit(" ".join((comment.author_name or "").split()), NAME_CHARS)


def lead_keys(comment: LeadComment, account_id: int | None) -> list[Key]:
    """The keys telling who wrote a lead comment, strongest first (see the module docstring)."""
    name = fold(display_name(comment))
    keys: list[Key] = []
    if comment.author_external_id:
        scope = f"account {account_id}" if account_id is not None else f"target {comment.target_id}"
        keys.append(("author", scope, comment.author_external_id))
    if comment.phone_bidx:
        keys.append(("phone", comment.phone_bidx, name))
    if not keys:
        keys.append(("name", str(comment.target_id), name))
    return keys


class Authors:
    """Who is who among comments: a comment joins the owner of its first known key, and its
    other keys then lead there too (the first owner of a key keeps it)."""

    def __init__(self) -> None:
        self.owners: dict[Key, Hashable] = {}

    def owner(self, keys: Sequence[Key]) -> Hashable | None:
        return next((self.owners[k] for k in keys if k in self.owners), None)

    def claim(self, keys: Sequence[Key], owner: Hashable) -> None:
        for key in keys:
            self.owners.setdefault(key, owner)


def register_comment_leads(now: datetime, only: Collection[int] | None = None) -> int:
    """People for lead comments that have none yet (of ``only``, comment ids, if given: a
    collected batch's leads, or an officer marking one lead); returns how many people were
    created. The new people are inserted in one flush and the known ones and their touches read
    in a few IN lists, so a batch costs a handful of statements however many leads it holds."""
    stmt = _pending()
    if only is not None:
        stmt = stmt.where(Comment.id.in_(list(only)))
    pending = [
        (c, event_id, lead_keys(c, account)) for c, event_id, account in db.session.execute(stmt)
    ]
    if not pending:
        return 0
    authors = _known_authors([c for c, _, _ in pending])
    people: dict[Hashable, Person] = _people(authors.owner(keys) for _, _, keys in pending)
    made: list[Person] = []
    chosen: list[Person] = []
    for comment, _, keys in pending:
        owner = authors.owner(keys)
        person = people.get(owner) if owner is not None else None
        if person is None:
            # Stored as names are written ("nguyen thi hoa" → "Nguyen Thi Hoa"), as sheets' and
            # check-ins' are; the keys above fold case, so the same commenter is still found.
            name, folded = name_columns(written_name(display_name(comment)))
            person = Person(full_name=name, name_folded=folded, phone=comment.phone,
                            phone_bidx=comment.phone_bidx, consent_source=SOURCE,
                            legal_basis=PUBLIC_COMMENT)  # fmt: skip
            owner = ("new", len(made))  # its id comes with the flush below
            people[owner] = person
            made.append(person)
        elif comment.phone_bidx and not person.phone_bidx:
            person.phone, person.phone_bidx = comment.phone, comment.phone_bidx
        authors.claim(keys, owner)
        chosen.append(person)
    db.session.add_all(made)
    db.session.flush()
    fresh = {id(p) for p in made}
    touched = _stored_touches(
        {p.id for p in chosen if id(p) not in fresh}, {event_id for _, event_id, _ in pending}
    )
    for (comment, event_id, _), person in zip(pending, chosen, strict=True):
        comment.person_id = person.id
        _touch(touched, person.id, event_id, comment)
    db.session.flush()
    return len(made)


def register_collected_leads(comment_ids: Collection[int]) -> int:
    """``register_comment_leads`` for the lead comments a collected batch wrote, in its
    transaction; those already a person's (an edit of a registered comment) cost one query.

    Collector threads and processes write batches side by side, and one commenter may be in two
    of them at once (an account's lives split between two collectors, one phone written on
    Facebook and on YouTube): on PostgreSQL each batch registers under one advisory lock, held
    to its commit, so the second one finds the first one's person instead of making another.
    """
    pending = list(
        db.session.scalars(
            select(Comment.id).where(Comment.id.in_(list(comment_ids)), Comment.person_id.is_(None))
        )
    )
    if not pending:
        return 0
    if db.engine.dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(LOCK))))
    return register_comment_leads(utcnow(), only=pending)


def register_lead_once(comment_id: int) -> None:
    """Register one lead comment as an officer first marks it, whoever else marks it meanwhile.

    Two devices marking a commenter not yet a person at the same moment both found no person;
    each made one. Now the registration waits its turn first: on PostgreSQL under the advisory
    lock collected batches hold (so it waits out a batch registering the same commenter too), on
    SQLite for the write lock its SAVEPOINT takes (``app.database``: BEGIN IMMEDIATE). Only then
    is the comment read again, fresh: the first arrival registers it, the later ones find the
    person it made (of this comment, or of the commenter's other comments, by their keys).
    A commenter's person is told by several keys (author id, phone with name, name on a target)
    rather than one column, so no unique index could say it; the lock serialises instead.
    """
    with db.session.begin_nested():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(LOCK))))
        comment = db.session.get(Comment, comment_id, populate_existing=True)  # read again
        if comment is not None and comment.person_id is None:
            register_comment_leads(utcnow(), only=[comment_id])
            db.session.flush()


def register_apart(register: Callable[[list[int]], int], comment_ids: Collection[int]) -> int:
    """``register`` these lead comments in a SAVEPOINT; when that fails, each one in its own, so
    that only those whose registration fails stay without a person (logged, left for a later
    ``register_pending_leads``) and the caller's transaction goes on; returns the people made."""
    ids = sorted(comment_ids)
    try:
        with db.session.begin_nested():
            return register(ids)
    except Exception:  # noqa: BLE001 - whatever it is, it must not cost the caller its rows
        log.warning("registering %d lead comments at once failed; one by one now", len(ids))
    made, failed = 0, []
    for comment_id in ids:
        try:
            with db.session.begin_nested():
                made += register([comment_id])
        except Exception as exc:  # noqa: BLE001
            failed.append(comment_id)
            log.error("lead comment %s not registered as a person (left waiting): %s: %s",
                      comment_id, type(exc).__name__, exc, exc_info=exc)  # fmt: skip
    return made


def register_pending_leads(now: datetime) -> int:
    """Every lead comment still without a person registered (``flask followup link``), those
    that fail left waiting; returns how many people were made."""
    try:
        with db.session.begin_nested():
            return register_comment_leads(now)
    except Exception:  # noqa: BLE001 - found again below, one by one
        log.warning("registering the waiting lead comments at once failed; one by one now")
    return register_apart(lambda ids: register_comment_leads(now, only=ids), _pending_ids())


def _pending_ids() -> list[int]:
    return list(db.session.scalars(_pending().with_only_columns(Comment.id)))


def _known_authors(pending: Sequence[Comment]) -> Authors:
    """The keys of comments registered earlier that any pending comment may share: same author
    id, same phone, or same target for the names (a name key is a comment's only key, so only
    the targets of pending comments told by their name alone), asked in chunks so no list of
    values grows past what a database takes in one statement."""
    authors = Authors()
    base = (
        select(
            Comment.id,
            Comment.created_at,
            Comment.target_id,
            Comment.author_name,
            Comment.author_external_id,
            Comment.phone_bidx,
            Comment.person_id,
            Target.account_id,
        )  # fmt: skip
        .join(Target, Target.id == Comment.target_id)
        .join(Person, Person.id == Comment.person_id)
        .where(Comment.is_lead, Person.erased_at.is_(None))
    )
    wanted: list[tuple[Any, list[Any]]] = [
        (Comment.author_external_id, sorted({c.author_external_id for c in pending} - {None})),
        (Comment.phone_bidx, sorted({c.phone_bidx for c in pending} - {None})),
        # Names tell only comments without author id and phone, on their target.
        (Comment.target_id, sorted({c.target_id for c in pending if _by_name(c)})),
    ]
    found: dict[int, Row[Any]] = {}
    for column, values in wanted:
        for at in range(0, len(values), CHUNK):
            for row in db.session.execute(base.where(column.in_(values[at : at + CHUNK]))):
                found[row.id] = row
    for row in sorted(found.values(), key=lambda r: (r.created_at, r.id)):
        authors.claim(lead_keys(row, row.account_id), row.person_id)
    return authors


def _pending() -> Select[Any]:
    """The lead comments waiting for a person, oldest first, with their event and account."""
    return (
        select(Comment, Target.event_id, Target.account_id)
        .join(Target, Target.id == Comment.target_id)
        .where(Comment.is_lead, Comment.person_id.is_(None), Comment.deleted_at.is_(None))
        .where(Comment.erased_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )


def _by_name(comment: LeadComment) -> bool:
    return not comment.author_external_id and not comment.phone_bidx


def _people(ids: Iterable[Hashable]) -> dict[Hashable, Person]:
    """The people of these ids (known authors), read in chunks."""
    wanted = sorted({i for i in ids if isinstance(i, int)})
    found: dict[Hashable, Person] = {}
    for at in range(0, len(wanted), CHUNK):
        found.update(
            (p.id, p)
            for p in db.session.scalars(
                select(Person).where(Person.id.in_(wanted[at : at + CHUNK]))
            )
        )
    return found


def _stored_touches(person_ids: set[int], event_ids: set[int]) -> dict[tuple[int, int], Attendance]:
    """The comment touches already stored of these people at these events."""
    wanted = sorted(person_ids)
    found: dict[tuple[int, int], Attendance] = {}
    for at in range(0, len(wanted), CHUNK):
        stmt = select(Attendance).where(
            Attendance.person_id.in_(wanted[at : at + CHUNK]),
            Attendance.event_id.in_(sorted(event_ids)),
            Attendance.source == SOURCE,
        )
        found.update(((t.person_id, t.event_id), t) for t in db.session.scalars(stmt))
    return found


def _touch(
    touched: dict[tuple[int, int], Attendance], person_id: int, event_id: int, comment: Comment
) -> None:
    """The person's comment touch of the event, dated by their earliest lead comment there."""
    touch = touched.get((person_id, event_id))
    if touch is None:
        touch = Attendance(person_id=person_id, event_id=event_id, source=SOURCE,
                           source_ref=f"comment {comment.external_id}"[:300],
                           touched_at=comment.created_at)  # fmt: skip
        db.session.add(touch)
    elif comment.created_at < touch.touched_at:
        touch.touched_at = comment.created_at
    touched[(person_id, event_id)] = touch
