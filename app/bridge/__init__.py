"""The commune hall's check-in page, opened from a secret link on a phone, no account needed."""

from flask import Blueprint

bp = Blueprint("bridge", __name__)

from app.bridge import routes  # noqa: E402,F401
