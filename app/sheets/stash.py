"""Keeping an uploaded file between the preview and the confirmation, without a second upload.

Every two-step import uses it: the attendee sheet (organiser page and a hall's check-in page) and
the enrolment export. (The links typed on an event's form wait with the event instead, in the
database: ``app.events.pending_links``.)

The preview page shows what a file holds; the confirm button must import exactly that file. The
upload is kept in the shared store under ``imports/`` (``SHARED_STORE_PATH``, the instance folder
by default, so any web process confirms what another previewed), encrypted with the data key (it
holds personal data), named by a random id that the page carries in a hidden field, together with
who uploaded it, for which event, and its SHA-256. Confirming re-reads and re-checks the stored
bytes, so the rows written are the rows previewed, and the entry is deleted. Entries expire after
an hour; stale ones are swept on each new upload. Files stay out of the session cookie (a 20 MB
limit) and out of the database (nothing is written before the confirmation).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from dataclasses import dataclass

from app.personal_data import DataKeyError, cipher
from app.shared_store import store

TTL_SECONDS = 3600
_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class Stashed:
    data: bytes
    filename: str
    sha256: str
    owner: str  # "user:<id>" or "hall:<bridge point id>"
    event_id: int
    commune: str


FOLDER = "imports"


def _key(stash_id: str) -> str:
    return f"{FOLDER}/{stash_id}.upload"


def put(
    data: bytes, filename: str, sha256: str, owner: str, event_id: int, commune: str = ""
) -> str:
    sweep()
    stash_id = secrets.token_urlsafe(24)
    meta = {"filename": filename, "sha256": sha256, "owner": owner, "event_id": event_id,
            "commune": commune, "at": time.time()}  # fmt: skip
    sealed = cipher().encrypt(json.dumps({**meta, "data": base64.b64encode(data).decode()}))
    store().put(_key(stash_id), sealed)
    return stash_id


def get(stash_id: str, owner: str, event_id: int) -> Stashed | None:
    """The stored upload if it exists, is fresh, and belongs to this owner and event."""
    if not _ID.match(stash_id or ""):
        return None
    sealed = store().get(_key(stash_id))
    if sealed is None:
        return None
    try:
        entry = json.loads(cipher().decrypt(sealed))
    except (ValueError, DataKeyError):
        return None
    if time.time() - entry["at"] > TTL_SECONDS:
        store().delete(_key(stash_id))
        return None
    if entry["owner"] != owner or entry["event_id"] != event_id:
        return None
    return Stashed(base64.b64decode(entry["data"]), entry["filename"], entry["sha256"],
                   entry["owner"], entry["event_id"], entry.get("commune", ""))  # fmt: skip


def drop(stash_id: str) -> None:
    if _ID.match(stash_id or ""):
        store().delete(_key(stash_id))


def sweep(now: float | None = None) -> int:
    """Delete entries older than the TTL; returns how many."""
    now = now or time.time()
    removed = 0
    shared = store()
    for entry in shared.entries(FOLDER):
        if entry.key.endswith(".upload") and now - entry.modified > TTL_SECONDS:
            shared.delete(entry.key)
            removed += 1
    return removed
