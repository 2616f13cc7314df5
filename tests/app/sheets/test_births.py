"""The message after an import names the rows kept with the birth year alone, within reason.

A flashed message rides in the session cookie, which a browser drops past 4 KB: a 20,000-row
export of year-only births named every row, so the page after the import said nothing at all.
"""

from __future__ import annotations

from flask import Flask

from app.sheets.births import ROWS_NAMED, year_only_message


def test_a_few_rows_are_all_named(app: Flask) -> None:
    with app.test_request_context():  # pages default to Vietnamese
        assert year_only_message((3, 7)) == "2 dòng chỉ giữ được năm sinh: dòng 3, 7."


def test_thousands_of_rows_are_named_up_to_a_limit_and_the_rest_counted(app: Flask) -> None:
    rows = tuple(range(2, 20_002))
    with app.test_request_context():  # pages default to Vietnamese
        message = year_only_message(rows)
    named = ", ".join(str(r) for r in rows[:ROWS_NAMED])
    assert message == (f"20.000 dòng chỉ giữ được năm sinh: dòng {named} và 19.980 dòng khác.")
    assert len(message.encode()) < 400


def test_the_message_reads_in_english_too(app: Flask) -> None:
    rows = tuple(range(1, ROWS_NAMED + 3))
    with app.test_request_context("/api/"):  # the API's language
        message = year_only_message(rows)
    assert message.startswith("22 rows were kept with the birth year only: rows 1, 2, 3,")
    assert message.endswith(f"{ROWS_NAMED} and 2 more.")
