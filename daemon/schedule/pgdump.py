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
    url = make_url(database_url)
    password = url.password
    conninfo = url.set(drivername="postgresql", password=None).render_as_string()
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    command = [PG_DUMP, "--format=custom", "--no-owner", f"--file={out}", f"--dbname={conninfo}"]
    if snapshot is not None:
        command.append(f"--snapshot={snapshot}")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise DumpError(f"{PG_DUMP} ran longer than {timeout:g} s and was stopped") from exc
    except OSError as exc:
        raise DumpError(f"{PG_DUMP} could not be started: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise DumpError(f"{PG_DUMP} exited {done.returncode}: {detail}")
    return out
