"""The reconciliation of a page (``reconcile_words``) in its Excel file, in the page's words.

A manager forwards the file, not the page: without these lines a campaign's 15 and the reports'
22 for the same activities read as a mistake. Always Vietnamese, as the rest of the files; each
line's sign leads its words (the figure stays a positive number formatted as a count, as the
page writes it), the lines ending in "=" in bold, as the page's totals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.reports.reconcile_words import ReconcileLine

# The captions of the pages' tables (reports/campaign.html, followup/_enrolled_after.html).
CAMPAIGN_CAPTION = _l(
    "From the channel and monthly reports to the figure attributed here, for the same activities"
)
EVENT_CAPTION = _l("From this list to the channel and monthly reports' figure for this activity")


def vietnamese_lines(lines_of: Callable[[], Sequence[ReconcileLine]]) -> list[ReconcileLine]:
    """The lines ``lines_of`` words, worded in Vietnamese whatever the user reads the app in."""
    with force_locale("vi"):
        return list(lines_of())


def line_words(line: ReconcileLine) -> str:
    """The sign the page shows in a column of its own, before the words: "− Lượt tham gia …"."""
    return f"{line.sign} {line.words}" if line.sign else line.words


def figure(value: float) -> int | float:
    """A whole count as an integer (a split credit keeps its decimals, to the hundredth)."""
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value
