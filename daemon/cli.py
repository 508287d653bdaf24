"""The `vanthu` command line. Every command takes --config FILE (or $VANTHU_CONFIG)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from daemon import __version__
from daemon.config import CONFIG_ENV, ConfigError, Settings, find_config, load

Handler = Callable[[argparse.Namespace], int]

EPILOG = f"""\
configuration: --config FILE, else ${CONFIG_ENV}, else ./vanthu.toml
               (make one with `vanthu init DIR`).
exit status:   0 ok, 1 a problem was found or a file could not be handled,
               2 usage or configuration error.
"""


def settings_of(args: argparse.Namespace) -> Settings:
    return load(find_config(args.config))


def emit(args: argparse.Namespace, obj: dict[str, Any], text: str) -> None:
    """One JSON object per line with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)
    else:
        print(text, flush=True)


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help=f"vanthu.toml to use (default: ${CONFIG_ENV})")


def _add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object per line")


def _command(
    parent: Any, name: str, handler: Handler, help_: str, *, json_: bool = False
) -> argparse.ArgumentParser:
    """A subcommand with --config (and --json), its help and its handler."""
    p: argparse.ArgumentParser = parent.add_parser(
        name,
        help=help_,
        description=help_,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_config(p)
    if json_:
        _add_json(p)
    p.set_defaults(handler=handler)
    return p


def _group(sub: Any, name: str, help_: str) -> Any:
    parser = sub.add_parser(name, help=help_, description=help_)
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


def _documents(sub: Any) -> None:
    from daemon.commands import documents, setup

    p = _command(sub, "init", setup.init, "create DIR/vanthu.toml, the folders and the database")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--force", action="store_true", help="overwrite an existing vanthu.toml")
    p = _command(sub, "run", setup.run, "run the service (scanner folder, mailbox, worker)")
    p.add_argument(
        "--once",
        action="store_true",
        help="process everything pending in every source, then exit 0",
    )
    p = _command(
        sub,
        "extract",
        documents.extract,
        "read FILEs and print their fields without registering them",
        json_=True,
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p = _command(
        sub, "ingest", documents.ingest, "register FILEs now and print the số đến given", json_=True
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--not-secret",
        action="store_true",
        help="you have looked: no secrecy mark (registers a document held as unsure)",
    )


def _register(sub: Any) -> None:
    from daemon.commands import follow_cmds, search_cmds
    from daemon.commands import register_cmds as cmds

    reg = _group(sub, "register", "list, show and export the register books")
    p = _command(reg, "list", cmds.list_, "list register entries", json_=True)
    cmds.add_filters(p)
    p.add_argument("--status", choices=["registered", "needs_review"], help="only this status")
    p = _command(reg, "show", cmds.show, "show one entry with all its fields", json_=True)
    p.add_argument("seq", type=int, metavar="N", help="the số đến (or số đi with --book di)")
    cmds.add_filters(p)
    p = _command(reg, "export", cmds.export, "export a book with the ND30 headings")
    p.add_argument("--format", choices=["csv", "xlsx"], required=True)
    cmds.add_filters(p)
    p.add_argument("--out", type=Path, metavar="FILE", help="output file (default: stdout for csv)")
    _command(
        reg,
        "failures",
        cmds.failures,
        "list files that failed or were set aside, with the reason",
        json_=True,
    )
    p = _command(
        reg,
        "search",
        search_cmds.search,
        "find entries by their fields and full text, best matches first",
        json_=True,
    )
    search_cmds.add_options(p)
    p = _command(
        reg,
        "assign",
        follow_cmds.assign,
        "give sổ đến entry N to a unit (đơn vị hoặc người nhận); ngày chuyển is now",
        json_=True,
    )
    follow_cmds.add_follow_options(p)
    p.add_argument("--unit", required=True, help='the đơn vị nhận, e.g. "Phòng Nội vụ"')
    p.add_argument("--person", help="the person (người nhận) in that unit")
    p = _command(reg, "close", follow_cmds.close, "mark sổ đến entry N handled", json_=True)
    follow_cmds.add_follow_options(p)
    p.add_argument("--note", help="how it was handled, e.g. the number of the reply")
    _desk(reg)


def _desk(reg: Any) -> None:
    from daemon.commands import desk_cmds

    p = _command(
        reg, "correct", desk_cmds.correct, "correct fields of entry N (audited)", json_=True
    )
    desk_cmds.add_entry_options(p)
    desk_cmds.add_correct_options(p)
    p = _command(reg, "confirm", desk_cmds.confirm, "confirm entry N: needs_review -> registered")
    desk_cmds.add_entry_options(p)
    for name, handler, help_ in (
        ("handled", desk_cmds.handled, "mark failed job JOB handled (its file stays in failed/)"),
        ("requeue", desk_cmds.requeue, "stage failed job JOB's file again, once fixed"),
    ):
        p = _command(reg, name, handler, help_, json_=True)
        p.add_argument("job", type=int, metavar="JOB", help="the job id `register failures` shows")
        desk_cmds.add_by(p)
        if name == "handled":
            p.add_argument("--note", help="how it was dealt with")
    _register_print(reg)


def _register_print(reg: Any) -> None:
    from daemon.commands import report_cmds

    p = _command(
        reg,
        "print",
        report_cmds.print_,
        "write a year's book as a PDF laid out like the paper sổ (A4 landscape), to sign and close",
        json_=True,
    )
    p.add_argument("--book", choices=["den", "di"], default="den", help="den (default) or di")
    p.add_argument("--year", type=int, metavar="Y", help="the year (default: this year)")
    p.add_argument("--out", type=Path, metavar="FILE", help="default: exports/so-BOOK-Y.pdf")
    p.add_argument("--agency", metavar="NAME", help="agency named on the book (default: [smtp])")


def _reports(sub: Any) -> None:
    from daemon.commands import report_cmds

    p = _command(
        sub,
        "report",
        report_cmds.report,
        "a period's documents received, sent, handled on time or late, open: XLSX and PNG chart",
        json_=True,
    )
    p.add_argument(
        "--period",
        choices=["month", "quarter", "year"],
        required=True,
        help="month (tháng), quarter (quý) or year (năm)",
    )
    p.add_argument(
        "date",
        nargs="?",
        type=report_cmds.iso_date,
        metavar="DATE",
        help="any day in the period, YYYY-MM-DD (default: today)",
    )
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="the .xlsx (default: exports/bao-cao-PERIOD.xlsx)"
    )
    p.add_argument("--agency", metavar="NAME", help="agency named on the report (default: [smtp])")


def _users(sub: Any) -> None:
    from daemon.commands import user_cmds as cmds

    users = _group(sub, "user", "accounts of the clerk's desk (web page)")
    p = _command(
        users, "add", cmds.add, "add an account; the password is asked (or read from stdin)"
    )
    cmds.add_name(p)
    p.add_argument(
        "--role",
        choices=["admin", "clerk", "leader"],
        required=True,
        help="leader reads; clerk also changes; admin also manages accounts",
    )
    p = _command(
        users, "passwd", cmds.passwd, "set an account's password (asked, or read from stdin)"
    )
    cmds.add_name(p)
    p = _command(users, "disable", cmds.disable, "disable an account (kept for the audit trail)")
    cmds.add_name(p)


def _calendar(sub: Any) -> None:
    from daemon.commands import calendar_cmds as cmds

    cal = _group(sub, "calendar", "the office's working calendar (rules/holidays.toml)")
    p = _command(cal, "add", cmds.add, "print the date N working days after DATE", json_=True)
    p.add_argument("date", type=cmds.iso_date, metavar="DATE", help="YYYY-MM-DD (not counted)")
    p.add_argument("days", type=cmds.working_days, metavar="N", help="working days to add")
    p = _command(
        cal, "show", cmds.show, "list YEAR's days off and make-up working days", json_=True
    )
    p.add_argument("year", type=int, metavar="YEAR")


def _schedule(sub: Any) -> None:
    from daemon.commands import schedule_cmds as cmds

    schedule = _group(sub, "schedule", "the service's clock: digest, reminders, exports, backups")
    _command(schedule, "list", cmds.list_, "list the jobs, their next run and last run", json_=True)
    p = _command(
        schedule,
        "run",
        cmds.run,
        "run JOB now for the period of a moment, once (a second run is refused without --force)",
        json_=True,
    )
    cmds.add_run_options(p)


def _backups(sub: Any) -> None:
    from daemon.commands import backup_cmds as cmds

    backup = _group(sub, "backup", "backups of the register and the archive's originals")
    p = _command(
        backup,
        "now",
        cmds.now,
        "take a backup now, while the service runs (as the nightly one)",
        json_=True,
    )
    cmds.add_now_options(p)
    _command(backup, "list", cmds.list_, "list the backups, newest first", json_=True)
    p = _command(
        sub,
        "restore",
        cmds.restore,
        "make a working install in DIR from BACKUP, then check it as `vanthu verify` does",
        json_=True,
    )
    cmds.add_restore_options(p)


def _dispatch(sub: Any) -> None:
    from daemon.commands import dispatch_cmds as cmds

    p = _command(
        sub,
        "send",
        cmds.send,
        "issue signed FILEs now: verify, sign, register in the sổ đi and email each recipient",
        json_=True,
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="AGENCY",
        help="also send to this agency of rules/agencies.toml (repeat for more)",
    )
    p.add_argument("--only", action="store_true", help="send only to the --to agencies")
    p.add_argument("--urgent", action="store_true", help="send before anything else waiting")
    dispatch = _group(sub, "dispatch", "outgoing deliveries: list, show, send again")
    p = _command(dispatch, "list", cmds.list_, "list deliveries", json_=True)
    p.add_argument(
        "--status",
        choices=[
            "queued",
            "sending",
            "sent",
            "deferred",
            "uncertain",
            "bounced",
            "failed",
            "eoffice",
            "held",
        ],
        help="only this status",
    )
    p = _command(dispatch, "show", cmds.show, "show one delivery", json_=True)
    p.add_argument("id", type=int, metavar="ID")
    p = _command(
        dispatch,
        "retry",
        cmds.retry,
        "send a delivery again (same Message-ID): uncertain, failed, bounced, held or deferred",
        json_=True,
    )
    p.add_argument("id", type=int, metavar="ID")
    cmds.add_resolve(
        _command(
            dispatch,
            "resolve",
            cmds.resolve,
            "settle an uncertain delivery after asking the recipient: arrived, or send it again",
            json_=True,
        )
    )


def _maintenance(sub: Any) -> None:
    from daemon.commands import database, maintenance

    _command(
        sub,
        "doctor",
        maintenance.doctor,
        "check Tesseract, folders, database and mailbox",
        json_=True,
    )
    _command(
        sub,
        "verify",
        maintenance.verify,
        "re-hash the archive and re-check the audit chain",
        json_=True,
    )
    db = _group(sub, "db", "the register database's schema")
    _command(
        db,
        "status",
        database.status,
        "print the database's schema revision and the latest; exit 1 if it is behind",
        json_=True,
    )
    _command(
        db,
        "upgrade",
        database.upgrade,
        "upgrade the database to the latest revision (back it up first)",
        json_=True,
    )
    mailbox = _group(sub, "mailbox", "the official mailbox")
    _command(
        mailbox,
        "check",
        maintenance.mailbox_check,
        "connect, log in, list folders and capabilities, report problems",
        json_=True,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanthu",
        description="vanthu: registers incoming documents (sổ đăng ký văn bản đến) from a scanner "
        "folder and the official mailbox, and issues signed outgoing ones (sổ đi), unattended.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vanthu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _documents(sub)
    _register(sub)
    _reports(sub)
    _calendar(sub)
    _users(sub)
    _schedule(sub)
    _backups(sub)
    _dispatch(sub)
    _maintenance(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from daemon import logs
    from daemon.register.migrate import SchemaError
    from daemon.rules import RulesError

    logs.setup()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (ConfigError, RulesError) as exc:
        print(f"vanthu: configuration error: {exc}", file=sys.stderr)
        return 2
    except SchemaError as exc:
        print(f"vanthu: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
