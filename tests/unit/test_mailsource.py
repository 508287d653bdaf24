"""Pure parts of the mailbox source and wrapper: batching, backoff, TLS and token set-up."""

from __future__ import annotations

import sys

import pytest

from daemon.config import MailboxSettings
from daemon.ingest import mailsource
from daemon.ingest.mailbox import (
    MailboxError,
    MailboxLoginError,
    _run_token_command,
    account_id,
    ssl_context,
)


def test_batches_by_count_and_bytes(monkeypatch):
    monkeypatch.setattr(mailsource, "BATCH_MESSAGES", 3)
    monkeypatch.setattr(mailsource, "BATCH_BYTES", 100)
    sizes = {1: 10, 2: 10, 3: 10, 4: 10, 5: 95, 6: 500, 7: 1}
    got = list(mailsource.batches([1, 2, 3, 4, 5, 6, 7], sizes))
    assert got == [[1, 2, 3], [4], [5], [6], [7]]  # an oversized message still gets a batch
    assert list(mailsource.batches([], {})) == []


def test_backoff_grows_is_capped_and_never_zero():
    for failures in range(1, 40):
        delay = mailsource.backoff_delay(failures)
        ceiling = min(60.0, 2.0 ** (failures - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert mailsource.backoff_delay(1) >= 0.5


def test_pass_results_add_up():
    a = mailsource.MailPassResult(messages=2, staged=1)
    a.add(mailsource.MailPassResult(messages=1, failed=1, uidvalidity_changed=True))
    assert (a.messages, a.staged, a.failed, a.uidvalidity_changed) == (3, 1, 1, True)


def test_token_command(tmp_path):
    assert _run_token_command(f"{sys.executable} -c 'print(\"tok-123\")'", 10) == "tok-123"
    with pytest.raises(MailboxLoginError, match="boom"):
        _run_token_command(f"{sys.executable} -c 'import sys; sys.exit(\"boom\")'", 10)
    with pytest.raises(MailboxLoginError, match="failed"):
        _run_token_command(str(tmp_path / "missing"), 10)
    with pytest.raises(MailboxLoginError, match="failed"):
        _run_token_command(f"{sys.executable} -c ''", 10)  # printed nothing


def test_tls_context_verifies_and_reports_a_bad_ca_file(tmp_path):
    settings = MailboxSettings(host="mail.example.vn", username="u")
    context = ssl_context(settings)
    assert context.check_hostname and context.verify_mode.name == "CERT_REQUIRED"
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(MailboxError, match="ca_file"):
        ssl_context(MailboxSettings(host="h", username="u", ca_file=bad))


def test_account_id():
    assert account_id(MailboxSettings(host="mail.x.vn", port=993, username="vt@x.vn")) == (
        "vt@x.vn@mail.x.vn:993"
    )
