"""The words of the charts in the page's language: every key of ``dashboards.theme.WORDS``.

The figure builders are pure and hold their words in Vietnamese; a page hands them these instead,
translated from the message catalogue like the rest of the page, so an English page draws English
charts. The names of codes (channels, reach kinds, reactions, a livestream's figures) are the
same labels the tables and filters beside the charts show (``app.labels``); the separators are
the locale's own (babel), as Plotly's decimal-then-thousands pair.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.labels import LIVESTREAM_METRIC, REACH_KIND, REACTION, REPORT_CHANNEL, capitalised

OWN_WORDS: dict[str, Any] = {
    "empty": _l("No data yet"),
    "viewers": _l("Viewers"),
    "viewers_title": _l("Live viewers"),
    "peak": _l("Peak"),
    "reactions_title": _l("Reactions by type"),
    "comments_title": _l("Comments per minute"),
    "comments": _l("Comments"),
    "halls": _l("Halls connected"),
    "halls_title": _l("Halls connected over time"),
    "people": _l("People present"),
    "people_title": _l("People present over time"),
    "enrolments_title": _l("New enrolments by channel"),
    "enrolments": _l("Enrolments"),
    "cost_title": _l("Cost per enrolment (VND)"),
    "cost": _l("VND"),
    "trend_title": _l("Enrolments by month"),
    "reach_title": _l("Reach by channel — {kind}"),
    "funnel_title": _l("Campaign funnel"),
    "progress_title": _l("Progress against the goal"),
    "cumulative": _l("Cumulative"),
    "goal": _l("Goal"),
    "week": _l("Week"),
    "funnel.unit": _l("People"),
    "funnel.identified": _l("People identified"),
    "funnel.enrolled": _l("People who joined"),
    "comparison_title": _l("{metric}: this and the earlier livestreams"),  # fits a phone
    "median": _l("Median of the earlier livestreams"),
}
CODE_WORDS: dict[str, Mapping[str, Any]] = {
    "reaction": REACTION,
    "channel": REPORT_CHANNEL,
    "reach": REACH_KIND,
    "metric": LIVESTREAM_METRIC,
}


def chart_words() -> dict[str, str]:
    """The words for ``dashboards`` figures, in the current request's language."""
    words = {key: str(text) for key, text in OWN_WORDS.items()}
    for prefix, table in CODE_WORDS.items():
        for code, text in table.items():
            words[f"{prefix}.{code}"] = capitalised(str(text))  # a bar of its own: "Lượt xem"
    locale = get_locale()
    words["separators"] = get_decimal_symbol(locale) + get_group_symbol(locale)
    return words
