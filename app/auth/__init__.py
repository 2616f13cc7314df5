from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import throttle  # noqa: E402

bp.record_once(lambda state: throttle.init_app(state.app))

from app.auth import routes  # noqa: E402,F401
