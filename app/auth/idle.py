"""Log-in sessions end after ``IDLE_TIMEOUT`` without a request; the page asked for comes back.

The time of the last request is kept in the session, rewritten at most once a minute so that
most answers do not set the cookie again. An ended session is emptied (its CSRF token with it),
so the request goes on anonymous: pages send it to the log-in with ``next=`` their own page.
A form sent after the timeout passed the CSRF check first (its token was still the session's),
and is sent back to the page it was typed on with ``#restore``, where ``form-keep.js`` puts the
typed values back. A remember cookie ("Remember me") logs its user in again, as on any new visit.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.errors import OPEN_FORMS, RESTORE, back_to, wants_json

KEY = "seen"
ENDED = "idle_ended"
REWRITE_AFTER = 60  # seconds


def check_idle() -> Response | None:
    if "_user_id" not in session:  # anonymous, or a token (API) request: no log-in session
        _say_why()
        return None
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return None  # "Remember me" would log the user in again at once
    now = time.time()
    seen = session.get(KEY)
    if isinstance(seen, int | float) and now - seen > _limit():
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        session[ENDED] = True  # said on the next page (a live page's data request comes first)
        g.pop("_login_user", None)  # Flask-Login loads the user again, from nothing now
        _say_why()
        if request.method == "POST" and request.endpoint not in OPEN_FORMS:
            return redirect(url_for("auth.login", next=back_to() + RESTORE))
        return None
    if not isinstance(seen, int | float) or now - seen > REWRITE_AFTER:
        session[KEY] = int(now)
    return None


def _limit() -> float:
    return float(current_app.config["IDLE_TIMEOUT"].total_seconds())


def _say_why() -> None:
    if session.get(ENDED) and not wants_json():
        session.pop(ENDED)
        hours = format_decimal(round(_limit() / 3600, 1))
        flash(_("You were logged out after %(hours)s hours without activity.", hours=hours),
              "warning")  # fmt: skip


def init_app(app: Flask) -> None:
    """Registered after CSRFProtect, so a form's token is checked while its session still holds."""
    app.before_request(check_idle)
