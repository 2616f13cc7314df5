"""Error responses: JSON with a message under /api/, a Vietnamese page everywhere else.

A page's script that asks for JSON (the check-in page) shows the message to its reader, so JSON
outside /api/ carries the page's message in the page's language; the API's stays English.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from app.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _messages(exc: HTTPException) -> tuple[str, Any]:
    """The message and field errors of an exception (flask-smorest puts them in ``exc.data``)."""
    data = getattr(exc, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    message = data.get("message") or exc.description or exc.name
    if errors and not data.get("message"):
        message = "Invalid input: " + "; ".join(_flatten(errors))
    return message, errors


def _flatten(errors: Any, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        out: list[str] = []
        for key, value in errors.items():
            name = key if key in ("json", "query", "form", "files") else f"{prefix}{key}"
            out += _flatten(value, "" if key in ("json", "query", "form", "files") else f"{name}.")
        return out
    if isinstance(errors, list) and all(isinstance(e, str) for e in errors):
        return [f"{prefix.rstrip('.')}: {' '.join(errors)}"]
    return [f"{prefix.rstrip('.')}: {errors}"]


def handle_http(exc: HTTPException) -> tuple[Response | str, int]:
    code = exc.code or 500
    if wants_json():
        message, errors = _messages(exc)
        if not request.path.startswith("/api/"):
            message = _page_message(code)
        body: dict[str, Any] = {"error": exc.name, "status": code, "message": message}
        if errors:
            body["errors"] = errors
        return jsonify(body), code
    return render_template("error.html", code=code, message=_page_message(code)), code


def _page_message(code: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in to continue."),
        403: _("You do not have permission to do this."),
        404: _("This page does not exist or you do not have access to it."),
        405: _("This action is not allowed here."),
        413: _("The file is too large."),
        429: _("Too many attempts. Please wait a little and try again."),
    }
    return messages.get(code, _("Something went wrong. Please try again later."))


# Forms sent without a session by design (the login itself, the language switch; a hall's
# check-in takes no CSRF token): a stale one there is not a session that ended.
OPEN_FORMS = frozenset({"auth.login", "auth.set_language", "auth.logout"})


def handle_csrf(exc: CSRFError) -> tuple[Response | str, int] | Response:
    message = _("The form expired or was not sent from this site. Please reload and try again.")
    if wants_json():
        if request.path.startswith("/api/"):
            message = f"CSRF check failed: {exc.description}"
        return jsonify({"error": "CSRF", "status": 400, "message": message}), 400
    if not current_user.is_authenticated and request.endpoint not in OPEN_FORMS:
        # The session ran out while the form was open (its token went with it): say so, and
        # come back to the page after logging in again.
        flash(_("Your session has ended. Please log in again, then send the form once more."),
              "error")  # fmt: skip
        return redirect(url_for("auth.login", next=back_to() + RESTORE))
    return render_template("error.html", code=400, message=message), 400


# After the log-in, the page finds what was typed in its form (static/js/form-keep.js).
RESTORE = "#restore"


def back_to() -> str:
    """The page the form was on (this site's own), else the form's address."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return request.path


def handle_unexpected(exc: Exception) -> tuple[Response | str, int]:
    current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    # A failed statement leaves the session unusable; the error page reads the user through it.
    db.session.rollback()
    return handle_http(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
