"""The whole linkage: normalise, exact keys, Splink on the rest, thresholds, household rule.

Decisions:
- an exact key links outright (score 1.0);
- Splink's match probability ≥ ``link_threshold`` links, ≥ ``review_threshold`` goes to the
  officer's review queue, anything lower is no link;
- an enrolment is linked to at most one attendee (best score; deterministic beats probabilistic),
  and an attendee to at most one enrolment by score — a second candidate outside their
  household goes to review;
- the prior of the Splink pass is estimated from the exact-key links of this run (``splink_prior``);
- an enrolment that is not itself the attendee but belongs to the same BHYT household purchase
  (``household_ref``) as an enrolment linked to the attendee is a *household conversion* of that
  attendee, never a separate person match — so a probabilistic pair with a household member of
  an already-linked attendee is demoted to household.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from app.linkage.deterministic import Tier, deterministic_pairs
from app.linkage.probabilistic import DETERMINISTIC_RECALL, load_model, predict
from app.linkage.records import PersonRecord, RecordIssue, normalize_records

LINK_THRESHOLD = 0.9
REVIEW_THRESHOLD = 0.5


class LinkMethod(StrEnum):
    CCCD = "cccd"
    INSURANCE_ID = "insurance_id"
    PHONE_GIVEN = "phone_given"
    PROBABILISTIC = "probabilistic"
    HOUSEHOLD = "household"


class LinkStatus(StrEnum):
    LINKED = "linked"  # counts as the attendee's own enrolment
    REVIEW = "review"  # an officer confirms or rejects
    HOUSEHOLD = "household"  # a household member enrolled in the same BHYT purchase


_TIER_METHOD = {
    Tier.CCCD: LinkMethod.CCCD,
    Tier.INSURANCE_ID: LinkMethod.INSURANCE_ID,
    Tier.PHONE_GIVEN: LinkMethod.PHONE_GIVEN,
}
_RANK = {m: i for i, m in enumerate(LinkMethod)}


@dataclass(frozen=True)
class Link:
    attendee_id: str
    enrolment_id: str
    method: LinkMethod
    score: float  # match probability; 1.0 for exact keys
    status: LinkStatus


@dataclass
class LinkResult:
    links: list[Link]
    attendee_issues: list[RecordIssue] = field(default_factory=list)
    enrolment_issues: list[RecordIssue] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def by_status(self, status: LinkStatus) -> list[Link]:
        return [lk for lk in self.links if lk.status == status]


def _as_table(side: Sequence[PersonRecord] | pa.Table, issues: list[RecordIssue]) -> pa.Table:
    if isinstance(side, pa.Table):
        return side
    table, found = normalize_records(side)
    issues.extend(found)
    return table


def _best_per_enrolment(candidates: list[Link]) -> dict[str, Link]:
    best: dict[str, Link] = {}
    for cand in candidates:
        current = best.get(cand.enrolment_id)
        if (
            current is None
            or (_RANK[cand.method] < _RANK[current.method])
            or (
                cand.method == current.method
                and (-cand.score, cand.attendee_id) < (-current.score, current.attendee_id)
            )
        ):
            best[cand.enrolment_id] = cand
    return best


def splink_prior(exact_links: int, attendees: int, enrolments: int) -> float | None:
    """Probability that a random remaining pair matches, from what the exact keys found.

    The exact keys find about ``DETERMINISTIC_RECALL`` of all true pairs, so the remaining
    attendees hold about ``exact_links * (1 / recall - 1)`` more, spread over all remaining
    pairs. This is Splink's own prior estimate, made on the data being linked: a model trained on
    100,000 enrolments would otherwise carry a prior ten times too large for a million. None
    (the model's prior) when the exact keys found nothing to estimate from.
    """
    if exact_links == 0 or attendees == 0 or enrolments == 0:
        return None
    expected = exact_links * (1 / DETERMINISTIC_RECALL - 1)
    return min(expected / (attendees * enrolments), 1 / enrolments, 0.5)


def _one_per_attendee(best: dict[str, Link], enrolments: pa.Table) -> dict[str, Link]:
    """An attendee is one person: keep their best probabilistic link, the others to review.

    A second candidate in the same BHYT household stays linked — the household rule makes it a
    household conversion; any other second candidate is an officer's question, not a link.
    """
    household_of, _ = _households(enrolments, {lk.enrolment_id for lk in best.values()})
    top: dict[str, Link] = {}
    for lk in best.values():
        current = top.get(lk.attendee_id)
        if current is None or (-lk.score, lk.enrolment_id) < (-current.score, current.enrolment_id):
            top[lk.attendee_id] = lk
    kept: dict[str, Link] = {}
    for eid, lk in best.items():
        first = top[lk.attendee_id]
        ref = household_of.get(eid)
        same_household = ref is not None and ref == household_of.get(first.enrolment_id)
        if lk is first or same_household or lk.status != LinkStatus.LINKED:
            kept[eid] = lk
        else:
            kept[eid] = Link(lk.attendee_id, eid, lk.method, lk.score, LinkStatus.REVIEW)
    return kept


def _households(
    enrolments: pa.Table, linked: set[str]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Household of each enrolment and members of each household, for the linked households."""
    in_linked = pc.is_in(enrolments["unique_id"], pa.array(sorted(linked), pa.string()))
    refs = pc.unique(pc.drop_null(pc.filter(enrolments["household_ref"], in_linked)))
    rows = enrolments.select(["unique_id", "household_ref"]).filter(
        pc.is_in(enrolments["household_ref"], refs)
    )
    ids = rows.column("unique_id").to_pylist()
    refs = rows.column("household_ref").to_pylist()
    household_of = {i: r for i, r in zip(ids, refs, strict=True) if r is not None}
    members: dict[str, list[str]] = {}
    for uid, ref in household_of.items():
        members.setdefault(ref, []).append(uid)
    return household_of, members


def link(
    attendees: Sequence[PersonRecord] | pa.Table,
    enrolments: Sequence[PersonRecord] | pa.Table,
    *,
    model: dict | None = None,
    link_threshold: float = LINK_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    probabilistic: bool = True,
    spark: Any = None,
) -> LinkResult:
    """Link attendees to enrolments; records as typed, or tables from ``normalize_records``.

    Returns linked, review and household rows (never "no link" rows), plus the records'
    issues and the seconds each stage took. ``model`` defaults to the shipped ``model.json``;
    ``spark`` (``spark_backend.SparkOptions``) scores the probabilistic pass on Spark.
    """
    if not 0 <= review_threshold <= link_threshold <= 1:
        raise ValueError("thresholds must satisfy 0 <= review_threshold <= link_threshold <= 1")
    result = LinkResult(links=[])
    clock = time.perf_counter()
    att = _as_table(attendees, result.attendee_issues)
    enr = _as_table(enrolments, result.enrolment_issues)
    result.seconds["normalise"] = time.perf_counter() - clock

    clock = time.perf_counter()
    candidates = [
        Link(a, e, _TIER_METHOD[tier], 1.0, LinkStatus.LINKED)
        for a, e, tier in deterministic_pairs(att, enr)
    ]
    best = _best_per_enrolment(candidates)
    result.seconds["deterministic"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if probabilistic:
        # The exact keys' records are left out inside the backend: no copy of a million rows.
        skip = (
            pa.array(sorted({lk.attendee_id for lk in best.values()}), pa.string()),
            pa.array(sorted(best), pa.string()),
        )
        prior = splink_prior(len(best), att.num_rows - len(skip[0]), enr.num_rows - len(skip[1]))
        scored = predict(
            att, enr, model or load_model(), threshold=review_threshold, prior=prior,
            spark=spark, skip=skip,
        )  # fmt: skip
        proba = [
            Link(
                a,
                e,
                LinkMethod.PROBABILISTIC,
                round(p, 6),
                LinkStatus.LINKED if p >= link_threshold else LinkStatus.REVIEW,
            )
            for a, e, p in zip(
                scored["attendee_id"].to_pylist(),
                scored["enrolment_id"].to_pylist(),
                scored["match_probability"].to_pylist(),
                strict=True,
            )
        ]
        for eid, lk in _one_per_attendee(_best_per_enrolment(proba), enr).items():
            best.setdefault(eid, lk)
    result.seconds["probabilistic"] = time.perf_counter() - clock

    clock = time.perf_counter()
    result.links = _apply_household_rule(best, enr)
    result.seconds["decide"] = time.perf_counter() - clock
    return result


def _apply_household_rule(best: dict[str, Link], enrolments: pa.Table) -> list[Link]:
    """Household members of a linked enrolment become household conversions of its attendee."""
    household_of, members = _households(enrolments, set(best))
    # Households the attendee enrolled in themselves (a confirmed link, not a review).
    own: dict[str, str] = {}
    for lk in sorted(best.values(), key=lambda lk: (_RANK[lk.method], -lk.score)):
        ref = household_of.get(lk.enrolment_id)
        if lk.status == LinkStatus.LINKED and ref is not None:
            own.setdefault(ref, lk.attendee_id)
    # An attendee counts once per household: their own enrolment, the rest are members.
    own_enrolment: dict[tuple[str, str], str] = {}
    for lk in sorted(best.values(), key=lambda lk: (_RANK[lk.method], -lk.score)):
        ref = household_of.get(lk.enrolment_id)
        if ref is not None and own.get(ref) == lk.attendee_id:
            own_enrolment.setdefault((lk.attendee_id, ref), lk.enrolment_id)
    links: list[Link] = []
    for eid, lk in best.items():
        ref = household_of.get(eid)
        owner = own.get(ref) if ref is not None else None
        if lk.attendee_id == owner and own_enrolment.get((owner, ref)) != eid:
            links.append(Link(owner, eid, LinkMethod.HOUSEHOLD, lk.score, LinkStatus.HOUSEHOLD))
            continue
        links.append(lk)
    linked = {lk.enrolment_id for lk in links}
    for (attendee, ref), _ in own_enrolment.items():
        for eid in members.get(ref, []):
            if eid not in linked:
                links.append(Link(attendee, eid, LinkMethod.HOUSEHOLD, 0.0, LinkStatus.HOUSEHOLD))
                linked.add(eid)
    return sorted(links, key=lambda lk: (lk.attendee_id, lk.enrolment_id))
