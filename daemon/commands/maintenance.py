"""`vanthu doctor`, `vanthu verify` and `vanthu mailbox check`."""

from __future__ import annotations

import argparse

from daemon.cli import emit, settings_of


def doctor(args: argparse.Namespace) -> int:
    from daemon.doctor import all_checks

    checks = all_checks(settings_of(args))
    for c in checks:
        text = f"{'ok  ' if c.ok else 'FAIL'}  {c.name:<18} {c.detail}"
        if not c.ok and c.fix:
            text += f"\n      fix: {c.fix}"
        emit(args, {"check": c.name, "ok": c.ok, "detail": c.detail, "fix": c.fix or None}, text)
    failed = [c for c in checks if not c.ok]
    if not args.json:
        print(f"\n{len(failed)} problem(s) found" if failed else "\nall checks passed")
    return 1 if failed else 0


def verify(args: argparse.Namespace) -> int:
    from daemon.archive import Archive
    from daemon.register.db import make_engine, session_factory
    from daemon.verify import problems

    settings = settings_of(args)
    engine = make_engine(settings.database_url())
    try:
        with session_factory(engine)() as session:
            found = problems(session, Archive(settings.paths.archive))
    finally:
        engine.dispose()
    for problem in found:
        emit(args, {"ok": False, "problem": problem}, f"FAIL  {problem}")
    emit(
        args,
        {"ok": not found, "problems": len(found)},
        "verify: archive and audit chain intact"
        if not found
        else f"verify: {len(found)} problem(s)",
    )
    return 1 if found else 0


def mailbox_check(args: argparse.Namespace) -> int:
    from daemon.ingest.mailsource import check_mailbox

    settings = settings_of(args)
    if settings.mailbox is None:
        emit(
            args,
            {"ok": False, "problem": "no [mailbox] table in the configuration"},
            "vanthu: no [mailbox] table in the configuration: the mailbox source is off",
        )
        return 1
    report = check_mailbox(settings)
    emit(
        args,
        {"ok": not report.problems, "summary": report.summary, "problems": report.problems},
        report.text(),
    )
    return 1 if report.problems else 0
