"""What an alert says, in the user's language (Vietnamese by default): on pages and in messages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.alerts import rules
from app.formatting import fmt_datetime
from app.models import Alert

RULE_LABELS = {
    rules.HALL_ABSENT: _l("Hall not connected"),
    rules.HALL_UNREPORTED: _l("Hall has not sent its head count"),
    rules.HALL_DROPPED: _l("Hall dropped out"),
    rules.HEAD_COUNT_LOW: _l("Head count far below expected"),
    rules.COLLECTOR_PAUSED: _l("Collection paused"),
    rules.COLLECTOR_FAILING: _l("Collection failing"),
    rules.VIEWERS_ZERO: _l("Livestream has no viewers"),
}
PAUSE_REASONS = {
    "auth_expired": _l("the account's access token expired"),
    "permanent_error": _l("the platform refuses the request"),
}


def rule_label(rule: str) -> str:
    """The kind in words; a kind this version does not know is "another alert", never its code."""
    return str(RULE_LABELS.get(rule, _l("Other alert")))


def describe(alert: Alert) -> str:
    """One sentence saying what is wrong and with what."""
    name, detail = alert.subject_name, alert.detail or {}
    if alert.rule == rules.HALL_ABSENT:
        return _("%(hall)s has not connected to the conference.", hall=name)
    if alert.rule == rules.HALL_UNREPORTED:
        return _("%(hall)s has not sent its head count yet.", hall=name)
    if alert.rule == rules.HALL_DROPPED:
        return _("%(hall)s dropped out of the conference and has not come back.", hall=name)
    if alert.rule == rules.HEAD_COUNT_LOW:
        return _(
            "%(hall)s reports %(count)s people of %(expected)s expected.",
            hall=name,
            count=detail.get("head_count", "?"),
            expected=detail.get("expected", "?"),
        )
    if alert.rule == rules.COLLECTOR_PAUSED:
        reason = str(PAUSE_REASONS.get(str(detail.get("reason")), detail.get("reason", "")))
        return _("Collection from %(name)s is paused: %(reason)s.", name=name, reason=reason)
    if alert.rule == rules.COLLECTOR_FAILING:
        return _("Collection from %(name)s keeps failing.", name=name)
    if alert.rule == rules.VIEWERS_ZERO:
        return _("The livestream on %(name)s has had no viewers for minutes.", name=name)
    return f"{rule_label(alert.rule)}: {name}"


def subject_line(alert: Alert, change: str) -> str:
    """An e-mail's subject: what happened, to which event."""
    if change == "cleared":
        return _("[Resolved] %(rule)s: %(name)s — %(event)s", rule=rule_label(alert.rule),
                 name=alert.subject_name, event=alert.event.title)  # fmt: skip
    return _("[Alert] %(rule)s: %(name)s — %(event)s", rule=rule_label(alert.rule),
             name=alert.subject_name, event=alert.event.title)  # fmt: skip


def body_text(alert: Alert, change: str, link: str) -> str:
    lines = [describe(alert), "", _("Event: %(title)s", title=alert.event.title)]
    lines.append(_("Since: %(time)s", time=fmt_datetime(alert.opened_at)))
    if change == "cleared" and alert.cleared_at is not None:
        lines.append(_("Resolved at: %(time)s", time=fmt_datetime(alert.cleared_at)))
    if link:
        lines += ["", link]
    return "\n".join(lines)
