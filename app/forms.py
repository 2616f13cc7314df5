"""Base form whose built-in WTForms messages are translated through our own catalog.

WTForms ships no Vietnamese locale, so its messages ("This field is required.") are listed below as
msgids of our catalog and looked up with Flask-Babel like every other string.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, lazy_ngettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField
from wtforms.widgets import TextInput


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


class VNDateTimeField(DateTimeField):
    """A moment typed as dd/mm/yyyy hh:mm, read as Vietnamese local time."""

    widget = TextInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%d/%m/%Y %H:%M", **kwargs)
