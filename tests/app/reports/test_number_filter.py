"""The ``|number`` filter writes what Babel writes, without Babel's pattern machinery.

A province's year page writes a few thousand figures; ``app.formatting.fast_decimal`` groups
whole numbers and short decimals itself, with the symbols of the locale, and leaves to Babel any
value it cannot write the same way (more than three decimals to round, exponents, negative zero)
and any locale whose grouping is not plain thousands (checked once per locale).
"""

from __future__ import annotations

import random

import pytest
from babel import Locale
from babel.numbers import format_decimal
from flask import render_template_string
from flask_babel import force_locale

from app.formatting import fast_decimal, fmt_number, number_symbols


def values() -> list[int | float]:
    rng = random.Random(18)
    whole = [
        rng.randint(-(10 ** rng.randint(0, 22)), 10 ** rng.randint(0, 22)) for _ in range(5000)
    ]
    decimals = [round(rng.uniform(-1e9, 1e9), rng.randint(0, 5)) for _ in range(5000)]
    edges = [0, 1, -1, 999, 1000, -1000, 999_999, 1_000_000, 10**24 - 1, -(10**24) + 1, 2**63, 0.0,
             -0.0, 0.5, -0.5, 0.001, 0.0005, 1.0005, 2.675, 1e16, 2.5e-5, 1234.5678,
             float("inf"), float("nan")]  # fmt: skip
    return whole + decimals + edges


@pytest.mark.parametrize("code", ["vi", "en", "fr", "de"])
def test_the_fast_path_writes_exactly_what_babel_writes(code: str) -> None:
    locale = Locale.parse(code)
    symbols = number_symbols(locale)
    assert symbols is not None
    written = 0
    for value in values():
        text = fast_decimal(value, symbols)
        if text is not None:
            written += 1
            assert text == format_decimal(value, locale=locale), value
    assert written > 8000  # not vacuous: most figures take the fast path
    assert fast_decimal(10**30, symbols) is None  # Babel's own error, not a made-up text


def test_a_locale_grouped_otherwise_is_left_to_babel() -> None:
    assert number_symbols(Locale.parse("hi")) is None  # 12,34,567: Indian grouping


def test_pages_write_numbers_in_the_requests_locale(app) -> None:
    figures = [-1_234_567, 2_500_000, 0, 7, 12.5, -0.25, 1.0005, None]
    template = "{% for v in figures %}[{{ v|number }}|{{ v|optional }}]{% endfor %}"
    for code in ("vi", "en"):
        with app.test_request_context("/"), force_locale(code):
            page = render_template_string(template, figures=figures)
            locale = Locale.parse(code)
            expected = "".join(
                f"[{format_decimal(v, locale=locale)}|{format_decimal(v, locale=locale)}]"
                if v is not None
                else "[|—]"
                for v in figures
            )
            assert page == expected
            assert fmt_number(2_500_000) == format_decimal(2_500_000, locale=locale)
    with app.test_request_context("/"):
        assert render_template_string("{{ 2500000|number }}") == "2.500.000"


def test_file_sizes_read_as_people_read_them(app) -> None:  # type: ignore[no-untyped-def]
    from app.formatting import fmt_size

    with app.test_request_context(), force_locale("vi"):
        assert [fmt_size(n) for n in (850, 12_595, 1_468_006)] == ["850 B", "12,3 KB", "1,4 MB"]
    with app.test_request_context(), force_locale("en"):
        assert fmt_size(12_595) == "12.3 KB"
