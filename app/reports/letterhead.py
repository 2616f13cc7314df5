"""The header and signature block a report sent upward carries, in one place for the printed
page, the PDF and the Word document.

The layout is the one Vietnamese administrative reports use: the superior body and the unit top
left with the document number ("Số: …/BC-…", left blank for the office's clerk unless given)
under them; the national motto top right with place and date under it; the title centred; and
at the foot "Người lập" on the left and "Thủ trưởng đơn vị" on the right with room to sign.
It is an official form, so it is written in Vietnamese whatever the interface language, as the
PDF and the workbook are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.numbers import format_decimal
from flask_babel import lazy_gettext, lazy_ngettext

from app.formatting import fmt_moment
from app.labels import in_vietnamese
from app.models import OrgKind, OrgUnit
from app.reports.facts import ChannelReport
from app.timeparse import VN

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
AGENCY = "Bảo hiểm xã hội"
NATIONAL_AGENCY = "BẢO HIỂM XÃ HỘI VIỆT NAM"
BLANK_NUMBER = "……/BC-……"
MAX_NUMBER = 40  # "125/BC-BHXH" and the like; longer is not a document number


@dataclass(frozen=True)
class Signer:
    role: str  # "Người lập"
    hint: str  # "(Ký, ghi rõ họ tên)"


@dataclass(frozen=True)
class Letterhead:
    superior: str  # upper case, as printed
    unit: str
    number: str  # "Số: 125/BC-BHXH", or the dotted blank
    place_and_date: str  # "Nghệ An, ngày 03 tháng 12 năm 2026"
    title: str  # "BÁO CÁO"
    subtitle: str  # "Kết quả truyền thông theo kênh tháng 11/2026"
    signers: tuple[Signer, Signer]
    nation: str = NATION
    motto: str = MOTTO


SIGNERS = (
    Signer("NGƯỜI LẬP", "(Ký, ghi rõ họ tên)"),
    Signer("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)"),
)


def office_name(unit: OrgUnit) -> str:
    """The social-insurance office of a province ("Bảo hiểm xã hội tỉnh Nghệ An"); a commune
    reports under its own name ("Xã Nậm Cắn")."""
    if unit.kind == OrgKind.PROVINCE:
        return f"{AGENCY} {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


def superior_name(unit: OrgUnit) -> str:
    """Whom the unit reports to: Vietnam Social Security, or the province's office."""
    parent = unit.parent
    if unit.kind == OrgKind.COMMUNE and parent is not None and parent.kind == OrgKind.PROVINCE:
        return office_name(parent).upper()
    return NATIONAL_AGENCY


def place_and_date(place: str, day: date) -> str:
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def month_letterhead(
    report: ChannelReport, period: str, today: date, number: str | None = None
) -> Letterhead:
    """The header of the month's report of ``report.filter.unit``; ``period`` is "YYYY-MM"."""
    unit = report.filter.unit
    year, month = period.split("-")
    subtitle = f"Kết quả truyền thông theo kênh tháng {month}/{year}"
    if report.filter.campaign:
        subtitle += f", chiến dịch {report.filter.campaign.name}"
    written = " ".join((number or "").split())[:MAX_NUMBER]
    return Letterhead(
        superior=superior_name(unit),
        unit=office_name(unit).upper(),
        number=f"Số: {written or BLANK_NUMBER}",
        place_and_date=place_and_date(unit.short_name or unit.name, today),
        title="BÁO CÁO",
        subtitle=subtitle,
        signers=SIGNERS,
    )


def taken_line(report: ChannelReport) -> str:
    """ "Số liệu tính đến 06/12/2026 13:01" (Vietnam time): when the report's figures were read,
    printed on the page, the PDF and the Word file so two copies of one month can be told apart."""
    at = report.taken_at
    return "" if at is None else f"Số liệu tính đến {fmt_moment(at.astimezone(VN))}"


def planned_line(report: ChannelReport) -> str:
    """ "1 sự kiện đã lên kế hoạch, chưa diễn ra (chi phí dự kiến 3.000.000 đ): …", in
    Vietnamese: the period's events still ahead at ``taken_at``, kept out of the figures (an
    activity not held, money not spent) but said, so the month's plan is not lost; "" if none."""
    planned = report.planned()
    if not planned.events:
        return ""
    n, cost = (format_decimal(v, "#,##0", locale="vi") for v in (planned.events, planned.cost_vnd))
    # The channels page's words too (``channels.html``): one message, one translation.
    line = lazy_ngettext(
        "%(n)s planned event not held yet (planned cost %(cost)s VND): not counted above.",
        "%(n)s planned events not held yet (planned cost %(cost)s VND): not counted above.",
        planned.events,
        n=n,
        cost=cost,
    )
    if not planned.without_cost:
        return in_vietnamese(line)
    unknown = lazy_ngettext(
        "%(n)s of them has no cost entered: its cost is not in that sum.",
        "%(n)s of them have no cost entered: their cost is not in that sum.",
        planned.without_cost,
        n=format_decimal(planned.without_cost, "#,##0", locale="vi"),
    )
    return f"{in_vietnamese(line)} {in_vietnamese(unknown)}"


def cost_line(report: ChannelReport) -> str:
    """Said under the table by channel, in Vietnamese, when some activities held have no cost
    entered (``app.reports.costs``): the costs are those entered only, and the cost per
    enrolment leaves those activities out rather than counting them free; "" otherwise."""
    if not report.totals()["events_without_cost"]:
        return ""
    # The channels page's words too (``_figures.html``, ``cost_note``).
    return in_vietnamese(
        lazy_gettext(
            "Cost: only the costs entered are added up. Cost per enrolment counts only the "
            "activities whose cost was entered and the enrolments credited to them: an activity "
            "without a cost is not counted as free."
        )
    )


def post_reach_line(report: ChannelReport) -> str:
    """The posts' reach added up, in Vietnamese, said under the table by channel (whose reach
    counts a post's views) with what it is: not people reached, since one person shown two posts
    counts twice; "" when no post has its reach read."""
    posts = next((f for f in report.by_channel() if f.channel == "post"), None)
    if posts is None or posts.post_reach is None:
        return ""
    n = format_decimal(posts.post_reach, "#,##0", locale="vi")
    # The same words in the PDF, the Word file and the printed month (``_month_document.html``).
    line = lazy_gettext(
        "Posts: reach of the posts, added up: %(n)s (each post's people reached, added: a person "
        "shown two posts counts twice; not added to any other channel).",
        n=n,
    )
    return in_vietnamese(line)
