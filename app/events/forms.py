"""Forms of the events area. Dates are typed as dd/mm/yyyy, the offices' convention."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app import labels
from app.events.status import UNDER_WAY, UNDER_WAY_WAITING, waiting_words
from app.forms import Form, VNDateField, VNDateTimeField, WholeNumberField, WholeRange
from app.models import EventStatus
from app.wholenumbers import MAX_GOAL, MAX_VND
from collectors.links import MAX_LINKS


def _filtered_status() -> dict[str, Any]:
    """The events list filters by what its rows show (``app.events.status.shown_status``):
    "live" takes the scheduled events under way by their schedule as well, so no option says
    them apart; the one after it says apart those whose platform has not started, in the rows'
    own words (``status_words``)."""
    items = [(k, v) for k, v in labels.SHOWN_STATUS.items() if k != UNDER_WAY]
    at = [k for k, _ in items].index(EventStatus.LIVE) + 1
    return dict([*items[:at], (UNDER_WAY_WAITING, LazyString(waiting_words)), *items[at:]])


FILTERED_STATUS = _filtered_status()
MAX_PASTE = 8000  # characters of links pasted at once (MAX_LINKS long links)
# Links typed on the event form wait in the session cookie for the next page: browsers keep
# cookies of 4 KB, and 20 Teams join links compress to some 3 KB.
MAX_FORM_LINKS = 5000
# The links boxes' help and example follow the event's channel (``app.collection.fit``).


class EventForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    channel = SelectField(
        _l("Channel"), choices=[SelectChoice(str(c), lbl) for c, lbl in labels.CHANNEL.items()]
    )
    status = SelectField(
        _l("Status"), choices=[SelectChoice(str(s), lbl) for s, lbl in labels.EVENT_STATUS.items()]
    )
    org_unit = StringField(_l("Org unit"), validators=[DataRequired(), Length(max=16)])
    campaign_id = SelectField(_l("Campaign"), coerce=str, validate_choice=True)
    planned_start = VNDateTimeField(_l("Planned start"), validators=[Optional()])
    planned_end = VNDateTimeField(_l("Planned end"), validators=[Optional()])
    # An empty box is a cost not entered (None), never 0: 0 says the event was free.
    cost_vnd = WholeNumberField(_l("Cost (VND)"), validators=[Optional(), WholeRange(0, MAX_VND)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    links = TextAreaField(
        _l("Links to track"),
        validators=[Optional(), Length(max=MAX_FORM_LINKS)],
    )

    def validate_planned_end(self, field: Any) -> None:
        """With the other fields' errors, not after they are fixed (one submission, all errors)."""
        not_before(self.planned_start.data, field.data)


class LinksForm(Form):
    """Pasted links, to be checked with their platforms before anything is tracked."""

    step = HiddenField(default="check")
    links = TextAreaField(
        _l("Links to track"), validators=[DataRequired(), Length(max=MAX_PASTE)]
    )  # fmt: skip


class TrackItemForm(Form):
    """One checked object: track it or not, and through which account."""

    class Meta:
        csrf = False  # part of TrackForm, which carries the token

    track = BooleanField(_l("Track"), default=True)
    kind = HiddenField(validators=[DataRequired(), Length(max=40)])
    external_id = HiddenField(validators=[DataRequired(), Length(max=200)])
    # What the platform said of it: kept on the target (the url only on the platform's sites).
    title = HiddenField(validators=[Length(max=2000)])
    url = HiddenField(validators=[Length(max=2000)])
    account_id = SelectField(_l("Account"), coerce=int, validate_choice=False)


class TrackForm(Form):
    """The confirmation: the objects the platforms described, and the paste they came from."""

    step = HiddenField(default="track")
    # Its own id: the paste box below it on the same page is the "links" field too.
    links = HiddenField(validators=[Length(max=MAX_PASTE)], id="checked-links")
    items = FieldList(FormField(TrackItemForm), max_entries=MAX_LINKS)


class CampaignForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    org_unit = StringField(_l("Org unit"), validators=[DataRequired(), Length(max=16)])
    scheme = SelectField(
        _l("Scheme"), choices=[SelectChoice(str(s), lbl) for s, lbl in labels.SCHEME.items()]
    )
    starts_on = VNDateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = VNDateField(_l("Ends on"), validators=[DataRequired()])
    goal = WholeNumberField(
        _l("Goal (new participants)"), default=0, validators=[Optional(), WholeRange(0, MAX_GOAL)]
    )
    attribution_window_days = SelectField(
        _l("Attribution window"),
        coerce=int,
        choices=[SelectChoice(n, str(n)) for n in (30, 60, 90)],
        default=90,
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])

    def validate_ends_on(self, field: Any) -> None:
        not_before(self.starts_on.data, field.data)


def not_before(start: Any, end: Any) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(_l("The end must not be before the start."))


class EventFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    channel = SelectField(
        _l("Channel"),
        default="",
        choices=[SelectChoice("", _l("All"))]
        + [SelectChoice(str(c), lbl) for c, lbl in labels.CHANNEL.items()],
    )
    status = SelectField(
        _l("Status"),
        default="",
        choices=[SelectChoice("", _l("All"))]
        + [SelectChoice(str(s), lbl) for s, lbl in FILTERED_STATUS.items()],
    )
    # By name: the user's unit and the units under it (the route fills the choices).
    org_unit = SelectField(_l("Org unit"), default="", choices=[], validate_choice=False)
    date_from = VNDateField(_l("From"), validators=[Optional()])
    date_to = VNDateField(_l("To"), validators=[Optional()])
