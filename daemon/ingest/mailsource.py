"""The official mailbox as a source: every attachment staged once, then the mail acknowledged.

Per message, in this order (DESIGN principle 1): parse; stage each attachment; record the
message; then mark it \\Seen and move it to the processed folder (or flag it with the failed
keyword and leave it). The folder's last acknowledged UID advances only after that. A crash
anywhere leaves the message in the folder to be seen again: recognised by its place or its
content (daemon.ingest.mailledger), and by the Stager's content hash, it is acknowledged
without being staged twice.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from daemon.config import MailboxSettings, Settings
from daemon.ingest import INCOMING, mailledger
from daemon.ingest.mailbox import (
    FolderInfo,
    Mailbox,
    MailboxCheck,
    MailboxError,
    account_id,
    check_connection,
)
from daemon.ingest.mailledger import Facts, MailLedger, Recorded
from daemon.ingest.mailparse import MailLimits, MalformedMail, ParsedMail, parse_headers
from daemon.ingest.mailparse import parse_message as parse_mail
from daemon.ingest.senders import SenderRules, load_senders
from daemon.logs import event
from daemon.register.models import DELIVERY_REPORT
from daemon.rules import RulesError
from daemon.work.source import Source
from daemon.work.spool import TooLarge
from daemon.work.stage import Stager

log = logging.getLogger("vanthu.mailsource")

MESSAGE_ATTEMPTS = 2  # a message the service died on twice is flagged and left on the server
BATCH_MESSAGES = 25
BATCH_BYTES = 60_000_000
BACKOFF_FIRST, BACKOFF_CAP = 1.0, 60.0


@dataclass
class MailPassResult:
    messages: int = 0  # messages looked at
    staged: int = 0  # new jobs
    duplicates: int = 0  # attachments or messages already staged
    no_documents: int = 0
    failed: int = 0  # flagged and left on the server
    acknowledged: int = 0  # moved or flagged
    uidvalidity_changed: bool = False
    error: str | None = None  # run_once: why the pass stopped early

    def add(self, other: MailPassResult) -> None:
        for name in ("messages", "staged", "duplicates", "no_documents", "failed", "acknowledged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.uidvalidity_changed |= other.uidvalidity_changed


class MailSource(Source):
    name = "mailbox"

    def __init__(
        self,
        settings: MailboxSettings,
        stager: Stager,
        sessions: sessionmaker[Session],
        senders: SenderRules,
        *,
        on_staged: threading.Event | None = None,
    ) -> None:
        self.settings = settings
        self.stager = stager
        self.senders = senders
        self.on_staged = on_staged
        self.limits = MailLimits.from_settings(settings)
        self.account = account_id(settings)
        self.ledger = MailLedger(sessions, self.account, settings.folder)
        self._failures = 0  # consecutive failed connections or passes (for the backoff)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        stager: Stager,
        sessions: sessionmaker[Session],
        *,
        on_staged: threading.Event | None = None,
    ) -> MailSource:
        if settings.mailbox is None:
            raise ValueError("no [mailbox] table: the mailbox source is off")
        return cls(
            settings.mailbox,
            stager,
            sessions,
            load_senders(settings.rules.dir),
            on_staged=on_staged,
        )

    # -- the two ways to run ----------------------------------------------------------------

    def run_once(self) -> MailPassResult:
        """Connect, take everything waiting, disconnect. Mailbox errors are logged and
        returned in `error` so the other sources still run."""
        total = MailPassResult()
        try:
            with self.connect() as box:
                total.add(self.catch_up(box))
        except MailboxError as exc:
            event(log, "mailbox_error", logging.ERROR, stage=exc.stage, error=exc.detail)
            total.error = str(exc)
        return total

    def serve(self, stop: threading.Event) -> None:
        """IDLE (or poll) until `stop` is set; reconnect with backoff after any failure."""
        self._failures = 0
        while not stop.is_set():
            try:
                with self.connect() as box:
                    self._serve(box, stop)
            except MailboxError as exc:
                self._failures += 1
                event(
                    log,
                    "mailbox_error",
                    logging.WARNING,
                    stage=exc.stage,
                    error=exc.detail,
                    failures=self._failures,
                )
            except Exception:  # the register or spool failed: same backoff, never spin
                self._failures += 1
                log.exception("mailbox_pass_failed", extra={"fields": {"failures": self._failures}})
            if self._failures and not stop.is_set():
                stop.wait(backoff_delay(self._failures))
        event(log, "mailbox_stopped")

    def _serve(self, box: Mailbox, stop: threading.Event) -> None:
        """Catch up, wait for news, repeat; a pass that went through resets the backoff."""
        idle = box.has("IDLE")
        if not idle:
            event(log, "mailbox_polling", seconds=self.settings.poll_seconds)
        while not stop.is_set():
            self.catch_up(box)
            self._failures = 0
            if idle:
                box.wait(self.settings.idle_seconds, stop)
            elif stop.wait(self.settings.poll_seconds):
                return

    def connect(self) -> Mailbox:
        box = Mailbox.open(self.settings)
        try:
            box.ensure_folder(self.settings.processed_folder)
        except BaseException:
            box.close()
            raise
        return box

    # -- one pass ---------------------------------------------------------------------------

    def catch_up(self, box: Mailbox) -> MailPassResult:
        """Handle every message above the last acknowledged UID, until none is left."""
        total = MailPassResult()
        while True:
            info = box.select(self.settings.folder)
            last_uid, changed = self.ledger.sync(info.uidvalidity)
            total.uidvalidity_changed |= changed
            uids = box.search_new(last_uid, skip_keyword=self.settings.failed_keyword)
            if not uids:
                return total
            sizes = box.sizes(uids)
            for batch in batches([u for u in uids if u in sizes], sizes):
                total.add(self._batch(box, info, batch, sizes))

    def _batch(
        self, box: Mailbox, info: FolderInfo, uids: list[int], sizes: dict[int, int]
    ) -> MailPassResult:
        result = MailPassResult()
        small = [u for u in uids if sizes[u] <= self.limits.max_message_bytes]
        bodies = box.fetch(small)
        headers = box.fetch_headers([u for u in uids if u not in small])
        outcomes: list[Recorded] = []
        for uid in uids:
            if uid in bodies:
                outcomes.append(self._message(info, uid, bodies[uid], result))
            elif uid in headers:
                reason = (
                    f"message of {sizes[uid] / 1e6:.1f} MB is over the limit of "
                    f"{self.settings.max_message_mb:g} MB"
                )
                outcomes.append(self._failed(info, uid, headers[uid], reason))
        result.messages += len(outcomes)
        self._acknowledge(box, info, outcomes, result)
        if uids:  # vanished messages (expunged meanwhile) are passed over too
            self.ledger.advance(info.uidvalidity, max(uids))
        return result

    def _message(self, info: FolderInfo, uid: int, raw: bytes, result: MailPassResult) -> Recorded:
        known = self.ledger.at_place(info.uidvalidity, uid)
        if known is not None:  # recorded before a crash, not acknowledged: acknowledge now
            return known
        if self.ledger.attempt(info.uidvalidity, uid) > MESSAGE_ATTEMPTS:
            # It was being handled each time the service died: never again. Nothing of it is
            # parsed now, so it cannot stop the source a third time.
            reason = f"the service stopped while handling this message, {MESSAGE_ATTEMPTS} times"
            return self._failed(info, uid, f"unread:{info.uidvalidity}:{uid}".encode(), reason)
        try:
            mail = parse_mail(raw, self.limits)
        except MalformedMail as exc:
            return self._failed(info, uid, raw, exc.reason)
        raw_sha = hashlib.sha256(raw).hexdigest()
        key = mailledger.dedupe_key(mail.message_id, [a.sha256 for a in mail.attachments], raw_sha)
        earlier = self.ledger.seen_content(info.uidvalidity, uid, key)
        if earlier is not None:
            result.duplicates += earlier.state == mailledger.DUPLICATE
            return earlier
        if mail.delivery_report:
            staged, refused = self._stage_report(info, uid, raw, mail, result)
        else:
            staged, refused = self._stage_all(info, uid, mail, result)
        try:
            return self.ledger.record(info.uidvalidity, uid, facts(mail), key, staged, refused)
        except IntegrityError:  # another process recorded it meanwhile: its record stands
            again = self.ledger.at_place(info.uidvalidity, uid)
            if again is None:
                raise
            return again

    def _stage_report(
        self, info: FolderInfo, uid: int, raw: bytes, mail: ParsedMail, result: MailPassResult
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """A bounce of a mail we sent: handed whole to the outgoing wing through the register
        (a `delivery_report` job), never registered as a document."""
        name = f"delivery-report-{uid}.eml"
        provenance = {
            "mailbox": self.account,
            "folder": info.name,
            "uid": uid,
            "uidvalidity": info.uidvalidity,
            "message_id": mail.message_id,
            "from": mail.sender,
        }
        try:
            done = self.stager.stage_bytes(
                raw, name=name, kind=DELIVERY_REPORT, source="mail", provenance=provenance
            )
        except TooLarge as exc:
            return [], [f"{name}: {exc}"]
        result.duplicates += done.duplicate
        result.staged += not done.duplicate
        record = {"name": name, "media_type": "message/rfc822", "job_id": done.job_id}
        return [{**record, "duplicate": done.duplicate}], []

    def _stage_all(
        self, info: FolderInfo, uid: int, mail: ParsedMail, result: MailPassResult
    ) -> tuple[list[dict[str, Any]], list[str]]:
        staged: list[dict[str, Any]] = []
        refused = [f"{r.name}: {r.reason}" for r in mail.rejected]
        allowed = self.senders.is_allowed(mail.sender_address)
        for attachment in mail.attachments:
            provenance = self._provenance(info, uid, mail, allowed, attachment.name)
            try:
                done = self.stager.stage_bytes(
                    attachment.data,
                    name=attachment.name,
                    kind=INCOMING,
                    source="mail",
                    provenance=provenance,
                )
            except TooLarge as exc:
                refused.append(f"{attachment.name}: {exc}")
                continue
            # No hash here: this record and its audit event outlive a secret document,
            # which must leave no trace of its content in the register (set aside later).
            staged.append(
                {
                    "name": attachment.name,
                    "media_type": attachment.media_type,
                    # the job that handles these bytes (an earlier one for a duplicate): if it
                    # turns out secret, every mail that carried it forgets its subject
                    "job_id": done.job_id or done.earlier_job,
                    "duplicate": done.duplicate,
                }
            )
            if done.duplicate:
                result.duplicates += 1
            else:
                result.staged += 1
                if self.on_staged is not None:
                    self.on_staged.set()
        return staged, refused

    def _provenance(
        self, info: FolderInfo, uid: int, mail: ParsedMail, allowed: bool, name: str
    ) -> dict[str, Any]:
        return {
            "mailbox": self.account,
            "folder": info.name,
            "uid": uid,
            "uidvalidity": info.uidvalidity,
            "message_id": mail.message_id,
            "from": mail.sender,
            "from_address": mail.sender_address,
            "date": mail.date.isoformat() if mail.date else None,
            "subject": mail.subject,
            "sender_allowed": allowed,
            "attachment_name": name,
        }

    def _failed(self, info: FolderInfo, uid: int, raw: bytes, reason: str) -> Recorded:
        known = self.ledger.at_place(info.uidvalidity, uid)
        if known is not None:
            return known
        key = mailledger.dedupe_key(None, (), hashlib.sha256(raw).hexdigest())
        earlier = self.ledger.seen_content(info.uidvalidity, uid, key)
        if earlier is not None:
            return earlier
        event(log, "mail_failed", logging.WARNING, uid=uid, reason=reason)
        return self.ledger.record_failure(
            info.uidvalidity, uid, facts(parse_headers(raw)), key, reason
        )

    def _acknowledge(
        self, box: Mailbox, info: FolderInfo, outcomes: Sequence[Recorded], result: MailPassResult
    ) -> None:
        move = [o.uid for o in outcomes if o.state != mailledger.FAILED]
        flag = [o.uid for o in outcomes if o.state == mailledger.FAILED]
        box.mark_seen(move)
        box.move(move, self.settings.processed_folder)
        box.add_keyword(flag, self.settings.failed_keyword)
        self.ledger.acknowledged(outcomes)
        result.acknowledged += len(outcomes)
        result.failed += len(flag)
        result.no_documents += sum(o.state == mailledger.NO_DOCUMENTS for o in outcomes)
        if outcomes:
            event(
                log,
                "mailbox_acknowledged",
                moved=len(move),
                flagged=len(flag),
                uidvalidity=info.uidvalidity,
            )


def facts(mail: ParsedMail) -> Facts:
    return Facts(
        message_id=mail.message_id, sender=mail.sender, sent_at=mail.date, subject=mail.subject
    )


def check_mailbox(settings: Settings) -> MailboxCheck:
    """For `vanthu mailbox check` and `vanthu doctor`: connect, log in, look at the folders
    and capabilities this source needs, and check the sender rules load."""
    if settings.mailbox is None:
        return MailboxCheck(summary="off (no [mailbox] table)", lines=[], problems=[])
    report = check_connection(settings.mailbox)
    try:
        load_senders(settings.rules.dir)
    except RulesError as exc:
        report.problems.append(str(exc))
    return report


def batches(uids: Sequence[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """Consecutive UIDs grouped by count and total size (at least one message per batch)."""
    batch: list[int] = []
    total = 0
    for uid in uids:
        if batch and (len(batch) >= BATCH_MESSAGES or total + sizes[uid] > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += sizes[uid]
    if batch:
        yield batch


def backoff_delay(failures: int) -> float:
    """Exponential from 1 s, capped near a minute, with jitter so many hosts do not align."""
    ceiling = min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** max(0, failures - 1))
    return random.uniform(ceiling / 2, ceiling)
