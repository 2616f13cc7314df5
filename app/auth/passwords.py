"""Password hashing with Argon2id (OWASP's first choice) and the strength rule for new passwords.

New passwords are checked against zxcvbn's list of 30,000 passwords most seen in breaches (also
with a year or symbols stuck on the end) and its guess estimate, so "Matkhau@123" style passwords
and ones built from the user's own e-mail are refused. Existing hashes are only re-hashed on log-in,
never re-judged, so a rule change cannot lock anybody out.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

_hasher = PasswordHasher()
MIN_LENGTH = 10
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario".
MIN_SCORE = 3
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class WeakPassword(ValueError):
    """The password breaks the rule; the message says which part, in the user's language."""


@cache
def _breached() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _email_parts(email: str) -> list[str]:
    email = email.strip().lower()
    local = email.partition("@")[0]
    return [part for part in (email, local) if len(part) >= 3]


def check_strength(password: str, email: str = "") -> None:
    """Raise ``WeakPassword`` unless the password is long, uncommon and not the e-mail."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(_("The password must have at least %(n)d characters.", n=MIN_LENGTH))
    lowered = password.lower()
    email = email.strip().lower()
    if len(email) >= 3 and email in lowered:
        raise WeakPassword(_("The password must not contain the account's e-mail address."))
    local = email.partition("@")[0]
    # The name part alone is what an attacker tries first (NIST SP 800-63B "context-specific
    # words"), so it stays refused; the message names it so the user sees what to drop.
    if len(local) >= 3 and local in lowered:
        raise WeakPassword(
            _(
                "The password must not contain the name part of the e-mail address (%(name)s).",
                name=local,
            )
        )
    core = _DECORATION.sub("", lowered)
    if lowered in _breached() or core in _breached():
        raise WeakPassword(_("This password is among those most often leaked; choose another."))
    if zxcvbn(password[:100], user_inputs=_email_parts(email))["score"] < MIN_SCORE:
        raise WeakPassword(
            _("This password is too easy to guess; use a few unrelated words or a longer one.")
        )


# No 0/O, 1/l/I: a generated password is read out over the phone or copied from a screen.
_GENERATED_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(email: str = "") -> str:
    """A random password that passes the rule (about 83 bits), in groups easy to copy: xxxx-…."""
    while True:
        groups = ("".join(secrets.choice(_GENERATED_ALPHABET) for _ in range(4)) for _ in range(4))
        password = "-".join(groups)
        try:
            check_strength(password, email)
        except WeakPassword:  # vanishingly rare; draw again rather than hand out a weak one
            continue
        return password


def hash_password(password: str, email: str = "") -> str:
    """Hash a new password after checking it against the rule."""
    check_strength(password, email)
    return rehash(password)


def rehash(password: str) -> str:
    """Hash a password already in use (log-in with old parameters): no rule applies."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# Verified against when the e-mail is unknown, so both answers take the same time.
DUMMY_HASH = _hasher.hash("lantoa-timing-equaliser")
