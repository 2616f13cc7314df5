"""Server time of the enrolment import's preview: the upload's POST, request to response.

A district office's export as people fill it in: Vietnamese names with their diacritics (some in
capitals), births as years or dates, phones in the forms people write them ("0912 345 678",
"+84 912.345.678", "912345678" where Excel dropped the 0), communes of Nghệ An written as before
the 1 July 2025 merger (with or without the district), as today, or as a code, some cells empty;
schemes and kinds spelt several ways; and ``--bad`` of the rows bad, 1% by default (no such
day, a short phone, an unknown scheme, the same enrolment twice). The file (an XLSX with shared
strings, as Excel saves it) is posted through the Flask test client as a logged-in officer of
the province, ``--calls`` times per size, and the median wall and CPU time printed with the
page's size; the peak memory of one more request is measured with tracemalloc (Python
allocations) and the process's peak RSS growth (``ru_maxrss``).

With ``--reference REV`` a git worktree of REV is measured in the same sitting, alternating
order, and the ratio printed; both trees must answer 200.

    .venv/bin/python bench/enrolment_preview.py [--reference ebd9060a] [--sizes 400,5000,20000] \
        [--calls 3] [--format xlsx] [--bad 0.01] [--year-only 0] [--backend sqlite] [--profile 5000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = "/follow-up/enrolments/import"
PASSWORD = "bench-password-1"
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Xã/phường",
          "Loại hình", "Tham gia mới/Gia hạn", "Ngày nộp tiền", "Số tiền", "Phương thức đóng",
          "Đại lý thu", "Số hồ sơ"]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Thái", "Cao", "Đinh", "Hà"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Xuân", "Quang", "Thị Kim", ""]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hằng", "Hoa", "Hùng", "Hương", "Khánh",
         "Lan", "Linh", "Loan", "Mai", "Nam", "Nga", "Nhung", "Phúc", "Phượng", "Quý", "Sơn",
         "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vân", "Yến", "Ánh", "Đạt", "Ước"]  # fmt: skip
SCHEMES = ["BHXH tự nguyện", "BHXH TN", "bhxh tự nguyện", "BHYT hộ gia đình", "BHYT HGĐ"]
KINDS = ["Tham gia mới", "Mới", "Gia hạn", "Tăng mới", "Đóng tiếp"]
METHODS = ["Hằng tháng", "3 tháng", "6 tháng", "12 tháng", "Một lần"]
AGENTS = ["Bưu điện xã", "Đại lý thu Hồng Hà", "UBND xã", "Nguyễn Thị Lan (đại lý)"]
FIRST_PAID = date(2025, 1, 6)  # payments over ten months of 2025, all in the past


def legacy_communes() -> list[tuple[str, str]]:
    """Nghệ An's communes before the merger: (ward, district), from the package's tables."""
    from vietnamadminunits.database import query

    rows = query("SELECT district, ward FROM admin_units_legacy "
                 "WHERE province = 'Tỉnh Nghệ An' AND ward IS NOT NULL")  # fmt: skip
    return [(r["ward"], r["district"]) for r in rows]


def phone_written(rng: random.Random) -> str:
    """A mobile number as people write it in a sheet."""
    digits = rng.choice(["91", "94", "98", "97", "86", "33", "35", "39", "70", "76", "88"])
    digits += f"{rng.randrange(10_000_000):07d}"
    local = "0" + digits
    a, b, c = local[:4], local[4:7], local[7:]
    forms = [local, f"{a} {b} {c}", f"{a}.{b}.{c}", f"{a}-{b}-{c}", f"+84 {digits}",
             f"84{digits}", digits, f"(+84) {digits[:3]} {digits[3:]}"]  # fmt: skip
    return rng.choice(forms)


def commune_written(rng: random.Random, legacy: list[tuple[str, str]], today: list[str]) -> str:
    roll = rng.random()
    if roll < 0.45:
        ward, district = rng.choice(legacy)
        return f"{ward}, {district}" if rng.random() < 0.5 else ward
    if roll < 0.80:
        return rng.choice(today)
    if roll < 0.85:
        return rng.choice(today).upper()
    if roll < 0.95:
        return ""
    return rng.choice(["-", "Xã Không Có", "Phường Nam Hà, thành phố Hà Tĩnh"])


def rows(
    count: int, bad_share: float = 0.01, seed: int = 40, year_only: float = 0.0
) -> list[list[Any]]:
    """``count`` rows of an export, ``bad_share`` of them bad as the module docstring names,
    ``year_only`` of them with a birth written "00/00/1975" (kept with a warning)."""
    rng = random.Random(seed)
    legacy = legacy_communes()
    today = today_communes()
    out: list[list[Any]] = []
    for i in range(count):
        name = " ".join(p for p in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if p)
        if rng.random() < 0.1:
            name = name.upper()
        year = rng.randrange(1955, 2006)
        day, month = rng.randrange(1, 29), rng.randrange(1, 13)
        birth: Any = year if rng.random() < 0.6 else f"{day:02d}/{month:02d}/{year}"
        if year_only and rng.random() < year_only:  # drawn only when asked: the files stay
            birth = f"00/00/{year}"
        paid = (FIRST_PAID + timedelta(days=rng.randrange(300))).strftime("%d/%m/%Y")
        row = [i + 1, name, birth, rng.choice(["Nam", "Nữ"]), phone_written(rng),
               commune_written(rng, legacy, today), rng.choice(SCHEMES), rng.choice(KINDS), paid,
               rng.choice([1_650_000, 990_000, 1_105_000, "1.650.000", "4.950.000"]),
               rng.choice(METHODS), rng.choice(AGENTS), f"HS-2025-{i + 1:06d}"]  # fmt: skip
        bad = rng.random()
        if bad < 0.3 * bad_share:
            row[8] = "31/02/2026"
        elif bad < 0.6 * bad_share:
            row[4] = "0912 34"
        elif bad < 0.8 * bad_share:
            row[6] = "BHXH bắt buộc"
        elif bad < bad_share and out:
            row = [i + 1, *out[-1][1:]]  # the row above typed twice
        out.append(row)
    return out


def today_communes() -> list[str]:
    from vietnamadminunits.database import query

    found = query("SELECT ward FROM admin_units WHERE province = 'Tỉnh Nghệ An'")
    return [r["ward"] for r in found]


def export(count: int, kind: str, bad_share: float = 0.01, year_only: float = 0.0) -> bytes:
    """The export of ``count`` rows as an XLSX workbook or a CSV file."""
    data = rows(count, bad_share, year_only=year_only)
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(data)
        return out.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return shared_strings(buffer.getvalue())


INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>'
)
SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_strings(xlsx: bytes) -> bytes:
    """The workbook as Excel saves it: its texts in the shared-strings table, each once, where
    openpyxl writes them inline in every cell (slower to read, and no export looks so)."""
    import zipfile

    texts: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = texts.setdefault(match[3], len(texts))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match[1], match[2] or b"", index)

    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = INLINE.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                part = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST}"/>'
                data = data.replace(b"</Types>", part.encode() + b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                rel = f'<Relationship Id="rIdSst" Type="{SST_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(item, data)
        items = b"".join(b"<si><t>%s</t></si>" % t for t in texts)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" uniqueCount="%d">%s</sst>' % (len(texts), items),
        )
    return out.getvalue()


def officer(app: Any) -> str:
    """An officer of the province (Nghệ An, code 40); their email."""
    from sqlalchemy import select

    from app.auth.passwords import hash_password
    from app.extensions import db
    from app.models import OrgUnit, Role, User

    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "40")).one()
    user = User(email="officer@bench.lantoa.vn", role=Role.OFFICER, org_unit=unit,
                password_hash=hash_password(PASSWORD))  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user.email


def token(client: Any, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post(client: Any, csrf: str, data: bytes, filename: str) -> Any:
    return client.post(PAGE, data={"csrf_token": csrf, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")  # fmt: skip


def child(args: argparse.Namespace) -> None:
    """Measure the tree at ``--tree`` (first on sys.path) and print one JSON line."""
    sys.path.insert(0, args.tree)
    from bench._setup import bench_app

    results: dict[str, Any] = {}
    with bench_app(args.backend) as app:
        email = officer(app)
        client = app.test_client()
        csrf = token(client, "/login")
        done = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": csrf})  # fmt: skip
        assert done.status_code == 302, done.status_code
        # The token is the form's business, not the preview's: the check is left out of the
        # timing (the test client's token was refused here, whereas the pages' tests send it).
        app.config["WTF_CSRF_ENABLED"] = False
        csrf = token(client, PAGE)
        filename = f"export.{args.format}"
        post(client, csrf, export(50, args.format), filename)  # loads the commune tables
        for size in args.sizes:
            data = export(size, args.format, args.bad, args.year_only)
            walls, cpus = [], []
            for _ in range(args.calls):
                wall, cpu = time.perf_counter(), time.process_time()
                response = post(client, csrf, data, filename)
                body = response.get_data()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                if response.status_code != 200:  # what the page said, in its own words
                    main = body.split(b"<main>")[-1][:1500].decode(errors="replace")
                    raise SystemExit(f"{response.status_code}: {main}")
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            tracemalloc.start()
            post(client, csrf, data, filename).get_data()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
            results[str(size)] = {"walls": walls, "cpus": cpus, "bytes": len(body),
                                  "file": len(data), "peak": peak,
                                  "rss_grown": grown * 1024}  # fmt: skip
        if args.profile:
            profile(client, csrf, export(args.profile, args.format, args.bad), filename)
    print("RESULT " + json.dumps(results), flush=True)


def profile(client: Any, csrf: str, data: bytes, filename: str) -> None:
    """cProfile of one preview, the top functions by cumulative time, to stderr."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    post(client, csrf, data, filename).get_data()
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats("/app/", 50)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(40)


def run_tree(tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--tree", str(tree),
               "--backend", args.backend, "--sizes", ",".join(map(str, args.sizes)),
               "--calls", str(args.calls), "--format", args.format,
               "--bad", str(args.bad), "--year-only", str(args.year_only)]  # fmt: skip
    from bench._setup import child_result

    return child_result(command, tree, timeout=3600)


def median(result: dict[str, Any], size: int) -> float:
    return statistics.median(result[str(size)]["walls"])


def figures(label: str, result: dict[str, Any], size: int) -> str:
    one = result[str(size)]
    return (f"  {label:24} {size:>6} rows: median {median(result, size):6.3f} s wall, "
            f"{statistics.median(one['cpus']):6.3f} s CPU; page {one['bytes'] / 1024:5.0f} KB; "
            f"peak {one['peak'] / 2**20:5.1f} MB traced, "
            f"RSS +{one['rss_grown'] / 2**20:4.0f} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=lambda s: [int(n) for n in s.split(",")],
                        default=[400, 5000, 20000])  # fmt: skip
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--format", default="xlsx", choices=("xlsx", "csv"))
    parser.add_argument("--bad", type=float, default=0.01, help="the share of bad rows")
    parser.add_argument(
        "--year-only",
        type=float,
        default=0.0,
        help="the share of rows kept with a warning (a birth of 00/00/yyyy)",
    )
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--reference", help="a git revision measured in the same sitting")
    parser.add_argument("--profile", type=int, default=0, help="rows of one profiled preview")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.profile:  # in this process, so the profile reaches the terminal
        args.tree, args.sizes = str(ROOT), []
        child(args)
        return
    sys.path.insert(0, str(ROOT))
    from bench._setup import measured_trees

    print(f"{args.backend}; {args.format} exports of Nghệ An, {args.bad:.0%} of rows bad, "
          f"{args.year_only:.0%} kept with a warning; "
          f"{args.calls} previews per size, median")  # fmt: skip
    with measured_trees(args.reference) as trees:
        runs: dict[str, dict[str, Any]] = {}
        for label, tree in trees:
            runs[label] = run_tree(tree, args)
        for size in args.sizes:
            for label, _ in trees:
                print(figures(label, runs[label], size), flush=True)
            if args.reference:  # CPU too: other processes on the machine stretch the wall
                ours, ref = (median(runs[label], size) for label, _ in trees)
                cpu, ref_cpu = (statistics.median(runs[label][str(size)]["cpus"])
                                for label, _ in trees)  # fmt: skip
                print(f"  {'':24} {size:>6} rows: this tree takes {ours / ref:.2f}x the "
                      f"reference's wall time, {cpu / ref_cpu:.2f}x its CPU time")  # fmt: skip


if __name__ == "__main__":
    main()
