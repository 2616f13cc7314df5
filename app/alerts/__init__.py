"""Alerts during an event: rules decided from facts (``rules``), read from the database
(``facts``), opened and cleared once per condition (``engine``), sent by e-mail and webhook
through an outbox (``outbox``, ``mail``, ``webhook``), shown and acknowledged (``routes``)."""

from flask import Blueprint

bp = Blueprint("alerts", __name__)

from app.alerts import routes  # noqa: E402,F401
