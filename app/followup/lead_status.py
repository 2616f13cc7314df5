"""The lead statuses as people read them, and as a URL filter may name them.

A filter may name a status by its code (``called``) or by its Vietnamese label, with or without
accents (``đã gọi``, ``da goi``): links people type or paste keep working, those written with
a label since renamed too (``FORMER_LABELS``).
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.identity.text import fold
from app.models import LeadStatus

STATUS_LABELS = {
    LeadStatus.NEW: _l("New"),
    LeadStatus.CALLED: _l("Called"),
    LeadStatus.CALL_BACK: _l("Call back"),
    LeadStatus.ENROLLED: _l("Enrolled"),
    LeadStatus.NOT_INTERESTED: _l("Not interested"),
    LeadStatus.WRONG_NUMBER: _l("Wrong number"),
}
# Vietnamese labels renamed since links were shared: "Sai số" read as "margin of error".
FORMER_LABELS = {"sai so": LeadStatus.WRONG_NUMBER}
# Someone answered the phone (or a call is arranged): what the campaign funnel counts as called.
# A wrong number reached nobody, so it is not a call.
REACHED = frozenset(
    {LeadStatus.CALLED, LeadStatus.CALL_BACK, LeadStatus.ENROLLED, LeadStatus.NOT_INTERESTED}
)
# Final: nobody is to call this lead again (the number is wrong, they refused, they said they
# enrolled). Such a lead leaves the lists to call — the page's, the Excel's — and is counted
# apart, by status, in the page's accounting line; the API's statuses say it (``closed``).
CLOSED = frozenset({LeadStatus.WRONG_NUMBER, LeadStatus.NOT_INTERESTED, LeadStatus.ENROLLED})
# What a call to their number gave: not for a lead who left none (``app.followup.numbers_left``).
NEEDS_A_NUMBER = frozenset({LeadStatus.CALLED, LeadStatus.WRONG_NUMBER})


def status_label(status: LeadStatus | str) -> str:
    return str(STATUS_LABELS[LeadStatus(status)])


def parse_status(value: str) -> LeadStatus | None:
    """The status a code or a label names (in Vietnamese or the page's language), else None."""
    wanted = fold(value or "")
    if not wanted:
        return None
    if wanted in FORMER_LABELS:
        return FORMER_LABELS[wanted]
    for status, label in STATUS_LABELS.items():
        if wanted == status.value:
            return status
        with force_locale("vi"):
            vietnamese = fold(str(label))
        if wanted in (vietnamese, fold(str(label))):
            return status
    return None


def is_closed(status: LeadStatus | str) -> bool:
    """Whether a lead of this status is off the lists to call (``CLOSED``)."""
    return LeadStatus(status) in CLOSED


def status_choices() -> list[dict[str, str | bool]]:
    """Code and label of each status, in order, for the pages' menus; ``closed``: a lead of
    that status is no longer to call; ``needs_number``: not for a lead who left no number."""
    return [
        {"value": s.value, "label": str(label), "closed": s in CLOSED,
         "needs_number": s in NEEDS_A_NUMBER}
        for s, label in STATUS_LABELS.items()
    ]  # fmt: skip
