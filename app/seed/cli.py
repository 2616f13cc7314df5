"""``flask seed province-year``: a realistic province-year in the configured database, fast."""

from __future__ import annotations

import time
from datetime import datetime

import click
from flask.cli import AppGroup

from app.extensions import db
from app.reports.rollups.full_build import rebuild
from app.seed.province_year import SeedRefused, Sizes, seed_province_year

seed = AppGroup("seed", help="Generated data for benchmarks.")
DEFAULTS = Sizes()


@seed.command("province-year")
@click.option("--communes", type=click.IntRange(1, 999), default=DEFAULTS.communes)
@click.option("--events", type=click.IntRange(1), default=DEFAULTS.events)
@click.option("--samples", type=click.IntRange(0), default=DEFAULTS.samples)
@click.option("--comments", type=click.IntRange(0), default=DEFAULTS.comments)
@click.option("--people", type=click.IntRange(0), default=DEFAULTS.people)
@click.option("--enrolments", type=click.IntRange(0), default=DEFAULTS.enrolments)
@click.option("--seed", "seed_value", type=int, default=1, help="Same seed, same data.")
@click.option(
    "--now",
    "now",
    type=click.DateTime(("%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")),
    default=None,
    help="The moment seeded for, Vietnam time (default: now); events "
    "after it are planned and have no data yet. Same seed and moment, same data.",
)
@click.option("--force", is_flag=True, help="Add a province-year even if events exist.")
@click.option("--rollups/--no-rollups", default=True, help="Build the report rollups after.")
def province_year(
    communes: int, events: int, samples: int, comments: int, people: int, enrolments: int,
    seed_value: int, now: datetime | None, force: bool, rollups: bool,
) -> None:  # fmt: skip
    """One province (code 99) with its communes and a year of events, people and enrolments."""
    if enrolments > people:
        raise click.BadParameter("cannot exceed --people", param_hint="--enrolments")
    started = time.perf_counter()
    sizes = Sizes(communes, events, samples, comments, people, enrolments)
    try:
        out = seed_province_year(sizes, seed=seed_value, force=force, now=now)
    except SeedRefused as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    for table, n in out.counts.items():
        click.echo(f"{table:20} {n:>10,}")
    click.echo(f"province {out.province_code} seeded in {time.perf_counter() - started:.1f} s")
    if rollups:
        started = time.perf_counter()
        n = rebuild()
        db.session.commit()
        click.echo(f"rollups of {n:,} events built in {time.perf_counter() - started:.1f} s")
