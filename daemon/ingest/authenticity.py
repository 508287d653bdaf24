"""ND30 Điều 21: check the authenticity and integrity of an electronic document on arrival.

Every embedded signature of a PDF is checked against the office's trust roots; the verdicts are
kept with the register entry. An invalid or modified signature sends the entry to review and
alerts the clerk; a valid signature whose organisation matches the agency read from the page
confirms that field.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from daemon.ocr.model import Fields
from daemon.rules import fold
from daemon.signatures import SignatureVerdict, UnreadablePdf

REVIEW_VERDICTS = ("invalid", "modified")


class SignatureChecker(Protocol):
    def signatures(self, path: Path, roots_dir: Path) -> tuple[Any, ...]: ...


def check_file(
    reader: SignatureChecker, path: Path, media_type: str, roots_dir: Path
) -> tuple[tuple[SignatureVerdict, ...], str | None]:
    """The verdicts of a PDF's signatures (checked in a reading process), or an error text
    when they could not be checked."""
    if media_type != "application/pdf":
        return (), None
    try:
        return reader.signatures(path, roots_dir), None
    except UnreadablePdf as exc:
        return (), f"signatures could not be checked: {exc}"


def _describe(v: SignatureVerdict) -> str:
    return f"signature {v.field_name} {v.verdict}: {v.problem or ''}".rstrip(": ")


def problems(verdicts: tuple[SignatureVerdict, ...], error: str | None) -> list[str]:
    """What a clerk must look at (empty when every signature is acceptable)."""
    found = [_describe(v) for v in verdicts if v.verdict in REVIEW_VERDICTS]
    return found + ([error] if error else [])


def remarks(verdicts: tuple[SignatureVerdict, ...]) -> list[str]:
    """Worth a note but not a review: a sound signature the office's roots do not vouch for
    (often a government CA root not yet installed in [trust] roots_dir)."""
    return [_describe(v) for v in verdicts if v.verdict == "untrusted"]


def confirm_issuer(fields: Fields, verdicts: tuple[SignatureVerdict, ...]) -> Fields:
    """Raise the issuer's confidence when a valid signature's organisation names it."""
    issuer = fold(fields.issuer or "")
    for v in verdicts:
        org = fold(v.organisation or "")
        if v.verdict == "valid" and issuer and org and (org in issuer or issuer in org):
            return replace(fields, confidence={**fields.confidence, "issuer": 1.0})
    return fields
