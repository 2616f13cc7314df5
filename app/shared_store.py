"""Files every web process must see: the import stash and the generated report files.

On one machine they live in the instance folder. With several web processes (or hosts), the
preview of an upload may be served by one and its confirmation by another, and a report file
built by the collector host is downloaded from a web host: ``SHARED_STORE_PATH`` names a folder
all of them mount (NFS, an object-store mount such as s3fs or gcsfuse). The store is
deliberately small — put, get, delete by key, and a listing for sweeps — so another backend
(an object-store client) is one class away.

Writes are atomic: the bytes go to a temporary file in the destination folder, then a rename
replaces the key, so a reader on another process sees the old file or the new one, never half
(``rename`` is atomic within one directory on local file systems and on NFS).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import current_app

# Keys are relative paths of safe segments: "imports/<id>.upload", "reports/40/<file>.xlsx".
_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$")  # no "..", no hidden files
TMP_SUFFIX = ".tmp"


class BadKey(ValueError):
    """A key that could lead out of the store (``..``, absolute, odd characters)."""


@dataclass(frozen=True)
class Entry:
    key: str
    size: int
    modified: float  # seconds since the epoch, as the store's clock saw the last write


class Store(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def delete(self, key: str) -> None: ...
    def entries(self, prefix: str) -> Iterator[Entry]: ...


def check_key(key: str) -> list[str]:
    parts = key.split("/")
    if not parts or not all(_SEGMENT.match(p) for p in parts) or key.endswith(TMP_SUFFIX):
        raise BadKey(key)
    return parts


class FileStore:
    """A store on a (possibly shared) folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key))

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own per writer: two processes writing one key never share a temp file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
        try:
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())  # on the server before the rename makes it visible
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def entries(self, prefix: str) -> Iterator[Entry]:
        """The keys directly under the folder ``prefix`` (temporary files left out)."""
        folder = self.path(prefix) if prefix else self.root
        if not folder.is_dir():
            return
        for path in folder.iterdir():
            if path.name.startswith(".") or path.name.endswith(TMP_SUFFIX):
                continue
            try:
                stat = path.stat()
            except OSError:  # deleted by another process meanwhile
                continue
            if path.is_file():
                yield Entry(f"{prefix}/{path.name}" if prefix else path.name, stat.st_size,
                            stat.st_mtime)  # fmt: skip


def root() -> Path:
    """``SHARED_STORE_PATH``, or the instance folder when unset (one machine)."""
    return Path(current_app.config.get("SHARED_STORE_PATH") or current_app.instance_path)


def store() -> FileStore:
    return FileStore(root())
