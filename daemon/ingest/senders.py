"""Sender rules (rules/senders.toml): which From addresses count as an agency's official mail.

An allow-list of exact addresses and of domain globs (`*.gov.vn`). Mail from elsewhere is not
dropped: its provenance says `sender_allowed: false` and the pipeline registers it as
needs_review. Comparison is case-insensitive, NFC, and IDNA domains match their Unicode form.
"""

from __future__ import annotations

import contextlib
import fnmatch
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from daemon.rules import RulesError

FILE_NAME = "senders.toml"


def normalise_address(address: str) -> str:
    """Lower-case NFC `local@domain`, the domain in Unicode form ("xn--" decoded)."""
    text = unicodedata.normalize("NFC", address.strip().strip("<>")).lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    return f"{local}@{_domain(domain)}"


def _domain(domain: str) -> str:
    labels = []
    for label in domain.rstrip(".").split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError):  # bad punycode: compare it as written
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return unicodedata.normalize("NFC", ".".join(labels))


@dataclass(frozen=True)
class SenderRules:
    addresses: frozenset[str] = frozenset()
    domains: tuple[str, ...] = ()  # lower-case globs

    def is_allowed(self, address: str) -> bool:
        """True when `address` is listed, or its domain matches a listed domain glob."""
        normal = normalise_address(address)
        local, at, domain = normal.rpartition("@")
        if not at or not local or not domain:
            return False
        if normal in self.addresses:
            return True
        return any(fnmatch.fnmatchcase(domain, glob) for glob in self.domains)

    @classmethod
    def load(cls, path: Path) -> SenderRules:
        """Read a senders.toml. Raises RulesError naming the file and key."""
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise RulesError(f"{path}: missing (copy it from the shipped rules/)") from exc
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RulesError(f"{path}: cannot be read: {exc}") from exc
        allow = raw.get("allow", {})
        if not isinstance(allow, dict):
            raise RulesError(f"{path}: [allow] must be a table")
        unknown = sorted(set(allow) - {"addresses", "domains"})
        if unknown:
            raise RulesError(
                f"{path}: [allow] {unknown[0]}: unknown key (known: addresses, domains)"
            )
        addresses = _strings(allow.get("addresses", []), f"{path}: [allow] addresses")
        for item in addresses:
            if "@" not in item:
                raise RulesError(f"{path}: [allow] addresses: {item!r} is not an address")
        domains = _strings(allow.get("domains", []), f"{path}: [allow] domains")
        return cls(
            addresses=frozenset(normalise_address(a) for a in addresses),
            domains=tuple(_domain(d.strip().lower()) for d in domains if d.strip()),
        )


def load_senders(rules_dir: Path) -> SenderRules:
    return SenderRules.load(rules_dir / FILE_NAME)


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{where}: must be a list of strings")
    return value
