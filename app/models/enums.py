"""Closed vocabularies of the domain, stored as their string values (not native enums)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


class Channel(enum.StrEnum):
    LIVESTREAM = "livestream"
    ONLINE_CONFERENCE = "online_conference"
    CONFERENCE = "conference"
    SMALL_GROUP = "small_group"
    POST = "post"

    @property
    def has_halls(self) -> bool:
        """Conferences (online and in person) and small groups count people by hall."""
        return self in (Channel.ONLINE_CONFERENCE, Channel.CONFERENCE, Channel.SMALL_GROUP)

    @property
    def has_meeting(self) -> bool:
        """Only an online conference has a meeting its halls connect to; in person, a hall is
        in once it sent its head count."""
        return self is Channel.ONLINE_CONFERENCE

    @property
    def has_viewers(self) -> bool:
        """A post is read, not watched live: it has no viewers now, no peak, no live page."""
        return self is not Channel.POST


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


class Scheme(enum.StrEnum):
    BHXH_TU_NGUYEN = "bhxh_tu_nguyen"
    BHYT_HO_GIA_DINH = "bhyt_ho_gia_dinh"
    OTHER = "other"


class OrgKind(enum.StrEnum):
    COUNTRY = "country"
    PROVINCE = "province"
    COMMUNE = "commune"


class Role(enum.StrEnum):
    """Ordered from least to most powerful; see ``rank``."""

    VIEWER = "viewer"
    OFFICER = "officer"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Platform(enum.StrEnum):
    FACEBOOK = "facebook"
    YOUTUBE = "youtube"
    ZOOM = "zoom"
    TEAMS = "teams"
    MEET = "meet"
    BBB = "bbb"
    ZALO = "zalo"


class LinkStatus(enum.StrEnum):
    LINKED = "linked"
    REVIEW = "review"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


def str_enum(cls: type[enum.StrEnum]) -> Enum:
    """A VARCHAR column holding the enum's values, portable across SQLite and PostgreSQL."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
