"""What a report's enrolments count, said in words under its figures.

The channel comparison of a unit counts the enrolments of every scheme; filtered to a campaign,
and on the campaign's page, only those of the campaign's scheme (``ReportFilter.scheme``). The
same event thus earns more credit on the first page than on the others: each page says which
it counts, so a manager comparing pages knows why.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app import labels
from app.models import Scheme


def enrolment_scope(scheme: str | None) -> str:
    """The sentence for a report counting ``scheme``'s enrolments (None: every scheme's)."""
    if scheme is not None:
        return _("Only the campaign's scheme is counted: %(scheme)s.", scheme=_scheme(scheme))
    named = ", ".join(_scheme(s) for s in Scheme if s is not Scheme.OTHER)
    every = _("Every scheme is counted (%(schemes)s and other schemes).", schemes=named)
    # The follow-up list of a campaign's event counts its scheme alone: say why it shows fewer.
    fewer = _(
        "A campaign's event is credited here with its attendees' new enrolments in every scheme; "
        "its follow-up list counts only the campaign's scheme, so it can show fewer."
    )
    return f"{every} {fewer}"


def enrolment_scope_line(scheme: str | None) -> str:
    """The page's line ("Lượt tham gia BHXH và BHYT được ghi công: …") in Vietnamese, for the
    files sent upward (PDF, Word, Excel), which are Vietnamese whatever the interface language."""
    with force_locale("vi"):
        return f"{_('Enrolments attributed:')} {enrolment_scope(scheme)}"


def _scheme(scheme: str) -> str:
    return str(labels.SCHEME.get(Scheme(scheme), scheme))
