"""Why a signer's certificate is not trusted, in words a clerk can act on.

pyHanko reports trust failures as an AdES sub-indication and logs the detail; the detail is
rebuilt here from the certificate and path, so the register records a reason such as "the
signer's certificate expired on 2025-03-01" rather than OUT_OF_BOUNDS_NO_POE.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from asn1crypto import x509 as asn1_x509
from pyhanko.sign.ades.report import AdESIndeterminate, AdESSubIndic
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator.errors import InvalidCertificateError

_EXPIRY = {
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
}
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}
_WEAK = {
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE,
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
}


def describe_trust_problem(status: PdfSignatureStatus, usage: KeyUsageConstraints) -> str | None:
    """None when trusted, or when trust was never evaluated (the signature itself is broken)."""
    indic = status.trust_problem_indic
    if indic is None:
        return None
    moment = status.validation_time or dt.datetime.now(dt.UTC)
    cert = status.signing_cert
    if indic in _EXPIRY:
        claimed = status.signer_reported_dt
        return _validity_problem(cert, moment, claimed, "the signer's certificate")
    if indic in _REVOKED:
        return _revocation_problem(status)
    if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        issuer = name_part(cert.issuer, "common_name") or cert.issuer.human_friendly
        return f"no configured trust root vouches for the certificate (issued by {issuer})"
    if indic == AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE:
        return _usage_problem(cert, usage) or "the certificate chain breaks a CA constraint"
    if indic in _WEAK:
        return "the signature or its certificate chain uses an algorithm no longer accepted"
    if indic == AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE:
        return _chain_problem(status, moment)
    return f"the certificate could not be validated ({_indic_name(indic)})"


def _validity_problem(
    cert: asn1_x509.Certificate, moment: dt.datetime, claimed: dt.datetime | None, which: str
) -> str:
    if moment < cert.not_valid_before:
        return f"{which} is not valid before {_day(cert.not_valid_before)}"
    text = f"{which} expired on {_day(cert.not_valid_after)}"
    if claimed is not None and claimed.tzinfo is not None and claimed > cert.not_valid_after:
        text += ", before the time the signer gives for signing"
    return text


def _revocation_problem(status: PdfSignatureStatus) -> str:
    details = status.revocation_details
    if details is None:
        return "a certificate in the chain is revoked"
    whose = "an issuing CA's" if details.ca_revoked else "the signer's"
    return f"{whose} certificate was revoked on {_day(details.revocation_date)}"


def _usage_problem(cert: asn1_x509.Certificate, usage: KeyUsageConstraints) -> str | None:
    try:
        usage.validate(cert)
    except InvalidCertificateError as exc:
        return f"the certificate may not sign documents: {exc.failure_msg}"
    return None


def _chain_problem(status: PdfSignatureStatus, moment: dt.datetime) -> str:
    """A failure higher up the chain: most often an expired intermediate or root."""
    path = status.validation_path
    if path is not None:
        for cert in path.iter_certs(include_root=True):
            if not cert.not_valid_before <= moment <= cert.not_valid_after:
                which = (
                    "the signer's certificate"
                    if cert.sha256 == status.signing_cert.sha256
                    else f"the CA certificate '{name_part(cert.subject, 'common_name')}'"
                )
                return _validity_problem(cert, moment, None, which)
    return "the certificate chain failed validation"


def _indic_name(indic: AdESSubIndic) -> str:
    return str(getattr(indic, "name", indic))


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).date().isoformat()


def name_part(name: asn1_x509.Name, attribute: str) -> str | None:
    """One attribute of a certificate name as NFC text; repeated values joined by ', '."""
    value = name.native.get(attribute)
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    text = ", ".join(unicodedata.normalize("NFC", str(v)).strip() for v in values)
    return text or None
