"""Managers' view: channels and campaigns side by side, exports and the monthly report."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import (  # noqa: E402,F401
    after_livestream,
    event_file,
    month_section,
    pending_leads,
    routes,
)
