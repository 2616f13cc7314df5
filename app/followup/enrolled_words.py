"""What the follow-up's "enrolled after the event" figure counts, said under it.

The channel and monthly reports of a unit credit an event with its attendees' enrolments in
every scheme; the follow-up list of a campaign's event counts only the campaign's scheme, as the
campaign's report does. The tour found 4 on the list and 9 in the reports for one conference,
with nothing saying why: the page and its workbook say which people, which window, which
schemes and how the credit is given.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.followup.enrolled_after import EnrolledAfter
from app.followup.queries import campaign_scheme
from app.formatting import fmt_number, fmt_optional
from app.labels import SCHEME, label
from app.models import Event


def enrolled_note(event: Event, after: EnrolledAfter) -> str:
    """Who the figure counts and how the reports credit them, in the request's language."""
    who = _(
        "People identified at this event whose first new enrolment was paid within %(days)s "
        "days after it: %(n)s.",
        days=after.window_days,
        n=fmt_number(len(after.rows)),
    )
    scheme = campaign_scheme(event)
    if scheme is None:
        which = _("Every scheme counts, as in the channel and monthly reports.")
    else:
        which = _(
            "Only the campaign's scheme counts (%(scheme)s), as in the campaign's report; the "
            "channel and monthly reports count every scheme unless filtered to this campaign, "
            "so they can credit this event with more.",
            scheme=label(SCHEME, scheme),
        )
    credit = _(
        "Credited to this event (last touch: someone met at several events is credited to the "
        "last one): %(credited)s.",
        credited=fmt_optional(after.credited),
    )
    return f"{who} {which} {credit}"


def enrolled_note_vi(event: Event, after: EnrolledAfter) -> str:
    """The same in Vietnamese, for the workbook: Vietnamese whatever the page's language."""
    with force_locale("vi"):
        return enrolled_note(event, after)
