"""The desk under load: the book and the review page with 20 clients while scans are read.

    .venv/bin/python -m bench.web [--entries 50000] [--clients 20] [--think SECONDS]
                                  [--scans 30] [--rounds 2] [--seed 13] [--keep DIR]

Makes an install (`vanthu init` in a temp folder), fills its sổ đến for this year with
`--entries` entries in bulk through the register's tables (fields from `tests/docgen` specs,
a body text each, 2% `needs_review`; no OCR), adds a clerk (`vanthu user add`), starts the
real `vanthu run` with the desk on a free loopback port and logs the clerk in. Then, in
`--rounds` paired rounds (order alternated), it drops `--scans` 300 dpi office scans (TIFF,
mostly one page) from `tests/docgen` into the inbox:

- idle: the desk served nobody while the scans were read;
- loaded: `--clients` threads, each with its own HTTP connection and the clerk's session,
  request in turn the book's first page (/book/den?year=Y), a page deep in the book (OFFSET
  paging: ?page=K) and the review queue (/review), from before the drop until the last scan
  is registered. With `--think 0` (the default) a client sends its next request as soon as
  the last is answered (a closed loop: robots, not clerks); with `--think S` it pauses a
  random time between requests, exponentially distributed with mean S seconds, like a clerk
  reading the page.

Ingestion throughput is the scans dealt with (registered, or set aside when secret) per second
from the drop to the last one (a read-only SQLite connection looks every 50 ms); between
phases the service is let go quiet (no job pending or running, the full-text pass included).
Printed: p50/p95 of each page under load, and scans/s idle vs loaded, each round and the
median round's ratio, beside the issue's targets (p95 < 200 ms; loaded throughput within 10%
of idle); with each phase the machine's load average (/proc/loadavg) at its start and end,
the CPU seconds of the service's own process (the desk, the job loop) and of its reading
processes, and in loaded phases the CPU seconds the bench's client threads used themselves
(they share the machine) and the service's CPU per page served (its own work included).
Figures on stdout, progress on stderr, exit status 0 when every target is met. The machine
is shared: note its load beside any figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from daemon.ocr.model import FIELDS
from daemon.register import clock
from daemon.register.migrate import open_register
from daemon.register.models import (
    NEEDS_REVIEW,
    REGISTERED,
    Counter,
    Document,
    Entry,
    store_fields,
)
from daemon.web.data import PAGE
from tests.docgen.batch import Job, _office, generate
from tests.docgen.random_docs import random_spec
from tests.docgen.spec import DocSpec
from tests.fixtures.install import VANTHU, Install, stop

TARGET_P95_MS = 200.0
TARGET_INGEST_RATIO = 0.90  # loaded pages/s over idle pages/s
SPECS = 400  # distinct documents to draw fields from (a spec takes ~20 ms to make)
PASSWORD = "bench-clerk-pw-9"
PAGES = ("book, first page", "book, deep page", "review queue")


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# --- the register, filled in bulk ---------------------------------------------------------


def this_year() -> int:
    return clock.now().astimezone(dt.timezone(dt.timedelta(hours=7))).year


def fill_register(url: str, entries: int, seed: int, year: int) -> None:
    """`entries` lines of this year's sổ đến, as the service would have left them."""
    rng = random.Random(f"bench-web/{seed}")
    specs = [random_spec(random.Random(rng.getrandbits(64)), pages=1) for _ in range(SPECS)]
    start = dt.datetime(year, 1, 2, 1, 0, tzinfo=dt.UTC)
    span = max((clock.now() - start).total_seconds(), 3600.0)
    engine = open_register(url)
    try:
        with Session(engine) as session, session.begin():
            for first in range(1, entries + 1, 5000):
                last = min(first + 4999, entries)
                docs = [_document(specs[i % SPECS], i, rng) for i in range(first, last + 1)]
                result = session.execute(insert(Document).returning(Document.id), docs)
                ids = list(result.scalars())
                rows = [
                    {
                        "book": "den",
                        "year": year,
                        "seq": seq,
                        "document_id": doc_id,
                        "received_at": start + dt.timedelta(seconds=span * seq / (entries + 1)),
                        "due_date": None,
                    }
                    for seq, doc_id in zip(range(first, last + 1), ids, strict=True)
                ]
                session.execute(insert(Entry), rows)
                progress(f"register: {last}/{entries} entries")
            counter = session.get(Counter, ("den", year))
            if counter is None:
                session.add(Counter(book="den", year=year, last_seq=entries))
            else:
                session.execute(
                    update(Counter)
                    .where(Counter.book == "den", Counter.year == year)
                    .values(last_seq=entries)
                )
    finally:
        engine.dispose()


def _document(spec: DocSpec, index: int, rng: random.Random) -> dict[str, Any]:
    fields = spec.as_fields()
    number, _, sign = (fields.number or "").partition("/")
    fields = replace(fields, number=f"{index % 3000 + 1}/{sign or 'UBND'}")
    holder = Document()
    store_fields(holder, fields)
    row: dict[str, Any] = {info.column: getattr(holder, info.column) for info in FIELDS}
    body = "\n".join(getattr(p, "text", str(p)) for p in spec.body)
    unsure = rng.random() < 0.02
    row.update(
        sha256=hashlib.sha256(f"bench-web/{index}".encode()).hexdigest(),
        original_name=f"scan-{index:06d}.pdf",
        media_type="application/pdf",
        size=180_000 + index % 50_000,
        pages=spec.pages,
        source="folder",
        provenance={},
        status=NEEDS_REVIEW if unsure else REGISTERED,
        text_source="ocr",
        text=body,
        confidence={"subject": 0.42} if unsure else {},
        created_at=clock.now(),
    )
    return row


# --- the scans ----------------------------------------------------------------------------


def build_scans(out: Path, count: int, seed: int) -> list[Path]:
    """300 dpi office scans (TIFF: a long body may run to a second page), cached in `out`."""
    if not (out / "truth.jsonl").exists():
        progress(f"scans: generating {count} into {out}")
        rng = random.Random(f"bench-web-scans/{seed}")
        jobs = []
        for i in range(count):
            spec = replace(random_spec(random.Random(rng.getrandbits(64)), pages=1), seal=True)
            office = replace(_office(rng, whole_batch_turns=False), dpi=300)
            jobs.append(Job(f"w{i + 1:04d}.tif", "scan", "tiff", spec, office))
        generate(jobs, out, workers=2)
    found = sorted(out.glob("w*.tif"))
    if len(found) < count:
        raise SystemExit(f"{out} holds {len(found)} scans, {count} wanted: remove it")
    return found[:count]


# --- the service --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def service(install: Install, base: str) -> Iterator[subprocess.Popen[bytes]]:
    proc = install.start()
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"vanthu run exited {proc.returncode}:\n{install.log_text()}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the desk did not answer:\n{install.log_text()[-3000:]}")
            time.sleep(0.2)
        yield proc
    finally:
        stop(proc)


def login(base: str, name: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/login").text
        match = re.search(r'name="csrf" value="([^"]+)"', form)
        if match is None:
            raise SystemExit("no CSRF token on the login page")
        sent = client.post(
            "/login", data={"name": name, "password": PASSWORD, "csrf": match.group(1)}
        )
        if sent.status_code != 303:
            raise SystemExit(f"login refused: {sent.status_code}")
        return httpx.Cookies(client.cookies)


class Register:
    """Counts in the register and the work queue, read-only, beside the service."""

    def __init__(self, db: Path, entries: int) -> None:
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.entries = entries

    def registered(self) -> int:
        """Scans dealt with: registered, or set aside (a generated document may be marked
        secret, and a secret one is quarantined, not registered), or failed."""
        sql = "SELECT count(*) FROM jobs WHERE kind = 'ingest' AND state NOT IN (?, ?)"
        return int(self.conn.execute(sql, ("pending", "running")).fetchone()[0])

    def busy(self) -> int:
        sql = "SELECT count(*) FROM jobs WHERE state IN ('pending', 'running')"
        return int(self.conn.execute(sql).fetchone()[0])


def quiet(register: Register, proc: subprocess.Popen[bytes], timeout: float = 900) -> None:
    """Wait until the service has nothing in hand (the full-text pass included)."""
    deadline = time.monotonic() + timeout
    while register.busy():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the service did not go quiet")
        time.sleep(0.2)


def ingest(
    install: Install, register: Register, proc: subprocess.Popen[bytes], scans: list[Path]
) -> float:
    """Drop `scans` into the inbox at once; scans registered per second until the last."""
    before = register.registered()
    staging = install.folder("bench-staging")
    staging.mkdir(exist_ok=True)
    for scan in scans:
        shutil.copyfile(scan, staging / scan.name)
    started = time.perf_counter()
    for scan in scans:  # a rename: the scanner sees each file whole
        os.replace(staging / scan.name, install.folder("inbox") / scan.name)
    deadline = time.monotonic() + 60 + 20 * len(scans)
    while register.registered() < before + len(scans):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(
                f"only {register.registered() - before}/{len(scans)} registered:\n"
                f"{install.log_text()[-3000:]}"
            )
        time.sleep(0.05)
    return len(scans) / (time.perf_counter() - started)


# --- the clients --------------------------------------------------------------------------


@dataclass
class Load:
    times: dict[str, list[float]]
    errors: list[str]
    client_cpu: float = 0.0  # CPU seconds of the client threads themselves


@contextmanager
def clients(
    base: str, cookies: httpx.Cookies, n: int, year: int, deep: int, think: float, seed: int
) -> Iterator[Load]:
    """`n` clients requesting the pages in turn until the block ends, each pausing a random
    time of mean `think` seconds between requests (none when 0)."""
    load = Load({page: [] for page in PAGES}, [])
    done = threading.Event()
    lock = threading.Lock()
    paths = {
        PAGES[0]: f"/book/den?year={year}",
        PAGES[1]: f"/book/den?year={year}&page={deep}",
        PAGES[2]: "/review",
    }

    def client(k: int) -> None:
        rng = random.Random(f"bench-web-think/{seed}/{k}")
        with httpx.Client(base_url=base, cookies=httpx.Cookies(cookies), timeout=60) as http:
            turn = k  # the clients start on different pages
            if think > 0:
                done.wait(rng.uniform(0, think))  # not all at once
            while not done.is_set():
                page = PAGES[turn % len(PAGES)]
                turn += 1
                started = time.perf_counter()
                try:
                    got = http.get(paths[page])
                    got.read()
                except httpx.HTTPError as error:
                    with lock:
                        load.errors.append(f"{page}: {error!r}")
                    continue
                seconds = time.perf_counter() - started
                with lock:
                    if got.status_code == 200:
                        load.times[page].append(seconds)
                    else:
                        load.errors.append(f"{page}: HTTP {got.status_code}")
                if think > 0:
                    done.wait(rng.expovariate(1 / think))
        with lock:
            load.client_cpu += time.thread_time()

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(n)]
    for thread in threads:
        thread.start()
    try:
        yield load
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=120)


# --- what the machine did -----------------------------------------------------------------


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds of `pid` itself (utime + stime) and of its children that have ended and
    been waited for (cutime + cstime), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


@dataclass
class Machine:
    """The load average at a phase's start and end, and the CPU seconds used meanwhile by
    the service's own process (its threads: desk, job loop, sources) and by its children
    (the reading processes with their Tesseract runs, the page renderer)."""

    load_start: str = ""
    load_end: str = ""
    service_cpu: float = 0.0
    reading_cpu: float = 0.0


@contextmanager
def watched(pid: int) -> Iterator[Machine]:
    machine = Machine(load_start=loadavg())
    own, ended = _cpu_seconds(pid)
    before = {child: sum(_cpu_seconds(child)) for child in _children(pid)}
    try:
        yield machine
    finally:
        own_after, ended_after = _cpu_seconds(pid)
        after = {child: sum(_cpu_seconds(child)) for child in _children(pid)}
        machine.service_cpu = own_after - own
        # A reading process replaced meanwhile (every 200 tasks) left its whole life's CPU
        # in the service's cutime: count only what it used since the phase began.
        gone = sum(cpu for child, cpu in before.items() if child not in after)
        machine.reading_cpu = (
            sum(cpu - before.get(child, 0.0) for child, cpu in after.items())
            + (ended_after - ended)
            - gone
        )
        machine.load_end = loadavg()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- the run ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client pauses between requests (exponential); 0: no pause",
    )
    parser.add_argument("--scans", type=int, default=30, help="scans dropped per phase")
    parser.add_argument("--rounds", type=int, default=2, help="idle/loaded pairs")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="keep the office here (must not exist)")
    args = parser.parse_args(argv)

    out = Path(__file__).resolve().parent / "out"
    count = 2 * args.rounds * args.scans
    scans = build_scans(out / f"web-scans-{args.seed}-{count}", count, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    root = args.keep or work / "office"
    try:
        return run(args, root, scans)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, root: Path, scans: list[Path]) -> int:
    install = Install.create(root)
    port = free_port()
    install.set("scanner", "settle_seconds", "0.5")
    install.set("schedule", "enabled", "false")
    install.set("web", "enabled", "true")
    install.set("web", "listen", f'"127.0.0.1:{port}"')
    db = root / "var" / "vanthu.db"
    year = this_year()
    progress(f"register: {args.entries} entries into {db}")
    fill_register(f"sqlite:///{db}", args.entries, args.seed, year)
    added = subprocess.run(
        [*VANTHU, "user", "add", "thu", "--role", "clerk"],
        input=PASSWORD + "\n",
        env=install.env(),
        capture_output=True,
        text=True,
        cwd=root,
    )
    if added.returncode != 0:
        raise SystemExit(f"vanthu user add: {added.stderr}")
    base = f"http://127.0.0.1:{port}"
    register = Register(db, args.entries)
    deep = max(1, args.entries // PAGE // 2)  # a page halfway down the year
    rates: list[tuple[float, float]] = []
    loads: list[Load] = []
    phases: list[tuple[str, float, Machine, Load | None]] = []
    with service(install, base) as proc:
        cookies = login(base, "thu")
        progress(f"desk on {base}, clerk logged in; {args.rounds} rounds of {args.scans} scans")
        batches = iter([scans[i : i + args.scans] for i in range(0, len(scans), args.scans)])
        for r in range(args.rounds):
            rate: dict[str, float] = {}
            for phase in ("idle", "loaded") if r % 2 == 0 else ("loaded", "idle"):
                quiet(register, proc)
                batch = next(batches)
                load: Load | None = None
                if phase == "idle":
                    with watched(proc.pid) as machine:
                        rate[phase] = ingest(install, register, proc, batch)
                else:
                    with clients(
                        base, cookies, args.clients, year, deep, args.think, args.seed
                    ) as load:
                        time.sleep(1.0)  # every client under way before the drop
                        with watched(proc.pid) as machine:
                            rate[phase] = ingest(install, register, proc, batch)
                    loads.append(load)
                phases.append((f"round {r + 1} {phase}", rate[phase], machine, load))
                progress(f"round {r + 1}: {phase} {rate[phase]:.2f} scans/s")
            rates.append((rate["idle"], rate["loaded"]))
        quiet(register, proc)
    return report(args, rates, loads, phases)


def report(
    args: argparse.Namespace,
    rates: list[tuple[float, float]],
    loads: list[Load],
    phases: list[tuple[str, float, Machine, Load | None]],
) -> int:
    ok = True
    model = f"think time {args.think:g} s (mean)" if args.think > 0 else "closed loop, no pause"
    print(
        f"The desk: {args.entries} entries in the sổ đến, {args.clients} clients on loopback "
        f"({model}), {args.scans} scans per phase, {args.rounds} rounds; "
        f"load average {loadavg()} on {os.cpu_count()} CPUs"
    )
    for name, rate, machine, load in phases:
        clients_cpu = ""
        if load:
            served = sum(len(times) for times in load.times.values())
            clients_cpu = (
                f", bench clients {load.client_cpu:.1f} s CPU; {served} pages, service "
                f"{1000 * machine.service_cpu / max(served, 1):.2f} ms CPU a page (its work too)"
            )
        print(
            f"  {name:15} {rate:.2f} scans/s  load {machine.load_start} -> {machine.load_end}  "
            f"service {machine.service_cpu:.1f} s CPU, reading {machine.reading_cpu:.1f} s"
            f"{clients_cpu}"
        )
    errors = [e for load in loads for e in load.errors]
    for page in PAGES:
        times = [t * 1000 for load in loads for t in load.times[page]]
        if not times:
            print(f"  {page}: no answer")
            ok = False
            continue
        p95 = percentile(times, 0.95)
        good = p95 < TARGET_P95_MS
        ok &= good
        print(
            f"  {page:18} p50 {percentile(times, 0.5):6.0f} ms  p95 {p95:6.0f} ms  "
            f"max {max(times):6.0f} ms  ({len(times)} requests)  "
            f"target p95 < {TARGET_P95_MS:.0f} ms  {verdict(good)}"
        )
    if errors:
        ok = False
        print(f"  {len(errors)} requests failed, first: {errors[0]}")
    ratios = [loaded / idle for idle, loaded in rates]
    for r, ((idle, loaded), ratio) in enumerate(zip(rates, ratios, strict=True), 1):
        print(f"  round {r}: ingestion idle {idle:.2f} scans/s, loaded {loaded:.2f} ({ratio:.2f}x)")
    median = statistics.median(ratios)
    good = median >= TARGET_INGEST_RATIO
    ok &= good
    print(
        f"  ingestion under load / idle, median round: {median:.2f}x  "
        f"target >= {TARGET_INGEST_RATIO:.2f}x  {verdict(good)}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
