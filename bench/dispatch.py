"""Dispatch benchmark: 500 deliveries by the real service, beside a plain aiosmtplib loop.

Starts the SMTP test server on loopback (tests/fixtures/smtp.py: STARTTLS, AUTH, a throwaway
CA), makes a throwaway office with `vanthu init`, a directory of 100 agencies in one group and
an [smtp] table, starts `vanthu run`, and drops 5 signed outgoing documents whose "Nơi nhận"
names the group: 5 x 100 = 500 deliveries, each checked, registered, and sent as its own
message. Measured: deliveries per second (first to last arrival) and the time from the drop
to the last arrival (staging, reading, signature checks, registering included).

The baseline sends the same 500 messages (the service's own, as the server recorded them) with
one plain loop of `aiosmtplib.send`, one connection per message as the service does, to the same
server. Targets: at least 20 deliveries/s, and within 2x of the plain loop's rate.

    .venv/bin/python -m bench.dispatch [--documents 5] [--agencies 100]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import ssl
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import aiosmtplib

from tests.fixtures.install import Install, stop
from tests.fixtures.outgoing import signed_outgoing, write_directory
from tests.fixtures.pki import build_pki
from tests.fixtures.smtp import Received, SmtpServer, smtp_server_running

TARGET_RATE = 20.0  # deliveries per second
TARGET_RATIO = 2.0  # the service's rate within this factor of the plain loop's
GROUP = "Các cơ quan nhận văn bản thử nghiệm"
WAIT = 900.0  # seconds: give up waiting for the deliveries (not a target)


def progress(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def new_office(root: Path, server: SmtpServer, agencies: int) -> tuple[Install, object]:
    pki = build_pki()
    office = Install.create(root)
    pki.write_roots(office.folder("trust"))
    names = [
        (f"Cơ quan nhận số {i:03d}", f"cq{i:03d}@nhan.example.gov.vn") for i in range(agencies)
    ]
    write_directory(office.folder("rules"), extra=names, groups={GROUP: [n for n, _ in names]})
    with open(office.config, "a", encoding="utf-8") as config:
        config.write("\n" + server.smtp_toml())
    office.set("scanner", "settle_seconds", "0.5")
    return office, pki


def run_service(
    office: Install, server: SmtpServer, pki: object, documents: int, total: int
) -> float:
    """Drop the documents into the running service's outbox; seconds to the last arrival."""
    pdfs = [
        signed_outgoing(pki, n + 1, seed=n, recipients=(GROUP, "Lưu: VT"), kinh_gui=())
        for n in range(documents)
    ]
    proc = office.start()
    try:
        time.sleep(2.0)  # let the service start before the clock does
        started = time.monotonic()
        for n, pdf in enumerate(pdfs):
            (office.folder("outbox") / f"cv{n + 1:02d}.pdf").write_bytes(pdf)
        server.wait_for(total, timeout=WAIT)
        return time.monotonic() - started
    finally:
        stop(proc)


async def plain_loop(server: SmtpServer, messages: Sequence[Received]) -> float:
    """The same messages, one aiosmtplib.send each (a new connection each, as the service)."""
    context = ssl.create_default_context(cafile=str(server.ca_file))
    started = time.monotonic()
    for message in messages:
        await aiosmtplib.send(
            message.raw,
            sender=message.mail_from,
            recipients=list(message.rcpt_tos),
            hostname=server.host,
            port=server.port,
            start_tls=True,
            tls_context=context,
            username=server.username,
            password=server.password,
        )
    return time.monotonic() - started


def report(count: int, drop_to_last: float, first_to_last: float, baseline: float) -> bool:
    service_rate = count / first_to_last
    plain_rate = count / baseline
    ratio = plain_rate / service_rate
    print(f"dispatch bench: {count} deliveries to the loopback server (STARTTLS + AUTH)")
    print(
        f"  vanthu: {service_rate:.1f} deliveries/s (first to last arrival {first_to_last:.1f} s)"
    )
    print(
        f"  vanthu: drop to last delivery {drop_to_last:.1f} s (staging, reading, checks included)"
    )
    print(
        f"  plain aiosmtplib loop, same messages: {plain_rate:.1f} deliveries/s ({baseline:.1f} s)"
    )
    rate_ok, ratio_ok = service_rate >= TARGET_RATE, ratio <= TARGET_RATIO
    print(
        f"{'PASS' if rate_ok else 'MISS'}  rate {service_rate:.1f}/s (target >= {TARGET_RATE:g}/s)"
    )
    verdict = "PASS" if ratio_ok else "MISS"
    print(f"{verdict}  plain loop / vanthu = {ratio:.2f}x (target <= {TARGET_RATIO:g}x)")
    return rate_ok and ratio_ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dispatch", description=__doc__)
    parser.add_argument("--documents", type=int, default=5)
    parser.add_argument("--agencies", type=int, default=100)
    args = parser.parse_args(argv)
    total = args.documents * args.agencies
    root = Path(tempfile.mkdtemp(prefix="vanthu-bench-dispatch-"))
    try:
        with smtp_server_running(root / "smtp") as server:
            office, pki = new_office(root / "office", server, args.agencies)
            progress(f"{args.documents} documents x {args.agencies} agencies = {total} deliveries")
            arrivals: list[float] = []
            watcher = _ArrivalClock(server, arrivals)
            watcher.start()
            drop_to_last = run_service(office, server, pki, args.documents, total)
            watcher.stop()
            first_to_last = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else drop_to_last
            messages = server.received[:total]
            progress("the same messages with a plain aiosmtplib loop")
            baseline = asyncio.run(plain_loop(server, messages))
        return 0 if report(total, drop_to_last, first_to_last, baseline) else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


class _ArrivalClock:
    """Notes when each message arrives (the server keeps no times): a thread that waits on
    the server's own condition for one more message at a time."""

    def __init__(self, server: SmtpServer, arrivals: list[float]) -> None:
        self.server, self.arrivals = server, arrivals
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        seen = 0
        while not self._stop.is_set():
            try:
                now = self.server.wait_for(seen + 1, timeout=0.5)
            except AssertionError:
                continue
            stamp = time.monotonic()
            self.arrivals.extend([stamp] * (len(now) - seen))
            seen = len(now)


if __name__ == "__main__":
    sys.exit(main())
