"""Validate every signature embedded in a PDF with pyHanko, offline, against given roots.

One fresh `ValidationContext` per signature (it keeps state), trust roots always explicit (the
OS trust list fallback is deprecated), no network fetching, so revocation is not checked (soft
fail); validation happens on arrival, at the current time. The PDF is only read, never
rewritten. A signature pyHanko cannot process at all is
reported as invalid with the reason rather than raised: it cannot be shown to be valid, and the
other signatures of the file still get their verdicts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from io import BytesIO
from typing import Literal

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from daemon.logs import event
from daemon.signatures.trust import describe_trust_problem, name_part
from daemon.signatures.verdict import (
    SEVERITY,
    Evidence,
    SignatureVerdict,
    UnreadablePdf,
    Verdict,
    decide,
)

log = logging.getLogger(__name__)

# A person's certificate carries nonRepudiation, an agency's seal often digitalSignature only;
# either one is accepted (as Acrobat does), a certificate with neither is not.
SIGNING_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)


def check_signatures(
    data: bytes, roots: Sequence[asn1_x509.Certificate], *, at: dt.datetime | None = None
) -> list[SignatureVerdict]:
    """Verdicts for every signature in `data`, oldest first; [] when unsigned.

    Signatures too damaged to load come last, as invalid.
    `at` validates at another moment than now (tz-aware). Raises UnreadablePdf. Not for use
    inside a running event loop (pyHanko's sync API calls asyncio.run): use
    `async_check_signatures` there.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(async_check_signatures(data, roots, at=at))
    raise RuntimeError(
        "check_signatures called inside an event loop: await async_check_signatures instead"
    )


async def async_check_signatures(
    data: bytes, roots: Sequence[asn1_x509.Certificate], *, at: dt.datetime | None = None
) -> list[SignatureVerdict]:
    """As `check_signatures`, for use inside an event loop.

    The work is CPU-bound (hashing, difference analysis: about 10 ms a signature on a one-page
    file); the loop is given a turn between signatures.
    """
    if at is not None and at.tzinfo is None:
        raise ValueError("at: must be timezone-aware")
    loaded, broken = _load_signatures(_open(data))
    verdicts = []
    for sig in loaded:
        verdicts.append(await _check_one(sig, roots, at))
        await asyncio.sleep(0)
    return verdicts + broken


def _open(data: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(BytesIO(data), strict=True)
        if reader.encrypted and reader.decrypt("").status == AuthStatus.FAILED:
            raise UnreadablePdf("the PDF is encrypted with a password")
        return reader
    except UnreadablePdf:
        raise
    except Exception as exc:  # a hostile file can break the parser in many ways
        raise UnreadablePdf(f"not a readable PDF: {_one_line(exc)}") from exc


def _load_signatures(
    reader: PdfFileReader,
) -> tuple[list[EmbeddedPdfSignature], list[SignatureVerdict]]:
    """Filled signature fields in signing order, and verdicts for those that cannot be loaded.

    Loaded one by one (not through `reader.embedded_signatures`) so that one damaged signature
    is reported as invalid instead of making the whole file unreadable. Document timestamps
    are left out: they have no signer.
    """
    try:
        fields = list(enumerate_sig_fields(reader, filled_status=True))
    except Exception as exc:
        raise UnreadablePdf(f"unreadable form fields: {_one_line(exc)}") from exc
    loaded: list[tuple[int, EmbeddedPdfSignature]] = []
    broken: list[SignatureVerdict] = []
    for name, sig_ref, field in fields:
        try:
            if sig_ref.get_object().get("/Type") == "/DocTimeStamp":
                continue
            sig = EmbeddedPdfSignature(reader, field, name)
            loaded.append((sig.signed_revision, sig))
        except Exception as exc:
            broken.append(_unprocessable(name, None, exc))
    loaded.sort(key=lambda item: item[0])
    return [sig for _, sig in loaded], broken


async def _check_one(
    sig: EmbeddedPdfSignature, roots: Sequence[asn1_x509.Certificate], at: dt.datetime | None
) -> SignatureVerdict:
    signer_vc, ts_vc = _context(roots, at), _context(roots, at)
    try:
        status = await async_validate_pdf_signature(
            sig,
            signer_validation_context=signer_vc,
            ts_validation_context=ts_vc,
            key_usage_settings=SIGNING_KEY_USAGE,
        )
    except Exception as exc:  # unsupported SubFilter, malformed CMS or byte range...
        return _unprocessable(sig.field_name, _signer_cert(sig), exc)
    finally:
        await signer_vc.aclose()
        await ts_vc.aclose()
    return _verdict(sig.field_name, status)


def _context(roots: Sequence[asn1_x509.Certificate], at: dt.datetime | None) -> ValidationContext:
    return ValidationContext(trust_roots=list(roots), allow_fetching=False, moment=at)


def _verdict(field_name: str, status: PdfSignatureStatus) -> SignatureVerdict:
    cert = status.signing_cert
    verdict, problem = decide(_evidence(status))
    when, source = _signing_time(status)
    coverage = status.coverage.name if status.coverage is not None else None
    level = status.modification_level
    return SignatureVerdict(
        field_name=field_name,
        verdict=verdict,
        signer_name=name_part(cert.subject, "common_name"),
        organisation=name_part(cert.subject, "organization_name"),
        signing_time=when,
        signing_time_source=source,
        coverage=coverage,
        modification_level=level.name if level is not None else None,
        problem=problem,
        issuer=name_part(cert.issuer, "common_name"),
        certificate_sha256=cert.sha256.hex(),
    )


def _evidence(status: PdfSignatureStatus) -> Evidence:
    level = status.modification_level
    seed_error = status.seed_value_constraint_error
    return Evidence(
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        bottom_line=status.bottom_line,
        coverage=status.coverage.name if status.coverage is not None else "UNCLEAR",
        modification_level=level.name if level is not None else None,
        docmdp_ok=status.docmdp_ok,
        trust_problem=describe_trust_problem(status, SIGNING_KEY_USAGE),
        timestamp_problem=_timestamp_problem(status),
        seed_value_problem=str(seed_error) if seed_error is not None else None,
    )


def _timestamp_problem(status: PdfSignatureStatus) -> tuple[Verdict, str] | None:
    problems: list[tuple[Verdict, str]] = []
    for what, ts in (
        ("signature timestamp", status.timestamp_validity),
        ("content timestamp", status.content_timestamp_validity),
    ):
        if ts is None or ts.trusted:
            continue
        if not (ts.intact and ts.valid):
            problems.append(("invalid", f"the {what} does not match what it stamps"))
        else:
            problems.append(("untrusted", f"the {what}'s authority is not trusted"))
    return max(problems, key=lambda p: SEVERITY[p[0]]) if problems else None


def _signing_time(
    status: PdfSignatureStatus,
) -> tuple[dt.datetime | None, Literal["timestamp", "signer"] | None]:
    """A trusted timestamp's time if there is one, else the time the signer claims."""
    ts = status.timestamp_validity
    if ts is not None and ts.trusted:
        return _aware(ts.timestamp), "timestamp"
    if status.signer_reported_dt is not None:
        return _aware(status.signer_reported_dt), "signer"
    return None, None


def _aware(moment: dt.datetime) -> dt.datetime:
    # A PDF date without an offset is of unknown zone; UTC is the least wrong reading.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _signer_cert(sig: EmbeddedPdfSignature) -> asn1_x509.Certificate | None:
    try:
        return sig.signer_cert
    except Exception:  # the certificate set itself may be what is broken
        return None


def _unprocessable(
    field_name: str, cert: asn1_x509.Certificate | None, exc: Exception
) -> SignatureVerdict:
    event(log, "signature_unprocessable", logging.WARNING, field=field_name, error=_one_line(exc))
    return SignatureVerdict(
        field_name=field_name,
        verdict="invalid",
        signer_name=name_part(cert.subject, "common_name") if cert else None,
        organisation=name_part(cert.subject, "organization_name") if cert else None,
        signing_time=None,
        signing_time_source=None,
        coverage=None,
        modification_level=None,
        problem=f"the signature could not be processed: {_one_line(exc)}",
        issuer=name_part(cert.issuer, "common_name") if cert else None,
        certificate_sha256=cert.sha256.hex() if cert else None,
    )


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())
