"""Who may hold a lead of an event, decided for the user who assigns it.

Seen whole, an event's leads go to the active officers and above of its unit or a unit above it
(those who see its follow-up list), among the users the assigner sees: a province's officer
gives the province's leads to the province's officers. A lead who is a commune's person
(``call_scope.people_communes``: where they live, else the hall they checked in at) may also go
to that commune's officers, who see it on their part of the list — never to another commune's.
Seen in part (a commune's user on the province's event, ``app.followup.call_scope``), only the
commune's own people are theirs to assign, and only to the commune's officers, the assigner
among them: a commune cannot hand work to another unit's staff. A lead already held by someone
else keeps its holder while other fields change, so an officer marking a lead the province
assigned does not unassign it.

The refusals are said in Vietnamese, the officers' language, even to the API's scripts: the
page's script shows its own words in the page's language instead.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from app.collation import vietnamese_key
from app.events.services import FieldError
from app.extensions import db
from app.followup.call_scope import CallScope, call_scope, people_communes, unit_name
from app.models import Event, LeadWork, OrgUnit, Person, Role, User
from app.scoping import ancestor_ids, scoped

NOT_AN_OFFICER = _l("Marking leads needs the officer role or higher.")
NOT_IN_PART = _l("This person is not among the people of your unit in this event.")
NOT_ASSIGNABLE = _l(
    "This lead cannot go to that user: choose one of the officers listed (a commune gives its "
    "leads to its own officers alone)."
)
ORGANISERS = _l("Officers of the organising unit (%(unit)s)")
COMMUNE_OFFICERS = _l("Officers of %(unit)s")


class NotAllowed(PermissionError):
    """The user may see the lead but not work on it (viewers)."""


class NotAssignable(FieldError):
    """The lead may not go to this user (``assignee_id``), said in the request's language: the
    page's, or the API's English as every API message."""

    def __init__(self) -> None:
        super().__init__("assignee_id", str(NOT_ASSIGNABLE))


class NotInPart(LookupError):
    """The person is not one of the user's part of the event: answered as not found (404), so
    another commune's people are not even confirmed."""


def may_work(user: User) -> bool:
    """Officers and above call people and mark their leads; viewers only look."""
    return user.has_role(Role.OFFICER)


def assignable_users(event: Event, user: User) -> list[User]:
    """Who ``user`` may give a lead of ``event`` to: see the module's docstring."""
    return users_for(call_scope(event.id, user), user)


def _officers(user: User) -> Select[tuple[User]]:
    """Active officers and above among the users ``user`` sees."""
    ranks = [r for r in Role if r.rank >= Role.OFFICER.rank]
    return scoped(select(User), User, user).where(User.active.is_(True), User.role.in_(ranks))


def users_for(scope: CallScope, user: User) -> list[User]:
    """``assignable_users`` for the event's scope as ``user`` sees it, already read."""
    stmt = _officers(user)
    if scope.part is None:
        event = scope.event
        units = [event.org_unit_id, *db.session.scalars(ancestor_ids(event.org_unit))]
        stmt = stmt.where(User.org_unit_id.in_(units))
    else:  # the commune's own staff only (``scoped`` alone would also take units below it)
        stmt = stmt.where(User.org_unit_id == scope.part.id)
    return list(db.session.scalars(stmt.order_by(User.display_name, User.email)))


def user_name(user: User | None) -> str:
    return (user.display_name or user.email) if user is not None else ""


def assignee_choices(event: Event, user: User) -> dict[int, str]:
    """Names of the users a lead may go to, for the assign dropdowns (in that order)."""
    return {u.id: user_name(u) for u in assignable_users(event, user)}


def assignee_names(event: Event, user: User) -> dict[int, str]:
    """Names of everyone who may hold the event's leads (in that order), then of those who hold
    one now without being among them: the list's rows and its filter name them. In part, only
    the holders of the user's own people's leads are named."""
    scope = call_scope(event.id, user)
    names = {u.id: user_name(u) for u in users_for(scope, user)}
    held_stmt = select(LeadWork.assignee_id).where(
        LeadWork.event_id == event.id, LeadWork.assignee_id.is_not(None)
    )
    if scope.only is not None:
        held_stmt = held_stmt.join(Person, Person.id == LeadWork.person_id).where(scope.only)
    held = set(db.session.scalars(held_stmt))
    for other in db.session.scalars(select(User).where(User.id.in_(held - set(names)))):
        names[other.id] = user_name(other)
    return names


def check_in_part(scope: CallScope, person_id: int) -> None:
    """Raises NotInPart unless the person is one of the scope's people."""
    if person_id not in scope.kept([person_id]):
        raise NotInPart(f"person {person_id} is not among the people of the user's part")


@dataclass(frozen=True)
class CommuneOfficers:
    """A commune's officers, offered for the leads who are its people (a group of the menu)."""

    unit: OrgUnit
    names: dict[int, str]  # user id → name, in order

    def label(self) -> str:
        """The menu group's name, "Cán bộ xã Nghi Phong", in the page's language."""
        return str(COMMUNE_OFFICERS) % {"unit": unit_name(self.unit)}


def commune_officers(
    scope: CallScope, user: User, commune_ids: Collection[int]
) -> list[CommuneOfficers]:
    """The officers of these communes ``user`` may give their people's leads to, a group per
    commune with any (by name); none when the event is seen in part (a commune keeps its own),
    nor for the commune organising the event (its officers are the organisers already)."""
    wanted = set(commune_ids) - {scope.event.org_unit_id}
    if scope.part is not None or not wanted:
        return []
    stmt = _officers(user).where(User.org_unit_id.in_(sorted(wanted)))
    groups: dict[int, dict[int, str]] = {}
    for officer in db.session.scalars(stmt.order_by(User.display_name, User.email)):
        groups.setdefault(officer.org_unit_id, {})[officer.id] = user_name(officer)
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(sorted(groups))))
    found = [CommuneOfficers(u, groups[u.id]) for u in units]
    return sorted(found, key=lambda g: vietnamese_key(g.unit.name))


def organisers_label(event: Event) -> str:
    """The menu's group of the organising unit's officers, in the page's language."""
    return str(ORGANISERS) % {"unit": event.org_unit.name}


def lead_assignees(scope: CallScope, user: User, person_id: int) -> set[int]:
    """Ids of the users ``user`` may give this person's lead to: see the module's docstring."""
    allowed = {u.id for u in users_for(scope, user)}
    communes = people_communes(scope.event.id, [person_id]).get(person_id, set())
    for group in commune_officers(scope, user, communes):
        allowed |= set(group.names)
    return allowed


def parse_assignee(
    value: Any, scope: CallScope, user: User, held: int | None, person_id: int
) -> int | None:
    """The lead's new holder: nobody, the one holding it now, or a user ``user`` may give this
    person's lead to; else FieldError (the same for an unknown id and another unit's user: no
    id is confirmed)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise FieldError("assignee_id", "must be a user id or null")
    wanted = int(value)
    if wanted != held and wanted not in lead_assignees(scope, user, person_id):
        raise NotAssignable
    return wanted
