"""The restored install's vanthu.toml: the current install's settings, with every folder the
install works in pointed inside the new one.

A restore makes a second install beside the first (a drill, or the replacement of a lost
server). Started by mistake while the first still runs, it must not read the same scanner
share, write the same archive or prune the same backups: so every data folder resolves inside
the new install. A relative path already does (paths are relative to the config's folder); an
absolute one inside the old install keeps its place relative to it; one outside (a network
share) is replaced by the default inside the new install, and said so, to be set back when the
restored install takes over. Paths to secrets and programs (password_file, pkcs12_file, the
PKCS#11 library...) are not data: they keep pointing where they did, made absolute.

The file is edited line by line, so the office's comments stay; the result is loaded again and
every data folder checked to be inside the new install, whatever the file's TOML looked like.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from daemon.config import PathsSettings, Settings, load
from daemon.errors import PermanentError

# The folders an install works in: (table, key) -> the default, relative to the config.
DATA: dict[tuple[str, str], str] = {
    **{("paths", f.name): str(f.default) for f in dataclasses.fields(PathsSettings)},
    ("rules", "dir"): "rules",
    ("trust", "roots_dir"): "trust",
    ("web", "secret_file"): "var/web-secret",
    ("web", "page_cache"): "var/pages",
    ("schedule", "backup_dir"): "backups",
}
SQLITE_DEFAULT = "sqlite:///var/vanthu.db"


class SettingsError(PermanentError):
    """The restored install's settings could not be made to point inside it."""


@dataclass(frozen=True)
class Repointed:
    text: str  # the new vanthu.toml
    notes: list[str]  # what was pointed somewhere else than the old install had it


def repoint(old: Settings, new_root: Path, *, database_url: str | None = None) -> Repointed:
    """The text of `old`'s vanthu.toml for an install in `new_root` (see the module's doc)."""
    text = old.config_file.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    notes: list[str] = []
    changes: dict[tuple[str, str], str] = {}
    for (table, key), default in DATA.items():
        value = raw.get(table, {}).get(key)
        if value is None or not Path(value).is_absolute():
            continue
        inside = _relative_to(Path(value), old.base_dir)
        changes[table, key] = inside or default
        if inside is None:
            notes.append(_moved(table, key, value, new_root / default))
    for table, key in _reference_keys(raw):
        value = raw[table][key]
        if not Path(value).is_absolute():
            changes[table, key] = str(old.base_dir / value)
    url = _database_url(raw, old.base_dir, new_root, database_url, notes)
    if url is not None:
        changes["database", "url"] = url
    for (table, key), value in changes.items():
        text = set_value(text, table, key, value)
    return Repointed(text, notes)


def check_inside(config: Path, root: Path) -> Settings:
    """Load the written config and make sure each data folder (and a SQLite register) is in
    `root`; raises SettingsError naming the first that is not."""
    settings = load(config)
    root = root.resolve()
    found: list[tuple[str, Path]] = []
    for table, key in DATA:
        found.append((f"[{table}] {key}", Path(getattr(getattr(settings, table), key))))
    url = make_url(settings.database.url)
    if url.get_backend_name() == "sqlite":
        found.append(("[database] url", settings.base_dir / (url.database or "")))
    for name, path in found:
        if not path.resolve().is_relative_to(root):
            raise SettingsError(f"{config}: {name} is {path}, outside {root}: set it by hand")
    return settings


def set_value(text: str, table: str, key: str, value: str) -> str:
    """`key = "value"` in `[table]` of a TOML text: the key's line replaced, or added under the
    table's header, or the table added at the end."""
    line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    start = next((i for i, text_line in enumerate(lines) if header.match(text_line)), None)
    if start is None:
        return "\n".join([*lines, "", f"[{table}]", line]) + "\n"
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines)
    )
    for i in range(start + 1, end):
        if assignment.match(lines[i]):
            lines[i] = line
            return "\n".join(lines) + "\n"
    lines.insert(start + 1, line)
    return "\n".join(lines) + "\n"


def _reference_keys(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """(table, key) of the path settings present in `raw` that are not data folders."""
    found = []
    for table, cls in _table_classes().items():
        hints = typing.get_type_hints(cls)
        for key, value in raw.get(table, {}).items():
            hint = hints.get(key)
            if (table, key) in DATA or hint is None or not isinstance(value, str):
                continue
            if Path in (hint, *typing.get_args(hint)):
                found.append((table, key))
    return found


def _table_classes() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    tables: dict[str, type] = {}
    for name, hint in hints.items():
        cls = next((a for a in (hint, *typing.get_args(hint)) if dataclasses.is_dataclass(a)), None)
        if isinstance(cls, type):
            tables[name] = cls
    return tables


def _database_url(
    raw: dict[str, Any],
    old_base: Path,
    new_root: Path,
    given: str | None,
    notes: list[str],
) -> str | None:
    if given is not None:
        if make_url(given).password is not None:
            notes.append(
                "[database] url holds a password: move it to password_file or password_env"
            )
        return given
    value = raw.get("database", {}).get("url")
    if value is None:
        return None
    url = make_url(value)
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    if not Path(url.database).is_absolute():
        return None
    inside = _relative_to(Path(url.database), old_base)
    if inside is None:
        notes.append(_moved("database", "url", value, new_root / "var" / "vanthu.db"))
        return SQLITE_DEFAULT
    return url.set(database=inside).render_as_string(hide_password=False)


def _relative_to(path: Path, base: Path) -> str | None:
    resolved = path.resolve()
    return str(resolved.relative_to(base)) if resolved.is_relative_to(base) else None


def _moved(table: str, key: str, was: str, now: Path) -> str:
    return (
        f"[{table}] {key} was {was}, outside the old install: now {now} "
        "(set it back when this install takes over)"
    )
