"""Field encryption and blind indexes: no phone, CCCD or BHXH code is ever stored in clear."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import Flask

from app import audit
from app.extensions import db
from app.models import AuditLog, Enrolment, Person
from app.personal_data import DataKeyError, FieldCipher, blind_index, indexed

# Also on PostgreSQL: ciphertexts stored as bytea, read back raw from the server.
pytestmark = pytest.mark.postgres

PHONE, CCCD, BHXH = "0912345678", "040190001234", "4012345678"


def test_round_trip_and_random_ciphertexts() -> None:
    cipher = FieldCipher(Fernet.generate_key().decode())
    a, b = cipher.encrypt(PHONE), cipher.encrypt(PHONE)
    assert a != b  # random IV: equal values do not look equal at rest
    assert cipher.decrypt(a) == cipher.decrypt(b) == PHONE
    assert PHONE.encode() not in a


def test_blind_index_is_stable_keyed_and_kind_separated() -> None:
    key = Fernet.generate_key().decode()
    one, two = FieldCipher(key), FieldCipher(key)
    assert one.blind_index("phone", PHONE) == two.blind_index("phone", PHONE)
    assert one.blind_index("phone", PHONE) != one.blind_index("cccd", PHONE)
    other = FieldCipher(Fernet.generate_key().decode())
    assert other.blind_index("phone", PHONE) != one.blind_index("phone", PHONE)


def test_rotation_keeps_old_data_readable_and_indexes_unchanged() -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = FieldCipher(old_key)
    token = before.encrypt(CCCD)
    after = FieldCipher(f"{new_key},{old_key}")
    assert after.decrypt(token) == CCCD
    assert after.blind_index("cccd", CCCD) == before.blind_index("cccd", CCCD)


@pytest.mark.parametrize("bad", ["", "not-a-key", "abc,def"])
def test_bad_data_key_is_refused(bad: str) -> None:
    with pytest.raises(DataKeyError):
        FieldCipher(bad)


def _store_person() -> Person:
    person = Person(
        full_name="Nguyễn Thị Hoa",
        name_folded="nguyen thi hoa",
        phone=PHONE,
        phone_bidx=blind_index("phone", PHONE),
        cccd=CCCD,
        cccd_bidx=blind_index("cccd", CCCD),
        bhxh_code=BHXH,
        bhxh_code_bidx=blind_index("bhxh", BHXH),
        birth_date="1990-05-17",
    )
    db.session.add(person)
    db.session.commit()
    return person


def test_person_reads_back_and_matches_by_blind_index(app: Flask) -> None:
    person = _store_person()
    db.session.expire_all()
    found = db.session.scalars(
        sa.select(Person).where(Person.phone_bidx == blind_index("phone", PHONE))
    ).one()
    assert found.id == person.id
    assert (found.phone, found.cccd, found.bhxh_code) == (PHONE, CCCD, BHXH)


@pytest.mark.parametrize("model", [Person, Enrolment])
def test_set_identifiers_keeps_each_index_beside_its_value(app: Flask, model: type) -> None:
    row = model(full_name="Nguyễn Thị Hoa")
    row.set_identifiers(phone=PHONE, cccd=CCCD, bhxh_code=BHXH)
    assert (row.phone, row.phone_bidx) == (PHONE, blind_index("phone", PHONE))
    assert (row.cccd, row.cccd_bidx) == (CCCD, blind_index("cccd", CCCD))
    assert (row.bhxh_code, row.bhxh_code_bidx) == (BHXH, blind_index("bhxh", BHXH))
    row.set_identifiers(phone=None)  # erased: no index left to match on
    assert (row.phone, row.phone_bidx) == (None, None)
    assert row.cccd_bidx == blind_index("cccd", CCCD)  # the others stay
    with pytest.raises(TypeError):
        row.set_identifiers(email="hoa@example.vn")


def test_indexed_columns_for_a_table_row(app: Flask) -> None:
    assert indexed(phone=PHONE) == {"phone": PHONE, "phone_bidx": blind_index("phone", PHONE)}
    assert indexed(cccd=None) == {"cccd": None, "cccd_bidx": None}


# Committing: reads what the server stored, from the file or another connection.
@pytest.mark.committing
def test_raw_database_holds_no_identifier_in_clear(app: Flask, backend: str) -> None:
    _store_person()
    db.session.close()
    db.engine.dispose()
    if backend == "sqlite":
        raw = Path(db.engine.url.database).read_bytes()
        wal = Path(db.engine.url.database + "-wal")
        raw += wal.read_bytes() if wal.exists() else b""
    else:
        # Every stored value as the server holds it: bytea as its bytes, the rest as text.
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT * FROM people")).all()
        values = [v for row in rows for v in row if v is not None]
        raw = b"\n".join(
            bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for v in values
        )
    assert b"Nguy" in raw or "Nguyễn".encode() in raw  # the row is really there
    for value in (PHONE, CCCD, BHXH, "1990-05-17", "912345678"):
        assert value.encode() not in raw, value


def test_audit_records_who_read_what(app: Flask, make) -> None:
    user = make.user("manager")
    person = _store_person()
    audit.record("people.export", user, "person", person.id, fields=["phone"], purpose="follow-up")
    db.session.commit()
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "people.export")).one()
    assert (entry.user_id, entry.object_id, entry.detail["fields"]) == (
        user.id,
        str(person.id),
        ["phone"],
    )
