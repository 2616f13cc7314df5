"""The demo province that `flask demo load` (and so `make run`) loads: units, a few campaigns,
past events with their figures (``history``) and an admin.

Figures are those of the seed articles (a monthly livestream with 1,700 views; an online conference
reaching 39 communes with 932 people), so a newcomer sees realistic numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.auth.passwords import generate_password, hash_password
from app.demo import history
from app.models import Campaign, Channel, Event, EventStatus, OrgUnit, Role, Scheme, User
from app.orgunits import load_units, package_version, read_package_units
from app.timeparse import VN, as_utc

DEMO_EMAIL = "admin@demo.lantoa.vn"
# What marks the demo's admin, accounts and events as not real, in the interface's own words for
# the sandbox ("môi trường chạy thử").
DEMO_MARK = "(chạy thử)"
DEMO_ADMIN_NAME = f"Quản trị viên {DEMO_MARK}"
# The events ``load`` seeds (past ones with their figures, one to come), each named with DEMO_MARK
# as the sandbox's own are. Earlier demo databases named them without it: ``mark_seeded``.
SEEDED_TITLES = (
    "Livestream tư vấn BHXH tự nguyện tháng này",
    "Hội nghị trực tuyến 39 điểm cầu xã",
    "Hội nghị tuyên truyền tại xã",
    "Truyền thông nhóm nhỏ tại thôn",
    "Bài viết fanpage: mức đóng BHYT hộ gia đình",
    "Livestream giải đáp chính sách BHYT",
)


@dataclass(frozen=True)
class DemoResult:
    email: str
    password: str | None  # None when the admin already existed
    url: str = "http://127.0.0.1:5000/login"


def credentials_banner(result: DemoResult, url: str | None = None) -> str:
    """The lines a newcomer reads last: where to log in, as whom, with which password."""
    rule = "-" * 72
    return "\n".join([
        "", rule,
        f"  Lan Tỏa demo: log in at {url or result.url}",
        f"  E-mail:   {result.email}",
        f"  Password: {result.password}",
        "  (shown once; `flask demo credentials` sets a new one, `make run` keeps your data)",
        rule, "",
    ])  # fmt: skip


def load(
    session: Session, province_code: str, today: date | None = None, now: datetime | None = None
) -> DemoResult:
    """Idempotent: a second run adds nothing and prints no password. ``now`` (aware, the
    clock's by default): the past events' samples and comments stop there, never after it."""
    load_units(session, read_package_units(None), package_version())
    province = session.scalar(select(OrgUnit).where(OrgUnit.code == province_code))
    if province is None:
        raise ValueError(f"no province with code {province_code}")
    existing = session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if existing is not None:
        mark_seeded(session, province)
        return DemoResult(DEMO_EMAIL, None)
    password = generate_password(DEMO_EMAIL)
    admin = User(
        email=DEMO_EMAIL,
        display_name=DEMO_ADMIN_NAME,
        role=Role.ADMIN,
        org_unit=province,
        password_hash=hash_password(password, DEMO_EMAIL),
    )
    session.add(admin)
    now = now or datetime.now(UTC)
    _campaigns_and_events(session, province, admin, today or now.astimezone(VN).date(), now)
    return DemoResult(DEMO_EMAIL, password)


def mark_seeded(session: Session, province: OrgUnit) -> None:
    """Name an earlier demo database's seeded events (of the province and its communes) with
    ``DEMO_MARK``, as ``load`` names them now."""
    units = select(OrgUnit.id).where(
        (OrgUnit.id == province.id) | (OrgUnit.parent_id == province.id)
    )
    stmt = select(Event).where(Event.org_unit_id.in_(units), Event.title.in_(SEEDED_TITLES))
    for event in session.scalars(stmt):
        event.title = f"{event.title} {DEMO_MARK}"
    session.flush()


def reset_credentials(session: Session) -> DemoResult:
    """A new password for the demo admin (reactivated if need be); the data stays as it is.

    Raises:
        LookupError: the demo was never loaded.
    """
    admin = session.scalar(select(User).where(User.email == DEMO_EMAIL))
    if admin is None:
        raise LookupError(f"no demo admin {DEMO_EMAIL}: run `flask demo load` first")
    password = generate_password(DEMO_EMAIL)
    admin.set_password_hash(hash_password(password, DEMO_EMAIL))
    admin.active = True
    audit.record("user.password_reset", None, "user", admin.id, demo=True)
    return DemoResult(DEMO_EMAIL, password)


def _campaigns_and_events(
    session: Session, province: OrgUnit, admin: User, today: date, now: datetime
) -> None:
    communes = list(
        session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == province.id).order_by(OrgUnit.code)
        )
    )
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    bhxh = Campaign(
        name=f"BHXH tự nguyện Q{(today.month - 1) // 3 + 1}/{today.year}",
        org_unit=province,
        scheme=Scheme.BHXH_TU_NGUYEN,
        starts_on=quarter_start,
        ends_on=quarter_start + timedelta(days=91),
        goal=2000,
        attribution_window_days=90,
        description="Vận động người lao động tự do tham gia BHXH tự nguyện.",
    )
    bhyt = Campaign(
        name=f"BHYT hộ gia đình {today.year}",
        org_unit=province,
        scheme=Scheme.BHYT_HO_GIA_DINH,
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        goal=5000,
        attribution_window_days=60,
        description="",
    )
    session.add_all([bhxh, bhyt])

    def at(days_ago: int, hour: int) -> datetime:
        return as_utc(
            datetime.combine(today - timedelta(days=days_ago), datetime.min.time()).replace(
                hour=hour
            )
        )

    plans = [
        (Channel.LIVESTREAM, bhxh, province, 12, 20, 3_000_000),
        (Channel.ONLINE_CONFERENCE, bhxh, province, 20, 8, 15_000_000),
        (Channel.CONFERENCE, bhxh, communes[0] if communes else province, 25, 14, 5_000_000),
        (Channel.SMALL_GROUP, bhyt, communes[1] if len(communes) > 1 else province, 5, 19, 500_000),
        (Channel.POST, bhyt, province, 3, 9, 0),
        (Channel.LIVESTREAM, bhyt, province, -2, 20, 3_000_000),
    ]
    events = []
    for title, (channel, campaign, unit, days_ago, hour, cost) in zip(
        SEEDED_TITLES, plans, strict=True
    ):
        start = at(days_ago, hour)
        ended = days_ago > 0
        events.append(
            Event(
                title=f"{title} {DEMO_MARK}",
                channel=channel,
                status=EventStatus.ENDED if ended else EventStatus.SCHEDULED,
                org_unit=unit,
                campaign=campaign,
                planned_start=start,
                planned_end=start + timedelta(hours=2),
                actual_start=start if ended else None,
                actual_end=start + timedelta(hours=2) if ended else None,
                cost_vnd=cost,
                description="",
                created_by_id=None,
            )
        )
    session.add_all(events)
    history.fill(province, events, communes, today, now)
