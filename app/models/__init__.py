"""All models, imported here so Alembic and the app see one complete metadata."""

from app.models.alerts import Alert, AlertMessage, AlertRules
from app.models.base import Base, UTCDateTime, utcnow
from app.models.collection import CollectionRun, PlatformAccount, Target
from app.models.enums import (
    Channel,
    EventStatus,
    LinkStatus,
    OrgKind,
    Platform,
    Role,
    Scheme,
)
from app.models.events import AttendanceReport, BridgePoint, Event, HallAlias, PendingLink
from app.models.leads import LeadCall, LeadStatus, LeadWork
from app.models.metrics import Comment, EngagementSample, Participant, counted_comment
from app.models.offline import OFFLINE_REACH_KIND, OfflineActivity, OfflineKind
from app.models.org import Campaign, OrgUnit
from app.models.people import Attendance, Enrolment, ImportBatch, Link, Person
from app.models.rollups import EventRollup, PeopleRollup, RollupState
from app.models.users import AuditLog, User

__all__ = [
    "Alert",
    "AlertMessage",
    "AlertRules",
    "Attendance",
    "AttendanceReport",
    "AuditLog",
    "Base",
    "BridgePoint",
    "Campaign",
    "Channel",
    "CollectionRun",
    "Comment",
    "EngagementSample",
    "Enrolment",
    "Event",
    "EventRollup",
    "PeopleRollup",
    "PendingLink",
    "EventStatus",
    "HallAlias",
    "ImportBatch",
    "LeadCall",
    "LeadStatus",
    "LeadWork",
    "Link",
    "OFFLINE_REACH_KIND",
    "OfflineActivity",
    "OfflineKind",
    "LinkStatus",
    "OrgKind",
    "OrgUnit",
    "Participant",
    "Person",
    "Platform",
    "PlatformAccount",
    "Role",
    "RollupState",
    "Scheme",
    "Target",
    "User",
    "UTCDateTime",
    "counted_comment",
    "utcnow",
]
