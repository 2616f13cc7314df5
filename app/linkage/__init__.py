"""Linking attendees to enrolments: pure code, records in, link rows out.

``records`` normalises input rows into one column layout with the parsers of ``app.identity``;
``deterministic`` links on exact keys (CCCD, insurance person id, phone + given name);
``probabilistic`` scores the rest with Splink (DuckDB backend, Fellegi-Sunter with
term-frequency adjustment); ``engine.link`` runs the whole pipeline and applies the thresholds
and the household rule. Nothing here touches Flask or the database.
"""

from app.linkage.engine import Link, LinkMethod, LinkResult, LinkStatus, link
from app.linkage.records import PersonRecord, RecordIssue, normalize_records

__all__ = [
    "Link",
    "LinkMethod",
    "LinkResult",
    "LinkStatus",
    "PersonRecord",
    "RecordIssue",
    "link",
    "normalize_records",
]
