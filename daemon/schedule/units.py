"""The office's units and their mail addresses (rules/units.toml), for reminders.

A missing file means no unit has an address: reminders then go to the clerk only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from daemon.ocr.vntext import loose_key
from daemon.rules import RulesError

FILE_NAME = "units.toml"


@dataclass(frozen=True)
class Units:
    addresses: MappingProxyType[str, tuple[str, ...]]  # by the folded unit name

    def address_of(self, unit: str | None) -> tuple[str, ...]:
        """The unit's addresses, or () when it has none (or there is no unit)."""
        return self.addresses.get(loose_key(unit), ()) if unit else ()


def load_units(rules_dir: Path) -> Units:
    path = rules_dir / FILE_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Units(MappingProxyType({}))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot be read: {exc}") from exc
    items = raw.get("unit", [])
    if not isinstance(items, list):
        raise RulesError(f"{path}: [[unit]] must be an array of tables")
    found: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(items):
        name, emails = _unit(item, f"{path}: unit #{i + 1}")
        found[loose_key(name)] = emails
    return Units(MappingProxyType(found))


def _unit(item: Any, where: str) -> tuple[str, tuple[str, ...]]:
    if not isinstance(item, dict):
        raise RulesError(f"{where}: must be a table with name and email")
    unknown = set(item) - {"name", "email"}
    if unknown:
        raise RulesError(f"{where}: unknown key {sorted(unknown)[0]!r} (known: name, email)")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RulesError(f"{where}: name: required, a non-empty string")
    email = item.get("email", [])
    emails = [email] if isinstance(email, str) else email
    if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
        raise RulesError(f"{where} ({name}): email: an address or a list of addresses")
    return name.strip(), tuple(e.strip() for e in emails)
