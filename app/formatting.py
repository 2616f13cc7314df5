"""Vietnamese display conventions: dd/mm/yyyy, 1.700, times in Asia/Ho_Chi_Minh.

Numbers and dates go through Babel with the request's locale, so English users get 1,700 and the
same dd/mm/yyyy dates (the convention of the offices, whatever the language).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal as babel_decimal
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask import Flask, current_app
from flask_babel import format_decimal, get_locale
from jinja2 import pass_context
from jinja2.runtime import Context

from app.forms import DAY_INPUT
from app.identity.phones import shown_phone
from app.timeparse import parse_day

DATE_FORMAT = "dd/MM/yyyy"
# A moment, everywhere it is written (pages, the live page's script, PDF, Word, Excel): the day
# first, then the time, "07/12/2026 05:44" — never "05:44 07/12/2026".
MOMENT_FORMAT = "%d/%m/%Y %H:%M"
# Numbers a locale's fast path must write exactly as Babel does before it is trusted.
PROBES = (0, 7, -7, 999, -999, 1000, -1000, 12_345, 123_456, 1_234_567, -1_234_567_890, 10**15,
          0.5, -0.25, 1234.5, 0.125, 12_345_678.25, 3.0)  # fmt: skip
_SYMBOLS: dict[str, Symbols | None] = {}
SYMBOLS = "number_symbols"
BIGGEST = 10**24  # Babel's decimal context (28 digits) writes whole numbers below this


def display_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def local(value: datetime) -> datetime:
    return value.astimezone(display_tz())


Symbols = tuple[str, str, str]  # group, minus, decimal


def fast_decimal(value: int | float, symbols: Symbols) -> str | None:
    """``value`` as Babel's "#,##0.###" writes it with these symbols, or None where only Babel
    may say (more than three decimals to round, exponents, negative zero, inf, nan, whole numbers
    too long for its decimal context)."""
    group, minus, point = symbols
    if type(value) is int and -BIGGEST < value < BIGGEST:
        text = f"{abs(value):,}".replace(",", group)
        return minus + text if value < 0 else text
    if type(value) is not float:
        return None
    whole, _, fraction = repr(abs(value)).partition(".")
    fraction = fraction.rstrip("0")
    if not whole.isdigit() or len(fraction) > 3 or not fraction.isdigit() and fraction:
        return None
    if value == 0 and str(value).startswith("-"):
        return None
    text = f"{int(whole):,}".replace(",", group) + (point + fraction if fraction else "")
    return minus + text if value < 0 else text


def number_symbols(locale: Locale) -> Symbols | None:
    """The symbols with which ``fast_decimal`` writes numbers as Babel does in ``locale``; None
    where its pattern is not plain thousands (checked once per locale on ``PROBES``)."""
    key = str(locale)
    if key not in _SYMBOLS:
        symbols = (
            get_group_symbol(locale),
            get_minus_sign_symbol(locale),
            get_decimal_symbol(locale),
        )
        same = all(fast_decimal(v, symbols) == babel_decimal(v, locale=locale) for v in PROBES)
        _SYMBOLS[key] = symbols if same else None
    return _SYMBOLS[key]


def _symbols_now() -> Symbols | None:
    locale = get_locale()
    return number_symbols(locale) if locale is not None else None


def fmt_number(value: int | float | None, symbols: Symbols | None = None) -> str:
    """Babel's decimal format of the request's locale, written without Babel's pattern
    machinery where that gives the same text (a province's year page writes thousands).

    ``symbols``: the locale's ``number_symbols``, when the caller looked them up once for many.
    """
    if value is None:
        return ""
    symbols = symbols or _symbols_now()
    if symbols is not None and (text := fast_decimal(value, symbols)) is not None:
        return text
    return format_decimal(value)


def fmt_optional(value: int | float | None, symbols: Symbols | None = None) -> str:
    """A figure that may be missing (offline channels have no interactions): a dash then."""
    return "—" if value is None else fmt_number(value, symbols)


def fmt_percent(value: float | None, locale: str | None = None) -> str:
    """A share as a percentage with one decimal, always (0.1234 → "12,3 %", 0 → "0,0 %"), so a
    rate and its interval read alike, "16,7 % (3,0 %–56,4 %)", on the pages, the PDF and the
    Word file; a dash when missing. ``locale``: the printed reports' "vi" whatever the request's.
    """
    if value is None:
        return "—"
    number = round(value * 100, 1)
    if locale is None:
        return f"{format_decimal(number, '#,##0.0')} %"
    return f"{babel_decimal(number, '#,##0.0', locale=locale)} %"


# A ratio to a reference (a livestream's figure over its office's median) is always written in
# times with one decimal, "0,4 lần", "1,0 lần", "12,3 lần", so that a column of them reads in one
# unit; a non-zero ratio that one decimal would write 0,0 (below 0,05) reads "dưới 0,1 lần", never
# "0 lần"; exactly 0 is "0 lần". The workbook's number format says the same (``month_section``).
SMALL_RATIO = 0.05
UNDER_RATIO = 0.1


def ratio_form(ratio: float) -> tuple[str, float]:
    """How to write a ratio to a reference: ("times", 1.4), rounded to one decimal half up as a
    spreadsheet rounds it (0,25 → 0,3); ("under", 0.1) for a non-zero ratio below 0,05, which
    would round to 0; ("times", 0) for exactly 0."""
    if ratio != 0 and abs(ratio) < SMALL_RATIO:
        return "under", UNDER_RATIO
    return "times", float(Decimal(repr(ratio)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def ratio_number(value: float, locale: str | None = None) -> str:
    """The number of ``ratio_form``: one decimal always ("1,0"), 0 alone; ``locale`` as for
    ``fmt_percent``."""
    pattern = "0" if value == 0 else "#,##0.0"
    if locale is None:
        return format_decimal(value, pattern)
    return babel_decimal(value, pattern, locale=locale)


# The template filters read the locale's symbols from the render's context, looked up once per
# render by ``_number_symbols`` (a render inside ``force_locale`` gets that locale's).
@pass_context
def _number_filter(context: Context, value: int | float | None) -> str:
    return fmt_number(value, context.get(SYMBOLS))


@pass_context
def _optional_filter(context: Context, value: int | float | None) -> str:
    return fmt_optional(value, context.get(SYMBOLS))


def _number_symbols() -> dict[str, Symbols | None]:
    return {SYMBOLS: _symbols_now()}


def fmt_fraction(value: float | None, places: int = 2) -> str:
    """A fraction such as a match score with a fixed number of decimals: 0,62 (0.62 in English)."""
    return "" if value is None else format_decimal(value, "0." + "0" * places)


def fmt_size(size: int) -> str:
    """A file's size as people read it: "850 B", "12,3 KB", "1,4 MB" (1.024 per step)."""
    if size < 1024:
        return f"{fmt_number(size)} B"
    value, unit = size / 1024, "KB"
    if value >= 1024:
        value, unit = value / 1024, "MB"
    return f"{fmt_number(round(value, 1))} {unit}"


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


def fmt_moment(value: datetime) -> str:
    """``value`` (aware) as ``MOMENT_FORMAT`` writes it, in the zone it is given in: the reports
    pass it in Vietnam time without an application."""
    return value.strftime(MOMENT_FORMAT)


def fmt_datetime(value: datetime | None) -> str:
    return "" if value is None else fmt_moment(local(value))


def without_page(args: dict[str, str]) -> dict[str, str]:
    """Query arguments minus ``page``, for pager links."""
    return {k: v for k, v in args.items() if k != "page"}


def register(app: Flask) -> None:
    from app.models import Role

    app.jinja_env.globals["roles"] = Role
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.add_template_filter(without_page, "reject_page")
    app.context_processor(_number_symbols)
    app.add_template_filter(_number_filter, "number")
    app.add_template_filter(_optional_filter, "optional")
    app.add_template_filter(fmt_percent, "percent")
    app.add_template_filter(fmt_fraction, "fraction")
    app.add_template_filter(fmt_size, "size")
    app.add_template_filter(fmt_date, "date")
    app.add_template_filter(fmt_datetime, "datetime")
    app.add_template_filter(day_input, "day_input")
    app.add_template_filter(shown_phone, "phone")  # 0987 654 321, 0238 3844 555
    app.jinja_env.globals["day_input_attrs"] = DAY_INPUT
