"""The one place that chooses where a report is read from: the rollups or the source tables.

Routes, the API, the CLI, the files and the campaign page call ``build_report``; they never pick
a path themselves. The rollups are read once a full build has marked them ready (and only for the
standard attribution windows they keep), unless REPORTS_ROLLUPS turns them off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select

from app.followup.attribution import WINDOWS
from app.models import utcnow
from app.reports import sources
from app.reports.facts import ChannelReport, EventFact, ReportFilter
from app.reports.rollups import read
from app.reports.rollups.build import ready
from app.reports.rollups.credits import credits
from app.reports.rollups.grouped import grouped_report
from app.reports.sources import event_facts, offline_facts


def use_rollups(f: ReportFilter, rollups: bool | None = None) -> bool:
    """Read the rollups? ``rollups`` forces it; else REPORTS_ROLLUPS ("auto": once built)."""
    if f.window_days not in WINDOWS:
        return False  # the rollups keep the standard windows only
    if rollups is not None:
        return rollups
    setting = str(current_app.config.get("REPORTS_ROLLUPS", "auto")).lower()
    if setting in ("0", "off", "false", "no"):
        return False
    return ready()


def build_report(
    f: ReportFilter,
    rollups: bool | None = None,
    per_event: bool = True,
    now: datetime | None = None,
) -> ChannelReport:
    """The report of ``f`` as of ``now`` (default: ``f.as_of``, else the app's clock), from the
    rollups when built (or as ``rollups`` says).

    ``now`` is both the moment the report prints ("figures as of") and the one that says which
    events are held: those whose start has passed by then; the rest are planned.
    ``per_event=False``: the caller shows no list of events, so the rollups may be added up by
    the database (the sources path always keeps its events).
    """
    # Before reading: any later write is not in the figures.
    taken_at = now or f.as_of or utcnow()
    f = replace(f, as_of=taken_at)
    if use_rollups(f, rollups):
        if per_event:
            report = read.rollup_report(f, offline_facts(f))
        else:
            report = grouped_report(f, offline_facts(f))
    else:
        report = ChannelReport(f, event_facts(f) + offline_facts(f))
    report.taken_at = taken_at
    return report


def event_facts_of(ids: Select[Any], f: ReportFilter) -> list[EventFact]:
    """The facts of the events ``ids`` read as ``build_report`` reads them (same path, same
    figures), for pages that show chosen events rather than a unit's period."""
    if use_rollups(f):
        return read.event_facts_of(ids, f)
    return sources.event_facts_of(ids, f)


def credited(fs: Sequence[ReportFilter], now: datetime | None = None) -> list[float]:
    """The enrolments each report of ``fs`` credits (its ``totals()["enrolments"]``) as of
    ``now``; the filters select the same events, under other schemes or windows. Those read from
    the rollups are summed together in one statement (``rollups.credits``), the others built."""
    taken_at = now or utcnow()
    fs = [replace(g, as_of=now or g.as_of or taken_at) for g in fs]
    out: list[float] = [0.0] * len(fs)
    summed = [i for i, g in enumerate(fs) if use_rollups(g)]
    for i, n in zip(summed, credits([fs[i] for i in summed]), strict=True):
        out[i] = round(n, 2)
    for i, g in enumerate(fs):
        if i not in summed:
            out[i] = float(build_report(g, per_event=False).totals()["enrolments"])
    return out
