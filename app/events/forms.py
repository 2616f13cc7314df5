"""Forms of the events area. Dates are typed as dd/mm/yyyy, the offices' convention."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import Form
from app.models import Channel, EventStatus, Scheme

DATE = "%d/%m/%Y"
DATETIME = "%d/%m/%Y %H:%M"

CHANNEL_LABELS = {
    Channel.LIVESTREAM: _l("Livestream"),
    Channel.ONLINE_CONFERENCE: _l("Online conference"),
    Channel.CONFERENCE: _l("In-person conference"),
    Channel.SMALL_GROUP: _l("Small group"),
    Channel.POST: _l("Post"),
}
STATUS_LABELS = {
    EventStatus.SCHEDULED: _l("Scheduled"),
    EventStatus.LIVE: _l("Live"),
    EventStatus.ENDED: _l("Ended"),
}
SCHEME_LABELS = {
    Scheme.BHXH_TU_NGUYEN: _l("Voluntary social insurance (BHXH tự nguyện)"),
    Scheme.BHYT_HO_GIA_DINH: _l("Household health insurance (BHYT hộ gia đình)"),
    Scheme.OTHER: _l("Other"),
}


class EventForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    channel = SelectField(
        _l("Channel"), choices=[(c.value, lbl) for c, lbl in CHANNEL_LABELS.items()]
    )
    status = SelectField(_l("Status"), choices=[(s.value, lbl) for s, lbl in STATUS_LABELS.items()])
    org_unit = StringField(_l("Org unit"), validators=[DataRequired(), Length(max=16)])
    campaign_id = SelectField(_l("Campaign"), coerce=str, validate_choice=True)
    planned_start = DateTimeField(_l("Planned start"), format=DATETIME, validators=[Optional()])
    planned_end = DateTimeField(_l("Planned end"), format=DATETIME, validators=[Optional()])
    cost_vnd = IntegerField(
        _l("Cost (VND)"), default=0, validators=[Optional(), NumberRange(min=0)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class CampaignForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    org_unit = StringField(_l("Org unit"), validators=[DataRequired(), Length(max=16)])
    scheme = SelectField(_l("Scheme"), choices=[(s.value, lbl) for s, lbl in SCHEME_LABELS.items()])
    starts_on = DateField(_l("Starts on"), format=DATE, validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), format=DATE, validators=[DataRequired()])
    goal = IntegerField(
        _l("Goal (new participants)"), default=0, validators=[Optional(), NumberRange(min=0)]
    )
    attribution_window_days = SelectField(
        _l("Attribution window"),
        coerce=int,
        choices=[(30, "30"), (60, "60"), (90, "90")],
        default=90,
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class EventFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    channel = SelectField(
        _l("Channel"),
        default="",
        choices=[("", _l("All"))] + [(c.value, lbl) for c, lbl in CHANNEL_LABELS.items()],
    )
    status = SelectField(
        _l("Status"),
        default="",
        choices=[("", _l("All"))] + [(s.value, lbl) for s, lbl in STATUS_LABELS.items()],
    )
    org_unit = StringField(_l("Org unit"), validators=[Optional(), Length(max=16)])
    date_from = DateField(_l("From"), format=DATE, validators=[Optional()])
    date_to = DateField(_l("To"), format=DATE, validators=[Optional()])
