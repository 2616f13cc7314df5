"""Alerts on the pages: the alerts page (open ones and the last week's closed ones of every event
the user sees), an event's alerts as JSON (the live page polls it), acknowledging one, and the
event's rules form. Acknowledging and changing rules need an officer of the event's unit
(or above); every change is audited."""

from __future__ import annotations

import secrets

from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import audit
from app.alerts import bp, views, webhook, words
from app.alerts.facts import own_rules, rules_row
from app.alerts.forms import AlertRulesForm, addresses, rules_form_for
from app.auth.access import role_required
from app.collection.servers import UnsafeURL
from app.extensions import db
from app.halls.meeting import tracks_meeting
from app.models import Alert, AlertRules, Event, Role, utcnow
from app.scoping import get_scoped

RULE_FIELDS = ("enabled", "hall_absent_minutes", "hall_dropped_minutes", "head_count_percent",
               "head_count_after_minutes", "collector_minutes", "viewers_zero_minutes")  # fmt: skip


@bp.app_context_processor
def _alert_helpers() -> dict[str, object]:
    """Callables, so a page pays for the alert queries only where a partial asks for them."""
    return {
        "alert_views": views,
        "alert_words": words,
        "alert_rules": _rules_for_page,
        "alert_now": utcnow,
        "alert_count": open_count,
    }


def open_count() -> int:
    """The menu's figure, read once per page (the home card shows it too), when a page asks:
    only the menu of a logged-in user's page does (base.html); the halls' check-in pages, the
    API and the JSON answers have no menu. Read afresh on every page: acknowledging or an alert
    clearing shows on the next one."""
    if "alert_count" not in g:
        g.alert_count = views.open_count(current_user) if current_user.is_authenticated else 0
    return int(g.alert_count)


@bp.route("/alerts")
@login_required
def alerts_page() -> str:
    page = views.alerts_page(
        current_user,
        utcnow(),
        request.args.get("event", type=int),
        open_page=request.args.get("page", 1, type=int),
        closed_page=request.args.get("closed_page", 1, type=int),
    )
    return render_template("alerts/page.html", page=page)


@bp.route("/events/<int:event_id>/alerts")
@login_required
def event_alerts(event_id: int) -> Response:
    """The live page's poll (JSON); a browser opening the address gets the alerts page
    filtered on the event instead of raw JSON."""
    event = get_scoped(Event, event_id, current_user)
    if _wants_page():
        return redirect(url_for("alerts.alerts_page", event=event.id))
    alerts = views.event_alerts(event.id, utcnow())
    return jsonify(
        alerts=[views.as_dict(a) for a in alerts],
        open=sum(1 for a in alerts if a.open_key is not None),
        can_acknowledge=views.can_acknowledge(current_user),
    )


def _wants_page() -> bool:
    """A browser's navigation (text/html before JSON, not a script's request); a script's
    fetch sends ``Accept: application/json`` or ``*/*``, which keep the JSON."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return False
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


@bp.route("/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@role_required(Role.OFFICER)
def acknowledge(alert_id: int) -> Response:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        abort(404)
    get_scoped(Event, alert.event_id, current_user)  # 404 outside the user's scope
    if alert.acknowledged_at is None:
        alert.acknowledged_by_id = current_user.id
        alert.acknowledged_at = utcnow()
        audit.record("alert.acknowledged", current_user, "alert", alert.id,
                     event_id=alert.event_id, rule=alert.rule)  # fmt: skip
        db.session.commit()
    db.session.refresh(alert)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(alert=views.as_dict(alert))
    return redirect(_back(alert.event_id))


def _back(event_id: int) -> str:
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("events.event_detail", event_id=event_id)


@bp.route("/events/<int:event_id>/alert-rules", methods=["POST"])
@role_required(Role.OFFICER)
def save_rules(event_id: int) -> Response | tuple[str, int]:
    event = get_scoped(Event, event_id, current_user)
    form = rules_form_for(event.channel, tracks_meeting(event))
    url = (form.webhook_url.data or "").strip()
    if form.validate() and url:
        try:
            url = webhook.safe_url(url)
        except UnsafeURL:
            refusal = _("The webhook address must be https and reach a public server.")
            form.webhook_url.errors = [refusal]
    if any(f.errors for f in form):
        # The event's page again, the settings open as typed, each reason beside its box.
        g.refused_alert_rules = form
        flash(_("The alert settings were not saved: correct the boxes marked below."), "error")
        return current_app.view_functions["events.event_detail"](event_id=event.id), 422
    row = own_rules(event.id)
    if row is None:
        carried = rules_row(event.id)  # the unit's last settings: keep its bot's secret
        row = AlertRules(event_id=event.id)
        for name in RULE_FIELDS if carried is not None else ():  # the boxes not shown too
            setattr(row, name, getattr(carried, name))
        if carried is not None and carried.webhook_url == url:
            row.webhook_secret = carried.webhook_secret
    for name in RULE_FIELDS:
        if name in form:  # a box the channel does not show keeps its stored value
            setattr(row, name, form[name].data)
    row.emails = ", ".join(addresses(form.emails.data))
    row.webhook_url = url
    if url and (not row.webhook_secret or form.new_secret.data):
        row.webhook_secret = secrets.token_urlsafe(32)
    row.updated_by_id = current_user.id
    db.session.add(row)
    audit.record("alert.rules_changed", current_user, "event", event.id,
                 **{n: form[n].data for n in RULE_FIELDS if n in form}, webhook=bool(url),
                 recipients=len(addresses(row.emails)))  # fmt: skip
    db.session.commit()
    flash(_("Alert settings saved."), "success")
    return redirect(url_for("events.event_detail", event_id=event.id) + "#alert-rules")


def _rules_for_page(event: Event) -> tuple[AlertRulesForm, AlertRules | None]:
    """The form filled with the event's rules (or the defaults), only the boxes of its channel,
    and the row (its secret); a refused submission as it was typed, with its errors."""
    row = rules_row(event.id)
    refused = g.get("refused_alert_rules")
    if refused is not None:
        return refused, row
    return rules_form_for(event.channel, tracks_meeting(event), formdata=None, obj=row), row
