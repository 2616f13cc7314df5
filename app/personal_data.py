"""Field encryption and blind indexes for personal data (Vietnam's Personal Data Protection Law).

Phone numbers, CCCD numbers, BHXH codes and dates of birth are never stored in clear: each is
encrypted with Fernet (AES-128-CBC + HMAC-SHA256, random IV) and, where we must match on it, also
stored as a keyed hash (HMAC-SHA256 over the *normalised* value, a "blind index"), so equality
look-ups work without decrypting anything.

``LANTOA_DATA_KEY`` holds one or more Fernet keys separated by commas: the first encrypts, all
decrypt (key rotation with MultiFernet). The blind-index key is derived from the *last* key of the
list with HKDF, so adding a new encryption key in front does not change any index.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

EXTENSION_KEY = "lantoa_cipher"


class DataKeyError(ValueError):
    """LANTOA_DATA_KEY is missing or not a list of Fernet keys."""


class FieldCipher:
    """Encrypts and decrypts field values, and computes blind indexes."""

    def __init__(self, data_key: str) -> None:
        keys = [k.strip() for k in data_key.split(",") if k.strip()]
        if not keys:
            raise DataKeyError("LANTOA_DATA_KEY is empty")
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except ValueError as exc:
            raise DataKeyError(
                "LANTOA_DATA_KEY must be one or more url-safe base64 32-byte keys, comma-separated"
            ) from exc
        self._index_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"lantoa blind index v1"
        ).derive(keys[-1].encode("ascii"))

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken as exc:
            raise DataKeyError("stored value cannot be decrypted with LANTOA_DATA_KEY") from exc

    def blind_index(self, kind: str, normalised: str) -> str:
        """HMAC of ``kind:value``; the kind keeps a phone and a CCCD with equal digits apart."""
        message = f"{kind}:{normalised}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


def init_app(app: Any) -> None:
    app.extensions[EXTENSION_KEY] = FieldCipher(app.config["LANTOA_DATA_KEY"])


def cipher() -> FieldCipher:
    return current_app.extensions[EXTENSION_KEY]


def blind_index(kind: str, normalised: str | None) -> str | None:
    return None if normalised is None else cipher().blind_index(kind, normalised)


# The blind-index kind of each identifier column: the same wherever that identifier is stored, so
# a phone in a comment and the same phone on a person match.
INDEX_KINDS = {"phone": "phone", "cccd": "cccd", "bhxh_code": "bhxh"}


def indexed(**identifiers: str | None) -> dict[str, str | None]:
    """Each normalised identifier beside its ``<name>_bidx`` blind index, e.g. for a table row."""
    columns: dict[str, str | None] = {}
    for name, value in identifiers.items():
        if name not in INDEX_KINDS:
            raise TypeError(f"{name} has no blind index; one of {', '.join(INDEX_KINDS)}")
        columns[name] = value
        columns[f"{name}_bidx"] = blind_index(INDEX_KINDS[name], value)
    return columns


class EncryptedText(TypeDecorator[str]):
    """A text column stored as Fernet ciphertext; Python code sees the clear text."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> bytes | None:
        return None if value is None else cipher().encrypt(value)

    def process_result_value(self, value: bytes | None, dialect: Any) -> str | None:
        return None if value is None else cipher().decrypt(bytes(value))


class EncryptedJSON(TypeDecorator[dict]):
    """A JSON document (platform credentials) stored as Fernet ciphertext."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: dict | None, dialect: Any) -> bytes | None:
        return None if value is None else cipher().encrypt(json.dumps(value, sort_keys=True))

    def process_result_value(self, value: bytes | None, dialect: Any) -> dict | None:
        return None if value is None else json.loads(cipher().decrypt(bytes(value)))
