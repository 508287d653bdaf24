"""Search speed: `vanthu register search` over a register of 100,000 entries with full text.

    .venv/bin/python -m bench.search [--entries 100000] [--quick] [--seed 1] [--rounds 3]
                                     [--only sqlite|postgresql] [--rebuild]

Builds a register of N entries (default 100,000; `--quick`: 10,000) from `tests.docgen`'s
vocabulary: each a document with its number, type, subject, issuer, signer, Nơi nhận and a
body of a few hundred words as the full text, in the sổ đến (4 in 5) or the sổ đi, some
assigned to a unit, some with a ghi chú. Nothing is rendered or read: the rows go in in bulk
through the register's tables (schema by `open_register`, so the migrations' own) and the
index is made with `search.reindex_all`, as the migration's backfill does. The register is a
bench fixture: it has no audit trail and no archive (search reads neither).

The databases are kept under `bench/out/search-*` keyed by size and seed, so a second run
only times: a SQLite file, and a PostgreSQL data directory started again with the test
fixture's `PgServer` (initdb and `postgres` on a Unix socket, fsync off). `--rebuild` drops
them first.

Then 50 fixed queries (with and without diacritics, đ, numbers such as "12/QĐ-UBND", one
word and several, a phrase in quotes, a year filter, some with no hit) go through
`daemon.register.search.find` as the command runs it (a read-only session per query, the
20 best hits loaded with their documents): one untimed pass to warm the caches, then
`--rounds` timed passes. Printed: p50/p95/max per database over every timed query, the hits
per query, how many queries had their ranking bounded (more than search.RANKED documents
matching in their fields), the target (p95 < 50 ms on SQLite) and, where a query's whole
answer fits in the 20 hits, whether both databases found the same entries, each with
PASS/FAIL, and how many queries gave the same 20 in the same order. Progress on
stderr; exit status 0 when both pass. The machine is shared: the load average is printed
beside the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from daemon.register import search
from daemon.register.db import make_engine, session_factory
from daemon.register.migrate import open_register, upgrade
from daemon.register.models import NEEDS_REVIEW, REGISTERED, Counter, Document, Entry
from tests.docgen import vocab
from tests.docgen.agencies import random_agency, signature_lines
from tests.docgen.bodies import Context, make_body
from tests.docgen.random_docs import (
    _date,
    _kinh_gui,
    _number,
    _recipients,
    _subject,
    person_name,
)
from tests.docgen.spec import date_line
from tests.fixtures.postgres import PgServer, _find_bin_dir, _init, _server_user

OUT = Path(__file__).resolve().parent / "out"
TARGET_P95_MS = 50.0  # SQLite, the target
CHUNK = 2_000  # rows per INSERT batch
UNITS = (
    "Văn phòng",
    "Phòng Tổ chức - Hành chính",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Tư pháp",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Giáo dục và Đào tạo",
    "Thanh tra",
)
NOTES = ("Đã báo cáo lãnh đạo", "Chuyển bản chính", "chưa chắc: Trích yếu nội dung")

# 50 queries a clerk might type: (query, book, year). Fixed, so runs compare; the last ones
# should find nothing.
QUERIES: tuple[tuple[str, str | None, int | None], ...] = (
    ("quyet dinh", None, None),
    ("Quyết định", None, None),
    ("ke hoach", None, None),
    ("kế hoạch", "den", None),
    ("cong van", None, None),
    ("dau tu", None, None),
    ("đầu tư", None, None),
    ("dat dai", None, None),
    ("đất đai", None, None),
    ("Đảng", None, None),
    ("so giao duc va dao tao", None, None),
    ("Sở Giáo dục và Đào tạo", "den", None),
    ("chuyen doi so", None, None),
    ("chuyển đổi số", None, 2024),
    ("thu tuc hanh chinh", None, None),
    ("cải cách hành chính", None, None),
    ("phong chong", None, None),
    ("phòng, chống thiên tai", None, None),
    ("ngan sach", None, None),
    ("ngân sách nhà nước", None, None),
    ("UBND", None, None),
    ("ubnd tinh khanh hoa", None, None),
    ("Sở Tài chính", None, None),
    ("so y te", None, None),
    ("Nguyen Van", None, None),
    ("Trần Thị", None, None),
    ("Le", None, None),
    ("12/QĐ-UBND", None, None),
    ("159/KH-UBND", None, None),
    ("30/2020/NĐ-CP", None, None),
    ("QĐ-UBND", None, None),
    ("CV", None, None),
    ("2023", None, None),
    ("khen thuong", None, 2022),
    ("thi đua, khen thưởng", None, None),
    ('"tổng kết năm"', None, None),
    ("bao cao ket qua", None, None),
    ("báo cáo", "di", None),
    ("dong thap", None, None),
    ("moi truong", None, None),
    ("tài nguyên và môi trường", None, None),
    ("Văn phòng", None, None),
    ("phong to chuc hanh chinh", None, None),
    ("nong thon moi", None, None),
    ("xây dựng nông thôn mới", None, 2021),
    ("hop tac xa sao hoa", None, None),
    ("đăng kiểm tàu biển", None, None),
    ("99999/QĐ-XYZ", None, None),
    ("kryptonite", None, None),
    ("Lâm Đồng", None, 2019),
)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the register ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    document: dict[str, Any]
    entry: dict[str, Any]


def fake_document(rng: random.Random, index: int, seed: int) -> dict[str, Any]:
    """The `documents` row of one registered document: docgen's choices (random_spec's,
    without laying it out, which is what takes time there) and its text as it would read."""
    agency = random_agency(rng)
    types = vocab.TYPES_BY_KIND[agency.kind]
    doc_type = rng.choices([t for t, _ in types], [w for _, w in types])[0]
    date = _date(rng, agency.latest)
    topic = rng.choice(vocab.TOPICS)
    subject = _subject(rng, doc_type, topic, agency, date)
    body = make_body(rng, Context(agency, doc_type, topic, subject, date))
    unit = rng.choice(agency.units)
    number = _number(rng, agency, doc_type, date, unit, subject)
    recipients = _recipients(rng, agency, doc_type, unit)
    addressees = _kinh_gui(rng, agency, doc_type)
    signer = person_name(rng)
    paragraphs = body.take(rng.randint(0, len(body.extra) // 2))
    text = "\n".join(
        [
            *agency.parent_lines,
            *agency.issuer_lines,
            f"Số: {number}",
            date_line(agency.place, date),
            doc_type.upper() if doc_type != "Công văn" else f"V/v {subject}",
            subject,
            *(f"Kính gửi: {a}" for a in addressees),
            *(p.text for p in paragraphs),
            *signature_lines(agency, doc_type, rng),
            signer,
            "Nơi nhận:",
            *(f"- {r};" for r in recipients),
        ]
    )
    sha = hashlib.sha256(f"bench-search/{seed}/{index}".encode()).hexdigest()
    return {
        "sha256": sha,
        "original_name": f"{sha[:12]}.pdf",
        "media_type": "application/pdf",
        "size": 40_000 + len(text) * 3,
        "pages": 1 + len(text) // 3000,
        "source": rng.choice(("folder", "mail")),
        "provenance": {},
        "status": NEEDS_REVIEW if rng.random() < 0.05 else REGISTERED,
        "text_source": rng.choice(("text-layer", "ocr")),
        "text": text,
        "confidence": {},
        "created_at": dt.datetime.now(dt.UTC),
        "number": number,
        "doc_date": date,
        "place": agency.place,
        "doc_type": doc_type,
        "subject": subject,
        "issuer": " ".join(agency.issuer_lines),
        "parent_issuer": " ".join(agency.parent_lines) or None,
        "urgency": None,
        "secrecy": None,  # secret documents are never registered
        "recipients": list(recipients),
        "addressees": list(addressees),
        "signer": signer,
    }


def fake_rows(entries: int, seed: int) -> Iterator[Row]:
    """`entries` documents, each with its register entry (numbered per book and year in the
    order they arrived), reproducible for a seed."""
    rng = random.Random(f"bench-search/{seed}")
    arrivals = []
    for i in range(entries):
        document = fake_document(random.Random(rng.getrandbits(64)), i, seed)
        received = dt.datetime.combine(
            document["doc_date"] + dt.timedelta(days=rng.randint(1, 6)),
            dt.time(rng.randint(0, 9), rng.randint(0, 59)),  # 07:00-16:59 in Hà Nội
            dt.UTC,
        )
        arrivals.append((received, "di" if rng.random() < 0.2 else "den", document))
    arrivals.sort(key=lambda a: a[0])
    seqs: dict[tuple[str, int], int] = {}
    for document_id, (received, book, document) in enumerate(arrivals, start=1):
        key = (book, received.year)
        seqs[key] = seqs.get(key, 0) + 1
        assigned = rng.random() < 0.5
        entry = {
            "book": book,
            "year": received.year,
            "seq": seqs[key],
            "document_id": document_id,
            "received_at": received,
            "recipient_unit": rng.choice(UNITS) if assigned else None,
            "transferred_at": received + dt.timedelta(hours=2) if assigned else None,
            "note": rng.choice(NOTES) if rng.random() < 0.1 else None,
            "due_date": received.date() + dt.timedelta(days=7) if book == "den" else None,
            "copies": rng.randint(2, 10) if book == "di" else None,
        }
        yield Row({"id": document_id, **document}, entry)


def build(engine: Engine, entries: int, seed: int) -> None:
    """Fill the empty register at `engine` and index it."""
    started = time.perf_counter()
    counters: dict[tuple[str, int], int] = {}
    batch: list[Row] = []

    def flush() -> None:
        with engine.begin() as conn:
            conn.execute(sa.insert(Document), [r.document for r in batch])
            conn.execute(sa.insert(Entry), [r.entry for r in batch])
        batch.clear()

    for n, row in enumerate(fake_rows(entries, seed), start=1):
        batch.append(row)
        key = (row.entry["book"], row.entry["year"])
        counters[key] = max(counters.get(key, 0), row.entry["seq"])
        if len(batch) == CHUNK:
            flush()
            progress(f"  {n:,}/{entries:,} entries ({time.perf_counter() - started:.0f} s)")
    if batch:
        flush()
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Counter),
            [{"book": b, "year": y, "last_seq": s} for (b, y), s in counters.items()],
        )
    progress(f"  indexing ({time.perf_counter() - started:.0f} s)")
    with engine.begin() as conn:
        indexed = search.reindex_all(conn)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    progress(f"  {indexed:,} documents indexed in {time.perf_counter() - started:.0f} s")


def up_to_date(url: str) -> None:
    """Bring a kept register to this vanthu's schema (a migration may have come since it was
    built, an index the search may use), and refresh the planner's statistics if it moved."""
    engine = make_engine(url)
    try:
        before, after = upgrade(engine)
        if after.current != before.current:
            progress(f"  schema {before.current} -> {after.current}; analysing")
            with engine.connect() as conn:
                if engine.dialect.name == "postgresql":
                    conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


@contextmanager
def sqlite_register(folder: Path, entries: int, seed: int, rebuild: bool) -> Iterator[Engine]:
    path = folder / "register.db"
    done = folder / "complete"
    if rebuild or not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        progress(f"sqlite: building {entries:,} entries in {path}")
        engine = open_register(f"sqlite:///{path}")
        try:
            build(engine, entries, seed)
        finally:
            engine.dispose()
        done.write_text("built\n")
    else:
        progress(f"sqlite: reusing {path}")
        up_to_date(f"sqlite:///{path}")
    engine = open_register(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def pg_register(folder: Path, entries: int, seed: int, rebuild: bool) -> Iterator[Engine]:
    """A PostgreSQL server whose data directory is kept in `folder` (the tests' PgServer),
    its database `vanthu` built once."""
    bin_dir = _find_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    done = folder / "complete"
    fresh = rebuild or not done.exists()
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    server = PgServer(bin_dir=bin_dir, root=folder, user=_server_user())
    if fresh:
        _init(server)  # initdb, then start
        server.create_database("vanthu")
    else:
        server.start()
    try:
        if not fresh:
            up_to_date(server.url("vanthu"))
        engine = open_register(server.url("vanthu"))
        try:
            if fresh:
                progress(f"postgresql: building {entries:,} entries in {folder}")
                build(engine, entries, seed)
                done.write_text("built\n")
            else:
                progress(f"postgresql: reusing {folder}")
            yield engine
        finally:
            engine.dispose()
    finally:
        server.stop()


# --- timing ------------------------------------------------------------------------------


@dataclass
class Timings:
    database: str
    seconds: list[float]
    hits: list[list[int]]  # per query, the entries found (first timed pass)
    bounded: list[bool]  # per query, whether only the latest field matches were ranked

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_queries(engine: Engine, database: str, rounds: int) -> Timings:
    """Each query in a read-only session of its own, as `vanthu register search` runs it."""
    sessions = session_factory(engine, read_only=True)

    def one(query: str, book: str | None, year: int | None) -> search.Found:
        with sessions() as session:
            return search.find(session, query, book=book, year=year, limit=20)

    for query in QUERIES:  # warm-up: caches, prepared plans
        one(*query)
    timings = Timings(database, [], [], [])
    for r in range(rounds):
        progress(f"{database}: round {r + 1}/{rounds}")
        for query in QUERIES:
            started = time.perf_counter()
            found = one(*query)
            timings.seconds.append(time.perf_counter() - started)
            if r == 0:
                timings.hits.append([h.document_id for h in found.hits])
                timings.bounded.append(found.bounded)
    return timings


# --- the report --------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def report(results: list[Timings], entries: int, rounds: int) -> bool:
    print(
        f"search: {entries:,} entries with full text, {len(QUERIES)} queries x {rounds} rounds "
        f"(after one warm-up pass), 20 hits each at most; cores {len(os.sched_getaffinity(0))}, "
        f"load average {os.getloadavg()[0]:.2f} at the end (the machine is shared)"
    )
    ok = True
    for t in results:
        p50, p95 = t.percentile(50) * 1000, t.percentile(95) * 1000
        worst = max(t.seconds) * 1000
        found = sum(1 for h in t.hits if h)
        figures = f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms"
        if t.database == "sqlite":
            good = p95 < TARGET_P95_MS
            ok = ok and good
            print(f"{verdict(good)}  sqlite: {figures} (target p95 < {TARGET_P95_MS:g} ms)")
        else:
            print(f"      {t.database}: {figures} (reported)")
        print(
            f"      {t.database}: {found} of {len(QUERIES)} queries found something; "
            f"{sum(t.bounded)} ranked only the latest {search.RANKED:,} documents matching in "
            "their fields (announced)"
        )
    if len(results) == 2:
        # Where a query's whole answer fits in the 20 hits, both databases must give the same
        # entries. Both rank in Python from the same fields, so the 20 best should agree too,
        # in order; reported beside it.
        pairs = list(zip(*(t.hits for t in results), strict=True))
        whole = [(a, b) for a, b in pairs if len(a) < 20 or len(b) < 20]
        agree = sum(1 for a, b in whole if set(a) == set(b))
        ordered = sum(1 for a, b in pairs if a == b)
        good = agree == len(whole)
        ok = ok and good
        print(
            f"{verdict(good)}  sqlite vs postgresql: {agree} of {len(whole)} queries with fewer "
            f"than 20 hits found the same entries (target: all); {ordered} of {len(QUERIES)} "
            "gave the same 20 in the same order"
        )
    slowest = sorted(
        (
            (s, q[0], t.database)
            for t in results
            for s, q in zip(t.seconds, QUERIES * rounds, strict=True)
        ),
        reverse=True,
    )[:5]
    print("      slowest: " + "; ".join(f"{db} {q!r} {s * 1000:.0f} ms" for s, q, db in slowest))
    for t in results:
        print(f"      hits per query ({t.database}): " + " ".join(str(len(h)) for h in t.hits))
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--entries", type=int, default=100_000, help="register entries (default 100000)"
    )
    parser.add_argument("--quick", action="store_true", help="10,000 entries")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes (default 3)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    args = parser.parse_args(argv)
    entries = 10_000 if args.quick else args.entries
    if entries < 1 or args.rounds < 1:
        parser.error("--entries and --rounds must be 1 or more")
    key = f"{entries}-seed{args.seed}"
    results = []
    if args.only in (None, "sqlite"):
        with sqlite_register(OUT / f"search-sqlite-{key}", entries, args.seed, args.rebuild) as e:
            results.append(time_queries(e, "sqlite", args.rounds))
    if args.only in (None, "postgresql"):
        with pg_register(OUT / f"search-pg-{key}", entries, args.seed, args.rebuild) as e:
            results.append(time_queries(e, "postgresql", args.rounds))
    return 0 if report(results, entries, args.rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
