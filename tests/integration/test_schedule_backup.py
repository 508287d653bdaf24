"""A backup holds the register, not the work in hand: a document being read when the backup is
taken (a secret one, perhaps, not yet set aside) leaves nothing of itself in the copy."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from daemon.ingest.mailledger import MailMessage
from daemon.register import jobs
from daemon.register.db import session_factory
from daemon.register.migrate import open_register
from daemon.register.models import DONE, Job
from daemon.schedule.jobs import backup
from tests.fixtures.postgres import PgServer


def test_the_sqlite_copy_keeps_nothing_of_the_work_in_hand(tmp_path: Path) -> None:
    database = tmp_path / "vanthu.db"
    engine = open_register(f"sqlite:///{database}")
    secret = hashlib.sha256(b"a secret document being read").hexdigest()
    done = hashlib.sha256(b"a document registered").hexdigest()
    subject = "Mật: kế hoạch bảo vệ bí mật nhà nước 2026"
    now = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)
    with session_factory(engine)() as session, session.begin():
        finished = jobs.enqueue(
            session, "ingest", sha256=done, original_name="a.pdf", source="folder", payload={}
        )
        finished.state = DONE
        in_hand = jobs.enqueue(
            session, "ingest", sha256=secret, original_name="b.pdf", source="mail",
            payload={"spool": f"spool/{secret}"},
        )  # fmt: skip
        session.add(
            MailMessage(
                account="vanthu", folder="INBOX", uidvalidity=1, uid=7, message_id="<m@x>",
                dedupe_key="k", sender="ai@example.gov.vn", sent_at=now, subject=subject,
                state="staged", attachments=[{"name": "b.pdf", "job_id": in_hand.id}],
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
    engine.dispose()

    copy = backup.sqlite_copy(database, tmp_path / "register.db")

    content = copy.read_bytes()
    assert secret.encode() not in content and subject.encode() not in content
    copied = open_register(f"sqlite:///{copy}")
    with session_factory(copied)() as session:
        assert session.scalars(select(Job.sha256)).all() == [done]  # the register's work stays
        (mail,) = session.scalars(select(MailMessage)).all()
        assert (mail.uid, mail.subject) == (7, "")  # the mail is known, its subject is not
    copied.dispose()
    with session_factory(open_register(f"sqlite:///{database}"))() as session:
        assert len(session.scalars(select(Job)).all()) == 2, "the live register is untouched"


@pytest.mark.postgres
def test_postgresql_is_dumped_only_with_nothing_in_hand(
    pg_server: PgServer, tmp_path: Path
) -> None:
    url = pg_server.url(pg_server.create_database("vanthu_backup"))
    engine = open_register(url)
    with session_factory(engine)() as session, session.begin():
        job = jobs.enqueue(
            session, "ingest", sha256="ab" * 32, original_name="b.pdf", source="mail", payload={}
        )
        job_id = job.id
    with pytest.raises(backup.BackupError, match="being read"):
        backup.postgres_dump(url, tmp_path / "busy.dump", wait=0)
    assert not (tmp_path / "busy.dump").exists()
    with session_factory(engine)() as session, session.begin():
        session.get_one(Job, job_id).state = DONE
    engine.dispose()
    dumped = backup.postgres_dump(url, tmp_path / "register.dump", wait=0)
    assert dumped.stat().st_size > 0
