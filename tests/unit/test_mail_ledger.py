"""The mailbox ledger: last UID per folder, UIDVALIDITY changes, each message recorded once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from daemon.ingest import mailledger as ms
from daemon.register import migrate
from daemon.register.db import make_engine, session_factory
from daemon.register.models import AuditEvent

ACCOUNT, FOLDER = "vanthu@mail:993", "INBOX"
FACTS = ms.Facts(
    message_id="<a@b>",
    sender="A <a@b.vn>",
    sent_at=dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC),
    subject="Công văn",
)


@pytest.fixture
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    migrate.upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def ledger(sessions):
    return ms.MailLedger(sessions, ACCOUNT, FOLDER)


def events(sessions, name):
    with sessions() as s:
        return s.scalar(select(func.count()).where(AuditEvent.event == name))


def test_dedupe_key_uses_message_id_and_attachments_or_the_bytes():
    k = ms.dedupe_key("<a@b>", ["2", "1"], "raw1")
    assert k == ms.dedupe_key("<a@b>", ["1", "2"], "raw2")  # order and bytes do not matter
    assert k != ms.dedupe_key("<a@b>", ["1"], "raw1")  # other attachments: another message
    assert ms.dedupe_key(None, ["1"], "raw1") != ms.dedupe_key(None, ["1"], "raw2")


def test_last_uid_advances_and_never_goes_back(ledger):
    assert ledger.sync(100) == (0, False)
    ledger.advance(100, 7)
    ledger.advance(100, 3)
    assert ledger.sync(100) == (7, False)
    ledger.advance(99, 50)  # a stale UIDVALIDITY does not move it
    assert ledger.sync(100) == (7, False)


def test_uidvalidity_change_restarts_and_is_audited(ledger, sessions):
    ledger.sync(100)
    ledger.advance(100, 7)
    assert ledger.sync(200) == (0, True)
    assert ledger.sync(200) == (0, False)
    assert events(sessions, "mail_uidvalidity_changed") == 1


def test_states_and_acknowledgement(ledger, sessions):
    staged = ledger.record(1, 1, FACTS, "k1", [{"sha256": "s"}], [])
    empty = ledger.record(1, 2, ms.Facts(message_id="<b@b>"), "k2", [], [])
    partly = ledger.record(
        1, 3, ms.Facts(message_id="<c@b>"), "k3", [{"sha256": "t"}], ["big.pdf: over the limit"]
    )
    failed = ledger.record_failure(1, 4, ms.Facts(), "k4", "malformed MIME")
    assert [o.state for o in (staged, empty, partly, failed)] == [
        ms.STAGED,
        ms.NO_DOCUMENTS,
        ms.FAILED,
        ms.FAILED,
    ]
    assert ledger.at_place(1, 1) == staged and ledger.at_place(1, 9) is None
    ledger.acknowledged([staged, empty, failed])
    with sessions() as s:
        rows = {r.uid: r for r in s.scalars(select(ms.MailMessage))}
    assert rows[1].state == ms.PROCESSED and rows[1].acknowledged_at is not None
    assert rows[1].sent_at is not None and rows[1].subject == "Công văn"
    assert rows[3].reason == "big.pdf: over the limit" and rows[3].acknowledged_at is None
    assert events(sessions, "mail_received") == 2 and events(sessions, "mail_failed") == 2


def test_a_second_copy_is_a_duplicate_of_the_first(ledger, sessions):
    first = ledger.record(1, 1, FACTS, "k", [{"sha256": "s"}], [])
    ledger.acknowledged([first])
    copy = ledger.seen_content(1, 2, "k")
    assert copy is not None and copy.state == ms.DUPLICATE and copy.row_id != first.row_id
    assert ledger.seen_content(1, 3, "other") is None
    with sessions() as s:
        row = s.get(ms.MailMessage, copy.row_id)
        assert row.duplicate_of == first.row_id and row.dedupe_key is None
    assert events(sessions, "mail_duplicate") == 1


def test_unacknowledged_or_flagged_message_renumbered_keeps_its_record(ledger, sessions):
    staged = ledger.record(1, 5, FACTS, "k", [{"sha256": "s"}], [])  # crash before the move
    again = ledger.seen_content(2, 1, "k")  # renumbered by a UIDVALIDITY change
    assert again == ms.Recorded(1, staged.row_id, ms.STAGED)
    assert ledger.at_place(2, 1) == again and ledger.at_place(1, 5) is None
    failed = ledger.record_failure(2, 2, ms.Facts(), "bad", "malformed")
    ledger.acknowledged([failed])
    assert ledger.seen_content(3, 1, "bad") == ms.Recorded(1, failed.row_id, ms.FAILED)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ms.MailMessage)) == 2


def test_copies_in_the_same_numbering_are_copies_even_before_acknowledgement(ledger, sessions):
    first = ledger.record(1, 1, FACTS, "k", [{"sha256": "s"}], [])  # same batch, not yet moved
    assert ledger.seen_content(1, 2, "k").state == ms.DUPLICATE
    assert ledger.at_place(1, 1) == first
    failed = ledger.record_failure(1, 3, ms.Facts(), "bad", "malformed MIME")
    copy = ledger.seen_content(1, 4, "bad")
    assert copy.state == ms.FAILED and copy.row_id != failed.row_id  # flagged like the first
    with sessions() as s:
        assert "malformed MIME" in s.get(ms.MailMessage, copy.row_id).reason


def test_unique_keys_refuse_a_second_record(ledger):
    ledger.record(1, 1, FACTS, "k", [], [])
    with pytest.raises(IntegrityError):
        ledger.record(1, 2, FACTS, "k", [], [])  # same content
    with pytest.raises(IntegrityError):
        ledger.record(1, 1, FACTS, "k2", [], [])  # same place
