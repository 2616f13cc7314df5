"""Which language a request is answered in: the one rule the locale selector and the API's
words for people share.

Pages speak the user's choice (the session's, else their account's), else Vietnamese. The API
speaks English to scripts (its messages, its field errors), but the labels it gives next to a
code — a lead's ``status_label`` — are words for the person reading them, so they follow the
same rule as the pages: the page's script shows them beside the page's own words.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def app_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def interface_locale() -> str:
    """The language the user's pages are in: their choice this session, else their account's,
    else Vietnamese."""
    languages = app_languages()
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    return "vi"


def select_locale() -> str:
    """Flask-Babel's selector: pages as ``interface_locale``; the API and the CLI in English."""
    if not has_request_context() or request.path.startswith("/api/"):
        return "en"
    return interface_locale()
