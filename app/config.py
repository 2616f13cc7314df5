"""Configuration read from the environment, with embedded defaults that work on a bare machine.

Every setting a deployment may change is an environment variable documented in the README; the
defaults give one machine with no set-up: a SQLite file under ``instance/``, the scheduler
inside the web process, and platform base URLs pointing at the real platforms (the sandbox
overrides them).
"""

from __future__ import annotations

import os
from pathlib import Path

from app.timeparse import VN

DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://``; we drive PostgreSQL with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Production defaults; each attribute may be overridden by the environment.

    Numbers are read as text: create_app turns them into numbers, or refuses the setting in one
    line that names it and what it accepts (a bare "invalid literal for int()" names neither).
    """

    TESTING = False
    INSTANCE_PATH = Path(_env("LANTOA_INSTANCE_PATH", str(DEFAULT_INSTANCE)))  # type: ignore[arg-type]
    # None means "use instance/lantoa.sqlite3"; create_app fills it in.
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")
    # No pre-ping at every checkout: app.database pings a connection that sat idle (one round
    # trip less per request).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # PostgreSQL connections each process keeps open once it has used them, and its most at once.
    DATABASE_POOL_SIZE = _env("DATABASE_POOL_SIZE", "15")
    # None means "read or generate instance/secret_key"; see app.keys.
    SECRET_KEY = _env("SECRET_KEY")
    LANTOA_DATA_KEY = _env("LANTOA_DATA_KEY")
    SOCKETIO_MESSAGE_QUEUE = _env("SOCKETIO_MESSAGE_QUEUE")
    SOCKETIO_ASYNC_MODE = _env("SOCKETIO_ASYNC_MODE", "threading")
    # The Redis pub/sub channel; deployments (or test runs) sharing one Redis need their own.
    SOCKETIO_CHANNEL = _env("SOCKETIO_CHANNEL", "flask-socketio")
    # Other sites whose pages may open live sockets (comma-separated origins); by default only
    # Lan Tỏa's own pages can, so a foreign page cannot read live numbers with a user's cookie.
    SOCKETIO_ALLOWED_ORIGINS = tuple(
        o.strip() for o in str(_env("SOCKETIO_ALLOWED_ORIGINS", "")).split(",") if o.strip()
    )
    # Deltas caused by web requests (hall check-ins, assignments) are gathered for this long per
    # event, so 1,000 halls reporting at once build a few summaries, not 1,000; 0 sends at once.
    REALTIME_COALESCE_SECONDS = _env("REALTIME_COALESCE_SECONDS", "0.5")
    # Connections each process keeps to the queue's Redis for sequence numbers, sent summaries
    # and socket notes; callers beyond them wait for a free one (a storm of leaving sockets).
    REALTIME_REDIS_CONNECTIONS = _env("REALTIME_REDIS_CONNECTIONS", "16")
    COLLECTOR_MODE = _env("COLLECTOR_MODE", "embedded")
    # Several `flask collect run` processes share PostgreSQL: each claims the targets it will
    # collect by moving their next_run_at this far ahead; a crashed collector's targets come back
    # once the lease runs out. Longer than the slowest round of one target, shorter than patience.
    COLLECTOR_LEASE_SECONDS = _env("COLLECTOR_LEASE_SECONDS", "300")
    # Files any web process must read back (the import stash, report files): a folder every
    # process mounts (NFS, an object-store mount). Unset: the instance folder, as on one machine.
    SHARED_STORE_PATH = _env("SHARED_STORE_PATH")
    # "duckdb" (one machine) or "spark": the same Splink model on a Spark session, for a national
    # enrolment file. The Spark master (local[2] runs inside this process's JVM), the driver's
    # memory, and the shuffle partitions.
    LINKAGE_BACKEND = _env("LINKAGE_BACKEND", "duckdb")
    LINKAGE_SPARK_MASTER = _env("LINKAGE_SPARK_MASTER", "local[2]")
    LINKAGE_SPARK_MEMORY = _env("LINKAGE_SPARK_MEMORY", "2g")
    LINKAGE_SPARK_PARTITIONS = _env("LINKAGE_SPARK_PARTITIONS", "8")
    # With a cluster master: a folder every Spark worker reads, for the input files (unset: /tmp).
    LINKAGE_SPARK_SCRATCH = _env("LINKAGE_SPARK_SCRATCH")
    COLLECTOR_TICK_SECONDS = _env("COLLECTOR_TICK_SECONDS", "2")
    # Multiplies our own polling intervals (never the platforms' advice); < 1 in tests and benches.
    COLLECTOR_INTERVAL_SCALE = _env("COLLECTOR_INTERVAL_SCALE", "1")
    # The demo province a serving process loads and whose log-in it prints last (`make run`: 40).
    DEMO_PROVINCE = _env("LANTOA_DEMO", "0")
    # The platform sandbox playing a live event inside the web process (`make run` turns it on).
    SANDBOX = _env("LANTOA_SANDBOX", "0") in ("1", "true", "yes")
    SANDBOX_PORT = _env("LANTOA_SANDBOX_PORT", "5055")
    SANDBOX_SPEED = _env("LANTOA_SANDBOX_SPEED", "1")
    # Which livestream the sandbox plays: "default" (a new one each start) or a named one of
    # sandbox.scenario.PRESETS ("dien-bien").
    SANDBOX_SCENARIO = _env("LANTOA_SANDBOX_SCENARIO", "default")
    # How often the scheduler looks for last week's / month's report files to build (seconds).
    REPORTS_TICK_SECONDS = _env("REPORTS_TICK_SECONDS", "3600")
    # The retention sweep (personal data past its purpose) runs at start-up, then this often.
    RETENTION_TICK_SECONDS = _env("RETENTION_TICK_SECONDS", "86400")
    # Comment leads who never agreed are erased this many days after their latest comment.
    LEAD_RETENTION_DAYS = _env("LEAD_RETENTION_DAYS", "180")
    # Enrolment rows lose their identifiers this many days after the payment date.
    ENROLMENT_RETENTION_DAYS = _env("ENROLMENT_RETENTION_DAYS", "730")
    # "auto": the reports read the rollups once `flask reports rollup --full` has built them.
    REPORTS_ROLLUPS = _env("REPORTS_ROLLUPS", "auto")
    # Alerts (app.alerts): how often the rules are evaluated and the outbox sent (seconds), the
    # e-mail server, and recipients for events that name none of their own.
    ALERTS_TICK_SECONDS = _env("ALERTS_TICK_SECONDS", "15")
    SMTP_HOST = _env("SMTP_HOST", "")
    SMTP_PORT = _env("SMTP_PORT", "587")
    SMTP_USER = _env("SMTP_USER", "")
    SMTP_PASSWORD = _env("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env("SMTP_STARTTLS", "1") in ("1", "true", "yes")
    SMTP_TIMEOUT = _env("SMTP_TIMEOUT", "10")
    MAIL_FROM = _env("MAIL_FROM", "lantoa@localhost")
    ALERT_EMAILS = _env("ALERT_EMAILS", "")
    COLLECTOR_HTTP_TIMEOUT = _env("COLLECTOR_HTTP_TIMEOUT", "15")
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed log-ins (app.auth.throttle): one account from one address; one account from
    # anywhere; and, much higher, one address over all accounts (a whole office shares one).
    LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_ACCOUNT_RATE_LIMIT = _env("LOGIN_ACCOUNT_RATE_LIMIT", "30 per 15 minutes;100 per day")
    LOGIN_ADDRESS_RATE_LIMIT = _env("LOGIN_ADDRESS_RATE_LIMIT", "100 per 15 minutes;400 per day")
    # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host;
    # 0 trusts none (the address seen is the client's). Log-in throttling keys on the address.
    # Read as text: create_app turns it into a number, or refuses naming the setting.
    PROXY_HOPS = _env("PROXY_HOPS", "0")
    # The address phones and e-mails reach Lan Tỏa at (https://lantoa.example.vn): the base of
    # every link and QR code that leaves this computer. Unset: the address of the request.
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL")

    # Uploaded spreadsheets (attendee sheets, enrolment exports): refused above this size before
    # parsing; the request limit leaves room for the form around the file.
    IMPORT_MAX_BYTES = _env("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))
    IMPORT_MAX_ROWS = _env("IMPORT_MAX_ROWS", "5000")
    MAX_CONTENT_LENGTH = None  # None: IMPORT_MAX_BYTES and 1 MiB (create_app fills it in)

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = VN.key
    LANGUAGES = ("vi", "en")
    DISPLAY_TIMEZONE = VN.key

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Remember me" lasts a working fortnight, not Flask-Login's default of a year.
    REMEMBER_DAYS = _env("REMEMBER_DAYS", "14")
    REMEMBER_COOKIE_DURATION = None  # None: REMEMBER_DAYS (create_app fills it in)
    # A session not used for this long ends (app.auth.idle): a working day, so a lunch break or
    # a long meeting never logs anybody out, but a shared office computer left logged in
    # overnight is. "Remember me" is the user's choice to stay logged in on their own device.
    IDLE_HOURS = _env("IDLE_HOURS", "8")
    IDLE_TIMEOUT = None  # None: IDLE_HOURS (create_app fills it in)
    # Cookies only over https: turn on whenever Lan Tỏa is served through TLS (see the README).
    SESSION_COOKIE_SECURE = _env("SECURE_COOKIES", "0") in ("1", "true", "yes")
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # an officer may leave a form open through a long session

    API_TITLE = "Lan Tỏa API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_PAGE_SIZE = 50
    API_MAX_PAGE_SIZE = 500

    # Platform calls to private, loopback and link-local addresses (and over plain http) are
    # refused unless this is set: the sandbox's fakes on 127.0.0.1 need it, a deployment never.
    ALLOW_PRIVATE_PLATFORM_URLS = _env("ALLOW_PRIVATE_PLATFORM_URLS", "1" if SANDBOX else "0") in (
        "1",
        "true",
        "yes",
    )
    FACEBOOK_GRAPH_URL = _env("FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v25.0")
    YOUTUBE_API_URL = _env("YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3")
    ZOOM_API_URL = _env("ZOOM_API_URL", "https://api.zoom.us/v2")
    MSGRAPH_URL = _env("MSGRAPH_URL", "https://graph.microsoft.com/v1.0")
    # The Microsoft Entra login host: a Teams app's tokens come from {MS_LOGIN_URL}/{tenant}/….
    MS_LOGIN_URL = _env("MS_LOGIN_URL", "https://login.microsoftonline.com")
    MEET_API_URL = _env("MEET_API_URL", "https://meet.googleapis.com/v2")
    ZALO_API_URL = _env("ZALO_API_URL", "https://openapi.zalo.me")
    # Google's token endpoint: YouTube's refresh tokens and Meet's service-account assertions.
    GOOGLE_TOKEN_URL = _env("GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token")
    ZALO_OAUTH_URL = _env("ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4")
    # Insight metrics read for fanpage posts; checked against Meta's retirements at start-up.
    FACEBOOK_POST_METRICS = tuple(
        m.strip()
        for m in str(
            _env("FACEBOOK_POST_METRICS", "post_media_view,post_total_media_view_unique")
        ).split(",")
        if m.strip()
    )


class TestConfig(Config):
    """Used by the test suite: no scheduler, no throttling surprises unless a test asks."""

    TESTING = True
    COLLECTOR_MODE = "off"
    REALTIME_COALESCE_SECONDS = 0.0  # tests read deltas right after the request
    SECRET_KEY = "test-secret-key"
    # A fixed Fernet key so tests are repeatable; never used outside tests.
    LANTOA_DATA_KEY = "dGVzdC1kYXRhLWtleS0zMi1ieXRlcy1sb25nLi4uLi4="
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = True
    ALLOW_PRIVATE_PLATFORM_URLS = True  # the sandbox's fakes serve on 127.0.0.1
