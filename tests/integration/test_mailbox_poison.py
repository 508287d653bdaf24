"""One message can never stop the mailbox: a message the service dies on while handling it is,
at the second death, flagged $VanthuFailed and left on the server with its reason; the others
go through. And a header bomb is refused before it is parsed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from daemon.ingest import mailledger
from tests.fixtures.dovecot import MailEnv, make_mail

PROCESSED = "Đã xử lý"
REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def child() -> None:
    """One pass of the mail source that dies (SIGKILL) while parsing the poisoned message."""
    from daemon.config import MailboxSettings
    from daemon.ingest import mailsource

    config = json.loads(os.environ["VANTHU_POISON_TEST"])
    root = Path(config.pop("root"))
    parse = mailsource.parse_mail

    def parse_or_die(raw: bytes, limits: object) -> object:
        if b"POISON" in raw:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does to a process out of memory
        return parse(raw, limits)  # type: ignore[arg-type]

    mailsource.parse_mail = parse_or_die  # type: ignore[assignment]
    settings = MailboxSettings(
        **{k: Path(v) if k.endswith("file") else v for k, v in config.items()}
    )
    MailEnv(root).source(settings).run_once()


def _pass_that_dies(tmp_path: Path, settings: object) -> None:
    config = {
        "root": str(tmp_path),
        "host": settings.host,  # type: ignore[attr-defined]
        "port": settings.port,  # type: ignore[attr-defined]
        "username": settings.username,  # type: ignore[attr-defined]
        "password_file": str(settings.password_file),  # type: ignore[attr-defined]
        "ca_file": str(settings.ca_file),  # type: ignore[attr-defined]
    }
    env = dict(os.environ, VANTHU_POISON_TEST=json.dumps(config))
    code = "from tests.integration.test_mailbox_poison import child; child()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, timeout=120, capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


def test_a_message_the_service_dies_on_twice_is_flagged_and_the_rest_go_through(
    dovecot: object, tmp_path: Path
) -> None:
    dovecot.append(make_mail("good1"))  # type: ignore[attr-defined]
    dovecot.append(make_mail("bad", subject="POISON"))  # type: ignore[attr-defined]
    dovecot.append(make_mail("good2"))  # type: ignore[attr-defined]
    settings = dovecot.settings()  # type: ignore[attr-defined]
    _pass_that_dies(tmp_path, settings)
    _pass_that_dies(tmp_path, settings)  # the same message kills it again after the restart

    mail = MailEnv(tmp_path)
    try:
        mail.source(settings).run_once()  # the third pass does not parse it at all
        rows = {r.uid: r for r in mail.messages()}
        states = sorted(r.state for r in rows.values())
        assert states == [mailledger.FAILED, mailledger.PROCESSED, mailledger.PROCESSED]
        [failed] = [r for r in rows.values() if r.state == mailledger.FAILED]
        assert "stopped while handling this message, 2 times" in (failed.reason or "")
        left = dovecot.folder()  # type: ignore[attr-defined]
        assert list(left) == [failed.uid]
        assert b"$VanthuFailed" in left[failed.uid][0]
        assert len(dovecot.folder(PROCESSED)) == 2  # type: ignore[attr-defined]
        assert len(mail.jobs()) == 2
    finally:
        mail.engine.dispose()


def test_a_header_bomb_is_flagged_without_being_parsed(dovecot: object, tmp_path: Path) -> None:
    bomb = ("=?utf-8?b?xINDw6Ju?= " * 5_000).strip()  # ~100 KB: 0.3 GB to parse, unguarded
    raw = (
        "From: a@x.gov.vn\r\nTo: vanthu@sotc.gov.vn\r\nMessage-ID: <bomb@x>\r\n"
        f"Subject: {bomb}\r\n\r\nhello\r\n"
    ).encode()
    dovecot.append(raw)  # type: ignore[attr-defined]
    dovecot.append(make_mail("after"))  # type: ignore[attr-defined]
    mail = MailEnv(tmp_path)
    try:
        result = mail.source(dovecot.settings()).run_once()  # type: ignore[attr-defined]
        assert result.failed == 1 and result.staged == 1
        [failed] = [r for r in mail.messages() if r.state == mailledger.FAILED]
        assert "encoded words" in (failed.reason or "")
    finally:
        mail.engine.dispose()
