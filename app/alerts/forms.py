"""The event's alert rules form: thresholds in minutes and percent, e-mail and webhook."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.forms import Form
from app.models.enums import Channel

MINUTES = [InputRequired(), NumberRange(min=0, max=1440)]
ADDRESS = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


def addresses(text: str) -> list[str]:
    return [a for a in re.split(r"[\s,;]+", text or "") if a]


class AlertRulesForm(Form):
    enabled = BooleanField(_l("Send alerts for this event"), default=True)
    hall_absent_minutes = IntegerField(_l("Hall not connected, minutes after the start"),
                                       validators=MINUTES, default=10)  # fmt: skip
    hall_dropped_minutes = IntegerField(_l("Hall dropped out, minutes without coming back"),
                                        validators=MINUTES, default=5)  # fmt: skip
    head_count_percent = IntegerField(
        _l("Head count under this share of expected (%)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        default=50,
    )
    head_count_after_minutes = IntegerField(_l("Head count checked from, minutes after the start"),
                                            validators=MINUTES, default=20)  # fmt: skip
    collector_minutes = IntegerField(_l("Collection failing or slowed for, minutes"),
                                     validators=MINUTES, default=10)  # fmt: skip
    viewers_zero_minutes = IntegerField(_l("Livestream without viewers for, minutes"),
                                        validators=MINUTES, default=3)  # fmt: skip
    emails = TextAreaField(_l("E-mail recipients (comma separated)"),
                           validators=[Optional(), Length(max=2000)])  # fmt: skip
    webhook_url = StringField(_l("Webhook address (for a Zalo or Telegram bot)"),
                              validators=[Optional(), Length(max=500)])  # fmt: skip
    new_secret = BooleanField(_l("Draw a new webhook secret"))

    def validate_emails(self, field: TextAreaField) -> None:
        wrong = [a for a in addresses(field.data) if not ADDRESS.match(a)]
        if wrong:
            raise ValidationError(_l("Not an e-mail address: %(address)s", address=wrong[0]))


UNREPORTED_LABEL = _l("Hall has not sent its head count, minutes after the start")

# Which boxes can fire for which channel (app.alerts.rules): a livestream has no halls and a post
# no viewers, so their boxes would only puzzle an officer. A hall drops out of a meeting only.
BOXES_FOR = {
    "hall_absent_minutes": lambda c: c.has_halls,
    "head_count_percent": lambda c: c.has_halls,
    "head_count_after_minutes": lambda c: c.has_halls,
    "hall_dropped_minutes": lambda c: c.has_meeting,
    "viewers_zero_minutes": lambda c: c.has_viewers,
}


def rules_form_for(channel: Channel, meeting: bool, **kw: object) -> AlertRulesForm:
    """The rules form with only the boxes that apply to ``channel``; the others are neither
    shown nor read, so a saved form leaves their stored values as they were. ``meeting``: the
    halls connect to a meeting the event collects (``app.halls.meeting.tracks_meeting``)."""
    form = AlertRulesForm(**kw)
    for name, applies in BOXES_FOR.items():
        if not applies(channel):
            delattr(form, name)
    if channel.has_halls and not meeting:  # no meeting seen: a hall is in once it reported
        form.hall_absent_minutes.label.text = str(UNREPORTED_LABEL)
    return form
