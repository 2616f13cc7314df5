"""The shared store: what one web process stashed, another confirms (SHARED_STORE_PATH).

Two app instances with instance folders of their own stand for two web processes (or hosts)
mounting one shared folder. The control — the same two apps without the setting — shows the test
can fail: each process then only sees its own instance folder.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from app import shared_store
from app.extensions import db
from app.models import Person
from app.sheets import stash
from tests.app.attendance.test_sheet import sheet
from tests.conftest import HOME, Factory, FreshContextClient, committing_app, csrf_token, login


def test_put_get_delete_and_listing(tmp_path: Path) -> None:
    store = shared_store.FileStore(tmp_path)
    store.put("imports/a.upload", b"first")
    store.put("imports/a.upload", b"second")  # replaced whole
    store.put("reports/40/b.csv", b"x")
    assert store.get("imports/a.upload") == b"second"
    assert store.get("imports/missing.upload") is None
    assert [e.key for e in store.entries("imports")] == ["imports/a.upload"]
    assert [(e.key, e.size) for e in store.entries("reports/40")] == [("reports/40/b.csv", 1)]
    assert list(tmp_path.rglob("*.tmp")) == []  # no temporary file left behind
    store.delete("imports/a.upload")
    store.delete("imports/a.upload")  # deleting twice is fine: two processes may sweep at once
    assert store.get("imports/a.upload") is None


def test_stash_ids_are_valid_keys(tmp_path: Path) -> None:
    """``secrets.token_urlsafe`` may start with "-" or "_": such ids are keys like any other."""
    store = shared_store.FileStore(tmp_path)
    for stash_id in ("-abcdefghijklmnopqrstuv", "_abcdefghijklmnopqrstuv"):
        store.put(f"imports/{stash_id}.upload", b"x")
        assert store.get(f"imports/{stash_id}.upload") == b"x"


def test_a_half_written_file_is_never_listed(tmp_path: Path) -> None:
    store = shared_store.FileStore(tmp_path)
    store.put("imports/a.upload", b"whole")
    (tmp_path / "imports" / ".b.upload.123.abcd.tmp").write_bytes(b"half")  # a writer mid-way
    assert [e.key for e in store.entries("imports")] == ["imports/a.upload"]


@pytest.mark.parametrize("key", ["../x", "/etc/passwd", "a//b", "imports/..", "a/b.tmp", ""])
def test_keys_cannot_leave_the_store(tmp_path: Path, key: str) -> None:
    with pytest.raises(shared_store.BadKey):
        shared_store.FileStore(tmp_path).put(key, b"x")


def test_the_default_is_the_instance_folder(app: Flask) -> None:
    assert app.config.get("SHARED_STORE_PATH") is None
    assert shared_store.root() == Path(app.instance_path)


@pytest.fixture
def second_app(app: Flask, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """Another web process: same database, an instance folder of its own."""
    app.config["SHARED_STORE_PATH"] = str(tmp_path / "shared")
    for other in committing_app(
        database_url, tmp_path / "instance-b", SHARED_STORE_PATH=str(tmp_path / "shared")
    ):
        other.test_client_class = FreshContextClient
        yield other


def upload(client, event_id: int, data: bytes) -> str:  # type: ignore[no-untyped-def]
    url = f"/events/{event_id}/attendance/import"
    form = {"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), "ds.xlsx")}
    page = client.post(url, data=form, content_type="multipart/form-data")
    assert page.status_code == 200, page.status_code
    return re.search(r'name="stash" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def confirm(client, event_id: int, stash_id: str) -> int:  # type: ignore[no-untyped-def]
    url = f"/events/{event_id}/attendance/import"
    form = {"csrf_token": csrf_token(client, url), "stash": stash_id}
    return client.post(url, data=form).status_code


def _conference(make: Factory):  # type: ignore[no-untyped-def]
    from app.halls.services import communes_of, set_bridge_points

    event = make.event(HOME, title="Hội nghị trực tuyến", channel="online_conference")
    communes = communes_of(event)[:2]
    set_bridge_points(event, [c.code for c in communes], {})
    db.session.commit()
    return event, communes


# Committing: the second app reads the first one's rows through its own connection.
@pytest.mark.committing
def test_a_stash_uploaded_on_one_process_is_confirmed_on_another(
    app: Flask, second_app: Flask, make: Factory
) -> None:
    event, communes = _conference(make)
    officer = make.user("officer", HOME)
    first, second = app.test_client(), second_app.test_client()
    login(first, officer.email)
    login(second, officer.email)
    stash_id = upload(first, event.id, sheet(communes))
    assert not (Path(app.instance_path) / "imports").exists()  # not in the instance folder
    assert confirm(second, event.id, stash_id) == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 3
    assert confirm(first, event.id, stash_id) == 410  # used once, then deleted for both


@pytest.mark.committing
def test_without_a_shared_store_the_other_process_cannot_confirm(
    app: Flask, second_app: Flask, make: Factory
) -> None:
    """The control: instance folders of their own, and the confirmation finds nothing."""
    app.config["SHARED_STORE_PATH"] = None
    second_app.config["SHARED_STORE_PATH"] = None
    event, communes = _conference(make)
    officer = make.user("officer", HOME)
    first, second = app.test_client(), second_app.test_client()
    login(first, officer.email)
    login(second, officer.email)
    stash_id = upload(first, event.id, sheet(communes))
    assert confirm(second, event.id, stash_id) == 410
    assert confirm(first, event.id, stash_id) == 302


def test_the_sweep_reads_the_shared_store(app: Flask, tmp_path: Path) -> None:
    app.config["SHARED_STORE_PATH"] = str(tmp_path / "shared")
    stash_id = stash.put(b"data", "ds.xlsx", "0" * 64, "user:1", 7)
    assert stash.get(stash_id, "user:1", 7).data == b"data"
    assert stash.sweep(now=10**10) == 1
    assert stash.get(stash_id, "user:1", 7) is None
