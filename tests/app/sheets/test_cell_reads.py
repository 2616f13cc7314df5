"""The reader reads each distinct cell value once per file, and still names every row it refuses.

An export repeats most values (a scheme, a commune, a payment date on thousands of rows); the
reading of a value (its parse, its problem) is kept for the file, never across files.
"""

from __future__ import annotations

from typing import Any

from app.sheets.cell_reads import LEGACY_CELL, CellReader
from app.sheets.headers import CellError, Column
from app.sheets.reader import read_table
from app.sheets.sources import RawCell
from tests.app.sheets.files import csv_text, workbook, xlsx

HEADER = ["Họ và tên", "Ngày nộp", "Số tiền"]
ROWS = [
    ["Nguyễn Thị Hoà", "15/09/2025", "1.650.000"],
    ["Trần Văn Nam", "15/09/2025", "1.650.000"],
    ["Lê Thị Ánh Tuyết", "15/09/2025", "2,5"],
    ["Phạm Đức Thắng", "16/09/2025", "2,5"],
    ["Hoàng Thị Thu", "15/09/2025", 1650000],
]


class Counting:
    """An amount parser that counts the values it is handed (a real parser, not a stand-in)."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(self, value: Any) -> int:
        self.seen.append(value)
        if isinstance(value, int):
            return value
        if "," in str(value):
            raise CellError("Write a whole number, for example 2.500.000.")
        return int(str(value).replace(".", ""))


def columns(parse: Counting) -> tuple[Column, ...]:
    return (
        Column("name", "Full name", ("họ và tên",), required=True),
        Column("paid_on", "Payment date", ("ngày nộp",)),
        Column("amount", "Amount", ("số tiền",), parse=parse),
    )


def test_each_distinct_value_is_parsed_once_per_file() -> None:
    parse = Counting()
    table = read_table(xlsx([HEADER, *ROWS]), "t.xlsx", columns(parse))
    assert parse.seen == ["1.650.000", "2,5", 1650000]  # in the order first met
    assert [r.values["amount"] for r in table.rows] == [1650000, 1650000, None, None, 1650000]
    # Every row with the refused value is named, not only the first.
    assert [(i.row, i.field, i.value) for i in table.issues] == [
        (4, "amount", "2,5"),
        (5, "amount", "2,5"),
    ]


def test_the_sheets_of_one_workbook_share_what_was_read() -> None:
    """One sheet per commune repeats the same amounts: read once for the file, not per sheet."""
    parse = Counting()
    book = workbook({"Xã A": [HEADER, *ROWS[:3]], "Xã B": [HEADER, *ROWS[3:]]})
    table = read_table(book, "t.xlsx", columns(parse), every_sheet=True)
    assert parse.seen == ["1.650.000", "2,5", 1650000]
    assert [(i.sheet, i.row) for i in table.issues] == [("Xã A", 4), ("Xã B", 2)]


def test_nothing_is_kept_from_one_file_to_the_next() -> None:
    parse = Counting()
    for _ in range(2):
        read_table(csv_text([HEADER, *ROWS]).encode(), "t.csv", columns(parse))
    assert sorted(parse.seen) == ["1.650.000", "1.650.000", "1650000", "1650000", "2,5", "2,5"]


def test_a_number_and_its_text_are_read_apart() -> None:
    """1, 1.0 and True are equal keys in a dict: the cell's type is part of what is kept."""
    reader = CellReader({"n": Column("n", "N", ("n",), parse=lambda v: f"{type(v).__name__} {v}")})
    issues: list = []
    read = [reader.row(2, {"n": RawCell(v)}, issues)[0]["n"] for v in (1, 1.0, True, "1")]
    assert read == ["int 1", "float 1.0", "bool True", "str 1"]


def test_the_same_garbled_text_is_named_on_every_row() -> None:
    reader = CellReader({"name": Column("name", "Full name", ("họ và tên",))})
    issues: list = []
    garbled = "NguyÔn ThÞ Hoµ"  # "Nguyễn Thị Hoà" typed in TCVN3, shown in a Unicode font
    legacy = [reader.row(n, {"name": RawCell(garbled)}, issues)[1] for n in (2, 3)]
    assert legacy == [True, True]
    assert [(i.row, i.message) for i in issues] == [(2, LEGACY_CELL), (3, LEGACY_CELL)]
