"""`vanthu init` and `vanthu run`."""

from __future__ import annotations

import argparse
import logging
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from daemon.cli import settings_of
from daemon.config import load

TEMPLATE = Path(__file__).resolve().parent.parent / "template.toml"


def init(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from daemon.install import lay_out
    from daemon.register import migrate
    from daemon.register.db import make_engine
    from daemon.rules import shipped_rules_dir

    target: Path = args.dir.expanduser().resolve()
    config = target / "vanthu.toml"
    if config.exists() and not args.force:
        print(f"vanthu: {config} already exists (use --force to overwrite)", file=sys.stderr)
        return 2
    target.mkdir(parents=True, exist_ok=True)
    config.write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    settings = load(config)
    paths = settings.paths
    lay_out(settings)
    rules = settings.rules.dir
    if not rules.exists():
        shutil.copytree(shipped_rules_dir(), rules)
    engine = make_engine(settings.database_url())
    migrate.upgrade(engine)
    engine.dispose()
    print(f"vanthu: created {config}")
    print(f"  drop scans into:   {paths.inbox}")
    print(f"  register database: {make_url(settings.database_url()).render_as_string()}")
    print(f"  office rules:      {rules}")
    print(f"start it with:       vanthu run --config {config}")
    return 0


def run(args: argparse.Namespace) -> int:
    stop, wake = threading.Event(), threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("vanthu.service").info(
            "stopping", extra={"fields": {"signal": signal.Signals(signum).name}}
        )
        stop.set()
        wake.set()

    # First thing: a SIGTERM while the service is still starting must also stop it cleanly.
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    from daemon.doctor import startup_problems
    from daemon.service import run_service

    settings = settings_of(args)
    problems = startup_problems(settings)
    if problems:
        for problem in problems:
            print(f"vanthu: cannot start: {problem}", file=sys.stderr)
        return 1
    return run_service(settings, once=args.once, stop=stop, wake=wake)
