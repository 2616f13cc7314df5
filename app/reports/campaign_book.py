"""A campaign's page as an Excel workbook: its figures, by commune, by week and its events.

The cells are the page's own figures (``campaign.campaign_progress`` and ``campaign.event_rows``,
read once by the route), never counted again here, and its own words in Vietnamese (the page's
messages rendered in Vietnamese, the charts' Vietnamese words for the funnel): the file goes
upward in Vietnamese whatever the interface's language.

Sheets: "Tổng quan" (the period, the goal, the new participants so far, the share of the goal,
the funnel and the reach counted apart, then, where the page shows it, the reconciliation with
the channel and monthly reports: under the figures rather than on a sheet of its own, as on the
page, so that whoever opens the forwarded file on its first sheet reads 15 and why not 22),
"Theo xã, phường", "Theo tuần" (each week from its
Monday, the first from the campaign's first day, as the page shows them) and "Hoạt động" (every
event of the campaign the user sees, not a page of them, with the status the page shows).
Opened in part (a commune's officer in the province's campaign), the figures are the part's, as
on the page, and the goal is said to be the whole campaign's, with no share of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.formatting import fmt_moment
from app.labels import SCHEME, SHOWN_STATUS, in_vietnamese, vi_label
from app.models import Campaign
from app.reports.campaign import CampaignProgress, EventRow, part_note
from app.reports.letterhead import office_name
from app.reports.reconcile_book import CAMPAIGN_CAPTION, figure, line_words, vietnamese_lines
from app.reports.reconcile_words import campaign_lines
from app.reports.workbook import COUNT, Column, Formatted, Table, tables_workbook
from app.timeparse import VN
from dashboards.theme import WORDS as VI_WORDS

DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"
SHARE = "0.0%"
TEXT = "@"


def _vi(text: Any, **values: Any) -> str:
    return in_vietnamese(text) % values if values else in_vietnamese(text)


def summary(campaign: Campaign, progress: CampaignProgress) -> Table:
    """The figures above the page's charts, one per line: what, then its value."""
    part = progress.part
    lines: list[tuple[str, Any]] = [
        ("Chiến dịch", campaign.name),
        ("Đơn vị tổ chức", campaign.org_unit.name),
        ("Loại hình", vi_label(SCHEME, campaign.scheme)),
        ("Từ ngày", Formatted(campaign.starts_on, DAY)),
        ("Đến ngày", Formatted(campaign.ends_on, DAY)),
    ]
    if part is not None:
        lines += [
            ("Phần của", part.name),
            (_vi(_l("Goal of the whole campaign")), _count(progress.goal)),
            (
                _vi(_l("New participants so far in %(unit)s"), unit=part.name),
                _count(progress.enrolled),
            ),
        ]
    else:
        lines += [
            (_vi(_l("Goal")), _count(progress.goal)),
            (_vi(_l("New participants so far")), _count(progress.enrolled)),
            (_vi(_l("Share of the goal")), Formatted(progress.share_of_goal, SHARE)),
        ]
    funnel, reach = progress.funnel, progress.reach
    stage = VI_WORDS["funnel_title"] + ": "
    lines += [
        (_vi(_l("Attributed to the campaign's activities")), _count(funnel["enrolled"])),
        (stage + VI_WORDS["funnel.identified"], _count(funnel["identified"])),
        (stage + VI_WORDS["funnel.enrolled"], _count(funnel["enrolled"])),
        (_vi(_l("Livestreams and posts watched")), _count(reach["views"])),
        (_vi(_l("Reactions, comments and shares")), _count(reach["interactions"])),
        (_vi(_l("Present at conferences and small groups")), _count(reach["present"])),
        (_vi(_l("Leads called and reached")), _count(reach["called"])),
    ]
    rows: list[list[Any]] = [list(line) for line in lines]
    rows += reconcile_rows(progress)
    table = Table("Tổng quan", [Column("Chỉ số", width=52), Column("Giá trị", width=22)], rows)
    if part is not None:
        with force_locale("vi"):
            table.note = part_note(campaign, part)
    return table


def reconcile_rows(progress: CampaignProgress) -> list[list[Any]]:
    """Under the figures, where the page shows them when the reports differ: the lines from the
    reports' credit of the campaign's activities down to the figure attributed here (the figure
    above them), a blank line and their caption in bold first."""
    reconciled = progress.reconciled
    if reconciled is None or not reconciled.differs:
        return []
    lines = vietnamese_lines(lambda: campaign_lines(reconciled))
    return [
        [None, None],
        [Formatted(_vi(CAMPAIGN_CAPTION), bold=True), None],
        *(
            [Formatted(line_words(line), bold=line.sign == "=", wrap=True),
             Formatted(figure(line.figure), COUNT, bold=line.sign == "=")]
            for line in lines
        ),
    ]  # fmt: skip


def _count(value: float) -> Formatted:
    """A count, which may be a split credit (2,5): whole when it is."""
    value = round(value, 2)
    return Formatted(int(value) if float(value).is_integer() else value, COUNT)


def by_commune(progress: CampaignProgress) -> Table:
    unknown = _vi(_l("Commune not known"))
    return Table(
        "Theo xã, phường",  # a sheet's name may hold no "/"
        [
            Column("Mã xã", TEXT, 8),
            Column("Xã/phường", width=30),
            Column(_vi(_l("New participants")), COUNT, 18),
        ],  # fmt: skip
        [[code, name if name else unknown, n] for code, name, n in progress.by_commune],
    )


def by_week(campaign: Campaign, progress: CampaignProgress) -> Table:
    """Each week from its Monday, the first from the campaign's first day (the page's rows)."""
    return Table(
        "Theo tuần",
        [Column(_vi(_l("Week from")), DAY, 14), Column(_vi(_l("New participants")), COUNT, 18)],
        [[max(week, campaign.starts_on), n] for week, n in progress.weeks],
    )


def _local(moment: datetime | None) -> datetime | None:
    """A moment as Excel reads one: Vietnam's wall clock, no zone."""
    return moment.astimezone(VN).replace(tzinfo=None) if moment else None


def events(rows: Sequence[EventRow]) -> Table:
    """The campaign's events, newest first as on the page; a cost not spent yet (an event not
    held) stays a number, and its note says it is planned; a cost not entered is an empty cell,
    never 0, and its note says so."""
    planned = _vi(_l("Planned cost: not counted as spent until the event is held"))
    unknown = _vi(_l("Cost not entered"))
    return Table(
        "Hoạt động",
        [
            Column(_vi(_l("Title")), width=40),
            Column(_vi(_l("Channel")), width=22),
            Column(_vi(_l("Status")), width=16),
            Column(_vi(_l("Org unit")), width=26),
            Column(_vi(_l("Planned start")), MOMENT, 17),
            Column(_vi(_l("Cost (VND)")), COUNT, 16),
            Column("Ghi chú", width=40),
        ],
        [
            [
                r.event.title,
                VI_WORDS[f"channel.{r.event.channel}"],
                vi_label(SHOWN_STATUS, r.status),
                r.event.org_unit.name,
                _local(r.event.planned_start),
                r.event.cost_vnd,
                planned if not r.held else unknown if r.event.cost_vnd is None else None,
            ]
            for r in rows
        ],
    )


def campaign_workbook(
    campaign: Campaign, progress: CampaignProgress, rows: Sequence[EventRow], now: datetime
) -> bytes:
    """The workbook of the page read at ``now`` (aware): its figures and its events."""
    title = f"Chiến dịch {campaign.name} — {(progress.part or campaign.org_unit).name}"
    taken = f"Số liệu tính đến {fmt_moment(now.astimezone(VN))}"
    sheets = [summary(campaign, progress), by_commune(progress), by_week(campaign, progress),
              events(rows)]  # fmt: skip
    return tables_workbook(title, taken, sheets, office=office_name(campaign.org_unit))
