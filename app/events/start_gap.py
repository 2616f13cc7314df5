"""A livestream the platform started well before or after its planned start, or an online
conference whose meeting started well after it, said in words.

The event page, the live page's header (the projector's too) and a commune's part of the event
(``app.events.part``) say it: "Nền tảng bắt đầu phát lúc 08:12, muộn 12 phút so với kế hoạch
(08:00)"; for a conference "Cuộc họp bắt đầu lúc 08:12, muộn 12 phút so với kế hoạch (08:00)",
never when early (hosts open their meetings early for the halls to connect). Only an event
followed on a platform (its actual start is the platform's: the live's, or the meeting's as
Zoom, Teams, Meet or BigBlueButton date it; else the first poll that found it live:
``app.collection.writer``) and only from ``NOTED_GAP`` on: a poll's few minutes are no news.
Both times are read in Vietnam to the minute, as the sentence writes them, so the gap is the
difference of the two times shown; both carry their day (dd/mm/yyyy HH:MM) when they fall on
different days.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.extensions import db
from app.formatting import fmt_moment, local
from app.models import Channel, Event, Target

NOTED_GAP = 5  # minutes


def gap_minutes(planned: datetime, actual: datetime) -> int:
    """Minutes from the planned start to the actual one as shown (Vietnam time, to the minute):
    positive when late."""
    shown = [local(at).replace(second=0, microsecond=0) for at in (planned, actual)]
    return int((shown[1] - shown[0]).total_seconds() // 60)


def duration_words(minutes: int) -> str:
    """``minutes`` as days, hours and minutes, the parts that are not zero: "1 giờ 12 phút"
    (each part below 1.000, so written without a separator)."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)s day", "%(num)s days", days))
    if hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    if mins:
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", mins))
    return " ".join(parts)


def start_gap_sentence(event: Event, followed: bool) -> str:
    """The sentence for ``event`` (``followed``: it has a collection target), or "" when its
    platform started it within ``NOTED_GAP`` minutes of the plan, a conference's meeting did not
    start late, or either time is unknown."""
    planned, actual = event.planned_start, event.actual_start
    meeting = event.channel == Channel.ONLINE_CONFERENCE
    if not followed or not (meeting or event.channel == Channel.LIVESTREAM):
        return ""
    if planned is None or actual is None:
        return ""
    minutes = gap_minutes(planned, actual)
    if abs(minutes) < NOTED_GAP or (meeting and minutes < 0):
        return ""
    same_day = local(planned).date() == local(actual).date()
    shown = [local(at).strftime("%H:%M") if same_day else fmt_moment(local(at))
             for at in (actual, planned)]  # fmt: skip
    words = {"actual": shown[0], "planned": shown[1], "gap": duration_words(abs(minutes))}
    if meeting:
        return _("The meeting started at %(actual)s, %(gap)s late against the plan "
                 "(%(planned)s)", **words)  # fmt: skip
    if minutes > 0:
        return _("The platform started broadcasting at %(actual)s, %(gap)s late against the "
                 "plan (%(planned)s)", **words)  # fmt: skip
    return _("The platform started broadcasting at %(actual)s, %(gap)s early against the "
             "plan (%(planned)s)", **words)  # fmt: skip


def event_start_gap(event: Event) -> str:
    """``start_gap_sentence`` for a page that has not read the event's targets (a commune's part
    of it, where they stay out of reach): whether one exists is all it asks of them."""
    followed = select(Target.id).where(Target.event_id == event.id).limit(1)
    return start_gap_sentence(event, db.session.scalar(followed) is not None)
