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
from daemon.register.deadline import deadline_in
from daemon.workdays import OFFICE_DAY_OFF, Calendar, Period


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
class DueRule:
    """How long a document may wait: whole working days, or office hours ("4h")."""

    days: int = 0
    hours: float = 0.0

    @classmethod
    def parse(cls, value: object, where: str) -> DueRule:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return cls(days=value)
        text = value.strip().lower() if isinstance(value, str) else ""
        number = text.removesuffix("h").removesuffix("giờ").strip()
        try:
            amount = float(number)
        except ValueError:
            amount = -1.0
        if text != number and 0 <= amount <= 24 * 366:
            return cls(hours=amount)
        raise RulesError(
            f'{where}: must be a whole number of working days >= 0 (3) or office hours ("4h")'
        )

    @property
    def none(self) -> bool:
        return self.days == 0 and self.hours == 0


@dataclass(frozen=True)
class Due:
    """An entry's hạn giải quyết: the date, the exact moment when counted in office hours,
    and where it came from (rule: the default; urgency: the độ khẩn's rule; document: a
    deadline written in the document)."""

    date: dt.date
    at: dt.datetime | None
    basis: str  # rule | urgency | document


@dataclass(frozen=True)
class Rules:
    doc_types: DocTypes
    secret_marks: frozenset[str]
    set_aside_types: frozenset[str]
    due_rules: dict[str, DueRule]  # "default" and folded độ khẩn
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

    def due(self, received: dt.datetime, urgency: str | None, text: str = "") -> Due | None:
        """The due date of a document received at `received` (aware): a deadline written in
        its `text` wins; else its độ khẩn's rule; else the default (None when that is 0)."""
        local = received.astimezone(self.calendar.tz)
        written = deadline_in(text, local.date()) if text else None
        if written is not None:
            return Due(written, None, "document")
        key = fold(urgency) if urgency else ""
        rule, basis = (
            (self.due_rules[key], "urgency") if key in self.due_rules else (self._default, "rule")
        )
        if rule.none:
            return None
        if rule.hours:
            at = self.calendar.add_working_hours(local, rule.hours)
            return Due(at.date(), at, basis)
        return Due(self.calendar.add_working_days(local.date(), rule.days), None, basis)

    def due_date(self, received: dt.date, urgency: str | None) -> dt.date | None:
        """The due date by the rules alone, for a document received on `received` (a rule
        in hours counts from that day's opening)."""
        day = received.date() if isinstance(received, dt.datetime) else received
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.calendar.tz)
        due = self.due(start, urgency)
        return due.date if due else None

    @property
    def _default(self) -> DueRule:
        return self.due_rules.get("default", DueRule())

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
    """rules/holidays.toml: the office's days off and make-up working days, and its hours.
    The keys of older installs (`recurring` "MM-DD", `dates` "YYYY-MM-DD") still count."""
    raw = _read(path)
    days_off: dict[dt.date, str] = {}
    yearly: dict[tuple[int, int], str] = {}
    try:
        for i, item in enumerate(_list(raw, "days_off", path)):
            day, name = _named_day(item, f"{path}: days_off #{i + 1}")
            days_off[day] = name
        for item in _list(raw, "dates", path):
            days_off.setdefault(_iso_day(item), OFFICE_DAY_OFF)
        for s in _strings(raw.get("recurring", []), f"{path}: recurring"):
            month, day_of_month = (int(p) for p in s.split("-"))
            dt.date(2000, month, day_of_month)  # a leap year: 02-29 is allowed
            yearly[(month, day_of_month)] = OFFICE_DAY_OFF
        working = frozenset(_iso_day(item) for item in _list(raw, "working_days", path))
    except (ValueError, TypeError) as exc:
        raise RulesError(f"{path}: bad date: {exc}") from exc
    hours = raw.get("hours", {})
    if not isinstance(hours, dict):
        raise RulesError(f"{path}: [hours] must be a table")
    try:
        periods = tuple(
            Period.parse(str(hours.get(name, default)))
            for name, default in (("morning", "07:30-11:30"), ("afternoon", "13:30-17:00"))
            if hours.get(name, default)  # "" drops a period (an office open mornings only)
        )
        return Calendar(
            extra_days_off=days_off,
            extra_working_days=working,
            yearly_off=yearly,
            periods=periods,
            timezone=str(hours.get("timezone", "Asia/Ho_Chi_Minh")),
        )
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise RulesError(f"{path}: [hours]: {exc}") from exc


def _list(raw: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise RulesError(f"{path}: {key}: must be a list")
    return value


def _iso_day(value: object) -> dt.date:
    """A date written "YYYY-MM-DD" (or a bare TOML date)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise TypeError(f'{value!r} is not a date "YYYY-MM-DD"')


def _named_day(item: object, where: str) -> tuple[dt.date, str]:
    """A day off given as "YYYY-MM-DD" or as { date = "YYYY-MM-DD", name = "..." }."""
    if isinstance(item, dict):
        if "date" not in item:
            raise RulesError(f'{where}: needs a date: {{ date = "YYYY-MM-DD", name = "..." }}')
        return _iso_day(item["date"]), str(item.get("name") or OFFICE_DAY_OFF)
    return _iso_day(item), OFFICE_DAY_OFF


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
    due = {
        key if key == "default" else fold(key): DueRule.parse(value, f"{routing_path}: [due] {key}")
        for key, value in routing.get("due", {}).items()
    }
    unit = routing.get("default", {}).get("unit") or None
    return Rules(
        doc_types=DocTypes.load(rules_dir / "doc_types.toml"),
        secret_marks=frozenset(
            fold(s) for s in _strings(set_aside.get("secrecy", []), f"{routing_path}: secrecy")
        ),
        set_aside_types=frozenset(
            fold(s) for s in _strings(set_aside.get("doc_types", []), f"{routing_path}: doc_types")
        ),
        due_rules=due,
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
