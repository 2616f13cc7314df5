"""The Lan Tỏa Flask application factory."""

from __future__ import annotations

import hmac
import logging
import math
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from app import personal_data
from app.config import Config, normalise_database_url
from app.extensions import (
    babel,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
    rest_api,
)
from app.languages import select_locale
from app.session_cookie import KeptSerializerSessionInterface

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
QUIET_LOGGERS = ("apscheduler", "fontTools")


def create_app(config: type | dict[str, Any] | None = None) -> Flask:
    """Build the app from ``Config`` (or a test config class / dict of overrides)."""
    base = config if isinstance(config, type) else Config
    instance = Path(base.INSTANCE_PATH)  # type: ignore[attr-defined]
    if isinstance(config, dict) and "INSTANCE_PATH" in config:
        instance = Path(config["INSTANCE_PATH"])
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=False)
    app.config.from_object(base)
    if isinstance(config, dict):
        app.config.update(config)
    app.session_interface = KeptSerializerSessionInterface()
    _logging(app)
    _settings(app, instance)
    _check_metrics(app)

    personal_data.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _login(app)
    rest_api.init_app(app)

    from app.reports.rollups import listeners as report_rollups

    # The managers' report rollups follow the app session's writes of touches (attendance,
    # check-ins, comment leads), links, head counts, halls and events moved or re-dated, in the
    # writer's own transaction; the runner refreshes its batch's event itself (collection.steps).
    report_rollups.install()

    from app import realtime

    realtime.init_app(app)
    # Outside Flask-SocketIO's middleware, which takes /socket.io/ before Flask: live sockets see
    # the client's address (the audit row of an officer's join) and scheme, not the proxy's.
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from app import assets, cli, consent, errors, formatting, labels, security_headers
    from app.alerts import bp as alerts_bp
    from app.api import register as register_api
    from app.attendance.routes import bp as attendance_bp
    from app.auth import bp as auth_bp
    from app.connect import bp as connect_bp
    from app.events import bp as events_bp
    from app.followup import bp as followup_bp
    from app.halls import (
        checkin_entries,  # noqa: F401  (its routes, on the check-in blueprint)
        entry_routes,  # noqa: F401  (its routes, on the halls blueprint)
    )
    from app.halls.checkin import bp as checkin_bp
    from app.halls.routes import bp as halls_bp
    from app.home import bp as home_bp
    from app.live import bp as live_bp
    from app.reports import bp as reports_bp
    from app.status import bp as status_bp
    from app.users import bp as users_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(checkin_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(live_bp)
    app.register_blueprint(followup_bp)
    app.register_blueprint(halls_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(connect_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(alerts_bp)
    register_api(app)
    errors.register(app)
    formatting.register(app)
    labels.register(app)
    consent.register(app)
    assets.init_app(app)
    security_headers.init_app(app)
    cli.register(app)

    with app.app_context():
        from app.database import configure_engine

        configure_engine(db.engine)

    from app import background

    background.start(app)
    return app


def _check_metrics(app: Flask) -> None:
    """Refuse to start with a retired or unknown Facebook insight metric configured."""
    from datetime import UTC, datetime

    from collectors.facebook.metrics import check_metrics

    check_metrics(app.config.get("FACEBOOK_POST_METRICS") or (), datetime.now(UTC).date())


def _logging(app: Flask) -> None:
    from app import access_log

    access_log.install()
    if not app.debug and not app.testing and not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    # APScheduler logs every run of every job ("Running job…", "…executed successfully") and
    # fontTools every glyph table of a PDF at INFO: a tick every two seconds buries what changed.
    # Failures still show (WARNING and above); the runner logs targets starting, ending, failing.
    for chatty in QUIET_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)


def _settings(app: Flask, instance: Path) -> None:
    """Fill the embedded defaults: SQLite under instance/, generated keys kept in instance/."""
    from app import keys

    _numbers(app.config)
    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = f"sqlite:///{instance / 'lantoa.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    from app.database import engine_options

    given = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], given, int(app.config["DATABASE_POOL_SIZE"])
    )
    keys.private_instance(instance, app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = keys.secret_key(instance)
    if not app.config.get("LANTOA_DATA_KEY"):
        app.config["LANTOA_DATA_KEY"] = keys.data_key(instance)
    from app.public_urls import normalise_base_url

    app.config["PUBLIC_BASE_URL"] = normalise_base_url(app.config.get("PUBLIC_BASE_URL"))
    mode = app.config.get("COLLECTOR_MODE")
    if mode not in ("embedded", "off"):
        raise ValueError(f"COLLECTOR_MODE must be 'embedded' or 'off'; got {mode!r}")


WHOLE, DECIMAL = "a whole number", "a number"
# The numeric settings (app.config): how each is written, its least value, and what it counts; the
# environment variable when it has another name. Read as text, turned into numbers here.
NUMBERS: dict[str, tuple[str, float, str, str | None]] = {
    "PROXY_HOPS": (WHOLE, 0, "of proxies (0, 1, 2…)", None),
    "DATABASE_POOL_SIZE": (WHOLE, 1, "of connections, 1 or more", None),
    "REALTIME_COALESCE_SECONDS": (DECIMAL, 0, "of seconds, 0 or more", None),
    "REALTIME_REDIS_CONNECTIONS": (WHOLE, 1, "of connections, 1 or more", None),
    "COLLECTOR_LEASE_SECONDS": (DECIMAL, 0.001, "of seconds, above 0", None),
    "LINKAGE_SPARK_PARTITIONS": (WHOLE, 1, "of partitions, 1 or more", None),
    "COLLECTOR_TICK_SECONDS": (DECIMAL, 0.001, "of seconds, above 0", None),
    "COLLECTOR_INTERVAL_SCALE": (DECIMAL, 0.001, "above 0 (1: as is)", None),
    "SANDBOX_PORT": (WHOLE, 1, "of a port, 1 to 65535", "LANTOA_SANDBOX_PORT"),
    "SANDBOX_SPEED": (DECIMAL, 0.001, "above 0 (1: real time)", "LANTOA_SANDBOX_SPEED"),
    "REPORTS_TICK_SECONDS": (DECIMAL, 0.001, "of seconds, above 0", None),
    "RETENTION_TICK_SECONDS": (DECIMAL, 0.001, "of seconds, above 0", None),
    "LEAD_RETENTION_DAYS": (WHOLE, 1, "of days, 1 or more", None),
    "ENROLMENT_RETENTION_DAYS": (WHOLE, 1, "of days, 1 or more", None),
    "ALERTS_TICK_SECONDS": (DECIMAL, 0.001, "of seconds, above 0", None),
    "SMTP_PORT": (WHOLE, 1, "of a port, 1 to 65535", None),
    "SMTP_TIMEOUT": (DECIMAL, 0.001, "of seconds, above 0", None),
    "COLLECTOR_HTTP_TIMEOUT": (DECIMAL, 0.001, "of seconds, above 0", None),
    "IMPORT_MAX_BYTES": (WHOLE, 1, "of bytes, 1 or more", None),
    "IMPORT_MAX_ROWS": (WHOLE, 1, "of rows, 1 or more", None),
    "REMEMBER_DAYS": (WHOLE, 1, "of days, 1 or more", None),
    "IDLE_HOURS": (DECIMAL, 0.001, "of hours, above 0", None),
}


def _numbers(config: Any) -> None:
    """Each numeric setting as a number, or a refusal in one line that names the setting (as the
    environment spells it) and what it accepts; then the values made of them."""
    for name, (kind, least, counts, env) in NUMBERS.items():
        value = config.get(name)
        try:
            number = float(str(value).strip())
            if kind == WHOLE:
                number = int(str(value).strip())
        except ValueError:
            number = None
        top = 65535 if "port" in counts else math.inf
        if number is None or not math.isfinite(number) or not least <= number <= top:
            raise ValueError(f"{env or name} must be {kind} {counts}; got {value!r}")
        config[name] = number
    if config.get("REMEMBER_COOKIE_DURATION") is None:
        config["REMEMBER_COOKIE_DURATION"] = timedelta(days=config["REMEMBER_DAYS"])
    if config.get("IDLE_TIMEOUT") is None:
        config["IDLE_TIMEOUT"] = timedelta(hours=config["IDLE_HOURS"])
    if config.get("MAX_CONTENT_LENGTH") is None:  # room for the form around the file
        config["MAX_CONTENT_LENGTH"] = config["IMPORT_MAX_BYTES"] + 1024 * 1024


def _login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app.auth import idle
    from app.auth.tokens import user_for_token
    from app.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    # "strong" would also refuse Bearer logins that carry a stray anonymous session cookie.
    login_manager.session_protection = "basic"
    idle.init_app(app)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """Sessions and remember cookies name the user and the session token they were given."""
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_token is None:
            return None
        return user if hmac.compare_digest(user.session_token, token) else None

    @login_manager.request_loader
    def load_user_from_bearer(req: Any) -> User | None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        user = user_for_token(token.strip())
        g.bearer_user = user is not None  # only then may a write skip CSRF (app.api.authenticate)
        return user
