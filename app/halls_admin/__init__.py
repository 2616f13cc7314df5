"""Organiser pages of a conference: its halls (bridge points), their check-in links and QR codes,
the participants no hall claimed, and the hall board on the event page."""

from flask import Blueprint

bp = Blueprint("halls_admin", __name__)

from app.halls_admin import routes  # noqa: E402,F401
