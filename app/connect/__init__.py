"""Kết nối nền tảng: managers connect their unit's platform accounts and check their health."""

from flask import Blueprint

bp = Blueprint("connect", __name__)

from app.connect import routes  # noqa: E402,F401
