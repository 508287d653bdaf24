"""Scheduled runs against real registers (SQLite, PostgreSQL) through the command line: the run
ledger's claim (two at once, one wins), the digest and reminders mailed to a real SMTP server on
loopback, a second run for one period refused, and the backup restorable."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from daemon.cli import main
from daemon.ocr.model import Fields
from daemon.register import follow, migrate
from daemon.register.db import make_engine, session_factory
from daemon.register.models import NEEDS_REVIEW, REGISTERED, Entry, RunState, ScheduleRun
from daemon.register.registry import register_document
from daemon.schedule import ledger
from tests.fixtures.install import REPO, VANTHU

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
CLERK = "vanthu-clerk@khanhson.test"
LEADER = "chanh-van-phong@khanhson.test"
UNIT_MAIL = "vanphong@khanhson.test"


def at(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=HCM)


@dataclass
class Office:
    root: Path
    db_url: str
    engine: Engine
    capsys: pytest.CaptureFixture[str]

    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def vanthu(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main([*args, "--config", str(self.root / "vanthu.toml")])
        out, err = self.capsys.readouterr()
        return code, out, err

    def runs(self, job: str) -> list[ScheduleRun]:
        with self.sessions()() as session:
            return list(session.scalars(select(ScheduleRun).where(ScheduleRun.job == job)))


def _install(root: Path, db_url: str, extra: str = "") -> None:
    assert main(["init", str(root)]) == 0
    config = root / "vanthu.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('url = "sqlite:///var/vanthu.db"', f'url = "{db_url}"')
    text = text.replace("digest_to = []", f'digest_to = ["{CLERK}", "{LEADER}"]')
    text = text.replace("clerk_to = []", f'clerk_to = ["{CLERK}"]')
    config.write_text(text + extra, encoding="utf-8")
    units = root / "rules" / "units.toml"
    units.write_text(
        units.read_text(encoding="utf-8")
        + f'\n[[unit]]\nname = "Văn phòng"\nemail = "{UNIT_MAIL}"\n'
        + '\n[[unit]]\nname = "Phòng Nội vụ"\n',  # no address: the clerk only
        encoding="utf-8",
    )


@pytest.fixture
def office(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], smtp_server: Any
) -> Iterator[Office]:
    root = tmp_path / "office"
    _install(root, db_url, "\n" + smtp_server.smtp_toml())
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    yield Office(root, db_url, engine, capsys)
    engine.dispose()


def file_in(
    session: Session,
    key: str,
    received: dt.datetime,
    *,
    book: str = "den",
    due: dt.date | None = None,
    urgency: str | None = None,
    status: str = REGISTERED,
    seq: int | None = None,
) -> Entry:
    fields = Fields(
        number=f"{seq or len(key)}/{key.upper()}",
        date=received.date() - dt.timedelta(days=2),
        doc_type="Công văn",
        subject=f"V/v việc {key}",
        issuer="Sở Tài chính tỉnh Khánh Hòa",
        urgency=urgency,
    )
    return register_document(
        session,
        sha256=hashlib.sha256(key.encode()).hexdigest(),
        original_name=f"{key}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=1,
        source="folder",
        provenance={},
        text="",
        text_source="text-layer",
        fields=fields,
        status=status,
        book=book,
        received_at=received,
        due_date=due,
        tz=TZ,
        issued=(received.year, seq) if seq is not None else None,
    )


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


# --- the ledger ---------------------------------------------------------------------------------


def test_two_claims_at_once_one_wins(db_url: str) -> None:
    """Two processes' worth of connections claim one run at the same moment (threads with
    their own connections, released together by a barrier): exactly one gets it."""
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    slot = at(2026, 12, 4, 7, 30)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def claim(owner: str) -> None:
        barrier.wait(timeout=30)
        results[owner] = ledger.claim(sessions, "digest", "2026-12-04", slot, owner)

    try:
        threads = [threading.Thread(target=claim, args=(f"host-{i}:1",)) for i in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        claims = [r for r in results.values() if isinstance(r, ledger.Claim)]
        refusals = [r for r in results.values() if isinstance(r, ledger.Refusal)]
        assert len(claims) == 1 and len(refusals) == 1, results
        assert refusals[0].state == RunState.RUNNING
        assert "is running now" in refusals[0].reason

        # the winner finishes; then nobody claims it again unless forced
        assert ledger.finish(sessions, claims[0], summary="ok")
        again = ledger.claim(sessions, "digest", "2026-12-04", slot, "host-3:1")
        assert isinstance(again, ledger.Refusal) and "was done already" in again.reason
        forced = ledger.claim(sessions, "digest", "2026-12-04", slot, "host-3:1", force=True)
        assert isinstance(forced, ledger.Claim) and forced.attempts == 2
        assert not ledger.finish(sessions, claims[0], summary="late"), "its claim was taken over"
    finally:
        engine.dispose()


def test_a_claim_abandoned_past_its_lease_is_taken_over(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    started = dt.datetime(2026, 12, 4, 0, 30, tzinfo=dt.UTC)
    try:
        first = ledger.claim(sessions, "backup", "2026-W49", started, "dead:1", now=started)
        assert isinstance(first, ledger.Claim)
        soon = started + ledger.LEASE - dt.timedelta(minutes=1)
        assert isinstance(
            ledger.claim(sessions, "backup", "2026-W49", started, "b:2", now=soon), ledger.Refusal
        )
        late = started + ledger.LEASE + dt.timedelta(minutes=1)
        taken = ledger.claim(sessions, "backup", "2026-W49", started, "b:2", now=late)
        assert isinstance(taken, ledger.Claim) and taken.attempts == 2
        assert ledger.finish(sessions, taken, error="disk full")
        with sessions() as session:
            row = session.scalars(select(ScheduleRun)).one()
            assert (row.state, row.claimed_by, row.error) == ("failed", "b:2", "disk full")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_two_processes_run_one_period_once(pg_server: Any, tmp_path: Path) -> None:
    """Two `vanthu schedule run digest` processes started together on one PostgreSQL: one
    does the run, the other is refused (exit 1) naming who has it."""
    name = pg_server.create_database()
    try:
        root = tmp_path / "office"
        _install(root, pg_server.url(name))
        config = str(root / "vanthu.toml")
        engine = make_engine(pg_server.url(name))
        migrate.upgrade(engine)
        engine.dispose()
        args = [*VANTHU, "schedule", "run", "digest", "--at", "2026-12-04T08:00"]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        procs = [
            subprocess.Popen(
                [*args, "--config", config],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
            for _ in range(2)
        ]
        done = [p.communicate(timeout=120) for p in procs]
        codes = sorted(p.returncode for p in procs)
        assert codes == [0, 1], done
        errors = b"".join(err for _out, err in done).decode()
        assert "digest for 2026-12-04" in errors
        engine = make_engine(pg_server.url(name))
        with session_factory(engine)() as session:
            rows = list(session.scalars(select(ScheduleRun)))
        engine.dispose()
        assert [(r.job, r.period, r.state, r.attempts) for r in rows] == [
            ("digest", "2026-12-04", "done", 1)
        ]
    finally:
        pg_server.drop_database(name)


# --- the digest and reminders, by mail ----------------------------------------------------------


def register_week(office: Office) -> None:
    """The register as of Friday 4/12/2026 morning: arrivals since Thursday's digest, due and
    overdue entries (one closed), one to review, and a gap in the sổ đi (số 2 missing)."""
    with office.sessions()() as s, s.begin():
        file_in(s, "old", at(2026, 11, 20), due=dt.date(2026, 11, 27))  # closed below
        late = file_in(s, "late", at(2026, 11, 25), due=dt.date(2026, 12, 2))
        today = file_in(s, "today", at(2026, 11, 27), due=dt.date(2026, 12, 4))
        monday = file_in(s, "monday", at(2026, 11, 30), due=dt.date(2026, 12, 7))
        file_in(s, "later", at(2026, 12, 1), due=dt.date(2026, 12, 8))
        file_in(s, "new", at(2026, 12, 3, 14), urgency="Hỏa tốc")
        file_in(s, "unsure", at(2026, 12, 3, 16), status=NEEDS_REVIEW)
        file_in(s, "out1", at(2026, 12, 1), book="di", seq=1)
        file_in(s, "out3", at(2026, 12, 2), book="di", seq=3)
        follow.assign(s, late, unit="Văn phòng", at=at(2026, 11, 25, 10))
        follow.assign(s, monday, unit="Văn phòng", at=at(2026, 11, 30, 10))
        follow.assign(s, today, unit="Phòng Nội vụ", at=at(2026, 11, 27, 10))
        old = s.scalars(select(Entry).where(Entry.seq == 1, Entry.book == "den")).one()
        follow.close(s, old, at=at(2026, 11, 26))


def test_the_digest_reaches_the_clerk_and_leaders_once(office: Office, smtp_server: Any) -> None:
    register_week(office)
    code, out, err = office.vanthu("schedule", "run", "digest", "--at", "2026-12-04T07:30")
    assert code == 0, err
    assert out.startswith("digest 2026-12-04: done: 2 arrived, 1 overdue")
    mails = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos for m in mails) == [(LEADER,), (CLERK,)]
    message = mails[0].parsed()
    assert str(message["Subject"]) == "[vanthu] Tổng hợp văn thư ngày 04/12/2026"
    text = body(message)
    assert "1. Văn bản đến từ 07:30 ngày 03/12/2026: 2" in text
    assert "V/v việc new [Hỏa tốc]" in text and "V/v việc unsure" in text
    assert "2. Văn bản khẩn chưa giải quyết: 1" in text
    assert "3. Đến hạn giải quyết hôm nay: 1" in text and "V/v việc today" in text
    assert "4. Quá hạn giải quyết: 1" in text and "V/v việc late" in text
    assert "V/v việc old" not in text, "a closed entry is neither due nor overdue"
    assert "5. Cần văn thư xem lại (needs review): 1" in text
    assert "Sổ đi năm 2026: thiếu số 2" in text
    assert message.get_body(("html",)) is not None

    code, _out, err = office.vanthu("schedule", "run", "digest", "--at", "2026-12-04T09:00")
    assert code == 1 and "digest for 2026-12-04 was done already" in err
    assert len(smtp_server.received) == 2, "a second run for the period sends nothing"
    assert [r.attempts for r in office.runs("digest")] == [1]

    code, out, _err = office.vanthu(
        "schedule", "run", "digest", "--at", "2026-12-04T09:00", "--force", "--json"
    )
    assert code == 0 and '"state": "done"' in out
    smtp_server.wait_for(4)
    assert [r.attempts for r in office.runs("digest")] == [2]


def test_reminders_go_to_the_unit_and_the_clerk(office: Office, smtp_server: Any) -> None:
    register_week(office)
    code, out, err = office.vanthu("schedule", "run", "reminders", "--at", "2026-12-04T08:00")
    assert code == 0, err
    mails = {m.rcpt_tos: m.parsed() for m in smtp_server.wait_for(2)}
    assert set(mails) == {(UNIT_MAIL,), (CLERK,)}
    unit = mails[(UNIT_MAIL,)]
    assert str(unit["Subject"]) == (
        "[vanthu] Nhắc hạn giải quyết văn bản của Văn phòng ngày 04/12/2026"
    )
    text = body(unit)
    assert "V/v việc late" in text and "V/v việc monday" in text  # overdue; due next Monday
    assert "V/v việc today" not in text, "Phòng Nội vụ's entry is not in Văn phòng's mail"
    clerk = body(mails[(CLERK,)])
    assert (
        "Đến hạn giải quyết hôm nay: 1" in clerk
        and "V/v việc today – hạn 04/12/2026 – Phòng Nội vụ" in clerk
    )
    assert "Quá hạn giải quyết: 1" in clerk and "Sắp đến hạn (ngày làm việc tới): 1" in clerk
    for mail in mails.values():
        assert "V/v việc old" not in body(mail) and "V/v việc later" not in body(mail)

    code, _out, err = office.vanthu("schedule", "run", "reminders", "--at", "2026-12-04T16:00")
    assert code == 1 and "reminders for 2026-12-04 was done already" in err
    assert len(smtp_server.received) == 2, "never twice for one entry on one day"
    # Saturday has no reminders of its own: its moment stands for Friday's, done
    code, _out, err = office.vanthu("schedule", "run", "reminders", "--at", "2026-12-05T08:00")
    assert code == 1 and "2026-12-04" in err


def test_a_refused_digest_is_a_failed_run_with_its_error(office: Office, smtp_server: Any) -> None:
    smtp_server.reply_at("RCPT", 550, "5.1.1 No such user")
    code, out, _err = office.vanthu("schedule", "run", "digest", "--at", "2026-12-04T08:00")
    assert code == 1 and "failed" in out and "No such user" in out
    [run] = office.runs("digest")
    assert run.state == "failed" and run.error is not None and "No such user" in run.error
    code, out, _err = office.vanthu("schedule", "list", "--json")
    assert code == 0 and '"state": "failed"' in out


# --- the backup ---------------------------------------------------------------------------------


def test_the_backup_restores(office: Office) -> None:
    register_week(office)
    archive = office.root / "archive"
    data = b"old"  # the original of register_week's entry "old": registered, so backed up
    sha = hashlib.sha256(data).hexdigest()
    (archive / sha[:2]).mkdir(parents=True, exist_ok=True)
    (archive / sha[:2] / f"{sha}.pdf").write_bytes(data)
    stray = hashlib.sha256(b"not registered").hexdigest()  # the register does not know it
    (archive / stray[:2]).mkdir(parents=True, exist_ok=True)
    (archive / stray[:2] / f"{stray}.pdf").write_bytes(b"not registered")

    code, out, err = office.vanthu("schedule", "run", "backup", "--at", "2026-12-06T02:30")
    assert code == 0, err
    folder = office.root / "backups" / "vanthu-2026-12-06"  # the night's backup
    manifest = (folder / "archive-manifest.tsv").read_text(encoding="utf-8").splitlines()
    assert manifest[1:] == [f"{sha}\t{len(data)}\t{sha[:2]}/{sha}.pdf"]
    assert (office.root / "backups" / "archive" / sha[:2] / f"{sha}.pdf").read_bytes() == data
    assert not (office.root / "backups" / "archive" / stray[:2]).exists()
    if make_url(office.db_url).get_backend_name() == "sqlite":
        with sqlite3.connect(folder / "register.db") as copy:
            assert copy.execute("SELECT count(*) FROM register_entries").fetchone()[0] == 9
    else:
        restored = restore_pg(office, folder / "register.dump")
        assert restored == 9


def restore_pg(office: Office, dump: Path) -> int:
    """pg_restore into a new database and count its entries."""
    if shutil.which("pg_restore") is None:
        pytest.skip("pg_restore is not installed (apt-get install postgresql-client)")
    url = make_url(office.db_url)
    target = f"{url.database}_restored"
    engine = make_engine(office.db_url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{target}"')
    engine.dispose()
    conninfo = url.set(drivername="postgresql", database=target).render_as_string()
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={conninfo}", str(dump)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    restored = make_engine(url.set(database=target).render_as_string())
    try:
        with restored.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Entry)).scalar_one())
    finally:
        restored.dispose()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{target}" WITH (FORCE)')
        engine.dispose()


def test_old_nightly_backups_are_pruned_to_keep_daily_and_keep_weekly(office: Office) -> None:
    """Nights 4/12 ... 8/12 (Friday to Tuesday; W49 ends on Sunday 6/12): the newest 2 nights,
    and the newest night of each of the newest 2 weeks."""
    config = office.root / "vanthu.toml"
    text = config.read_text(encoding="utf-8")
    assert "keep_daily = 7" in text and "keep_weekly = 8" in text
    text = text.replace("keep_daily = 7", "keep_daily = 2")
    config.write_text(text.replace("keep_weekly = 8", "keep_weekly = 2"), encoding="utf-8")
    for day in (4, 5, 6, 7, 8):
        code, _out, err = office.vanthu(
            "schedule", "run", "backup", "--at", f"2026-12-{day:02d}T03:00"
        )
        assert code == 0, err
    kept = sorted(p.name for p in (office.root / "backups").glob("vanthu-*"))
    assert kept == ["vanthu-2026-12-06", "vanthu-2026-12-07", "vanthu-2026-12-08"]


def test_old_weekly_backups_are_pruned_to_keep_backups(office: Office) -> None:
    """Weekly backups, and keep_backups: an upgraded office's vanthu.toml means what it did."""
    config = office.root / "vanthu.toml"
    text = config.read_text(encoding="utf-8")
    assert 'backup_every = "day"' in text and "keep_weekly = 8" in text
    text = text.replace('backup_every = "day"', 'backup_every = "week"')
    text = text.replace("keep_weekly = 8", "keep_backups = 2")
    config.write_text(text, encoding="utf-8")
    for day in (6, 13, 20):
        code, _out, err = office.vanthu(
            "schedule", "run", "backup", "--at", f"2026-12-{day:02d}T03:00"
        )
        assert code == 0, err
    kept = sorted(p.name for p in (office.root / "backups").glob("vanthu-*"))
    assert kept == ["vanthu-2026-W50", "vanthu-2026-W51"]
