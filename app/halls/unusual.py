"""When a hall's head count looks mistyped: far above what the hall expects.

The count is never refused (a crowd of 4.500 at a big hall can be real): the check-in page asks
the officer to confirm it before sending (app/static/js/checkin.js reads ``RULE`` from the page;
without the script, the server answers the form with the same question: ``app.halls.checkin``),
and every other place marks it for the officers to check, in one wording beside the count
("(chưa chắc: dự kiến 45)"): the live page and the projector fill ``UNSURE`` in their script;
the halls board, the bridge-points page, the commune's part of the event, the home screen, the
reports and their files say ``unsure_words`` (``HallState.unsure``), so a count of 4.500 typed
for 45 is not signed off unseen. Computed each time from the expected and the
reported count: nothing is stored, so a corrected expected count clears the mark at once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.formatting import fmt_number

# Above this many times the expected count, a count is checked; a count of a few people never is.
TIMES_EXPECTED = 3
SMALL = 10
# A hall with no expected count: more people than any commune hall seats.
NO_EXPECTED_BOUND = 1000
# What the page's script needs to apply the same rule before sending.
RULE = {"times": TIMES_EXPECTED, "small": SMALL, "bound": NO_EXPECTED_BOUND}
# The words beside an unusual count; ``__N__``: the expected count (the live page's script fills
# it in as ``unsure_words`` does here).
UNSURE = _l("(unsure: __N__ expected)")
UNSURE_NO_EXPECTED = _l("(unsure: no expected count)")


def unusual_count(head_count: int | None, expected: int | None) -> bool:
    """Whether ``head_count`` is far from the hall's ``expected`` count (0/None: none set)."""
    if head_count is None or head_count <= SMALL:
        return False
    if not expected or expected <= 0:
        return head_count > NO_EXPECTED_BOUND
    return head_count > TIMES_EXPECTED * expected


def unsure_words(head_count: int | None, expected: int | None) -> str:
    """The words beside an unusual ``head_count`` in the current language ("(chưa chắc: dự
    kiến 45)"); empty for a usual one."""
    if not unusual_count(head_count, expected):
        return ""
    if not expected or expected <= 0:
        return str(UNSURE_NO_EXPECTED)
    return str(UNSURE).replace("__N__", fmt_number(expected))
