"""The one wrapper of `pg_dump`: a PostgreSQL register to one custom-format file (-Fc).

`pg_dump` takes a consistent snapshot while the service writes (one transaction, repeatable
read), so the dump is a backup of one moment. It runs with a timeout; the password (from
[database] password_file/password_env) goes through PGPASSWORD, never the command line.
Restore: `pg_restore --clean --if-exists -d DBNAME FILE`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from daemon.errors import PermanentError

PG_DUMP = "pg_dump"
INSTALL_ADVICE = "install it with: apt-get install postgresql-client"
DUMP_TIMEOUT = 6 * 3600.0  # a large register on a slow disk; a hung dump must still end
_PROBE_TIMEOUT = 15.0


class DumpError(PermanentError):
    """pg_dump is missing or failed; the message says which and why."""


@functools.cache
def pg_dump_version() -> str:
    """ "pg_dump (PostgreSQL) 15.8" -> "15.8"; raises DumpError with advice when missing."""
    program = shutil.which(PG_DUMP)
    if program is None:
        raise DumpError(f"{PG_DUMP} is not on PATH: {INSTALL_ADVICE}")
    try:
        out = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=_PROBE_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DumpError(f"{PG_DUMP} --version failed: {exc}") from exc
    return out.stdout.strip().rsplit(" ", 1)[-1]


def dump(
    database_url: str, out: Path, *, timeout: float = DUMP_TIMEOUT, snapshot: str | None = None
) -> Path:
    """Dump the database of `database_url` (SQLAlchemy form) into `out` (custom format), as
    of `snapshot` (one exported by a transaction the caller holds open) when given."""
    pg_dump_version()
    options = ["--format=custom", "--no-owner", f"--file={out}"]
    if snapshot is not None:
        options.append(f"--snapshot={snapshot}")
    run_client(PG_DUMP, database_url, options, timeout=timeout, error=DumpError)
    return out


def run_client(
    name: str,
    database_url: str,
    args: list[str],
    *,
    timeout: float,
    error: type[PermanentError],
    label: str | None = None,
) -> None:
    """Run the PostgreSQL client program `name` (pg_dump, pg_restore) on the database of
    `database_url` with `args`; the password goes through PGPASSWORD, never the command line.
    Any failure raises `error` naming the program (`label`, when given) and the reason."""
    program = shutil.which(name)
    if program is None:
        raise error(f"{name} is not on PATH: {INSTALL_ADVICE}")
    url = make_url(database_url)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    conninfo = url.set(drivername="postgresql", password=None).render_as_string()
    command = [program, f"--dbname={conninfo}", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise error(f"{name} ran longer than {timeout:g} s and was stopped") from exc
    except OSError as exc:
        raise error(f"{name} could not be started: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise error(f"{label or name} exited {done.returncode}: {detail}")
