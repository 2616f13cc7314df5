"""Vietnamese display conventions: dd/mm/yyyy, 1.700, times in Asia/Ho_Chi_Minh.

Numbers and dates go through Babel with the request's locale, so English users get 1,700 and the
same dd/mm/yyyy dates (the convention of the offices, whatever the language).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import format_decimal, get_locale

from app.forms import DAY_INPUT
from app.timeparse import parse_day

DATE_FORMAT = "dd/MM/yyyy"


def display_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def local(value: datetime) -> datetime:
    return value.astimezone(display_tz())


def fmt_number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value)


def fmt_fraction(value: float | None, places: int = 2) -> str:
    """A fraction such as a match score with a fixed number of decimals: 0,62 (0.62 in English)."""
    return "" if value is None else format_decimal(value, "0." + "0" * places)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


def day_input(raw: str | None) -> str:
    """A day typed or linked (dd/mm/yyyy or yyyy-mm-dd) as a day field shows it: dd/mm/yyyy."""
    try:
        return parse_day(raw or "").strftime("%d/%m/%Y")
    except ValueError:
        return raw or ""


def fmt_datetime(value: datetime | None) -> str:
    return "" if value is None else local(value).strftime("%d/%m/%Y %H:%M")


def without_page(args: dict[str, str]) -> dict[str, str]:
    """Query arguments minus ``page``, for pager links."""
    return {k: v for k, v in args.items() if k != "page"}


def register(app: Flask) -> None:
    from app.models import Role

    app.jinja_env.globals["roles"] = Role
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.add_template_filter(without_page, "reject_page")
    app.add_template_filter(fmt_number, "number")
    app.add_template_filter(fmt_fraction, "fraction")
    app.add_template_filter(fmt_date, "date")
    app.add_template_filter(fmt_datetime, "datetime")
    app.add_template_filter(day_input, "day_input")
    app.jinja_env.globals["day_input_attrs"] = DAY_INPUT
