"""The words of every code a user may see: kinds, sources, methods, models, roles, statuses.

One table per code set, each value with a catalog message (English msgid, Vietnamese in the vi
catalog), so a page, an Excel sheet, a CSV or a PDF never shows ``facebook_live``, ``sheet``,
``probabilistic`` or ``last_touch``. Files sent upward are always Vietnamese: ``in_vietnamese``
renders a label under the vi locale whatever the request's language. Only ``app.models`` is
imported, so any module (forms, routes, workbooks) may import this one without a cycle; the
codes of other modules (link methods, attribution models, intents) are spelled here and a test
checks they cover their module's set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, has_app_context
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from app.models.enums import Channel, EventStatus, LinkStatus, OrgKind, Platform, Role, Scheme
from app.models.offline import OfflineKind

CHANNEL: dict[str, LazyString] = {
    Channel.LIVESTREAM: _l("Livestream"),
    Channel.ONLINE_CONFERENCE: _l("Online conference"),
    Channel.CONFERENCE: _l("In-person conference"),
    Channel.SMALL_GROUP: _l("Small group"),
    Channel.POST: _l("Post"),
}
OFFLINE_KIND: dict[str, LazyString] = {
    OfflineKind.LEAFLET: _l("Leaflets handed out"),
    OfflineKind.LOUDSPEAKER: _l("Loudspeaker broadcasts"),
    OfflineKind.POSTER: _l("Posters"),
}
EVENT_STATUS: dict[str, LazyString] = {
    EventStatus.SCHEDULED: _l("Scheduled"),
    EventStatus.LIVE: _l("Live"),
    EventStatus.ENDED: _l("Ended"),
}
# What a page shows of an event's status (app.events.status.shown_status): a scheduled event is
# under way by its schedule inside its planned hours, and needs an update after them.
SHOWN_STATUS: dict[str, LazyString] = {
    **EVENT_STATUS,
    "under_way": _l("Under way (by its schedule)"),
    "overdue": _l("Past its end: update its status"),
}
SCHEME: dict[str, LazyString] = {
    Scheme.BHXH_TU_NGUYEN: _l("Voluntary social insurance (BHXH tự nguyện)"),
    Scheme.BHYT_HO_GIA_DINH: _l("Household health insurance (BHYT hộ gia đình)"),
    Scheme.OTHER: _l("Other"),
}
ORG_KIND: dict[str, LazyString] = {
    OrgKind.COUNTRY: _l("Country"),
    OrgKind.PROVINCE: _l("Province"),
    OrgKind.COMMUNE: _l("Commune"),
}
ROLE: dict[str, LazyString] = {
    Role.VIEWER: _l("Viewer"),
    Role.OFFICER: _l("Officer"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}
# Brand names, never translated; the live page's script gets them with its words.
PLATFORM: dict[str, str] = {
    Platform.FACEBOOK: "Facebook",
    Platform.YOUTUBE: "YouTube",
    Platform.ZOOM: "Zoom",
    Platform.TEAMS: "Teams",
    Platform.MEET: "Google Meet",
    Platform.BBB: "BigBlueButton",
    Platform.ZALO: "Zalo",
}
# What a collection target reads (collectors.COLLECTORS' keys), brand names kept.
TARGET_KIND: dict[str, LazyString] = {
    "facebook_live": _l("Facebook live video"),
    "facebook_post": _l("Facebook post"),
    "youtube_live": _l("YouTube live"),
    "zoom_meeting": _l("Zoom meeting"),
    "teams_meeting": _l("Teams meeting"),
    "meet_conference": _l("Google Meet meeting"),
    "bbb_meeting": _l("BigBlueButton meeting"),
    "zalo_article": _l("Zalo article"),
}
# How a person was seen at an event (Attendance.source).
TOUCH_SOURCE: dict[str, LazyString] = {
    "sheet": _l("Attendee sheet"),
    "checkin": _l("Hall check-in"),
    "comment": _l("Public comment"),
}
# What a lead comment asks for (app.attendance.leads.INTENT_KEYWORDS).
INTENT: dict[str, LazyString] = {
    "tu_van": _l("asks for advice"),
    "dang_ky": _l("wants to enrol"),
    "muc_dong": _l("asks about contributions"),
    "inbox": _l("asks for a private message"),
    "hoi": _l("asks a question"),
    "lien_he": _l("asks to be contacted"),
    "quyen_loi": _l("asks about benefits"),
    "ho_tro": _l("asks about State support"),
    "dieu_kien": _l("asks whether they can join"),
    "bhyt": _l("interested in health insurance"),
    "bhxh": _l("interested in social insurance"),
}
# How an attendee was matched to an enrolment (app.linkage.engine.LinkMethod).
LINK_METHOD: dict[str, LazyString] = {
    "cccd": _l("Same CCCD number"),
    "insurance_id": _l("Same social insurance number"),
    "phone_given": _l("Same phone and given name"),
    "probabilistic": _l("Similar name, birth and address"),
    "household": _l("Same household"),
}
LINK_STATUS: dict[str, LazyString] = {
    LinkStatus.LINKED: _l("Matched"),
    LinkStatus.CONFIRMED: _l("Confirmed by an officer"),
    LinkStatus.REVIEW: _l("Waiting for review"),
    LinkStatus.REJECTED: _l("Not the same person"),
    "household": _l("Household member"),
}
# How an enrolment's credit is shared among events (app.followup.attribution.MODELS).
ATTRIBUTION_MODEL: dict[str, LazyString] = {
    "last_touch": _l("Last touch"),
    "first_touch": _l("First touch"),
    "linear": _l("Linear"),
    "position_based": _l("Position based"),
    "time_decay": _l("Time decay"),
}
# What a channel's reach counts (dashboards.channels' reach kinds).
REACH_KIND: dict[str, LazyString] = {
    "views": _l("views"),
    "people": _l("people present"),
    "copies": _l("copies"),
    "broadcasts": _l("broadcasts"),
}
# A Facebook reaction type (collectors.base.REACTION_TYPES), in the platform's own order; "Haha"
# and "Wow" are Facebook's own words in Vietnamese too.
REACTION: dict[str, LazyString | str] = {
    "like": _l("Like"),
    "love": _l("Love"),
    "care": _l("Care"),
    "haha": "Haha",
    "wow": "Wow",
    "sad": _l("Sad"),
    "angry": _l("Angry"),
}
# A finished livestream's figures beside the office's earlier ones (reports.livestream_compare).
LIVESTREAM_METRIC: dict[str, LazyString] = {
    "views": _l("Views"),
    "peak_viewers": _l("Peak concurrent viewers"),
    "interactions": _l("Interactions"),
    "comments": _l("Comments"),
    "leads": _l("Lead comments"),
    "enrolments": _l("Enrolments attributed"),
}
# The two imports, named so they cannot be mixed up (ImportBatch.kind).
IMPORT_KIND: dict[str, LazyString] = {
    "enrolments": _l("Import enrolments"),
    "attendees": _l("Import attendee sheet"),
}
# Where a platform object stands when checked before tracking (collectors.base.Description).
OBJECT_STATUS: dict[str, LazyString] = {
    "live": _l("Live now"),
    "scheduled": _l("Not started yet"),
    "ended": _l("Ended"),
}
# A meeting (Zoom, Teams, Meet, BigBlueButton) under way is held, not broadcast: its own words.
MEETING_STATUS: dict[str, LazyString] = {**OBJECT_STATUS, "live": _l("Meeting in progress")}
# A target under way and collected, by what it is (``app.status.words.target_state``).
LIVE_COLLECTING: dict[str, LazyString] = {
    "broadcast": _l("Live: collecting"),
    "meeting": _l("Meeting in progress: collecting"),
}
# A target whose platform says it has not started yet, by what it is.
NOT_STARTED: dict[str, LazyString] = {
    "broadcast": _l("Waiting for the live to start"),
    "meeting": _l("Waiting for the meeting to start"),
}
# A person's gender as enrolment exports give it (app.followup.enrolment_cells.GENDERS).
GENDER: dict[str, LazyString] = {"male": _l("Male"), "female": _l("Female")}
# Where a hall of a conference stands (app.halls.board).
# ``app.halls.state.STATUSES``: the meeting connection and the check-in, each seen or not. A hall
# that only reported is not connected: the organiser phones it.
HALL_STATUS: dict[str, LazyString] = {
    "not_connected": _l("Not connected, no head count"),
    "reported_only": _l("Head count sent, not connected to the meeting"),
    "connected": _l("Connected, no head count yet"),
    "connected_reported": _l("Connected, head count sent"),
}
# In person there is no meeting to connect to: only the head count says a hall is in.
IN_PERSON_HALL_STATUS: dict[str, LazyString] = {
    **HALL_STATUS,
    "not_connected": _l("No head count yet"),
    "reported_only": _l("Head count sent"),
}
ACCOUNT_HEALTH: dict[str, LazyString] = {
    "ok": _l("Working"),
    "rate_limited": _l("The platform asked us to slow down; collection resumes by itself"),
    "auth_expired": _l("The access token expired: re-authorise this account"),
    "error": _l("Errors while collecting"),
}
# What each audience figure counts, where "Viewers now" and "Views" stand side by side.
FIGURE_HINTS: dict[str, LazyString] = {
    "live_viewers": _l("People watching the live at this moment"),
    "peak_viewers": _l("The most people watching at one moment, all platforms together"),
    "views": _l("Times the video was opened, replays included: one person may count several times"),
    "halls_connected": _l("Halls the meeting saw connected; a head count alone does not count"),
    "halls_reported": _l("Halls that sent their head count from the check-in page"),
    # Two counts of the same conference that officers read as one: say which is which.
    "people_present": _l("Everyone in the halls, named or not: the head counts the halls sent"),
    "people_named": _l(
        "People known by name (attendee sheets, named rows of the halls' reports), each once"
    ),
    # Without halls nobody sends a head count: the reports count the people on the lists.
    "people_present_no_halls": _l(
        "This event has no halls: the people present are the people on its attendee sheets and "
        "check-ins, as the reports count them."
    ),
    # A post has no live audience: its views are the platform's own count of the post.
    "post_views": _l(
        "“Views” is the platform's own count for the post: how many times it was seen (Facebook) "
        "or read (Zalo), one person possibly several times."
    ),
    "post_reach": _l(
        "“People reached” is Facebook's count of the people the post was shown to, each once "
        "(added up over the event's posts)."
    ),
}
VIEWS_HINT = _l(
    "“Viewers now” counts the people watching at this moment; “Views” counts every time the "
    "video was opened, replays included."
)
# The columns of the reports' tables as the pages name them. The Excel, CSV, PDF and Word files
# take their headers from here in Vietnamese (``report_column``), so a file never calls a column
# something else than the page beside it does ("Hoạt động", not "Số hoạt động"). Each starts with
# a capital, as do the reach kinds shown in a cell (``reach_word``).
REPORT_COLUMN: dict[str, LazyString] = {
    "channel": _l("Channel"),
    "commune": _l("Commune"),
    "province_level": _l("Province level"),
    "date": _l("Date"),
    "title": _l("Title"),
    "events": _l("Activities"),
    "reach": _l("Reach"),
    "reach_kind": _l("Reach counts"),
    # A post's people reached (one event), and the posts' reach added up (a channel, a month,
    # a commune): not people reached, since one person shown two posts counts twice.
    "post_reach": _l("People reached"),
    "post_reach_sum": _l("Reach of the posts, added up"),
    "interactions": _l("Interactions"),
    "identified": _l("People identified"),
    "enrolments": _l("Enrolments attributed"),
    "conversion": _l("Conversion"),
    "cost_vnd": _l("Cost (VND)"),
    "cost_per_enrolment": _l("Cost per enrolment (VND)"),
    "all_channels": _l("All channels"),
    "reach_not_added": _l("Not added up: different units"),
    "livestream": _l("Livestream"),
    "org_unit": _l("Org unit"),
    "views_vs_median": _l("Views vs. median"),
    "interactions_vs_median": _l("Interactions vs. median"),
    "earlier": _l("Previous livestreams compared"),
    # Why a row's figures are empty (not held yet, nothing collected): text, so that the number
    # columns beside it stay numbers in the files.
    "note": _l("Note"),
    # The commune's halls at events of the units above (the channels page's last section).
    "organiser": _l("Organised by"),
    "head_count": _l("Hall head count"),
    # Beside an unusual head count, the words of ``app.halls.unusual.unsure_words``; else empty.
    "head_count_check": _l("Head count to check"),
    "expected": _l("Expected"),
    "identified_at_hall": _l("People identified at the hall"),
    "enrolled_after": _l("Enrolled afterwards"),
}
# Every table above by name, for the test that each value has its Vietnamese words.
CODE_SETS: dict[str, Mapping[str, Any]] = {
    "channel": CHANNEL,
    "offline_kind": OFFLINE_KIND,
    "event_status": EVENT_STATUS,
    "scheme": SCHEME,
    "org_kind": ORG_KIND,
    "role": ROLE,
    "platform": PLATFORM,
    "target_kind": TARGET_KIND,
    "touch_source": TOUCH_SOURCE,
    "intent": INTENT,
    "link_method": LINK_METHOD,
    "link_status": LINK_STATUS,
    "attribution_model": ATTRIBUTION_MODEL,
    "reach_kind": REACH_KIND,
    "reaction": REACTION,
    "livestream_metric": LIVESTREAM_METRIC,
    "import_kind": IMPORT_KIND,
    "object_status": OBJECT_STATUS,
    "account_health": ACCOUNT_HEALTH,
    "hall_status": HALL_STATUS,
    "in_person_hall_status": IN_PERSON_HALL_STATUS,
    "gender": GENDER,
    "report_column": REPORT_COLUMN,
}
# A channel of the reports: an event's channel or an offline kind.
REPORT_CHANNEL: dict[str, LazyString] = {**CHANNEL, **OFFLINE_KIND}


def hall_status_words(meeting: bool) -> Mapping[str, LazyString]:
    """The words of a hall's status (``app.halls.state.STATUSES``) at an event whose halls
    connect to a meeting, or not (``app.halls.meeting.tracks_meeting``)."""
    return HALL_STATUS if meeting else IN_PERSON_HALL_STATUS


def label(table: Mapping[str, Any], code: str | None) -> str:
    """The words of ``code`` in the current language; an unknown code is shown as it is."""
    if code is None:
        return ""
    return str(table.get(code, code))


def labels(table: Mapping[str, Any], codes: Iterable[str]) -> str:
    """Several codes of one table as words, comma separated (a lead's intents). A code the table
    does not know (an intent stored by an earlier version, such as "consult") is left out: the
    words are for officers, and a code is no word; empty when none is known."""
    return ", ".join(str(table[c]) for c in codes if c in table)


def in_vietnamese(text: Any) -> str:
    """``text`` (a lazy label) rendered in Vietnamese: Excel, CSV and PDF files go upward in it."""
    if not has_app_context():
        return str(text)
    with force_locale("vi"):
        return str(text)


def vi_label(table: Mapping[str, Any], code: str | None) -> str:
    """``label`` in Vietnamese whatever the page's language, for files."""
    if code is None:
        return ""
    return in_vietnamese(table.get(code, code))


def capitalised(text: str) -> str:
    """A label standing alone (a heading, a cell, a chart's bar): "lượt xem" becomes "Lượt xem".
    The tables keep the lower case for the labels that also sit inside sentences."""
    return text[:1].upper() + text[1:]


def reach_word(kind: str, vietnamese: bool = False) -> str:
    """What a channel's reach counts, in its own cell: "Lượt xem" on the page and in the files."""
    return capitalised(vi_label(REACH_KIND, kind) if vietnamese else label(REACH_KIND, kind))


def report_column(key: str) -> str:
    """A report table's column header in Vietnamese, as the page names it, for files."""
    return vi_label(REPORT_COLUMN, key)


def vi_labels(table: Mapping[str, Any], codes: Iterable[str]) -> str:
    """``labels`` in Vietnamese whatever the page's language, for files; unknown codes left out."""
    return ", ".join(in_vietnamese(table[c]) for c in codes if c in table)


def month_label(period: str) -> str:
    """A month key ``2026-11`` as written in Vietnam: ``11/2026``."""
    year, _, month = period.partition("-")
    return f"{month}/{year}" if month else period


def code_label(code: str | None, code_set: str) -> str:
    """Template filter: ``{{ t.kind|label("target_kind") }}``."""
    return label(CODE_SETS[code_set], code)


def register(app: Flask) -> None:
    """Template filters ``label`` and ``month`` (``{{ period|month }}`` is 11/2026), and the
    hints that tell "Viewers now" from "Views"."""
    app.add_template_filter(code_label, "label")
    app.add_template_filter(month_label, "month")
    app.jinja_env.globals["figure_hints"] = FIGURE_HINTS
    app.jinja_env.globals["views_hint"] = VIEWS_HINT
