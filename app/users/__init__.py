"""User accounts from the browser: administrators manage their unit's users, everyone changes
their own password. The rules live in ``services`` (shared with ``flask users …``)."""

from flask import Blueprint

bp = Blueprint("users", __name__)

from app.users import routes  # noqa: E402,F401
