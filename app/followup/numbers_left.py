"""Whether a lead left a phone number: the one rule for the outcomes of a call.

"Called" and "Wrong number" (``lead_status.NEEDS_A_NUMBER``) say what a call to their number
gave; a lead who left none cannot have them. The server refuses them (``lead_work``), and the
live page's comment cards, told by the leads API which of their authors left one, do not offer
them (app/static/js/leads.js), nor does the editor of the follow-up list and "My calls", told
by the row (``leads_without_a_number``, app/static/js/followup-leads.js).

A number is left on the person's record, or in a comment by the same author under the same video:
a lead made from a comment without one is the commenter's, whose earlier comment may carry it
before that comment is registered to them (the call list counts it already).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import and_, select, tuple_
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Comment, Person


def _shown(comment: type[Comment]) -> list:  # type: ignore[type-arg]
    return [comment.phone_bidx.is_not(None), comment.erased_at.is_(None),
            comment.deleted_at.is_(None)]  # fmt: skip


def people_with_a_number(person_ids: Collection[int]) -> set[int]:
    """Those of these people who left a phone number."""
    wanted = set(person_ids)
    if not wanted:
        return set()
    found = set(
        db.session.scalars(
            select(Person.id).where(Person.id.in_(wanted), Person.phone_bidx.is_not(None))
        )
    )
    theirs, numbered = aliased(Comment), aliased(Comment)
    written = (
        select(theirs.person_id)
        .join(
            numbered,
            and_(
                numbered.target_id == theirs.target_id,
                numbered.author_external_id == theirs.author_external_id,
            ),
        )  # fmt: skip
        .where(theirs.person_id.in_(wanted - found), *_shown(numbered))
        .distinct()
    )
    return found | {p for p in db.session.scalars(written) if p is not None}


def comments_with_a_number(people: Mapping[int, int | None]) -> set[int]:
    """Of these lead comments (their person, None: not registered yet), those whose author left
    a phone number: the person's rule, or for one not registered yet, their comments under the
    same video (what the person registered from them will have)."""
    numbered = people_with_a_number({p for p in people.values() if p is not None})
    found = {cid for cid, pid in people.items() if pid is not None and pid in numbered}
    unknown = [cid for cid, pid in people.items() if pid is None]
    if not unknown:
        return found
    mine, theirs = aliased(Comment), aliased(Comment)
    keys = select(mine.target_id, mine.author_external_id).where(mine.id.in_(unknown))
    left = set(
        db.session.execute(
            select(theirs.target_id, theirs.author_external_id)
            .where(tuple_(theirs.target_id, theirs.author_external_id).in_(keys), *_shown(theirs))
            .distinct()
        ).all()
    )
    for cid, target_id, author in db.session.execute(
        select(mine.id, mine.target_id, mine.author_external_id).where(mine.id.in_(unknown))
    ):
        if (target_id, author) in left:
            found.add(cid)
    return found


Lead = tuple[int | None, int | None]  # (person id, comment id): a row of the follow-up pages


def leads_without_a_number(leads: Iterable[Lead]) -> set[Lead]:
    """Of these leads (the person, or for one not registered yet their comment), those who left
    no phone number: ``people_with_a_number``, ``comments_with_a_number`` for the others."""
    wanted = set(leads)
    numbered = people_with_a_number({p for p, _c in wanted if p is not None})
    comments = comments_with_a_number({c: None for p, c in wanted if p is None and c is not None})
    return {(p, c) for p, c in wanted
            if (p not in numbered if p is not None else c not in comments)}  # fmt: skip
