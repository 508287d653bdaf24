"""The office's rules (rules/*.toml): document types, set-aside rules, routing, due dates, holidays.

Loaded once at start from the office's own copy (`[rules] dir`); errors name the file and key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daemon.errors import PermanentError
from daemon.ocr.doctypes import DocTypes
from daemon.ocr.model import Fields
from daemon.ocr.vntext import loose_key
from daemon.workdays import Calendar


class RulesError(PermanentError):
    """A rules file is missing or wrong; the message names the file and the key."""


# Case-, tone-placement- and diacritic-insensitive key for comparing rule text.
fold = loose_key


@dataclass(frozen=True)
class Route:
    unit: str
    doc_type: str | None = None
    issuer_contains: str | None = None

    def matches(self, fields: Fields) -> bool:
        if self.doc_type and fold(fields.doc_type or "") != fold(self.doc_type):
            return False
        return not self.issuer_contains or fold(self.issuer_contains) in fold(fields.issuer or "")


@dataclass(frozen=True)
class Rules:
    doc_types: DocTypes
    secret_marks: frozenset[str]
    set_aside_types: frozenset[str]
    due_days: dict[str, int]
    routes: tuple[Route, ...]
    default_unit: str | None
    calendar: Calendar

    def set_aside_reason(self, fields: Fields) -> str | None:
        """Why a document must stay out of the networked register, or None."""
        if fields.secrecy and fold(fields.secrecy) in self.secret_marks:
            return f"secret document (độ mật: {fields.secrecy})"
        if fields.doc_type and fold(fields.doc_type) in self.set_aside_types:
            return f"complaint or denunciation letter ({fields.doc_type})"
        return None

    def due_date(self, received: dt.date, urgency: str | None) -> dt.date | None:
        days = self.due_days.get(fold(urgency), 0) if urgency else self.due_days.get("default", 0)
        return self.calendar.add_working_days(received, days) if days > 0 else None

    def unit_for(self, fields: Fields) -> str | None:
        return next((r.unit for r in self.routes if r.matches(fields)), self.default_unit)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulesError(f"{path}: missing (copy it from the shipped rules/)") from exc
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot be read: {exc}") from exc


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}: must be a list of strings")
    return value


def _calendar(path: Path) -> Calendar:
    raw = _read(path)
    try:
        recurring = {
            (int(m), int(d))
            for m, d in (
                s.split("-") for s in _strings(raw.get("recurring", []), f"{path}: recurring")
            )
        }
        dates = {dt.date.fromisoformat(s) for s in _strings(raw.get("dates", []), f"{path}: dates")}
    except ValueError as exc:
        raise RulesError(f"{path}: bad date: {exc}") from exc
    return Calendar(frozenset(recurring), frozenset(dates))


def _routes(raw: dict[str, Any], path: Path) -> tuple[Route, ...]:
    routes = []
    for i, item in enumerate(raw.get("route", [])):
        if not isinstance(item, dict) or not isinstance(item.get("unit"), str):
            raise RulesError(f"{path}: [[route]] #{i + 1}: needs a `unit` string")
        routes.append(Route(item["unit"], item.get("doc_type"), item.get("issuer_contains")))
    return tuple(routes)


def load_rules(rules_dir: Path) -> Rules:
    routing_path = rules_dir / "routing.toml"
    routing = _read(routing_path)
    set_aside = routing.get("set_aside", {})
    due: dict[str, int] = {}
    for key, value in routing.get("due", {}).items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RulesError(f"{routing_path}: [due] {key}: must be a whole number of days >= 0")
        due[key if key == "default" else fold(key)] = value
    unit = routing.get("default", {}).get("unit") or None
    return Rules(
        doc_types=DocTypes.load(rules_dir / "doc_types.toml"),
        secret_marks=frozenset(
            fold(s) for s in _strings(set_aside.get("secrecy", []), f"{routing_path}: secrecy")
        ),
        set_aside_types=frozenset(
            fold(s) for s in _strings(set_aside.get("doc_types", []), f"{routing_path}: doc_types")
        ),
        due_days=due,
        routes=_routes(routing, routing_path),
        default_unit=unit,
        calendar=_calendar(rules_dir / "holidays.toml"),
    )


def shipped_rules_dir() -> Path:
    """The default rules shipped with vanthu (copied by `vanthu init` into the install): the
    checkout's rules/ folder, or inside an installed wheel the package daemon.shipped_rules."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "shipped_rules", here.parent / "rules"):
        if (candidate / "routing.toml").is_file():
            return candidate
    raise RulesError("the shipped rules/ folder is missing from this installation")
