"""What the mailbox source remembers: per folder the UIDVALIDITY and last UID acknowledged, per
message what became of it. The tables live in the register's database (and its migrations),
but are the mailbox's own: the register knows nothing of them.

A message is known two ways. By its place, (account, folder, uidvalidity, uid): a message seen
again at the same place (a crash before it was moved) is acknowledged, not restaged. By its
content, `dedupe_key` = SHA-256 of Message-ID and the attachment hashes: the same message at a
new place (a second copy, or every message after a UIDVALIDITY change) is acknowledged as a
duplicate of the first. Both keys are unique, so each message is recorded once however often
the server shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from daemon.register import audit, clock
from daemon.register.models import Base, UTCDateTime

# Message states.
STAGED = "staged"  # every attachment staged; not yet acknowledged on the server
PROCESSED = "processed"  # staged and moved to the processed folder
NO_DOCUMENTS = "no_documents"  # nothing to register; moved
FAILED = "failed"  # cannot be parsed or an attachment was refused; flagged, left on the server
DUPLICATE = "duplicate"  # the same message (Message-ID + attachments) was recorded before; moved
# (a copy of a FAILED message is FAILED too, with `duplicate_of` set, and flagged)
STATES = (STAGED, PROCESSED, NO_DOCUMENTS, FAILED, DUPLICATE)


class MailFolder(Base):
    """Per (account, folder): the UIDVALIDITY seen and the last UID acknowledged in it."""

    __tablename__ = "mail_folders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(300))  # "user@host:port"
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("account", "folder", name="uq_mail_folder"),)


class MailMessage(Base):
    """One message fetched from the mailbox and what became of it."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(300))
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str | None] = mapped_column(String(998))
    dedupe_key: Mapped[str | None] = mapped_column(String(64))  # None on a duplicate's row
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id"))
    sender: Mapped[str] = mapped_column(String(500), default="")  # From
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # Date
    subject: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    # [{"name", "media_type", "job_id", "duplicate"}] for each staged attachment (no hash:
    # the attachment may turn out to be a secret document, which leaves no trace of itself)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("account", "folder", "uidvalidity", "uid", name="uq_mail_place"),
        UniqueConstraint("account", "dedupe_key", name="uq_mail_content"),
        Index("ix_mail_messages_state", "state"),
    )


class MailAttempt(Base):
    """A message being handled now: written before it is parsed, removed once it is recorded.
    One still here at the next pass was being handled when the service died."""

    __tablename__ = "mail_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(300))
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("account", "folder", "uidvalidity", "uid", name="uq_mail_attempt"),
    )


def dedupe_key(message_id: str | None, attachment_shas: Iterable[str], raw_sha256: str) -> str:
    """The content key of a message: its Message-ID and attachment hashes, or, without a
    Message-ID (nothing then says two copies are one message), the hash of its bytes."""
    if message_id:
        text = "mid:" + message_id + "\n" + "\n".join(sorted(attachment_shas))
    else:
        text = "raw:" + raw_sha256
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Facts:
    """What a message says about itself, as recorded."""

    message_id: str | None = None
    sender: str = ""
    sent_at: dt.datetime | None = None
    subject: str = ""


@dataclass(frozen=True)
class Recorded:
    """Where a message stands: `state` FAILED means flag it, anything else means move it."""

    uid: int
    row_id: int
    state: str


class MailLedger:
    """The register side of one (account, folder): short transactions, audit events last."""

    def __init__(self, sessions: sessionmaker[Session], account: str, folder: str) -> None:
        self.sessions = sessions
        self.account = account
        self.folder = folder

    def sync(self, uidvalidity: int) -> tuple[int, bool]:
        """The last UID acknowledged, and whether UIDVALIDITY changed (then it restarts at 0:
        every message is looked at again and recognised by its content)."""
        with self.sessions.begin() as session:
            row = self._folder_row(session)
            if row is None:
                session.add(
                    MailFolder(
                        account=self.account,
                        folder=self.folder,
                        uidvalidity=uidvalidity,
                        last_uid=0,
                        updated_at=clock.now(),
                    )
                )
                return 0, False
            if row.uidvalidity == uidvalidity:
                return row.last_uid, False
            old = row.uidvalidity
            row.uidvalidity, row.last_uid, row.updated_at = uidvalidity, 0, clock.now()
            audit.append(
                session,
                "mail_uidvalidity_changed",
                f"mailbox/{row.id}",
                {"account": self.account, "folder": self.folder, "old": old, "new": uidvalidity},
            )
            return 0, True

    def advance(self, uidvalidity: int, uid: int) -> None:
        """Every message up to `uid` is acknowledged (never moves back, nor across a change)."""
        with self.sessions.begin() as session:
            row = self._folder_row(session)
            if row is not None and row.uidvalidity == uidvalidity and uid > row.last_uid:
                row.last_uid, row.updated_at = uid, clock.now()

    def at_place(self, uidvalidity: int, uid: int) -> Recorded | None:
        with self.sessions.begin() as session:
            row = session.scalar(
                select(MailMessage).where(
                    MailMessage.account == self.account,
                    MailMessage.folder == self.folder,
                    MailMessage.uidvalidity == uidvalidity,
                    MailMessage.uid == uid,
                )
            )
            return None if row is None else Recorded(uid, row.id, row.state)

    def attempt(self, uidvalidity: int, uid: int) -> int:
        """Note that the message at this place is being handled; how many times it has been,
        this one included (more than once: the service died while handling it before)."""
        with self.sessions.begin() as session:
            row = session.scalar(self._attempt_query(uidvalidity, uid))
            if row is None:
                row = MailAttempt(
                    account=self.account,
                    folder=self.folder,
                    uidvalidity=uidvalidity,
                    uid=uid,
                    attempts=0,
                    started_at=clock.now(),
                )
                session.add(row)
            row.attempts += 1
            return row.attempts

    def _attempt_query(self, uidvalidity: int, uid: int) -> Any:
        return select(MailAttempt).where(
            MailAttempt.account == self.account,
            MailAttempt.folder == self.folder,
            MailAttempt.uidvalidity == uidvalidity,
            MailAttempt.uid == uid,
        )

    def _done(self, session: Session, uidvalidity: int, uid: int) -> None:
        """The message is recorded: its attempt is over (in the recording transaction)."""
        for row in session.scalars(self._attempt_query(uidvalidity, uid)):
            session.delete(row)

    def seen_content(self, uidvalidity: int, uid: int, key: str) -> Recorded | None:
        """The same content recorded before. Renumbered by a UIDVALIDITY change and not yet
        moved (or flagged, and so still here): the record follows it to its new place.
        Otherwise this is a second copy, recorded as such; a copy of a failed message is
        flagged like the first, since the document in it was not taken either."""
        with self.sessions.begin() as session:
            first = session.scalar(
                select(MailMessage).where(
                    MailMessage.account == self.account, MailMessage.dedupe_key == key
                )
            )
            if first is None:
                return None
            renumbered = first.folder == self.folder and first.uidvalidity != uidvalidity
            self._done(session, uidvalidity, uid)
            if renumbered and (first.acknowledged_at is None or first.state == FAILED):
                first.uidvalidity, first.uid, first.updated_at = uidvalidity, uid, clock.now()
                return Recorded(uid, first.id, first.state)
            state = FAILED if first.state == FAILED else DUPLICATE
            reason = f"same message as mail/{first.id}"
            if first.reason:
                reason = f"{first.reason} ({reason})"
            now = clock.now()
            copy = MailMessage(
                account=self.account,
                folder=self.folder,
                uidvalidity=uidvalidity,
                uid=uid,
                message_id=first.message_id,
                dedupe_key=None,
                duplicate_of=first.id,
                sender=first.sender,
                sent_at=first.sent_at,
                subject=first.subject,
                state=state,
                reason=reason,
                attachments=[],
                created_at=now,
                updated_at=now,
            )
            session.add(copy)
            session.flush()
            audit.append(
                session,
                "mail_duplicate",
                f"mail/{copy.id}",
                {"first": first.id, "uid": uid, "message_id": first.message_id, "state": state},
            )
            return Recorded(uid, copy.id, state)

    def record(
        self,
        uidvalidity: int,
        uid: int,
        facts: Facts,
        key: str,
        attachments: list[dict[str, Any]],
        refused: list[str],
    ) -> Recorded:
        """A parsed message whose attachments are staged. Refused attachments make it FAILED
        (flagged for the clerk) even though the others were staged."""
        reason: str | None = "; ".join(refused) or None
        state = FAILED if refused else STAGED if attachments else NO_DOCUMENTS
        return self._insert(uidvalidity, uid, facts, key, state, reason, attachments)

    def record_failure(
        self, uidvalidity: int, uid: int, facts: Facts, key: str, reason: str
    ) -> Recorded:
        return self._insert(uidvalidity, uid, facts, key, FAILED, reason, [])

    def acknowledged(self, outcomes: Iterable[Recorded]) -> None:
        """The server has moved or flagged these messages."""
        ids = [o.row_id for o in outcomes]
        if not ids:
            return
        with self.sessions.begin() as session:
            now = clock.now()
            for row in session.scalars(select(MailMessage).where(MailMessage.id.in_(ids))):
                row.acknowledged_at, row.updated_at = now, now
                if row.state == STAGED:
                    row.state = PROCESSED

    def _insert(
        self,
        uidvalidity: int,
        uid: int,
        facts: Facts,
        key: str,
        state: str,
        reason: str | None,
        attachments: list[dict[str, Any]],
    ) -> Recorded:
        with self.sessions.begin() as session:
            now = clock.now()
            row = MailMessage(
                account=self.account,
                folder=self.folder,
                uidvalidity=uidvalidity,
                uid=uid,
                message_id=_clip(facts.message_id, 998),
                dedupe_key=key,
                sender=_clip(facts.sender, 500) or "",
                sent_at=clock.to_db(facts.sent_at) if facts.sent_at else None,
                subject=facts.subject,
                state=state,
                reason=reason,
                attachments=attachments,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            self._done(session, uidvalidity, uid)
            session.flush()
            name = "mail_failed" if state == FAILED else "mail_received"
            audit.append(
                session,
                name,
                f"mail/{row.id}",
                {
                    "account": self.account,
                    "folder": self.folder,
                    "uid": uid,
                    "uidvalidity": uidvalidity,
                    "message_id": facts.message_id,
                    "from": facts.sender,
                    # No subject: it may speak of a secret attachment, and this log is forever.
                    "state": state,
                    "reason": reason,
                    "attachments": attachments,
                },
            )
            return Recorded(uid, row.id, state)

    def _folder_row(self, session: Session) -> MailFolder | None:
        return session.scalar(
            select(MailFolder).where(
                MailFolder.account == self.account, MailFolder.folder == self.folder
            )
        )


def forget_subjects(
    session: Session, job_id: int, since: dt.datetime, provenance: dict[str, Any]
) -> None:
    """Blank the stored subject of every mail that carried the set-aside (secret) document
    of job `job_id`: the one it was staged from, and any copy that came after it."""
    forget_subject(session, provenance)
    later = select(MailMessage).where(MailMessage.created_at >= clock.to_db(since))
    for row in session.scalars(later):
        if any(item.get("job_id") == job_id for item in row.attachments or []):
            row.subject = ""


def forget_subject(session: Session, provenance: dict[str, Any]) -> None:
    """Blank the stored subject of the mail that carried a set-aside (secret) document."""
    keys = ("mailbox", "folder", "uidvalidity", "uid")
    if not all(provenance.get(k) is not None for k in keys):
        return
    for row in session.scalars(
        select(MailMessage).where(
            MailMessage.account == provenance["mailbox"],
            MailMessage.folder == provenance["folder"],
            MailMessage.uidvalidity == provenance["uidvalidity"],
            MailMessage.uid == provenance["uid"],
        )
    ):
        row.subject = ""


def _clip(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else text


__all__ = [
    "MailFolder",
    "MailMessage",
    "MailAttempt",
    "MailLedger",
    "Facts",
    "Recorded",
    "dedupe_key",
    "STATES",
    "STAGED",
    "PROCESSED",
    "NO_DOCUMENTS",
    "FAILED",
    "DUPLICATE",
]
