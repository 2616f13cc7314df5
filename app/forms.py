"""Base form whose built-in WTForms messages are translated through our own catalog.

WTForms ships no Vietnamese locale, so its messages ("This field is required.") are listed below as
msgids of our catalog and looked up with Flask-Babel like every other string.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import format_decimal, gettext, lazy_ngettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField, IntegerField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from app.wholenumbers import parse_whole, write_whole


class _CatalogTranslations:
    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _CatalogTranslations:
            return _CatalogTranslations()


# The WTForms messages our forms can show, so that extraction puts them in the catalog.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid integer value."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Number must be at least %(min)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Invalid email address."),
    _l("Write a whole number, for example 2.500.000."),
    _l("Write a number from %(low)s to %(high)s."),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        2,
    ),
)


# Every day field of every page: a text box showing its format, never the browser's date picker
# (an English browser shows it mm/dd/yyyy). Pages without a form class use the same attributes.
DAY_INPUT = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", "class": "day-input"}


class VNDateField(DateField):
    """A date typed as dd/mm/yyyy in a text box (a date picker would submit yyyy-mm-dd)."""

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs["render_kw"] = {**DAY_INPUT, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, format="%d/%m/%Y", **kwargs)


# The hour as Vietnamese officers write it on invitations: 8h, 8h00, 8h30, 8 giờ 30 (phút).
HOUR_WRITTEN = re.compile(
    r"(?<=\s)(\d{1,2})\s*(?:giờ|h|g)\s*(?:(\d{2})\s*(?:phút|p)?)?$", re.IGNORECASE
)


def colon_hour(text: str) -> str:
    """``text`` with an hour written 8h30 or 8 giờ 30 as 8:30; anything else unchanged."""
    return HOUR_WRITTEN.sub(lambda m: f"{m.group(1)}:{m.group(2) or '00'}", text.strip())


class VNDateTimeField(DateTimeField):
    """A moment typed as dd/mm/yyyy hh:mm, read as Vietnamese local time; the hour may be
    written as an invitation writes it (15/12/2026 8h00), which a form refusing it made the
    officer type again."""

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%d/%m/%Y %H:%M", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([colon_hour(" ".join(str(v) for v in valuelist))])


class WholeNumberField(IntegerField):
    """Money or a count typed as people write it: 2.500.000, 2 500 000 or 2500000.

    A text box (a browser's number box turns "2.500.000" into 2.5 in some languages), read by
    ``app.wholenumbers.parse_whole``; a value it cannot read gets one error, not a second one
    from the range check of a value that is not there.
    """

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        attrs = {"inputmode": "numeric", "autocomplete": "off"}
        kwargs["render_kw"] = {**attrs, **(kwargs.get("render_kw") or {})}
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_whole(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(self.gettext("Write a whole number, for example 2.500.000.")) from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return write_whole(self.data) if isinstance(self.data, int) else ""


class WholeRange:
    """A ``WholeNumberField``'s range, its bounds written as the page's language writes them
    (10.000.000; 10,000,000)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(
                gettext(
                    "Write a number from %(low)s to %(high)s.",
                    low=format_decimal(self.low),
                    high=format_decimal(self.high),
                )
            )
