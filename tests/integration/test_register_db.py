"""The register against real databases: every test runs on SQLite and on PostgreSQL.

Numbering (gapless, per book and year, under concurrency from threads and processes), the
duplicate rule, the audit chain and its append-only triggers, the job queue, the queries and
the exports built from real rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import multiprocessing
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from daemon.ocr.model import Fields
from daemon.register import audit, jobs, migrate
from daemon.register import models as m
from daemon.register.db import make_engine, session_factory
from daemon.register.export import export
from daemon.register.models import AuditEvent, AuditHead, Document, Entry, Job
from daemon.register.numbering import next_number
from daemon.register.queries import failures, get_entry, list_entries
from daemon.register.registry import AlreadyRegistered, register_document

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
FIELDS = Fields(
    number="68/QĐ-UBND",
    date=dt.date(2026, 3, 1),
    place="Khánh Sơn",
    doc_type="Quyết định",
    subject="Ban hành Quy chế quản lý văn bản",
    issuer="Ủy ban nhân dân huyện Khánh Sơn",
    parent_issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
    urgency="Khẩn",
    recipients=("Như trên", "Lưu: VT"),
    signer="Nguyễn Văn A",
    confidence={"number": 0.98, "subject": 0.8123},
)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


def sha(n: int | str) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def register(
    session: Session,
    key: int | str,
    *,
    book: str = "den",
    at: dt.datetime = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HCM),
    status: str = m.REGISTERED,
) -> Entry:
    return register_document(
        session,
        sha256=sha(key),
        original_name=f"văn bản {key}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=2,
        source="folder",
        provenance={"path": f"/srv/scan/{key}.pdf"},
        text="QUYẾT ĐỊNH\x00 …",
        text_source="text-layer",
        fields=FIELDS,
        status=status,
        book=book,
        received_at=at,
        due_date=dt.date(2026, 3, 16),
        tz=TZ,
    )


def numbers(sessions: sessionmaker[Session], book: str = "den") -> list[int]:
    with sessions() as session:
        return list(
            session.scalars(select(Entry.seq).where(Entry.book == book).order_by(Entry.seq))
        )


# --- schema ---------------------------------------------------------------------------


def test_upgrading_twice_leaves_one_audit_head(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    with sessions() as session:
        heads = session.scalars(select(AuditHead)).all()
        assert [(h.id, h.last_id, h.last_hash) for h in heads] == [(1, 0, "0" * 64)]
        if engine.dialect.name == "postgresql":
            level = session.execute(text("SHOW transaction_isolation")).scalar()
            assert level == "read committed"


# --- numbering ------------------------------------------------------------------------


def test_numbers_run_per_book_and_restart_each_year(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        assert [next_number(session, "den", 2026) for _ in range(3)] == [1, 2, 3]
        assert next_number(session, "di", 2026) == 1
        assert next_number(session, "den", 2027) == 1
        assert next_number(session, "den", 2026) == 4
    with pytest.raises(ValueError), sessions.begin() as session:
        next_number(session, "xyz", 2026)


def test_the_year_is_the_local_year_of_arrival(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        last = register(session, 1, at=dt.datetime(2026, 12, 31, 23, 59, tzinfo=HCM))
        # 00:10 on 1 January in Hà Nội is still 31 December in UTC: it opens the new year.
        first = register(session, 2, at=dt.datetime(2027, 1, 1, 0, 10, tzinfo=HCM))
        third = register(session, 3, at=dt.datetime(2027, 1, 1, 8, 0, tzinfo=dt.UTC))
    assert (last.year, last.seq) == (2026, 1)
    assert (first.year, first.seq) == (2027, 1)
    assert (third.year, third.seq) == (2027, 2)


def test_a_rolled_back_registration_leaves_no_gap(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        register(session, 1)
    with pytest.raises(RuntimeError), sessions.begin() as session:
        assert register(session, 2).seq == 2
        raise RuntimeError("crash before commit")
    with sessions.begin() as session:
        assert register(session, 3).seq == 2
    assert numbers(sessions) == [1, 2]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2


def test_concurrent_threads_get_distinct_gapless_numbers(
    sessions: sessionmaker[Session],
) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(worker: int) -> None:
        try:
            start.wait()
            for i in range(5):
                with sessions.begin() as session:
                    register(session, f"t{worker}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert numbers(sessions) == list(range(1, 21))


def register_many(url: str, worker: int, count: int) -> list[int]:
    """Run in a child process: register `count` documents, one transaction each."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    seqs = []
    for i in range(count):
        with sessions.begin() as session:
            seqs.append(register(session, f"p{worker}-{i}").seq)
    engine.dispose()
    return seqs


def test_concurrent_processes_get_distinct_gapless_numbers(
    db_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(register_many, [(db_url, w, 6) for w in range(3)])
    got = sorted(seq for seqs in results for seq in seqs)
    assert got == list(range(1, 19))
    assert numbers(sessions) == got
    with sessions() as session:
        assert audit.verify_chain(session) == []


# --- duplicates -----------------------------------------------------------------------


def test_the_same_bytes_are_refused_in_the_same_book(sessions: sessionmaker[Session]) -> None:
    [job_id] = _enqueue(sessions, 1)
    with sessions.begin() as session:
        register(session, 1)
        [job] = jobs.claim(session, "w", kinds=("ingest",), lease_seconds=60)
    with sessions.begin() as session:
        with pytest.raises(AlreadyRegistered, match="den/2026/1"):
            register(session, 1)
        # The transaction is still usable: the duplicate is recorded, nothing crashes.
        jobs.finish(session, job, m.DUPLICATE)
    with sessions.begin() as session:
        assert register(session, 2).seq == 2  # the refused attempt took no number
        assert register(session, 1, book="di").seq == 1  # one document may be in both books
    with sessions() as session:
        assert session.get(Job, job_id).state == m.DUPLICATE  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(Document)) == 2


def _wait_for_lock_waiter(engine: Engine) -> None:
    """PostgreSQL: return once some backend waits for a lock (the racer is in place)."""
    with engine.connect() as conn:
        for _ in range(600):
            if conn.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                return
            conn.rollback()
            threading.Event().wait(0.1)
    pytest.fail("the racing transaction never blocked")


def test_a_racing_duplicate_is_refused_and_returns_its_number(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    outcome: list[object] = []

    def second() -> None:
        try:
            with sessions.begin() as session:
                register(session, "same")
                outcome.append("registered")
        except AlreadyRegistered as exc:
            outcome.append(exc)

    with sessions.begin() as session:
        register(session, "same")
        racer = threading.Thread(target=second)
        racer.start()
        if engine.dialect.name == "postgresql":
            # It has looked and found nothing; now it waits on our uncommitted unique key.
            # (SQLite queues it at BEGIN IMMEDIATE instead: no race to set up.)
            _wait_for_lock_waiter(engine)
    racer.join()
    assert len(outcome) == 1 and isinstance(outcome[0], AlreadyRegistered)
    with sessions.begin() as session:
        assert register(session, "next").seq == 2


# --- the audit trail ------------------------------------------------------------------


def _some_events(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        register(session, 1)
        audit.append(session, "note", "den/2026/1", {"by": "Chị Hoà"}, actor="clerk")
    with sessions.begin() as session:
        register(session, 2)


def _drop_triggers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_the_chain_verifies_and_records_what_happened(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    _some_events(sessions)
    with session_factory(engine, read_only=True)() as session:
        assert audit.verify_chain(session) == []
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(e.id, e.event, e.subject) for e in events] == [
            (1, "registered", "den/2026/1"),
            (2, "note", "den/2026/1"),
            (3, "registered", "den/2026/2"),
        ]
        assert events[1].actor == "clerk" and events[1].data == {"by": "Chị Hoà"}
        assert events[0].prev_hash == "0" * 64 and events[1].prev_hash == events[0].hash


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET subject = 'x' WHERE id = 1", "DELETE FROM audit_log WHERE id = 1"],
)
def test_the_log_is_append_only(sessions: sessionmaker[Session], statement: str) -> None:
    _some_events(sessions)
    with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
        session.execute(text(statement))


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_truncate_is_refused_on_postgresql(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
        session.execute(text("TRUNCATE audit_log"))


@pytest.mark.parametrize(
    "tamper,problem",
    [
        ("UPDATE audit_log SET subject = 'den/2026/9' WHERE id = 2", "bad hash at id 2"),
        ("DELETE FROM audit_log WHERE id = 2", "broken link at id 3"),
        ("DELETE FROM audit_log WHERE id = 2", "gap in ids: 2..2 missing"),
        ("DELETE FROM audit_log WHERE id = 3", "head mismatch"),
        ("UPDATE audit_head SET last_hash = '" + "e" * 64 + "'", "head mismatch"),
        (
            "INSERT INTO audit_log (id, at, actor, event, subject, data, prev_hash, hash) VALUES "
            "(4, '2026-03-02 00:00:00', 'x', 'registered', 'den/2026/3', '{}', '', 'forged')",
            "head mismatch: rows up to id 4 lie past the head",
        ),
    ],
)
def test_tampering_is_detected(
    engine: Engine, sessions: sessionmaker[Session], tamper: str, problem: str
) -> None:
    _some_events(sessions)
    with sessions.begin() as session:
        _drop_triggers(session)
        session.execute(text(tamper))
    with sessions() as session:
        assert any(p.startswith(problem) for p in audit.verify_chain(session)), problem
    migrate.upgrade(engine)  # restores the triggers
    with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as session:
        session.execute(text("DELETE FROM audit_log"))


# --- the job queue --------------------------------------------------------------------


def _enqueue(sessions: sessionmaker[Session], n: int, kind: str = "ingest") -> list[int]:
    with sessions.begin() as session:
        return [
            jobs.enqueue(
                session,
                kind,
                sha256=sha(f"job{i}"),
                original_name=f"scan{i}.pdf",
                source="folder",
                payload={"size": i},
            ).id
            for i in range(n)
        ]


def test_claim_takes_the_oldest_ready_jobs(sessions: sessionmaker[Session]) -> None:
    ids = _enqueue(sessions, 3)
    _enqueue(sessions, 1, kind="send")
    with sessions.begin() as session:
        later = jobs.enqueue(
            session,
            "ingest",
            sha256=None,
            original_name="later.pdf",
            source="cli",
            payload={},
            not_before=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
        )
    with sessions.begin() as session:
        first = jobs.claim(session, "w1", kinds=("ingest",), lease_seconds=60, limit=2)
    with sessions.begin() as session:
        second = jobs.claim(session, "w2", kinds=("ingest",), lease_seconds=60, limit=5)
    assert [j.id for j in first] == ids[:2] and [j.id for j in second] == ids[2:]
    assert all(j.state == m.RUNNING and j.attempts == 1 and j.lease_until for j in first)
    with sessions() as session:
        assert session.get(Job, later.id).state == m.PENDING  # type: ignore[union-attr]
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.event == "job_claimed")
            )
            == 3
        )


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_claimers_skip_rows_another_claimer_holds(sessions: sessionmaker[Session]) -> None:
    ids = _enqueue(sessions, 2)
    with sessions.begin() as holder:
        # Another worker mid-claim: it holds the oldest job's row lock.
        holder.execute(select(Job).where(Job.id == ids[0]).with_for_update()).one()
        with sessions.begin() as session:
            session.execute(text("SET LOCAL lock_timeout = '10s'"))  # fail, never hang
            claimed = jobs.claim(session, "b", kinds=("ingest",), lease_seconds=60, limit=2)
            assert [j.id for j in claimed] == [ids[1]]


def drain(url: str, worker: str) -> list[int]:
    """Run in a child process: claim and finish jobs until none is left."""
    engine = make_engine(url)
    sessions = session_factory(engine)
    done: list[int] = []
    while True:
        with sessions.begin() as session:
            claimed = jobs.claim(session, worker, kinds=("ingest",), lease_seconds=300, limit=2)
        if not claimed:
            break
        for job in claimed:
            with sessions.begin() as session:
                jobs.finish(session, job, m.DONE)
            done.append(job.id)
    engine.dispose()
    return done


def test_several_processes_drain_the_queue_exactly_once(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    ids = _enqueue(sessions, 24)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(drain, [(db_url, f"w{n}") for n in range(3)])
    assert sorted(i for done in results for i in done) == ids
    with sessions() as session:
        assert set(session.scalars(select(Job.state))) == {m.DONE}
        assert audit.verify_chain(session) == []


def _expire_leases(session: Session) -> None:
    session.execute(
        text("UPDATE jobs SET lease_until = :t WHERE state = 'running'"),
        {"t": dt.datetime(2000, 1, 1)},
    )


def test_an_expired_lease_returns_the_job_and_the_old_worker_loses_it(
    sessions: sessionmaker[Session],
) -> None:
    _enqueue(sessions, 1)
    with sessions.begin() as session:
        [stale] = jobs.claim(session, "dead", kinds=("ingest",), lease_seconds=600)
    with sessions.begin() as session:
        assert jobs.release_expired(session) == 0
        _expire_leases(session)
    with sessions.begin() as session:
        assert jobs.release_expired(session) == 1
    with sessions.begin() as session:
        [again] = jobs.claim(session, "alive", kinds=("ingest",), lease_seconds=600)
        assert again.id == stale.id and again.attempts == 2
    with pytest.raises(jobs.LeaseLost), sessions.begin() as session:
        jobs.finish(session, stale, m.DONE)
    with sessions.begin() as session:
        assert jobs.finish(session, again, m.DONE, document_id=None).state == m.DONE


def test_an_expired_lease_keeps_its_attempt_and_says_why(
    sessions: sessionmaker[Session],
) -> None:
    """A job whose worker keeps dying runs out of attempts (the job loop then fails it)."""
    _enqueue(sessions, 1)
    for _ in range(2):
        with sessions.begin() as session:
            jobs.claim(session, "w", kinds=("ingest",), lease_seconds=600)
            _expire_leases(session)
        with sessions.begin() as session:
            assert jobs.release_expired(session) == 1
    with sessions() as session:
        job = session.scalars(select(Job)).one()
        assert (job.state, job.attempts) == (m.PENDING, 2)
        assert "lease ran out: w did not finish" in (job.last_error or "")


def test_release_mine_and_retry_later(sessions: sessionmaker[Session]) -> None:
    ids = _enqueue(sessions, 3)
    with sessions.begin() as session:
        mine = jobs.claim(session, "me", kinds=("ingest",), lease_seconds=600, limit=2)
        jobs.claim(session, "other", kinds=("ingest",), lease_seconds=600)
    with sessions.begin() as session:
        assert jobs.release_mine(session, "me") == 2
    with sessions() as session:
        states = {j.id: (j.state, j.attempts) for j in session.scalars(select(Job))}
    assert states == {ids[0]: (m.PENDING, 0), ids[1]: (m.PENDING, 0), ids[2]: (m.RUNNING, 1)}
    with sessions.begin() as session:
        [job] = jobs.claim(session, "me", kinds=("ingest",), lease_seconds=600)
        assert job.id == mine[0].id
    with sessions.begin() as session:
        jobs.retry_later(session, job, "IMAP tạm thời không kết nối được", 3600)
    with sessions.begin() as session:
        assert [j.id for j in jobs.claim(session, "me", kinds=("ingest",), lease_seconds=60)] == [
            ids[1]
        ]
        waiting = session.get(Job, job.id)
        assert waiting is not None and waiting.state == m.PENDING
        assert waiting.last_error == "IMAP tạm thời không kết nối được"


def test_release_all_gives_the_attempt_back_and_counts_the_interruption(
    sessions: sessionmaker[Session],
) -> None:
    ids = _enqueue(sessions, 3)
    for _restart in range(2):  # the service is killed twice with two jobs in hand
        with sessions.begin() as session:
            jobs.claim(session, "w", kinds=("ingest",), lease_seconds=600, limit=2)
        with sessions.begin() as session:
            assert jobs.release_all(session) == 2
    with sessions() as session:
        got = {j.id: (j.state, j.attempts, j.interruptions) for j in session.scalars(select(Job))}
    assert got == {
        ids[0]: (m.PENDING, 0, 2),
        ids[1]: (m.PENDING, 0, 2),
        ids[2]: (m.PENDING, 0, 0),
    }


def test_finish_checks_the_named_worker_and_keeps_pending_changes(
    sessions: sessionmaker[Session],
) -> None:
    [job_id] = _enqueue(sessions, 1)
    with sessions.begin() as session:
        jobs.claim(session, "w1", kinds=("ingest",), lease_seconds=600)
    with pytest.raises(jobs.LeaseLost, match="held by w1"), sessions.begin() as session:
        jobs.finish(session, session.get_one(Job, job_id), m.DONE, worker="w2")
    with sessions.begin() as session:
        job = session.get_one(Job, job_id)
        job.payload = {}  # the caller's own change, made before finishing
        jobs.finish(session, job, m.SET_ASIDE, error="văn bản Tối mật", worker="w1")
    with sessions() as session:
        job = session.get_one(Job, job_id)
        assert (job.state, job.payload, job.sha256) == (m.SET_ASIDE, {}, None)


def test_finishing_records_outcomes_and_failures_lists_them(
    sessions: sessionmaker[Session],
) -> None:
    _enqueue(sessions, 4)
    with sessions.begin() as session:
        claimed = jobs.claim(session, "w", kinds=("ingest",), lease_seconds=600, limit=4)
    with sessions.begin() as session:
        entry = register(session, "job0")
        jobs.finish(session, claimed[0], m.DONE, document_id=entry.document_id)
        jobs.finish(session, claimed[1], m.FAILED, error="không đọc được: tệp PDF hỏng")
        jobs.finish(session, claimed[2], m.SET_ASIDE, error="văn bản Mật")
        jobs.finish(session, claimed[3], m.DUPLICATE)
    with pytest.raises(ValueError), sessions.begin() as session:
        jobs.finish(session, claimed[0], m.RUNNING)
    with sessions() as session:
        rows = {row.state: row for row in failures(session)}
        done = session.get(Job, claimed[0].id)
        assert done is not None and done.document_id == entry.document_id
        aside = session.get(Job, claimed[2].id)
        assert aside is not None and aside.sha256 is None
        events = set(session.scalars(select(AuditEvent.event)))
    assert set(rows) == {m.FAILED, m.SET_ASIDE}
    assert rows[m.FAILED].reason == "không đọc được: tệp PDF hỏng" and rows[m.FAILED].sha256
    secret = rows[m.SET_ASIDE].as_json()
    assert (secret["name"], secret["reason"]) == ("scan2.pdf", "văn bản Mật")
    assert secret["sha256"] is None and secret["source"] is None
    assert {"job_done", "job_failed", "job_set_aside", "job_duplicate"} <= events


# --- queries and exports --------------------------------------------------------------


def test_queries_give_entries_with_their_fields(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        register(session, 1)
        register(session, 2, status=m.NEEDS_REVIEW)
        register(session, 3, book="di")
        register(session, 4, at=dt.datetime(2027, 1, 5, tzinfo=HCM))
    with sessions() as session:
        assert [r.label for r in list_entries(session)] == [
            "den/2026/1",
            "den/2026/2",
            "den/2027/1",
            "di/2026/1",
        ]
        assert [
            r.label for r in list_entries(session, book="den", year=2026, status=m.NEEDS_REVIEW)
        ] == ["den/2026/2"]
        row = get_entry(session, "den", 2026, 1)
        assert get_entry(session, "den", 2026, 99) is None
    assert row is not None
    data = row.as_json()
    expected_fields = FIELDS.as_json()
    assert {k: data[k] for k in expected_fields} == expected_fields
    assert data["received_at"] == "2026-03-02T02:00:00+00:00"
    assert (data["sha256"], data["status"], data["pages"], data["due_date"]) == (
        sha(1),
        m.REGISTERED,
        2,
        "2026-03-16",
    )
    assert data["original_name"] == "văn bản 1.pdf" and data["source"] == "folder"
    for key in ("media_type", "text_source", "note"):
        assert key in data


def test_exports_round_trip(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        for n in range(3):
            register(session, n, at=dt.datetime(2026, 3, 2 + n, 7, 0, tzinfo=HCM))
    with sessions() as session:
        rows = list_entries(session, book="den")
    out = io.BytesIO()
    export(rows, "csv", out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [(r["Số đến"], r["Ngày đến"]) for r in parsed] == [
        ("1", "02/03/2026"),
        ("2", "03/03/2026"),
        ("3", "04/03/2026"),
    ]
    assert parsed[0]["Số, ký hiệu"] == "68/QĐ-UBND" and parsed[0]["Độ khẩn"] == "Khẩn"
    out = io.BytesIO()
    export(rows, "xlsx", out)
    ws = openpyxl.load_workbook(out).active
    assert [ws.cell(row=r, column=2).value for r in (3, 4, 5)] == [1, 2, 3]
    assert ws.cell(row=5, column=1).value == dt.datetime(2026, 3, 4)
    assert ws.cell(row=3, column=16).value == sha(0)
