"""SIGKILL at each step between staging and acknowledging: after a restart every attachment
is staged exactly once and every message is in the processed folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from daemon.ingest import mailledger
from tests.fixtures.dovecot import MailEnv, fake_pdf, make_mail

PROCESSED = "Đã xử lý"
REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

# Where the child dies: after staging a message's attachments but before recording it; after
# recording (and marking \Seen) but before the move; after the move before the last UID moves.
KILL_POINTS = {
    "record": ("daemon.ingest.mailledger", "MailLedger", "record"),
    "move": ("daemon.ingest.mailbox", "Mailbox", "move"),
    "advance": ("daemon.ingest.mailledger", "MailLedger", "advance"),
}


def child() -> None:
    """Run one pass in this process and SIGKILL it at the configured step."""
    import importlib

    from daemon.config import MailboxSettings

    config = json.loads(os.environ["VANTHU_CRASH_TEST"])
    module, cls, method = KILL_POINTS[config.pop("kill_at")]
    root = Path(config.pop("root"))

    def die(*_args: object, **_kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(getattr(importlib.import_module(module), cls), method, die)
    settings = MailboxSettings(
        **{k: Path(v) if k.endswith("file") else v for k, v in config.items()}
    )
    MailEnv(root).source(settings).run_once()
    raise SystemExit("the kill point was never reached")


@pytest.mark.parametrize("kill_at", list(KILL_POINTS))
def test_sigkill_between_staging_and_moving_then_restart(dovecot, tmp_path, kill_at):
    dovecot.append(make_mail("k1"))
    dovecot.append(make_mail("k2", files=[("a.pdf", fake_pdf("k2a")), ("b.pdf", fake_pdf("k2b"))]))
    dovecot.append(make_mail("k3"))
    settings = dovecot.settings()
    config = {
        "kill_at": kill_at,
        "root": str(tmp_path),
        "host": settings.host,
        "port": settings.port,
        "username": settings.username,
        "password_file": str(settings.password_file),
        "ca_file": str(settings.ca_file),
    }
    env = dict(os.environ, VANTHU_CRASH_TEST=json.dumps(config))
    code = "from tests.integration.test_mailbox_crash import child; child()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, timeout=120, capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]

    mail = MailEnv(tmp_path)  # the restarted service: same register, same spool
    try:
        mail.source(settings).run_once()
        jobs = mail.jobs()
        assert len(jobs) == len({j.sha256 for j in jobs}) == 4
        assert dovecot.folder() == {}
        assert len(dovecot.folder(PROCESSED)) == 3
        rows = mail.messages()
        assert len(rows) == 3 and {r.state for r in rows} == {mailledger.PROCESSED}
        assert all(r.acknowledged_at is not None for r in rows)
    finally:
        mail.engine.dispose()
