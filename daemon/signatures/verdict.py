"""From what pyHanko found to one verdict per signature, and one status per document.

The judgement is kept apart from pyHanko so it can be read and tested on its own. The order of
severity is invalid > modified > untrusted > valid:

- invalid: the bytes or the signature value do not verify, the signature covers less than its
  own revision, or a timestamp or seed-value constraint is broken. The file is not what was
  signed.
- modified: what was signed verifies, but the file was changed afterwards beyond what a later
  signature or timestamp may add (NOTES.md: `intact`/`valid` stay True after such a change).
- untrusted: the file is what the signer signed, but the signer's certificate does not lead to
  a configured root for signing now: unknown CA, expired, revoked, wrong key usage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from daemon.errors import PermanentError

Verdict = Literal["valid", "untrusted", "invalid", "modified"]
Status = Literal["valid", "untrusted", "invalid", "modified", "unsigned"]

SEVERITY: dict[Verdict, int] = {"valid": 0, "untrusted": 1, "modified": 2, "invalid": 3}

# Later revisions a signature tolerates: further signatures and form filling (the normal
# signer-then-agency chain), and timestamps/validation data. Annotations are not tolerated,
# whatever DocMDP says: an annotation can paint over the signed text.
TOLERATED_LEVELS = frozenset({"NONE", "LTA_UPDATES", "FORM_FILLING"})


@dataclass(frozen=True)
class SignatureVerdict:
    """One embedded signature, as the register records it."""

    field_name: str
    verdict: Verdict
    signer_name: str | None  # CN of the signer's certificate, NFC
    organisation: str | None  # O of the signer's certificate, NFC
    signing_time: dt.datetime | None  # tz-aware; from a trusted timestamp when there is one
    signing_time_source: Literal["timestamp", "signer"] | None
    coverage: str | None  # ENTIRE_FILE, ENTIRE_REVISION, CONTIGUOUS_BLOCK_FROM_START, UNCLEAR
    modification_level: str | None  # NONE, FORM_FILLING, LTA_UPDATES, ANNOTATIONS, OTHER
    problem: str | None  # why it is not valid, in words for the clerk; None when valid
    issuer: str | None = None  # CN of the certificate's issuer
    certificate_sha256: str | None = None  # hex fingerprint of the signer's certificate


@dataclass(frozen=True)
class Evidence:
    """What validation established about one signature, reduced to plain values."""

    intact: bool  # the signed bytes hash to the signed digest
    valid: bool  # the signature value verifies with the signer's key
    trusted: bool  # chain to a configured root, key usage and validity period all fine
    bottom_line: bool  # pyHanko's overall judgement, used as a safety net
    coverage: str
    modification_level: str | None
    docmdp_ok: bool | None
    trust_problem: str | None = None  # set when `trusted` is False for a reason of trust
    timestamp_problem: tuple[Verdict, str] | None = None
    seed_value_problem: str | None = None


def decide(ev: Evidence) -> tuple[Verdict, str | None]:
    """The verdict and, unless valid, the reasons joined into one sentence list."""
    found: list[tuple[Verdict, str]] = []
    if not ev.intact:
        found.append(("invalid", "the signed bytes were changed: their hash does not match"))
    if not ev.valid:
        found.append(("invalid", "the signature value does not verify with the signer's key"))
    found += _coverage_findings(ev)
    if ev.trust_problem:
        found.append(("untrusted", ev.trust_problem))
    if ev.timestamp_problem:
        found.append(ev.timestamp_problem)
    if ev.seed_value_problem:
        found.append(
            ("invalid", f"the field's signing constraints are not met: {ev.seed_value_problem}")
        )
    if not found and not (ev.bottom_line and ev.trusted):
        found.append(("untrusted", "the signature failed validation for an unreported reason"))
    if not found:
        return "valid", None
    verdict = max((v for v, _ in found), key=SEVERITY.__getitem__)
    return verdict, "; ".join(dict.fromkeys(text for _, text in found))


def _coverage_findings(ev: Evidence) -> list[tuple[Verdict, str]]:
    if ev.coverage == "ENTIRE_FILE":
        return []
    if ev.coverage == "ENTIRE_REVISION":
        level = ev.modification_level
        if level is None:
            return [("modified", "later revisions of the file could not be checked")]
        if level not in TOLERATED_LEVELS or ev.docmdp_ok is False:
            what = _LEVEL_WORDS.get(level, level)
            return [("modified", f"the file was changed after signing ({what})")]
        return []
    if ev.coverage == "CONTIGUOUS_BLOCK_FROM_START":
        return [("modified", "data was appended after the signed bytes without a proper revision")]
    return [("invalid", "the signature does not cover the whole of its revision")]


_LEVEL_WORDS = {
    "OTHER": "content or page changes",
    "ANNOTATIONS": "annotations added",
    "FORM_FILLING": "form fields changed against the document's permissions",
}


OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def summarise(
    verdicts: Sequence[SignatureVerdict], *, tz: dt.tzinfo = OFFICE_TZ
) -> tuple[Status, str]:
    """The document's status (its worst signature) and one line the clerk can read.

    Signing times in the text are shown in `tz` (the office's zone, [service] timezone).
    """
    if not verdicts:
        return "unsigned", "no digital signature"
    worst = max((v.verdict for v in verdicts), key=SEVERITY.__getitem__)
    bad = sum(v.verdict != "valid" for v in verdicts)
    total = len(verdicts)
    noun = "signature" if total == 1 else "signatures"
    head = f"{total} {noun}, all valid" if not bad else f"{bad} of {total} {noun} not valid"
    return worst, head + ": " + "; ".join(_describe(v, tz) for v in verdicts)


def _describe(v: SignatureVerdict, tz: dt.tzinfo) -> str:
    who = v.signer_name or "unknown signer"
    if v.organisation and v.organisation != v.signer_name:
        who += f" ({v.organisation})"
    when = ""
    if v.signing_time:
        when = f", signed {v.signing_time.astimezone(tz).isoformat(sep=' ', timespec='minutes')}"
    text = f"[{v.field_name}] {who}{when}: {v.verdict}"
    return text + (f" - {v.problem}" if v.problem else "")


class UnreadablePdf(PermanentError):
    """The bytes are not a PDF pyHanko can parse, so no signature can be checked. (Here, not
    beside the check, so that the service process can name it without loading pyHanko.)"""
