"""Checks of the environment, with advice (STYLE.md item 2): `vanthu doctor` and service start."""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from daemon.config import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_tesseract(language: str) -> list[Check]:
    from daemon.ocr.tesseract import TesseractError, has_language, tesseract_version

    try:
        version = tesseract_version()
    except TesseractError as exc:
        return [
            Check(
                "tesseract",
                False,
                str(exc),
                "apt-get install tesseract-ocr tesseract-ocr-vie (as root)",
            )
        ]
    checks = [Check("tesseract", True, f"version {version}")]
    if has_language(language):
        checks.append(Check(f"tesseract {language}", True, "language data installed"))
    else:
        checks.append(
            Check(
                f"tesseract {language}",
                False,
                f"no '{language}' language data",
                f"apt-get install tesseract-ocr-{language} (as root)",
            )
        )
    return checks


def check_name_faces() -> Check:
    """The typefaces a surname under the seal is set in to be told by its shape."""
    from daemon.ocr.surname_shape import FACES, faces

    found = faces()
    if any(path in FACES[0] for path in found):
        return Check("name faces", True, ", ".join(Path(path).stem for path in found))
    return Check(
        "name faces",
        False,
        "no Times New Roman or Liberation Serif Bold: a surname the seal's ring crosses on a"
        " black-and-white scan is left as Tesseract reads it",
        "apt-get install fonts-liberation2 (as root)",
    )


def _folder(name: str, path: Path, private: bool) -> Check:
    if not path.is_dir():
        return Check(
            f"folder {name}",
            False,
            f"{path} does not exist",
            f"mkdir -p {path} (or run `vanthu init`)",
        )
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        return Check(
            f"folder {name}",
            False,
            f"{path} is not writable by this user",
            f"chown the folder to the service user (e.g. chown vanthu: {path})",
        )
    if private and stat.S_IMODE(path.stat().st_mode) & 0o077:
        return Check(
            f"folder {name}", False, f"{path} is readable by other users", f"chmod 700 {path}"
        )
    return Check(f"folder {name}", True, str(path))


def check_folders(settings: Settings) -> list[Check]:
    p = settings.paths
    public = {
        "inbox": p.inbox,
        "outbox": p.outbox,
        "sent": p.sent,
        "archive": p.archive,
        "processed": p.processed,
        "failed": p.failed,
    }
    private = {"quarantine": p.quarantine, "spool": p.spool}
    return [_folder(n, f, False) for n, f in public.items()] + [
        _folder(n, f, True) for n, f in private.items()
    ]


def check_database(settings: Settings) -> Check:
    from sqlalchemy.engine import make_url

    from daemon.register import migrate
    from daemon.register.db import make_engine

    try:
        engine = make_engine(settings.database_url())
        try:
            found = migrate.state(engine)
        finally:
            engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure here is the finding
        return Check(
            "database",
            False,
            f"{type(exc).__name__}: {exc}".splitlines()[0],
            "check [database] url and that the server is running",
        )
    if found.empty:
        return Check("database", False, "the register tables are missing", "run `vanthu init`")
    if not found.up_to_date:
        return Check(
            "database", False, found.describe(), "back it up, then run `vanthu db upgrade`"
        )
    shown = make_url(settings.database.url).render_as_string(hide_password=True)
    return Check("database", True, f"{shown}, {found.describe()}")


def check_rules(settings: Settings) -> Check:
    from daemon.rules import RulesError, load_rules

    try:
        load_rules(settings.rules.dir)
    except (RulesError, OSError) as exc:
        return Check("rules", False, str(exc), "copy the shipped rules/ folder and edit it")
    return Check("rules", True, str(settings.rules.dir))


def check_trust(settings: Settings) -> Check:
    from daemon.signatures import TrustRootError, load_trust_roots

    folder = settings.trust.roots_dir
    if not folder.is_dir():
        return Check(
            "trust roots",
            False,
            f"{folder} does not exist",
            f"mkdir -p {folder} and put the government CA root certificates (PEM) in it",
        )
    try:
        roots = load_trust_roots(folder, warn=False)  # the service warns when it loads them
    except TrustRootError as exc:
        return Check("trust roots", False, str(exc), "remove or replace the files named")
    if not roots:
        return Check(
            "trust roots",
            True,
            f"{folder} is empty: every digital signature will read as untrusted",
        )
    return Check("trust roots", True, f"{len(roots)} certificate(s) in {folder}")


def check_outgoing(settings: Settings) -> list[Check]:
    """The agency directory, the agency's certificate and the SMTP login (nothing is sent)."""
    from daemon.dispatch.mailer import Mailer
    from daemon.dispatch.recipients import Directory
    from daemon.dispatch.signing import AgencySigner
    from daemon.dispatch.wing import AGENCIES
    from daemon.errors import VanthuError

    checks = []
    try:
        directory = Directory.load(settings.rules.dir / AGENCIES)
        found = f"{len(directory.agencies)} agencies, {len(directory.groups)} groups"
        checks.append(Check("agencies", True, found))
    except VanthuError as exc:
        checks.append(Check("agencies", False, exc.reason, f"correct {AGENCIES}"))
    if settings.signing is None:
        checks.append(Check("signing", True, "off: outgoing documents keep their own signatures"))
    else:
        try:
            checks.append(
                Check("signing", True, AgencySigner.from_settings(settings.signing).check())
            )
        except VanthuError as exc:
            checks.append(Check("signing", False, exc.reason, "check the [signing] table"))
    if settings.smtp is None:
        detail = "off: no [smtp] table, outgoing deliveries wait as queued"
        checks.append(Check("smtp", True, detail))
    else:
        try:
            checks.append(Check("smtp", True, Mailer(settings.smtp).check()))
        except VanthuError as exc:
            checks.append(Check("smtp", False, exc.reason, "check the [smtp] table"))
    return checks


def all_checks(settings: Settings) -> list[Check]:
    checks = check_tesseract(settings.reading.language) + check_folders(settings)
    checks += [check_name_faces(), check_rules(settings), check_trust(settings)]
    checks += [check_database(settings), *check_outgoing(settings)]
    if settings.mailbox is not None:
        from daemon.ingest.mailsource import check_mailbox

        report = check_mailbox(settings)
        checks.append(
            Check("mailbox", not report.problems, report.summary, "; ".join(report.problems))
        )
    return checks


def startup_problems(settings: Settings) -> list[str]:
    """What stops the service from starting (missing folders are created first)."""
    p = settings.paths
    for folder in (p.inbox, p.outbox, p.sent, p.archive, p.processed, p.failed):
        with contextlib.suppress(OSError):  # check_folders says what is wrong with it
            folder.mkdir(parents=True, exist_ok=True)
    for folder in (p.quarantine, p.spool):
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    checks = check_tesseract(settings.reading.language) + check_folders(settings)
    checks += [check_rules(settings), check_trust(settings)]
    return [f"{c.name}: {c.detail} (fix: {c.fix})" for c in checks if not c.ok]
