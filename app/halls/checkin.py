"""`/checkin/<token>`: the hall officer's page and its JSON twin.

No account and no session: the secret in the link is the only credential, so the blueprint is
exempt from CSRF (a forger would need the secret itself). Every submission carries an idempotency
key, generated in the browser and reused by every retry, so a report never counts twice.

The page (app/static/js/checkin.js) queues every report in the phone's storage and sends it when
it can; a refusal stays on the page next to the field at fault, so every answer here names the
field and says what is wrong in the page's language. `/checkin/sw.js` is the service worker that
lets the page open without a connection once it has been visited. Without the script, "Vừa ghi"
is written into the page and one entry is corrected by a plain form (``fix``, ``checkin_fix``):
that form alone carries a CSRF token, as the link's holder may keep a session for it.

Each attendee row carries the person's answer to the purpose text the page prints (Có / Không,
or not asked), and the report the version of that text (``consent_version``), so a report typed
offline on a page cached before a new version records the text that person was really shown.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response
from wtforms import ValidationError

from app.consent import CURRENT, PURPOSES
from app.errors import wants_json
from app.extensions import csrf, db, limiter
from app.formatting import fmt_datetime, fmt_number
from app.halls import checkin_fix, checkin_form, entries, figures, joining, links, services, window
from app.halls import checkin_sheet as sheet
from app.halls.checkin_form import FORM_ROWS, field_label, field_marks, form_body, whole_count
from app.halls.figures import HeadCount
from app.halls.unusual import RULE as UNUSUAL_RULE
from app.halls.unusual import SMALL, unusual_count
from app.identity.phones import grouping_rules
from app.models import AttendanceReport, utcnow
from app.realtime import publish_soon
from app.sheets.issues import _l

bp = Blueprint("checkin", __name__)
csrf.exempt(bp)
# No rate limit either, now or from defaults added later: a hall resends every report until it
# is answered, and a province's halls may reach us from a few carrier-NAT addresses. The filter
# also spares each report the limiter's look-up of limits that do not apply (Flask-Limiter's
# documented ``request_filter``; ``exempt`` alone still resolves them at every request).
limiter.exempt(bp)


@limiter.request_filter
def exempt_from_limits() -> bool:
    """Whether the request is the check-in blueprint's (Flask-Limiter skips its limits)."""
    return request.blueprint == bp.name


# Reports written through the ORM (scripts, tests) move their hall's figures too.
bp.record_once(lambda _state: figures.install())


def _hall(token: str):  # type: ignore[no-untyped-def]
    return _point(open_link(token))


def open_link(token: str, remembered: bool = False) -> links.OpenHall:
    """The hall the link opens (its ids: a submission writes with no ORM object), or the
    refusal. ``remembered``: as read by an earlier request (``links.open_hall``)."""
    try:
        return links.open_hall(token, utcnow(), remembered)
    except links.LinkRefused as refused:
        abort(_refusal(refused))


def _point(hall: links.OpenHall):  # type: ignore[no-untyped-def]
    """The hall as the ORM object, for a page."""
    try:
        return links.hall_of(hall)
    except links.LinkRefused as refused:
        abort(_refusal(refused))


def _refusal(refused: links.LinkRefused) -> Response:
    """The hall officer's answer, on a page as light as the check-in page, or as JSON.

    An unknown and a revoked link get the same 404; an expired one says since when (410).
    """
    if refused.expired_at is not None:
        status, name = 410, "Gone"
        message = _("This check-in link expired on %(t)s; ask the organiser for a new one.",
                    t=fmt_datetime(refused.expired_at))  # fmt: skip
    else:
        status, name = 404, "Not Found"
        message = _("This check-in link no longer works; ask the organiser for a new one.")
    if request.is_json or wants_json():
        expired = refused.expired_at.isoformat() if refused.expired_at else None
        response = jsonify(
            {"error": name, "status": status, "message": message, "expired_at": expired}
        )
    else:
        response = Response(render_template("halls/checkin_closed.html", message=message),
                            mimetype="text/html")  # fmt: skip
    response.status_code = status
    return response


@bp.route("/checkin/sw.js", methods=["GET"])
def service_worker() -> Response:
    """Served from /checkin/ so that its scope covers every hall's page (no CDN, no /static/)."""
    path = Path(current_app.static_folder or "static") / "js" / "checkin_sw.js"
    response = Response(path.read_bytes(), mimetype="text/javascript")
    response.cache_control.no_cache = True  # a new deploy's worker is picked up at once
    return response


@bp.route("/checkin/<token>", methods=["GET"])
def page(token: str) -> str:
    point = _hall(token)
    return _page(point, token)


def _page(point: Any, token: str, key: str | None = None, **extra: Any) -> str:
    """The hall's page; ``key``: the form's idempotency key when a refused report keeps its own
    (its count went first, or may: ``_count_first``), else a new one."""
    latest = services.latest_head_count(point)
    shown = checkin_fix.listed(checkin_fix.hall_of(point), utcnow())  # "Vừa ghi" without script
    if "fixing" not in extra and request.method == "GET":
        extra["fixing"] = checkin_fix.opened(shown, request.args)
        # A correction's answer, said once on the page its post redirected to (``fix``).
        extra["fixed"] = next(iter(get_flashed_messages(category_filter=[FIXED])), None)
    return render_template(
        "halls/checkin.html",
        point=point,
        token=token,
        latest=latest,
        rows=range(FORM_ROWS),
        max_rows=services.MAX_ATTENDEES,  # "Thêm người" stops where form_body's clamp is
        key=key or uuid.uuid4().hex,
        purpose=PURPOSES[CURRENT],
        meetings=joining.meetings(point.event),
        unusual_rule=UNUSUAL_RULE,
        count_rule=checkin_form.COUNT_RULE,  # the page reads a typed count as whole_count does
        phone_rules=grouping_rules(),  # "Vừa ghi" groups a typed phone as the server does
        not_open=window.notice(point.event, utcnow()),  # instead of the forms
        shown=shown,
        **{"sent_first": _sent_first() if extra.get("error") else None, **extra},
    )


FIXED = "checkin-fixed"  # the flashed answer of a correction (Post/Redirect/Get)


@bp.route("/checkin/<token>/fix", methods=["POST"])
def fix(token: str) -> Response | tuple[str, int]:
    """One entry corrected or removed by the page's plain form (``checkin_fix``): redirected to
    the page, which says so once (a reload does not post the form again), or the page again
    with the reason beside each box at fault, or above the list naming the entry."""
    hall = open_link(token)
    point = _point(hall)
    entry = next((e for e in checkin_fix.listed(hall, utcnow())
                  if e["ref"] == request.form.get("ref")), None)  # fmt: skip
    fixing = None
    if entry is not None and request.form.get("action") in ("edit", "withdraw"):
        key = str(request.form.get("idempotency_key") or "")[: entries.KEY_LIMIT]
        fixing = checkin_fix.Fixing(entry, request.form["action"], key, request.form.to_dict())
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:  # said in the form, or above the list when its entry has gone
        expired = _("The form expired or was not sent from this site. Please reload and try again.")
        return _page(point, token, fixing=fixing, fix_expired=expired,
                     fix_refused=None if fixing else expired), 400  # fmt: skip
    try:
        answer = entries.correct(hall, checkin_fix.body(request.form, entry), utcnow())
    except services.HallError as exc:
        db.session.rollback()
        status = exc.status if isinstance(exc, entries.EntryRefused) else 422
        if fixing is None or status != 422:  # nothing left to correct in the form
            who = checkin_fix.named(hall, request.form)
            message = checkin_fix.refusal(who, request.form.get("action"), exc.localized())
            return _page(point, token, fix_refused=message), status
        return _page(point, token, fixing=checkin_fix.refused(fixing, exc)), status
    event_id, hall_id = hall.event_id, hall.id
    db.session.commit()
    if answer.created:
        publish_soon(event_id, "checkin", hall_id)
    flash(checkin_fix.done(answer), FIXED)
    return redirect(url_for("checkin.page", token=token, _anchor="recent"), 303)


def _sent_first() -> int | None:
    """The head count a form's report already sent alone (``_count_first``): its box is gone."""
    text = request.form.get("count_sent", "") if request.method == "POST" else ""
    return int(text) if text.isdigit() and len(text) < 9 else None


def _count_first(hall: links.OpenHall, token: str, data: dict[str, Any], head_count: int | None,
                 rows_at: list[int]) -> tuple[str, int]:  # fmt: skip
    """Without JavaScript, the page's "count first" (``checkin.js`` countFirst): the refused
    report's head count is stored as a report of its own, keyed as the script keys it (the
    refused key + "-n", so a second press counts once); the rows stay on the page, marked, to
    be corrected and sent under the refused key without the count. Nothing of the rows is
    stored here: each submission stays all or nothing."""
    key = str(data.get("idempotency_key") or "").strip()
    version = data.get("consent_version")
    version = version if isinstance(version, str) else None
    receipt, created = services.record_report(hall, key[:78] + "-n", head_count, [], utcnow(),
                                              consent_version=version)  # fmt: skip
    if db.session.registry.has() and db.session().in_transaction():
        db.session.commit()
    if created:
        publish_soon(hall.event_id, "checkin", hall.id)
    # The rows still to send, marked; none when there are none, or they came already (a late
    # resend of this press after the corrected rows went).
    rows_sent = not created and figures.stored_receipt(hall.id, key) is not None
    error, left = None, None
    if data["attendees"] and not rows_sent:
        left = receipt.head_count
        try:
            services.check_rows(data["attendees"], version)
        except services.HallError as exc:
            error = field_marks(exc, rows_at)
    answer = _answer(created, receipt)
    page = _page(_point(hall), token, key=key if left is not None else None, sent_first=left,
                 error=error, received=receipt, answer=answer)  # fmt: skip
    return page, 200  # as the form's other answers: the page, whether stored now or before


@bp.route("/checkin/<token>", methods=["POST"])
def submit(token: str, remembered: bool = True) -> Response | tuple[Response | str, int] | str:
    """A report; a JSON one may take its link as an earlier request read it, unless anything
    but storing it alone comes of it (``links.ReadAgain``): then it starts again, reading it."""
    hall = open_link(token, remembered and request.is_json and not _sends_rows())
    if sheet.is_sheet_request():  # the attendee sheet as a file: preview, then confirm
        point = _point(hall)
        extra, status = sheet.handle(point)
        return _page(point, token, **extra), status
    as_json = request.is_json or wants_json()
    rows_at: list[int] = []  # the form's row of each attendee sent (empty rows are skipped)
    head_count = None
    try:
        data = request.get_json(silent=True) if request.is_json else form_body(rows_at)
        rows_at.extend(checkin_form.sent_rows(data) if request.is_json else [])
        if not isinstance(data, dict):
            raise services.HallError("body", _l("Send a JSON object."))
        head_count = whole_count(data.get("head_count"))
        attendees = data.get("attendees") or []
        if not isinstance(attendees, list) or not all(isinstance(a, dict) for a in attendees):
            raise services.HallError("attendees", _l("Attendees must be a list of rows."))
        key = str(data.get("idempotency_key") or "")
        sent_at = services.parse_sent_at(data.get("sent_at"))  # when the officer pressed send
        clock = services.parse_sent_at(data.get("clock"), "clock")  # the phone's time now
        version = data.get("consent_version")
        if not as_json and _unconfirmed(hall, head_count):  # under the same key, once confirmed
            return _page(_point(hall), token, key=key.strip() or None, asked=head_count), 200
        if not as_json and request.form.get("count_first") == "1":
            return _count_first(hall, token, data, head_count, rows_at)
        receipt, created = services.record_report(
            hall,
            key,
            head_count,
            attendees,
            utcnow(),
            sent_at=sent_at,
            clock=clock,
            consent_version=version if isinstance(version, str) else None,
        )
    except links.ReadAgain:
        db.session.rollback()
        return submit(token, remembered=False)
    except services.NotOpenYet as exc:  # 409: the report is fine, the hall cannot report yet
        db.session.rollback()
        message = window.message(window.REFUSED, exc.opens_at)
        if as_json:
            return jsonify({"error": "Conflict", "status": 409, "message": message,
                            "opens_at": exc.opens_at.isoformat()}), 409  # fmt: skip
        return _page(
            _point(hall), token, error={"message": message, "inputs": {}, "count": None}
        ), 409
    except services.HallError as exc:
        db.session.rollback()
        if hall.seen is not None:  # answer nothing from a link not read in this request
            return submit(token, remembered=False)
        alone = head_count if services.count_alone(head_count, exc) else None
        return _error(hall, token, as_json, exc, rows_at, alone)
    # A report stored alone is committed already, and began no session: none is made to ask.
    if db.session.registry.has() and db.session().in_transaction():
        db.session.commit()
    if created:  # a retry changed nothing: the live page has it already
        publish_soon(hall.event_id, "checkin", hall.id)
    latest, superseded = receipt.latest, receipt.superseded
    answer = _answer(created, receipt)
    named = created and receipt.attendees  # a head count alone names nobody: no look-up
    twin = entries.twin_warning(hall.id, hall.event_id, key.strip()) if named else None
    answer = f"{answer} {twin}" if twin else answer  # warned, never refused: namesakes are common
    if as_json:
        body = {"received": True, "duplicate": not created, "superseded": superseded,
                "report_id": receipt.report_id, "head_count": receipt.head_count,
                "attendees": receipt.attendees, "reported_at": receipt.reported_at.isoformat(),
                "latest": _latest(latest), "twin": twin is not None,
                "message": answer}  # fmt: skip
        return jsonify(body), 201 if created else 200
    return _page(_point(hall), token, received=receipt, duplicate=not created,
                 answer=answer)  # fmt: skip


def _unconfirmed(hall: links.OpenHall, head_count: int | None) -> bool:
    """Whether a form's unusual count is yet to be confirmed: no script asked (``checkin.js``
    asks before a JSON report); ``confirmed`` names the count, so a changed one is asked again."""
    if head_count is None or not SMALL < head_count <= services.MAX_HEAD_COUNT:
        return False  # never unusual, or refused anyway: the hall is not read
    confirmed = request.form.get("confirmed") == str(head_count)
    return not confirmed and unusual_count(head_count, _point(hall).expected_attendance)


def _sends_rows() -> bool:
    """Whether the JSON body carries attendee rows: their report is stored by a statement that
    does not check a remembered link (``links.ReadAgain``; alone, or in the session's
    transaction once the rollups are built), so a remembered link would only have the rows
    checked twice."""
    data = request.get_json(silent=True)
    return isinstance(data, dict) and bool(data.get("attendees"))


def _error(hall: links.OpenHall, token: str, as_json: bool, exc: services.HallError,
           rows_at: list[int], alone: int | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    """A refusal the officer can act on: every field at fault, its name on the page and the
    reason (``field`` and ``message``: the first); ``alone``: the head count that would be
    stored on its own (``services.count_alone``), which the page offers to send first."""
    if as_json:
        problems = [(e.field, *field_label(e.field, rows_at), e.localized()) for e in exc.all]
        errors: dict[str, list[str]] = {}
        for name, _shown, _input, why in problems:
            errors.setdefault(name, []).append(why)
        field, label, _input, reason = problems[0]
        return jsonify({"error": "Unprocessable Entity", "status": 422, "field": field,
                        "message": f"{label}: {reason}", "errors": errors,
                        "count_alone": alone is not None}), 422  # fmt: skip
    error = field_marks(exc, rows_at)
    # The form keeps its key while its count may go first, or went: rows then come under it.
    kept = alone is not None or _sent_first() is not None
    error["count"] = alone
    key = str(request.form.get("idempotency_key") or "").strip() if kept else None
    return _page(_point(hall), token, key=key, error=error), 422


def _latest(report: AttendanceReport | HeadCount | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {"head_count": report.head_count, "reported_at": report.reported_at.isoformat()}


def _answer(created: bool, receipt: figures.Receipt) -> str:
    """What the officer reads once the server has the report; stored, it may still ask to
    check a count lower than the names sent with it (``services.names_over_count``)."""
    latest = receipt.latest
    if not created:
        return _("Already received earlier — nothing was counted twice.")
    if receipt.superseded and latest is not None:
        text = _("Received. A count sent later (%(n)s people at %(t)s) stays the hall's count.",
                 n=fmt_number(latest.head_count), t=fmt_datetime(latest.reported_at))  # fmt: skip
    else:
        text = _("Received. Thank you!")
    warning = services.names_over_count(receipt.head_count, receipt.attendees)
    return f"{text} {warning}" if warning else text


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc: RequestEntityTooLarge) -> tuple[str, int] | tuple[Response, int]:
    """An oversized sheet is refused before it is read: say so on the hall's page."""
    from app.sheets.issues import ImportIssue
    from app.sheets.reader import TOO_LARGE, mb

    token = (request.view_args or {}).get("token", "")
    point = _hall(token)
    limit = current_app.config["IMPORT_MAX_BYTES"]
    issue = ImportIssue(None, "", TOO_LARGE, {"size": mb(request.content_length or 0),
                                               "limit": mb(limit)})  # fmt: skip
    if request.is_json or wants_json():
        reason = issue.localized()
        return jsonify({"error": "Payload Too Large", "status": 413, "field": "attendees",
                        "message": reason, "errors": {"attendees": [reason]}}), 413  # fmt: skip
    return _page(point, token, sheet_rejected=[issue]), 413
