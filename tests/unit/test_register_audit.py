"""The audit trail's hashing and the UTC time handling it relies on (pure, no database)."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from daemon.register import audit, clock
from daemon.register.models import AuditEvent

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AT = dt.datetime(2026, 3, 2, 8, 30, 0, 123456, tzinfo=HCM)


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": 7,
        "at": AT,
        "actor": "host:1",
        "event": "registered",
        "subject": "den/2026/7",
        "data": {"b": 1, "a": "Hòa"},
        "prev_hash": "ab" * 32,
    }
    record.update(changes)
    return record


def test_canonical_bytes_are_exactly_the_documented_form() -> None:
    expected = (
        '{"actor":"host:1","at":"2026-03-02T01:30:00.123456Z","data":{"a":"Hòa","b":1},'
        '"event":"registered","id":7,"prev_hash":"' + "ab" * 32 + '","subject":"den/2026/7"}'
    )
    assert audit.canonical(**_record()) == expected.encode("utf-8")


def test_hash_ignores_key_order_and_the_zone_the_time_was_given_in() -> None:
    one = audit.canonical(**_record())
    reordered = audit.canonical(**_record(data={"a": "Hòa", "b": 1}))
    in_utc = audit.canonical(**_record(at=AT.astimezone(dt.UTC)))
    naive_utc = audit.canonical(**_record(at=AT.astimezone(dt.UTC).replace(tzinfo=None)))
    assert one == reordered == in_utc == naive_utc


@pytest.mark.parametrize(
    "field,value",
    [
        ("id", 8),
        ("actor", "host:2"),
        ("event", "failed"),
        ("subject", "den/2026/8"),
        ("data", {"a": "Hoà", "b": 1}),
        ("prev_hash", "cd" * 32),
        ("at", AT + dt.timedelta(microseconds=1)),
    ],
)
def test_every_field_is_covered_by_the_hash(field: str, value: object) -> None:
    assert audit.canonical(**_record(**{field: value})) != audit.canonical(**_record())


def test_row_hash_is_sha256_of_the_canonical_bytes() -> None:
    row = AuditEvent(id=1, at=AT, actor="a", event="e", subject="s", data={}, prev_hash="0" * 64)
    payload = audit.canonical(
        id=1, at=AT, actor="a", event="e", subject="s", data={}, prev_hash="0" * 64
    )
    assert audit.row_hash(row) == hashlib.sha256(payload).hexdigest()


def test_jsonable_normalises_to_nfc_and_plain_json() -> None:
    nfd = unicodedata.normalize("NFD", "Quyết định")
    out = audit.jsonable(
        {
            nfd: (nfd, 1, 2.5, None, True),
            "day": dt.date(2026, 1, 2),
            "when": dt.datetime(2026, 1, 2, 7, 0, tzinfo=HCM),
            "path": PurePosixPath("/srv/a.pdf"),
        }
    )
    assert out == {
        "Quyết định": ["Quyết định", 1, 2.5, None, True],
        "day": "2026-01-02",
        "when": "2026-01-02T00:00:00.000000Z",
        "path": "/srv/a.pdf",
    }
    assert all(unicodedata.is_normalized("NFC", k) for k in out)


@pytest.mark.parametrize("bad", [object(), {1: "x"}, float("nan"), {"x": {1, 2}}, b"bytes"])
def test_jsonable_refuses_what_json_cannot_hold(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        audit.jsonable(bad)


def test_naive_times_are_refused_for_storage_and_read_back_as_utc() -> None:
    with pytest.raises(ValueError, match="naive"):
        clock.to_db(dt.datetime(2026, 1, 1, 12, 0))
    stored = clock.to_db(dt.datetime(2026, 1, 1, 6, 0, tzinfo=HCM))
    assert stored == dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.UTC)
    assert stored.utcoffset() == dt.timedelta(0)
    assert clock.from_db(stored.replace(tzinfo=None)) == stored
    assert clock.local(stored.replace(tzinfo=None), "Asia/Ho_Chi_Minh").hour == 6


def test_default_actor_is_host_and_pid() -> None:
    host, pid = audit.default_actor().rsplit(":", 1)
    assert host and int(pid) > 0
