"""Collection status you can see: accounts' health and usage, targets' last and next polls."""

from flask import Blueprint

bp = Blueprint("status", __name__)

from app.status import routes  # noqa: E402,F401
