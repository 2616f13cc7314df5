"""Secrets that must survive restarts: read from the environment, or generated once into instance/.

The instance folder holds the keys and, by default, the SQLite database with its WAL: the folder
is created 0700 and each of those files 0600, so other accounts on the machine read none of it.

A newcomer's `make run` needs a session key and a data-encryption key without configuring anything,
and restarting must not log everybody out or make stored personal data unreadable. So each secret is
generated on first start, written to a 0600 file under the instance folder, and read back
afterwards.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet

log = logging.getLogger(__name__)


def load_or_create(instance: Path, filename: str, make: Callable[[], str], env_name: str) -> str:
    """Return the secret kept in ``instance/filename``, made by ``make()`` the first time."""
    path = instance / filename
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    log.warning("%s is not set: generated one and kept it in %s", env_name, path)
    return value


def private_instance(instance: Path, database_url: str) -> None:
    """Make the instance folder and a SQLite database file readable by this account only.

    SQLite gives its -wal and -shm files the permissions of the database file, so creating the
    database 0600 before the first connection covers all three.
    """
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)  # an existing folder is left as is
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or database_url == prefix + ":memory:":
        return
    path = Path(database_url[len(prefix) :].split("?", 1)[0])
    if not path.name or path.name == ":memory:":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for member in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if member.exists():
            os.chmod(member, 0o600)


def secret_key(instance: Path) -> str:
    return load_or_create(instance, "secret_key", lambda: secrets.token_urlsafe(48), "SECRET_KEY")


def data_key(instance: Path) -> str:
    return load_or_create(
        instance, "data_key", lambda: Fernet.generate_key().decode("ascii"), "LANTOA_DATA_KEY"
    )
