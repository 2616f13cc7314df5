"""What each role may see and do, in words, built from the same constants the views check.

Each line names the minimum role the code enforces (``EVENT_WRITER``, ``CONNECTOR`` ...), so a
change of rule changes the words on /users/new too; the form never describes a rule of its own.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app import labels
from app.alerts.views import ACK_ROLE
from app.connect.routes import CONNECTOR
from app.events.services import CAMPAIGN_WRITER, EVENT_WRITER
from app.models import Role
from app.realtime.viewer import PHONE_ROLE
from app.reports.offline import OFFLINE_WRITER

# Only administrators reach the users pages and personal-data requests (``role_required`` there).
USER_ADMIN = Role.ADMIN

# (minimum role, what it allows); everyone sees their own unit and the units under it.
ABILITIES: tuple[tuple[Role, LazyString], ...] = (
    (Role.VIEWER, _l("sees events, live pages, dashboards and reports of their unit and below")),
    (PHONE_ROLE, _l("sees the phone numbers of interested people in full")),
    (EVENT_WRITER, _l("creates and edits events, imports attendee sheets")),
    (OFFLINE_WRITER, _l("records offline activities")),
    (ACK_ROLE, _l("acknowledges alerts")),
    (CAMPAIGN_WRITER, _l("creates and edits campaigns")),
    (CONNECTOR, _l("connects platform accounts (Facebook, YouTube, Zoom…)")),
    (USER_ADMIN, _l("manages user accounts and personal-data requests")),
)


def abilities(role: Role) -> list[LazyString]:
    """What ``role`` may do, in the order of ``ABILITIES``."""
    return [words for minimum, words in ABILITIES if role.rank >= minimum.rank]


def only_from(role: Role) -> list[LazyString]:
    """What ``role`` adds to the role below it: the short line shown beside its name."""
    return [words for minimum, words in ABILITIES if minimum == role]


def rows() -> list[tuple[LazyString, list[LazyString]]]:
    """Each role's name and what it adds, weakest first, for the role hint of the users form."""
    return [(labels.ROLE[role], only_from(role)) for role in Role]
