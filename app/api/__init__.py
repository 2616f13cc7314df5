"""The JSON API under /api/v1/, documented by flask-smorest at /api/v1/openapi.json."""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user
from flask_smorest import abort

from app.extensions import csrf, rest_api

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def register(app: Flask) -> None:
    from app.api import (  # noqa: F401  (they register their routes on blp)
        collection,
        followup,
        halls,
        lead_calls,
        leads,
        people,
        reports,
    )
    from app.api.routes import blp

    rest_api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "flask users token EMAIL"}
    )
    rest_api.spec.options["security"] = [{"bearer": []}]
    csrf.exempt(blp)
    rest_api.register_blueprint(blp)


def authenticate() -> None:
    """Every endpoint needs a user: a Bearer token, or a session cookie plus CSRF for writes."""
    if not current_user.is_authenticated:
        abort(401, message="Authentication required: send Authorization: Bearer <token>.")
    # Only a user who logged in with the token skips CSRF: a session cookie sent along with an
    # Authorization header is still a cookie a foreign page could make the browser send.
    if not g.get("bearer_user") and request.method not in SAFE_METHODS:
        csrf.protect()
