"""The desk's accounts: who may look at the register and who may change it.

Three roles: a leader (lãnh đạo) reads; a clerk (văn thư) reads and changes (corrects,
confirms, assigns, closes, deals with failures); an admin also manages accounts. Accounts are
never deleted, only disabled, so the audit trail's names keep meaning someone.

Passwords are hashed with the standard library's scrypt (memory-hard, no new dependency, the
parameters OWASP names as the minimum: N=2^17, r=8, p=1, 128 MiB per hash); the parameters
and salt are stored with the hash, so stronger ones later still verify old hashes.

Login attempts are rate-limited per account and per address: failures are rows kept for the
window, so the limit holds across restarts and across service processes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from daemon.errors import PermanentError
from daemon.register import audit, clock
from daemon.register.models import LoginFailure, User


class Role(StrEnum):
    LEADER = "leader"  # reads
    CLERK = "clerk"  # reads and changes
    ADMIN = "admin"  # also manages accounts


ROLES = tuple(r.value for r in Role)
_N, _R, _P, _LEN = 2**17, 8, 1, 32
_MAXMEM = 256 * 2**20
_NAME = re.compile(r"^[\w.@-]{1,100}$")  # letters (also Vietnamese), digits, . _ @ -
MIN_PASSWORD = 10
MAX_PASSWORD = 1000  # a megabyte of password would only cost us time

#: Failed logins allowed per account, and per address, within WINDOW.
ACCOUNT_LIMIT, ADDRESS_LIMIT = 5, 20
WINDOW = dt.timedelta(minutes=15)


class AccountError(PermanentError):
    """An account operation was refused; the message names the account and why."""


@dataclass(frozen=True)
class Account:
    """What the desk needs to know about a logged-in user."""

    name: str
    role: str
    changed_at: dt.datetime  # password (or role) last changed: older sessions are void

    @property
    def can_change(self) -> bool:
        return self.role in (Role.CLERK, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def stamp(self) -> str:
        """What a session carries to notice a later password change."""
        return clock.iso_utc(self.changed_at)


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash` (base64), for `password` in NFC."""
    _check_password(password)
    salt = os.urandom(16)
    key = _scrypt(password, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(key)}"


def check_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt" or len(password) > MAX_PASSWORD:
            return False
        expected = base64.b64decode(key)
        found = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


def add_user(session: Session, name: str, role: str, password: str, actor: str) -> User:
    name = _check_name(name)
    if role not in ROLES:
        raise AccountError(f"{name}: role must be one of {', '.join(ROLES)}, not {role!r}")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"{name}: an account of that name exists already")
    now = clock.now()
    user = User(
        name=name,
        role=role,
        password_hash=hash_password(password),
        disabled=False,
        created_at=now,
        changed_at=now,
    )
    session.add(user)
    session.flush()
    audit.append(session, "user_added", f"user/{name}", {"role": role}, actor=actor)
    return user


def set_password(session: Session, name: str, password: str, actor: str) -> User:
    user = find_user(session, name)
    user.password_hash = hash_password(password)
    user.changed_at = clock.now()  # sessions opened with the old password end
    session.flush()
    audit.append(session, "user_password_changed", f"user/{user.name}", {}, actor=actor)
    return user


def disable_user(session: Session, name: str, actor: str) -> User:
    user = find_user(session, name)
    if user.disabled:
        raise AccountError(f"{user.name}: the account is disabled already")
    user.disabled = True
    user.changed_at = clock.now()
    session.flush()
    audit.append(
        session, "user_disabled", f"user/{user.name}", {"old": False, "new": True}, actor=actor
    )
    return user


def find_user(session: Session, name: str) -> User:
    user = session.scalar(
        select(User).where(User.name == unicodedata.normalize("NFC", name)).with_for_update()
    )
    if user is None:
        raise AccountError(f"{name}: no such account")
    return user


def active_account(session: Session, name: str, stamp: str | None = None) -> Account | None:
    """The account `name` if it may act now: not disabled, and (given a session's `stamp`)
    its password unchanged since that session began."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None or user.disabled:
        return None
    account = Account(user.name, user.role, clock.from_db(user.changed_at))
    if stamp is not None and stamp != account.stamp:
        return None
    return account


def login(session: Session, name: str, password: str, address: str) -> Account | None:
    """The account if `name` and `password` match an enabled account and neither the account
    nor the address has failed too often lately; else None (the failure is counted). Callers
    show one message for every refusal, so a stranger learns nothing about which names exist."""
    name = unicodedata.normalize("NFC", name.strip())[:100]
    address = address[:100]
    if throttled(session, name, address):
        _count_failure(session, name, address)
        return None
    user = session.scalar(select(User).where(User.name == name))
    ok = user is not None and check_password(password, user.password_hash)
    if user is None or not ok or user.disabled:
        _count_failure(session, name, address)
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.name == name))
    audit.append(session, "user_login", f"user/{user.name}", {"address": address}, user.name)
    return Account(user.name, user.role, clock.from_db(user.changed_at))


def throttled(session: Session, name: str, address: str) -> bool:
    """Whether the account or the address has used up its failures within the window."""
    since = clock.now() - WINDOW
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    by_name = session.scalar(recent.where(LoginFailure.name == name)) or 0
    by_address = session.scalar(recent.where(LoginFailure.address == address)) or 0
    return by_name >= ACCOUNT_LIMIT or by_address >= ADDRESS_LIMIT


def _count_failure(session: Session, name: str, address: str) -> None:
    now = clock.now()
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - WINDOW))
    session.add(LoginFailure(name=name, address=address, at=now))
    session.flush()


def _check_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if not _NAME.match(name):
        raise AccountError(
            f"{name!r}: an account name is 1-100 letters, digits, '.', '_', '@' or '-'"
        )
    return name


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=_LEN)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
