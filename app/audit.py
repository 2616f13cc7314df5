"""Writing the audit log: reads and exports of personal data, and changes to access.

Every action written is declared here as a read or a change. A read showed, exported, printed or
handed out data and changed nothing: the demo asks (``changes``) so that an officer who merely
opened a demo event's pages has not made it theirs. A name's ending says nothing reliable
(``people.lookup``, ``followup.my_calls``), so ``record`` refuses an undeclared action, and
tests/app/test_audit_actions.py reads every action written in app/ against these sets.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import ColumnElement

from app.extensions import db
from app.models import AuditLog, User

READS = frozenset({
    "bridge_point.entries_view",  # a hall's attendee entries, phones in clear
    "bridge_points.print",  # the halls' printed cards (contacts' phones)
    "bridge_points.share",  # the halls' check-in links as a message to send
    "bridge_points.view",  # the organisers' halls page (contacts' phones)
    "followup.export",  # an event's call list as a workbook
    "followup.my_calls",  # an officer's own calls
    "followup.view",  # an event's follow-up list
    "links.export",  # the person–enrolment links as CSV
    "live.join",  # an officer's socket join (leads' phones in clear)
    "live.view",  # an officer's live page
    "people.download",  # a person's data as a workbook (a subject-access request)
    "people.export",  # everything held about a person
    "people.lookup",  # finding a person by phone or CCCD
    "review.view",  # the review queue (birth dates)
})  # fmt: skip
CHANGES = frozenset({
    "account.check", "account.create", "account.delete", "account.reauthorise", "account.update",
    "alert.acknowledged", "alert.cleared", "alert.delivery_failed", "alert.opened",
    "alert.rules_changed", "alert.sent",
    "attendance.import",
    "bridge_point.entry_edit", "bridge_point.entry_withdraw", "bridge_point.head_count",
    "bridge_point.remove", "bridge_point.renew", "bridge_point.revoke", "bridge_points.save",
    "campaign.create",
    "checkin.entry_edit", "checkin.entry_withdraw",
    "enrolments.import",
    "event.create", "event.end", "event.links_drop", "event.reopen",
    "followup.link",
    "lead.update",
    "links.confirm", "links.reject", "links.undo",
    "participant.assign", "participant.not_a_hall", "participant.not_a_hall_undo",
    "people.correct", "people.erase", "people.merge", "people.retention",
    "people.withdraw_consent",
    "target.create",
    "user.create", "user.deactivate", "user.password_change", "user.password_reset",
    "user.reactivate", "user.token", "user.update",
})  # fmt: skip


class UndeclaredAction(ValueError):
    """An audit action declared neither a read nor a change: declare it in ``app.audit``."""


def declared(action: str) -> str:
    """``action`` itself, once it is known to be a read or a change (for rows written in bulk,
    without ``record``)."""
    if action not in READS and action not in CHANGES:
        raise UndeclaredAction(f"audit action {action!r} is neither in READS nor in CHANGES")
    return action


def changes() -> ColumnElement[bool]:
    """The audit rows that changed something: any action but a declared read (a row of a name
    no longer declared counts as a change, the safe side)."""
    return AuditLog.action.not_in(sorted(READS))


def record(
    action: str,
    user: User | None,
    object_type: str = "",
    object_id: object = "",
    **detail: Any,
) -> AuditLog:
    """Add an audit row to the current session; it commits with the work it describes."""
    entry = AuditLog(
        action=declared(action),
        user_id=user.id if user is not None else None,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
