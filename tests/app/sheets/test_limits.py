"""Bounded work per request: hostile spreadsheets are refused after a bounded number of rows and a
bounded amount of memory, with a clear message, instead of being walked to their end.

The files (tests/app/sheets/files.py): a ~2 KB workbook with a cell on Excel's last row
(1,048,576), which once ran the server out of memory; a zip bomb (one shared string of 256 MB,
deflated a thousandfold); a 60,000-row sheet (45 s and 1.5 GB through a public check-in link);
a CSV of a header and a million empty lines. Work is measured by the rows the reader pulls —
counted as openpyxl and the CSV reader hand them over, by a spy that also stops a reader walking
past the bound — and by tracemalloc's peak; never by time (bench/sheet_limits.py prints times).
"""

from __future__ import annotations

import csv
import functools
import io
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.attendance.sheet import ATTENDEE_COLUMNS
from app.sheets.headers import HEADER_SCAN_ROWS
from app.sheets.issues import FileRejected
from app.sheets.reader import DEFAULT_MAX_ROWS, MAX_BLANK_ROWS, Table, read_table
from tests.app.sheets.files import (
    HEADER,
    ROWS,
    far_row_xlsx,
    many_rows_xlsx,
    raw_xlsx,
    sheet_xml,
    zip_bomb_xlsx,
)
from tests.conftest import Factory

# The header scan, then data rows up to the limit and empty rows up to theirs, then one more.
BOUND = HEADER_SCAN_ROWS + DEFAULT_MAX_ROWS + MAX_BLANK_ROWS + 1
MB = 1024 * 1024
zip_bomb = functools.cache(lambda: zip_bomb_xlsx(256))  # built once: a second each
sixty_thousand_rows = functools.cache(lambda: many_rows_xlsx(60_000))


class Pulled:
    """Rows handed to the reader, and the widest row of each pass; past ``BOUND`` rows, it fails."""

    def __init__(self) -> None:
        self.rows = 0
        self.widths: list[int] = []  # per pass over a sheet, the most cells in one row

    def count(self, rows: Iterator[Any]) -> Iterator[Any]:
        self.widths.append(0)
        for row in rows:
            self.rows += 1
            self.widths[-1] = max(self.widths[-1], len(row))
            if self.rows > BOUND:
                raise AssertionError(f"the reader pulled more than {BOUND} rows")
            yield row


@pytest.fixture
def pulled(monkeypatch: pytest.MonkeyPatch) -> Pulled:
    spy = Pulled()
    iter_rows = ReadOnlyWorksheet.iter_rows
    reader = csv.reader

    def counted_rows(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return spy.count(iter_rows(self, *args, **kwargs))

    def counted_reader(source: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        rows = reader(source, *args, **kwargs)
        return spy.count(rows) if isinstance(source, io.StringIO) else rows  # not the sniffing

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted_rows)
    monkeypatch.setattr(csv, "reader", counted_reader)
    return spy


def peak(work: Callable[[], Any]) -> tuple[Any, int]:
    """What ``work`` returned or raised, and the peak of memory it allocated (bytes)."""
    tracemalloc.start()
    try:
        try:
            outcome: Any = work()
        except FileRejected as exc:
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def read(data: bytes, name: str, **kw: Any) -> Table:
    return read_table(data, name, ATTENDEE_COLUMNS, **kw)


def message(outcome: Any) -> str:
    assert isinstance(outcome, FileRejected), f"not refused: {outcome!r}"
    return " | ".join(i.line() for i in outcome.issues)


def test_a_cell_on_the_last_excel_row_stops_the_reading_early(pulled: Pulled) -> None:
    data = far_row_xlsx()
    assert len(data) < 2048
    outcome, used = peak(lambda: read(data, "ds.xlsx"))
    assert "More than 10.000 empty rows: reading stopped at row 10.005." in message(outcome)
    assert pulled.rows <= BOUND
    assert used < 8 * MB  # a million rows of 200 cells once went past the machine's memory


def test_a_zip_bomb_is_refused_before_it_is_unpacked(pulled: Pulled) -> None:
    data = zip_bomb()
    assert len(data) < MB
    outcome, used = peak(lambda: read(data, "ds.xlsx"))
    text = message(outcome)
    assert "The workbook unpacks to 256 MB; the limit is 100 MB." in text
    assert pulled.rows == 0  # not one row read
    assert used < MB


def test_a_60000_row_sheet_stops_after_the_row_limit(
    pulled: Pulled, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No <dimension>: opening the workbook, openpyxl would measure the sheet by parsing all of it.
    measured: list[object] = []
    measure = WorkSheetParser.parse_dimensions
    monkeypatch.setattr(WorkSheetParser, "parse_dimensions",
                        lambda self: measured.append(self) or measure(self))  # fmt: skip
    data = sixty_thousand_rows()
    outcome, used = peak(lambda: read(data, "ds.xlsx", max_rows=1_000))
    assert "More than 1.000 rows; split the file." in message(outcome)
    assert pulled.rows <= HEADER_SCAN_ROWS + 1_000 + 1
    assert measured == []
    assert used < 8 * MB


def test_empty_rows_are_skipped_up_to_a_limit_then_refused(pulled: Pulled) -> None:
    """Within the allowance, empty rows are skipped and the rows after them keep their numbers;
    a CSV of a header and a million empty lines is refused after the allowance."""
    rows = [(1, HEADER), (2, ROWS[0]), (9_002, ROWS[1])]  # 8,999 empty rows between two people
    table = read(raw_xlsx(sheet_xml(rows, dimension="A1:F9002")), "ds.xlsx")
    assert [r.number for r in table.rows] == [2, 9_002]
    pulled.rows = 0
    csv_text = ",".join(HEADER) + "\r\n" + ",".join(map(str, ROWS[0])) + "\r\n"
    table = read((csv_text + ",,,,,\r\n" * 5_000 + ",".join(map(str, ROWS[1]))).encode(), "a.csv")
    assert [r.number for r in table.rows] == [2, 5_003]
    for blank in (",,,,,\r\n", "\r\n"):
        data = (",".join(HEADER) + "\r\n" + blank * 1_000_000).encode()
        pulled.rows = 0
        with pytest.raises(FileRejected) as caught:
            read(data, "ds.csv")
        assert "More than 10.000 empty rows: reading stopped at row 10.002." in str(caught.value)
        assert pulled.rows <= BOUND


def test_data_rows_are_cut_to_the_header_width(pulled: Pulled) -> None:
    header = ["Họ và tên", "Năm sinh"]  # two columns; the people's rows run on to column 300
    rows = [(1, header), *((n, [f"Người {n}", 1975, *["rác"] * 298]) for n in range(2, 50))]
    table = read(raw_xlsx(sheet_xml(rows)), "ds.xlsx")
    assert table.rows[0].values == {"name": "Người 2", "birth": "1975"}
    assert pulled.widths[0] <= 200  # the header scan: 200 columns at most
    assert pulled.widths[-1] == 2  # the rows under the header: its two columns, not 300


def test_a_damaged_part_or_an_open_quote_is_a_clear_refusal() -> None:
    good = raw_xlsx(sheet_xml([(1, HEADER), *((n + 2, r) for n, r in enumerate(ROWS))]))
    with zipfile.ZipFile(io.BytesIO(good)) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken = bytearray(good)
    for i in range(start + 20, start + info.compress_size - 4):
        broken[i] ^= 0x5A  # the sheet's deflated bytes, scrambled: a CRC or inflate error
    assert "The workbook cannot be read" in message(peak(lambda: read(bytes(broken), "a.xlsx"))[0])
    open_quote = ",".join(HEADER) + '\r\n1,"Nguyễn Văn A' + "x" * 200_000 + "\r\n"
    text = message(peak(lambda: read(open_quote.encode(), "a.csv"))[0])
    assert "The CSV file cannot be read after row 1 (a quote left open?)" in text


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (far_row_xlsx, "Có hơn 10.000 dòng trống: đã dừng đọc ở dòng 10.005."),
        (zip_bomb, "Tệp Excel giải nén ra 256 MB; giới hạn là 100 MB."),
        (sixty_thousand_rows, "Nhiều hơn 5.000 dòng; hãy chia nhỏ tệp."),
    ],
    ids=["far-row", "zip-bomb", "60000-rows"],
)
def test_the_public_check_in_link_refuses_them_in_vietnamese(
    client: FlaskClient, make: Factory, pulled: Pulled, build: Callable[[], bytes], expected: str
) -> None:
    from tests.app.halls.test_checkin_sheet import hall, people

    point, _other = hall(make)
    # Built in memory: the test client would spool a large upload to a file it never closes.
    boundary, body = encode_multipart({"sheet": FileStorage(io.BytesIO(build()), "ds.xlsx")})
    answer = client.post(f"/checkin/{point.checkin_token}", data=body,
                         content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip
    assert answer.status_code == 422
    assert expected in answer.get_data(as_text=True)
    assert pulled.rows <= BOUND  # (the spy also stops a reader walking on, before it eats memory)
    assert people() == 0
