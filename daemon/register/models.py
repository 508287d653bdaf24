"""The register's tables (SQLAlchemy 2.0 typed ORM). Same schema on SQLite and PostgreSQL.

Columns follow Nghị định 30/2020 Phụ lục IV, sổ đăng ký văn bản đến: ngày đến, số đến, tác giả,
số và ký hiệu, ngày tháng văn bản, tên loại và trích yếu, đơn vị hoặc người nhận, ngày chuyển,
ký nhận, ghi chú; plus độ khẩn, độ mật, số trang and a due date.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from daemon.ocr.model import FIELDS, FieldInfo, Fields
from daemon.register import clock

BOOKS = ("den", "di")  # sổ văn bản đến, sổ văn bản đi


class Status(StrEnum):
    """A document's status: what the clerk sees."""

    REGISTERED = "registered"
    NEEDS_REVIEW = "needs_review"  # an unsure field, an odd sender or signature: look at it


class JobState(StrEnum):
    """Where a job of the durable work queue stands."""

    PENDING = "pending"  # waiting to be claimed (from `not_before` on)
    RUNNING = "running"  # claimed by a worker under a lease
    DONE = "done"
    FAILED = "failed"  # could not be done; a staged file waits in failed/ with its reason
    SET_ASIDE = "set_aside"  # secret or complaint letter: in quarantine/, content not kept
    DUPLICATE = "duplicate"  # same bytes as work already done


REGISTERED, NEEDS_REVIEW = Status.REGISTERED, Status.NEEDS_REVIEW
PENDING, RUNNING, DONE = JobState.PENDING, JobState.RUNNING, JobState.DONE
FAILED, SET_ASIDE, DUPLICATE = JobState.FAILED, JobState.SET_ASIDE, JobState.DUPLICATE
ACTIVE_STATES = (PENDING, RUNNING)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in, aware UTC out, on both backends (SQLite would hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else clock.to_db(value)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        return None if value is None else clock.from_db(value)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, dt.datetime: UTCDateTime}


def _field_column(info: FieldInfo) -> Any:
    if info.kind == "list":
        return mapped_column(info.column, JSON, default=list, nullable=False)
    kind = Date() if info.kind == "date" else String(info.length) if info.length else Text()
    return mapped_column(info.column, kind, nullable=True)


class _FieldColumns:
    """One column per extracted field, as `daemon.ocr.model.Fields` describes them. Read and
    write them through `document_fields` and `store_fields`."""


for _info in FIELDS:
    setattr(_FieldColumns, _info.column, _field_column(_info))


class Document(_FieldColumns, Base):
    """One original, stored once in the archive under its SHA-256, with the fields read."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    pages: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # folder | mail | cli | outbox
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)  # mailbox, UID, From...
    status: Mapped[str] = mapped_column(String(20), default=REGISTERED)
    text_source: Mapped[str] = mapped_column(String(20))  # text-layer | ocr
    text: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[dict[str, Any]] = mapped_column(default=dict)  # per field, 0..1
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    entries: Mapped[list[Entry]] = relationship(back_populates="document")

    __table_args__ = (Index("ix_documents_status", "status"),)


def document_fields(document: Document) -> Fields:
    """The fields stored on `document`, as reading gave them."""
    values: dict[str, Any] = {}
    for info in FIELDS:
        value = getattr(document, info.column)
        values[info.name] = tuple(value or ()) if info.kind == "list" else value
    return Fields(**values, confidence=dict(document.confidence or {}))


def store_fields(document: Document, fields: Fields) -> None:
    """Put `fields` into `document`'s columns (NFC, no NUL, cut to each column's length)."""
    for info in FIELDS:
        value = getattr(fields, info.name)
        if info.kind == "list":
            value = [clean_text(v) for v in value]
        elif isinstance(value, str):
            value = fit(clean_text(value), info.length)
        setattr(document, info.column, value)
    document.confidence = {k: float(v) for k, v in fields.confidence.items()}


def clean_text(value: str) -> str:
    """NFC, without NUL characters (PostgreSQL text cannot hold them; PDFs sometimes do)."""
    return unicodedata.normalize("NFC", value).replace("\x00", "")


def fit(value: str, limit: int | None) -> str:
    """`value` cut to `limit` characters: a misread field must not stop a registration
    (PostgreSQL refuses over-long varchar; SQLite would keep it)."""
    return value if not limit or len(value) <= limit else value[: limit - 1] + "…"


class Entry(Base):
    """One line of a register book: the số đến (or số đi) given to a document."""

    __tablename__ = "register_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    book: Mapped[str] = mapped_column(String(3))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)  # số đến / số đi
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # ngày đến
    recipient_unit: Mapped[str | None] = mapped_column(String(300))  # đơn vị hoặc người nhận
    transferred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # ngày chuyển
    receipt_signature: Mapped[str | None] = mapped_column(String(200))  # ký nhận
    note: Mapped[str | None] = mapped_column(Text)  # ghi chú
    due_date: Mapped[dt.date | None] = mapped_column(Date)  # hạn giải quyết
    copies: Mapped[int | None] = mapped_column(Integer)  # số lượng bản (sổ đi)
    assignee: Mapped[str | None] = mapped_column(String(300))  # the person, beside the unit
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # when counted in hours
    due_basis: Mapped[str | None] = mapped_column(String(20))  # rule | document | urgency
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # handled
    closing_note: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="entries")

    __table_args__ = (
        UniqueConstraint("book", "year", "seq", name="uq_entry_number"),
        UniqueConstraint("book", "document_id", name="uq_entry_document"),
        CheckConstraint("book IN ('den', 'di')", name="ck_entry_book"),
        CheckConstraint("seq >= 1", name="ck_entry_seq"),
        # The review queue and an entry's document join from documents to their entries.
        Index("ix_register_entries_document_id", "document_id"),
    )


class Counter(Base):
    """The last number given per book and year; bumped in the registering transaction."""

    __tablename__ = "counters"

    book: Mapped[str] = mapped_column(String(3), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Job(Base):
    """A unit of durable work: staged bytes waiting to be read and registered, and the like."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # ingest | ...
    state: Mapped[str] = mapped_column(String(20), default=PENDING)
    sha256: Mapped[str | None] = mapped_column(String(64))  # None once set aside (secret)
    original_name: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)  # provenance, paths
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # times the service stopped with this job in hand (those attempts are given back)
    interruptions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    not_before: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # Seconds the analysis of the attempt that ended it took (reading a document, sending a
    # mail), from the job loop's clock: /metrics sums the reading ones (OCR seconds).
    analysis_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s.value}'" for s in JobState) + ")", name="ck_job_state"
        ),
        Index("ix_jobs_ready", "state", "not_before", "id"),
        Index("ix_jobs_sha", "sha256"),
        # One job of a kind in flight per content: two processes staging one file race here.
        Index(
            "uq_jobs_active_sha",
            "kind",
            "sha256",
            unique=True,
            sqlite_where=text("state IN ('pending', 'running')"),
            postgresql_where=text("state IN ('pending', 'running')"),
        ),
    )


class SignatureCheck(Base):
    """One embedded digital signature of a registered document, as checked on arrival."""

    __tablename__ = "signature_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    field_name: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(20))  # valid | untrusted | invalid | modified
    signer_name: Mapped[str | None] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    signing_time: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    coverage: Mapped[str | None] = mapped_column(String(40))
    modification_level: Mapped[str | None] = mapped_column(String(40))
    problem: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(String(300))
    certificate_sha256: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DeliveryStatus(StrEnum):
    """Where one outgoing document stands with one recipient agency."""

    QUEUED = "queued"  # waiting to be sent (or for [smtp] to be configured)
    SENDING = "sending"  # handed to the mail server: written before any network traffic
    SENT = "sent"  # the server took it (250 after DATA): its reply and queue id are kept
    DEFERRED = "deferred"  # a transient failure: tried again at next_attempt_at
    UNCERTAIN = "uncertain"  # the connection dropped after DATA: the clerk decides
    BOUNCED = "bounced"  # a delivery status notification came back
    FAILED = "failed"  # refused for good (5xx), or retried until the retry period ran out
    EOFFICE = "eoffice"  # the agency receives it on the shared e-office system: no email
    HELD = "held"  # the document needs review before anything is sent


#: The job kind of a delivery status notification the mailbox saw: the mailbox stages it,
#: the outgoing wing matches it to its delivery. The register is where the two wings meet.
DELIVERY_REPORT = "delivery_report"


class Delivery(Base):
    """One outgoing document to one recipient agency: every attempt accounted for."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(300))  # the agency, as the directory names it
    line: Mapped[str] = mapped_column(Text, default="")  # the Nơi nhận line it was read from
    email: Mapped[str | None] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)  # fixed before sending
    reply: Mapped[str | None] = mapped_column(Text)  # the server's last reply
    queue_id: Mapped[str | None] = mapped_column(String(100))  # "queued as ..." when given
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("document_id", "recipient", name="uq_delivery_recipient"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s.value}'" for s in DeliveryStatus) + ")",
            name="ck_delivery_status",
        ),
        Index("ix_deliveries_status", "status"),
    )


class AuditEvent(Base):
    """Append-only, hash-chained record of every state change (never updated, never deleted)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))  # host:pid of the process, or the CLI user
    event: Mapped[str] = mapped_column(String(50))  # staged, registered, failed, set_aside, ...
    subject: Mapped[str] = mapped_column(String(200))  # e.g. "den/2026/17" or "job/5"
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row holding the chain's last hash: updating it serialises appends across processes."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    """An account of the clerk's desk (daemon/register/users.py): never deleted, only disabled."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(10))  # admin | clerk | leader
    password_hash: Mapped[str] = mapped_column(String(300))  # scrypt$N$r$p$salt$hash
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # sessions before it are void

    __table_args__ = (CheckConstraint("role IN ('admin', 'clerk', 'leader')", name="ck_user_role"),)


class LoginFailure(Base):
    """A failed login, kept for the rate limit's window (per account and per address)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_login_failures_name", "name", "at"),
        Index("ix_login_failures_address", "address", "at"),
    )


class RunState(StrEnum):
    """Where one scheduled run (a job for one period) stands in the run ledger."""

    RUNNING = "running"  # claimed: being done (or its process died: re-claimed after a lease)
    DONE = "done"
    FAILED = "failed"  # the error is kept; `vanthu schedule run JOB --force` runs it again


class ScheduleRun(Base):
    """The run ledger (daemon/schedule/ledger.py): one row per job and period ("digest",
    "2026-12-04"). Its unique key is the claim: whoever inserts the row does the run, so a
    period is done once across every `vanthu run` process sharing the database."""

    __tablename__ = "schedule_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(40))  # 2026-12-04, 2026-W49, 2026-11
    slot_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the moment it was due
    state: Mapped[str] = mapped_column(String(10))
    claimed_by: Mapped[str] = mapped_column(String(200))  # host:pid, or cli:user
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)  # what it did, one line

    __table_args__ = (
        UniqueConstraint("job", "period", name="uq_schedule_run"),
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s.value}'" for s in RunState) + ")",
            name="ck_schedule_run_state",
        ),
    )


__all__ = [
    "Base",
    "Document",
    "Entry",
    "Counter",
    "Job",
    "SignatureCheck",
    "Delivery",
    "AuditEvent",
    "AuditHead",
    "User",
    "LoginFailure",
    "ScheduleRun",
]
