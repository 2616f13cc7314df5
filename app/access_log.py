"""Access-log lines without personal data or secrets in them.

Request lines end up in the web server's log files, kept and copied far longer than the
database's rows: a check-in link's token in the path opens a hall's report form to anyone who
reads it, and a phone in a query string is personal data. The filter rewrites each line of the
development server's and gunicorn's access loggers before any handler formats it.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
REDACTED = "[redacted]"
_PATH_SECRETS = re.compile(r"(/checkin/)[^/\s?\"]+")
_QUERY_SECRETS = re.compile(
    r"([?&](?:phone|cccd|bhxh_code|email|token|access_token|key)=)[^&\s\"]*", re.IGNORECASE
)


def redact(line: str) -> str:
    """The line with check-in tokens and identifying query values replaced."""
    line = _PATH_SECRETS.sub(rf"\g<1>{REDACTED}", line)
    return _QUERY_SECRETS.sub(rf"\g<1>{REDACTED}", line)


class RedactingFilter(logging.Filter):
    """Formats the record once, redacted; the handlers then print it as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Attach the filter to the access loggers (once per process)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
