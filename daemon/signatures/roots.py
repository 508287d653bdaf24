"""The trust roots the office configures: a folder of certificates (`[trust] roots_dir`).

Each file may hold one PEM certificate, a PEM bundle, or one DER certificate (government CAs
publish `.cer`/`.crt` files in either form). Every bad file is named in one error, so the
administrator can fix them all at once instead of one per restart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

from daemon.errors import PermanentError
from daemon.logs import event

log = logging.getLogger(__name__)

CERT_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der"})


class TrustRootError(PermanentError):
    """The trust-root folder is missing or holds files that are not certificates."""

    def __init__(self, folder: Path, problems: list[str]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__(f"trust roots in {folder}: " + "; ".join(problems))


def load_trust_roots(folder: Path, *, warn: bool = True) -> list[asn1_x509.Certificate]:
    """Every certificate in `folder` (not recursive), deduplicated, in file-name order.

    Files whose suffix is not a certificate suffix (README, notes) are skipped. An empty folder
    gives an empty list: every signature then reads as untrusted, which `vanthu doctor` reports.
    `warn` logs roots that cannot do their job (expired, not a CA, none at all); the doctor,
    which says so in its own report, turns it off.
    """
    if not folder.is_dir():
        raise TrustRootError(folder, ["not a folder (set [trust] roots_dir)"])
    roots: dict[bytes, asn1_x509.Certificate] = {}
    problems: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in CERT_SUFFIXES:
            continue
        try:
            for cert in _read_file(path):
                roots.setdefault(hashlib.sha256(cert.dump()).digest(), cert)
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: {exc}")
    if problems:
        raise TrustRootError(folder, problems)
    if warn:
        _warn_about(folder, list(roots.values()))
    return list(roots.values())


def _read_file(path: Path) -> list[asn1_x509.Certificate]:
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("empty file")
    if pem.detect(data):
        return _read_pem(data)
    return [_parse_der(data)]


def _read_pem(data: bytes) -> list[asn1_x509.Certificate]:
    certs = []
    for index, (kind, _headers, der) in enumerate(pem.unarmor(data, multiple=True), start=1):
        if kind != "CERTIFICATE":
            raise ValueError(f"PEM block {index} is a {kind}, not a CERTIFICATE")
        try:
            certs.append(_parse_der(der))
        except ValueError as exc:
            raise ValueError(f"PEM block {index}: {exc}") from exc
    if not certs:
        raise ValueError("no certificate in the file")
    return certs


def _parse_der(der: bytes) -> asn1_x509.Certificate:
    try:
        cert = asn1_x509.Certificate.load(der, strict=True)
        cert.native  # noqa: B018 - forces a full parse so damage shows here, not mid-validation
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, OverflowError...
        raise ValueError(f"not a certificate ({type(exc).__name__}: {exc})") from exc
    return cert


def _warn_about(folder: Path, roots: list[asn1_x509.Certificate]) -> None:
    """Log roots that cannot do their job, without refusing them (the office decides)."""
    now = dt.datetime.now(dt.UTC)
    for cert in roots:
        name = cert.subject.human_friendly
        if cert.not_valid_after < now:
            event(
                log,
                "trust_root_expired",
                logging.WARNING,
                root=name,
                expired=cert.not_valid_after.isoformat(),
            )
        if not cert.ca:
            event(log, "trust_root_not_ca", logging.WARNING, root=name)
    if not roots:
        event(log, "trust_roots_empty", logging.WARNING, folder=str(folder))
