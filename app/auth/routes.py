"""Log-in and log-out. Failed attempts are throttled per account and address (auth.throttle)."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth import bp, throttle
from app.auth.forms import LoginForm
from app.auth.passwords import DUMMY_HASH, needs_rehash, rehash, verify_password
from app.extensions import db
from app.models import User, utcnow


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        wait = throttle.wait_seconds(email)
        if wait:
            # Checked before the password: while throttled even the right one is refused.
            return _throttled(form, wait)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        ok = verify_password(user.password_hash if user else DUMMY_HASH, form.password.data)
        if user is not None and ok and not user.active:
            # Only someone who knows the password learns the account is locked, and whom to ask.
            flash(_("This account has been locked. Please contact your unit's administrator."),
                  "error")  # fmt: skip
            return render_template("auth/login.html", form=form), 403
        if user is not None and ok:
            if needs_rehash(user.password_hash):
                user.password_hash = rehash(form.password.data)
            user.last_login_at = utcnow()
            user.get_id()  # draws the session token on a first log-in
            db.session.commit()
            session.clear()  # a fresh session on log-in (no fixation)
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        throttle.record_failure(email)
        flash(_("Wrong email or password."), "error")
        return render_template("auth/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _throttled(form: LoginForm, wait: int) -> Response:
    minutes = max(1, math.ceil(wait / 60))
    flash(ngettext("Too many failed attempts. Try again in about %(num)d minute.",
                   "Too many failed attempts. Try again in about %(num)d minutes.",
                   minutes), "error")  # fmt: skip
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
    "/%09/evil.example" and "/\\evil.example" are both "//evil.example", another host.
    """
    cleaned = "".join(ch for ch in target or "" if ch.isprintable()).replace("\\", "/")
    parts = urlsplit(cleaned)
    if (
        cleaned.startswith("/")
        and not cleaned.startswith("//")
        and not (parts.scheme or parts.netloc)
    ):
        return cleaned
    return url_for("home.index")


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """End this session, and every other one with it: a copied remember cookie stops working."""
    if current_user.is_authenticated:
        current_user.revoke_sessions()
        db.session.commit()
    session.clear()
    logout_user()  # after clear(): it leaves the flag that deletes the remember cookie
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str) -> Response:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
