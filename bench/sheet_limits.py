"""Reading hostile spreadsheets next to a normal one: time and peak memory of ``read_table``.

The files are the ones the tests use (tests/app/sheets/files.py), read with the attendee-sheet
limits (20 MB, 5,000 rows) as the organisers' page and the public check-in link read them:

- a normal 5,000-row attendee sheet (openpyxl-written, and written part by part), and a CSV of it;
- a ~2 KB workbook with a cell on Excel's last row (1,048,576);
- a zip bomb: one shared string of 1 GB, deflated to about 1 MB;
- a 60,000-row sheet, with and without a ``<dimension>`` element;
- a CSV of a header and 1,000,000 empty lines (",,,,," and bare line ends).

Each file is read in a fresh child process (so one read's memory does not hide the next's),
twice: once timed, once under tracemalloc for the peak of memory the read allocates. The child's
maximum resident size is printed too; it includes building the file (not timed).

    .venv/bin/python bench/sheet_limits.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def files() -> dict[str, Callable[[], tuple[bytes, str]]]:
    from tests.app.sheets import files as f

    def normal_rows() -> list[list[object]]:
        return [[n, f"Nguyễn Văn {n}", 1950 + n % 50, f"09{n:08d}", "", f"Xóm {n % 20}"]
                for n in range(1, 5_001)]  # fmt: skip

    def with_dimension(count: int) -> bytes:
        people = ((n + 2, [n + 1, f"Người {n + 1}", 1970 + n % 40, "", "", "Xóm 1"])
                  for n in range(count))  # fmt: skip
        return f.raw_xlsx(f.sheet_xml([(1, f.HEADER), *people], dimension=f"A1:F{count + 1}"))

    header = ",".join(f.HEADER) + "\r\n"
    normal_csv = lambda: f.csv_text([f.HEADER, *normal_rows()]).encode()  # noqa: E731
    empty_lines = lambda line: (header + line * 1_000_000).encode()  # noqa: E731
    return {
        "normal 5,000 rows (openpyxl)": lambda: (f.xlsx([f.HEADER, *normal_rows()]), "ds.xlsx"),
        "normal 5,000 rows (by parts)": lambda: (f.many_rows_xlsx(5_000), "ds.xlsx"),
        "normal 5,000 rows (CSV)": lambda: (normal_csv(), "ds.csv"),
        "cell on row 1,048,576": lambda: (f.far_row_xlsx(), "ds.xlsx"),
        "zip bomb (1 GB string)": lambda: (f.zip_bomb_xlsx(1024), "ds.xlsx"),
        "60,000 rows, no <dimension>": lambda: (f.many_rows_xlsx(60_000), "ds.xlsx"),
        "60,000 rows, <dimension>": lambda: (with_dimension(60_000), "ds.xlsx"),
        "CSV, 1,000,000 ',,,,,' lines": lambda: (empty_lines(",,,,,\r\n"), "ds.csv"),
        "CSV, 1,000,000 empty lines": lambda: (empty_lines("\r\n"), "ds.csv"),
    }  # fmt: skip


def child(name: str) -> None:
    """Read one file and print its figures as JSON (runs in a fresh process)."""
    import resource

    from app.attendance.sheet import ATTENDEE_COLUMNS
    from app.sheets.issues import FileRejected
    from app.sheets.reader import read_table

    data, filename = files()[name]()

    def read() -> str:
        try:
            return f"{len(read_table(data, filename, ATTENDEE_COLUMNS).rows)} rows read"
        except FileRejected as exc:
            return "refused: " + exc.issues[0].text()

    start = time.perf_counter()
    outcome = read()
    seconds = time.perf_counter() - start
    tracemalloc.start()  # a second read, traced: tracemalloc slows allocations down
    read()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"bytes": len(data), "seconds": seconds, "peak": peak, "rss": rss,
                      "outcome": outcome}))  # fmt: skip


def run(name: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", name], capture_output=True,
                          text=True, check=True, cwd=ROOT)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print(f"read_table with the attendee-sheet limits; time: median of {args.runs} runs, each in"
          " its own process; peak: tracemalloc, the largest of the runs")  # fmt: skip
    print(f"{'file':32} {'size':>10} {'time':>8} {'peak':>9} {'max RSS':>9}  outcome")
    for name in files():
        figures = [run(name) for _ in range(args.runs)]
        seconds = statistics.median(f["seconds"] for f in figures)
        peak = max(f["peak"] for f in figures) / 2**20
        rss = max(f["rss"] for f in figures) / 2**20
        size = figures[0]["bytes"]
        shown = f"{size / 1024:.1f} KB" if size < 2**20 else f"{size / 2**20:.1f} MB"
        print(f"{name:32} {shown:>10} {seconds:7.2f}s {peak:7.1f}MB {rss:7.0f}MB  "
              f"{figures[0]['outcome'][:70]}")  # fmt: skip


if __name__ == "__main__":
    main()
