"""The agency's own digital signature (ký số của cơ quan, Nghị định 30/2020 Điều 32, Phụ lục I).

An outgoing document is signed first by the person with authority; the văn thư then adds the
agency's signature before issuing it. pyHanko makes that second signature:

- as an incremental update (PAdES, SHA-256): the leader's signature stays valid, covering its
  revision with form filling after it, while ours covers the whole file;
- with a visible stamp that is the signature field's own appearance (`SigFieldSpec` + a stamp
  style): text drawn onto the page after a signature would invalidate it (pyHanko #259); in an
  embedded TrueType font, as the standard PDF fonts cannot show Vietnamese; naming the agency
  and the signing time in ISO 8601, Vietnam time (+07:00), as Phụ lục I asks;
- never where a certification or field lock would be broken: refused before the key is used.

The key is a PKCS#12 file or sits on a PKCS#11 token (Viettel-CA, VNPT-CA... USB tokens), which
label keys and certificates differently (pyHanko #457): the key is selected by id and the
certificate comes from a file or from the token under the key's id. One token session per
signature, one at a time (a token serves one login). `sign` runs pyHanko's async signer on its
own event loop: call it from a worker thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pkcs11
from asn1crypto import pem
from asn1crypto.x509 import Certificate
from pkcs11 import Attribute, ObjectClass
from pkcs11.exceptions import PinIncorrect, PKCS11Error
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.signers import Signer
from pyhanko.sign.signers.pdf_signer import PdfSigningSession

from daemon.config import ConfigError, SigningSettings, read_secret
from daemon.dispatch.stamp import FontUnusable, check_font, stamp_box, stamp_style
from daemon.errors import PermanentError, TransientError
from daemon.signatures.trust import name_part

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIELD_NAME = "KySoCoQuan"

_TOKEN_LOCK = threading.Lock()  # one PKCS#11 login at a time in this process


class SigningRefused(PermanentError):
    """The document must not be signed by us (certified against changes, encrypted, broken)."""


class SignerUnavailable(TransientError):
    """The agency's key cannot be used now: token absent, PIN refused, file unreadable."""


def docmdp_forbids_signing(pdf: bytes) -> str | None:
    """Why a further signature would break the document's certification or locks, else None.

    Raises SigningRefused when the bytes are not a PDF we could sign at all.
    """
    return _docmdp_problem(_open_for_signing(pdf).prev)


def _open_for_signing(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
    except Exception as exc:  # a hostile file can break the parser in many ways
        raise SigningRefused(f"not a PDF that can be signed: {_one_line(exc)}") from exc
    if writer.prev.encrypted:
        raise SigningRefused("the PDF is encrypted: it cannot be signed without its password")
    return writer


def _docmdp_problem(reader: PdfFileReader) -> str | None:
    # Validators (pyHanko, so vanthu's own check too; stricter than Acrobat) accept no new
    # visible signature field after a certification signature, whatever its P, nor in a form
    # whose fields an earlier signature locked: our stamp would mark that signature modified.
    try:
        field = _free_field_name(reader)
        found = [(s.field_name, s.docmdp_level, s.fieldmdp) for s in reader.embedded_signatures]
    except Exception as exc:
        raise SigningRefused(f"cannot read the document's signatures: {_one_line(exc)}") from exc
    for name, level, locks in found:
        if level == fields.MDPPerm.NO_CHANGES:
            return (
                f"the signature in field {name!r} allows no change (DocMDP P=1): another "
                "signature would invalidate it"
            )
        if level is not None:
            return (
                f"the signature in field {name!r} certifies the document (DocMDP P={level.value})"
                ": a visible signature added after a certification counts as a modification; "
                "ask the signer for an ordinary (approval) signature"
            )
        if locks is not None and locks.is_locked(field):
            return f"the signature in field {name!r} locks the form fields against a new one"
    return None


class AgencySigner:
    """Signs outgoing PDFs with the agency's certificate, from a PKCS#12 file or a token."""

    def __init__(self, settings: SigningSettings) -> None:
        self._settings = settings
        self._key_id = _parse_key_id(settings.pkcs11_key_id)
        self._cert: Certificate | None = None  # known once the key was opened

    @classmethod
    def from_settings(cls, settings: SigningSettings) -> AgencySigner:
        """Opens nothing (`check` and `sign` do); the config loader checked the rest."""
        if (settings.pkcs12_file is None) == (settings.pkcs11_library is None):
            raise ConfigError("[signing]: give either pkcs12_file or pkcs11_library")
        return cls(settings)

    def describe(self) -> str:
        """Whose certificate signs, and where its key is (without opening anything)."""
        if self._cert is None:
            return f"key: {self._key_location()} (certificate not read yet)"
        return f"{_describe_cert(self._cert)}; key: {self._key_location()}"

    def check(self) -> str:
        """Open the file or token, find key and certificate, sign nothing (`vanthu doctor`)."""
        _usable_font(self._settings.stamp_font)
        with self._open_signer() as (_signer, cert):
            _require_valid(cert, dt.datetime.now(dt.UTC))
        return f"{_describe_cert(cert)}; key: {self._key_location()}"

    def sign(self, pdf: bytes, *, when: dt.datetime | None = None) -> bytes:
        """The PDF with the agency's signature appended as an incremental update.

        `when` (tz-aware, default now) is the signing time, shown on the stamp in Vietnam time
        and recorded in the signature. Raises SigningRefused, SignerUnavailable.
        """
        moment = _signing_moment(when)
        writer = _open_for_signing(pdf)
        problem = _docmdp_problem(writer.prev)
        if problem is not None:
            raise SigningRefused(problem)
        _usable_font(self._settings.stamp_font)
        with self._open_signer() as (signer, cert):
            _require_valid(cert, dt.datetime.now(dt.UTC))
            pdf_signer = self._pdf_signer(signer, cert, writer.prev, moment)
            org = "\n".join(textwrap.wrap(_organisation(cert), width=48))
            params = {"org": org, "when": moment.isoformat()}
            try:
                out = _run(pdf_signer.async_sign_pdf(writer, appearance_text_params=params))
            except PKCS11Error as exc:
                raise SignerUnavailable(f"the token failed: {_one_line(exc)}") from exc
            except (SigningError, PdfError) as exc:
                raise SigningRefused(f"pyHanko could not sign: {_one_line(exc)}") from exc
        return bytes(out.getvalue())

    def sign_data(self, data: bytes) -> bytes:
        """A detached CMS signature (DER) of `data` by the agency's key: what signs the audit
        anchors. Raises SignerUnavailable."""
        with self._open_signer() as (signer, cert):
            _require_valid(cert, dt.datetime.now(dt.UTC))
            try:
                signed = _run(signer.async_sign_general_data(data, "sha256", detached=True))
            except PKCS11Error as exc:
                raise SignerUnavailable(f"the token failed: {_one_line(exc)}") from exc
        return bytes(signed.dump())

    def _pdf_signer(
        self,
        signer: Signer,
        cert: Certificate,
        reader: PdfFileReader,
        moment: dt.datetime,
    ) -> _TimedPdfSigner:
        name = _free_field_name(reader)
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=self._settings.reason or None,
            location=self._settings.location or None,
            name=_organisation(cert),
        )
        spec = fields.SigFieldSpec(sig_field_name=name, on_page=0, box=stamp_box(reader))
        return _TimedPdfSigner(
            moment,
            meta,
            signer,
            stamp_style=stamp_style(self._settings.stamp_font),
            new_field_spec=spec,
        )

    @contextmanager
    def _open_signer(self) -> Iterator[tuple[Signer, Certificate]]:
        if self._settings.pkcs12_file is not None:
            simple = self._pkcs12_signer(self._settings.pkcs12_file)
            self._cert = simple.signing_cert
            yield simple, simple.signing_cert
            return
        with _TOKEN_LOCK, self._token_session() as session:
            signer, cert = self._token_signer(session)
            self._cert = cert
            yield signer, cert

    def _pkcs12_signer(self, path: Path) -> signers.SimpleSigner:
        s = self._settings
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SignerUnavailable(f"cannot read the PKCS#12 file {path}: {exc.strerror}") from exc
        secret = _secret("passphrase", s.passphrase_file, s.passphrase_env, s.passphrase_credential)
        passphrase = secret.encode() if secret is not None else None
        try:
            return signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=passphrase)
        except Exception as exc:  # ValueError, or AttributeError when it holds no certificate
            raise SignerUnavailable(
                f"cannot open the PKCS#12 file {path}: wrong passphrase, or no key and certificate"
            ) from exc

    def _token_session(self) -> pkcs11.Session:
        s = self._settings
        pin = _secret("PIN", s.pin_file, s.pin_env, s.pin_credential)
        try:
            lib = pkcs11.lib(str(s.pkcs11_library))
            present = [slot.get_token() for slot in lib.get_slots(token_present=True)]
        except (PKCS11Error, OSError, RuntimeError) as exc:
            raise SignerUnavailable(
                f"cannot use the PKCS#11 library {s.pkcs11_library}: {_one_line(exc)}"
            ) from exc
        token = next((t for t in present if t.label == s.pkcs11_token_label), None)
        if token is None:
            labels = ", ".join(repr(t.label) for t in present) or "none"
            raise SignerUnavailable(
                f"no token labelled {s.pkcs11_token_label!r} is plugged in (present: {labels})"
            )
        try:
            return token.open(user_pin=pin)
        except PinIncorrect as exc:
            raise SignerUnavailable(f"token {token.label!r} refused the PIN") from exc
        except PKCS11Error as exc:
            raise SignerUnavailable(f"cannot log in to {token.label!r}: {_one_line(exc)}") from exc

    def _token_signer(self, session: pkcs11.Session) -> tuple[Signer, Certificate]:
        s = self._settings
        key_label = s.pkcs11_key_label or None
        query = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
        wanted = {Attribute.ID: self._key_id, Attribute.LABEL: key_label}  # as PKCS11Signer does
        keys = _objects(session, query | {k: v for k, v in wanted.items() if v is not None})
        where = f"on token {s.pkcs11_token_label!r}"
        if not keys:
            raise SignerUnavailable(f"no private key with {self._key_wanted()} {where}")
        if len(keys) > 1:
            raise SignerUnavailable(
                f"{len(keys)} private keys match {self._key_wanted()} {where}: name it by id"
            )
        cert, chain = self._token_certificate(session, keys[0][Attribute.ID])
        signer = PKCS11Signer(
            session,
            signing_cert=cert,
            ca_chain=chain,
            # Without a chain file, embed the CA certificates tokens usually carry too.
            other_certs_to_pull=() if chain else None,
            key_id=self._key_id,
            key_label=key_label,
            # Hash here, sign on the token: every token has plain ECDSA, not all ECDSA-SHA256.
            use_raw_mechanism=cert.public_key.algorithm == "ec",
        )
        return signer, cert

    def _token_certificate(
        self, session: pkcs11.Session, key_id: bytes
    ) -> tuple[Certificate, list[Certificate]]:
        """The signer's certificate and the chain to embed with it (from the file only)."""
        if self._settings.pkcs11_cert_file is not None:
            cert, *chain = _read_cert_file(self._settings.pkcs11_cert_file)
            return cert, chain
        query = {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: key_id}
        found = _objects(session, query) if key_id else []
        if len(found) != 1:
            raise SignerUnavailable(
                f"{len(found)} certificates with the key's id {key_id.hex() or '(none)'} on the "
                "token, not one: set [signing] pkcs11_cert_file"
            )
        return Certificate.load(found[0][Attribute.VALUE]), []

    def _key_wanted(self) -> str:
        s = self._settings
        parts = [f"id {s.pkcs11_key_id}"] if s.pkcs11_key_id else []
        parts += [f"label {s.pkcs11_key_label!r}"] if s.pkcs11_key_label else []
        return " and ".join(parts)

    def _key_location(self) -> str:
        s = self._settings
        if s.pkcs12_file is not None:
            return f"PKCS#12 file {s.pkcs12_file}"
        return f"{self._key_wanted()} on PKCS#11 token {s.pkcs11_token_label!r}"


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given, so stamp, /M and CMS show the same moment."""

    def __init__(self, moment: dt.datetime, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._moment = moment

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._moment
        return session


def _free_field_name(reader: PdfFileReader) -> str:
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    name, n = FIELD_NAME, 1
    while name in taken:  # signed by the agency before (a corrected reissue, say)
        n += 1
        name = f"{FIELD_NAME}_{n}"
    return name


def _organisation(cert: Certificate) -> str:
    subject = cert.subject
    org = name_part(subject, "organization_name") or name_part(subject, "common_name")
    return org or subject.human_friendly


def _describe_cert(cert: Certificate) -> str:
    who = name_part(cert.subject, "common_name") or cert.subject.human_friendly
    issuer = name_part(cert.issuer, "common_name") or cert.issuer.human_friendly
    until = cert.not_valid_after.astimezone(VIETNAM).date().isoformat()
    return f"{who} (certificate {cert.serial_number:X} by {issuer}, valid until {until})"


def _require_valid(cert: Certificate, now: dt.datetime) -> None:
    # Out of its validity every recipient rejects the signature: better not to sign at all.
    start, end = cert.not_valid_before, cert.not_valid_after
    if not start <= now <= end:
        raise SignerUnavailable(
            f"the agency certificate is valid from {start.date()} to {end.date()} only: renew it"
        )


def _usable_font(font: Path) -> None:
    try:
        check_font(font)
    except FontUnusable as exc:
        raise SignerUnavailable(
            f"the stamp font {font} is unusable ({exc}): install fonts-dejavu-core "
            "or set [signing] stamp_font"
        ) from exc


def _read_cert_file(path: Path) -> list[Certificate]:
    """The agency's certificate, then the chain above it when the file is a PEM bundle."""
    try:
        data = path.read_bytes()
        blocks = pem.unarmor(data, multiple=True) if pem.detect(data) else [("", {}, data)]
        certs = [Certificate.load(der, strict=True) for _, _, der in blocks]
        for cert in certs:
            cert.native  # noqa: B018 - parse it all now, not halfway through signing
    except Exception as exc:  # OSError, or asn1crypto's ValueError, TypeError...
        raise SignerUnavailable(f"unusable certificate file {path}: {_one_line(exc)}") from exc
    if not certs:
        raise SignerUnavailable(f"{path} holds no certificate")
    return certs


def _secret(what: str, file: Path | None, env: str | None, credential: str | None) -> str | None:
    # An unreadable PIN file or a credential not yet mounted may be fixed without touching the
    # document: the job waits and retries instead of failing.
    try:
        return read_secret(f"[signing] {what}", file, env, credential)
    except ConfigError as exc:
        raise SignerUnavailable(exc.reason) from exc


def _objects(session: pkcs11.Session, query: dict[Attribute, Any]) -> list[Any]:
    try:
        return list(session.get_objects(query))
    except PKCS11Error as exc:
        raise SignerUnavailable(f"cannot search the token: {_one_line(exc)}") from exc


def _parse_key_id(text: str) -> bytes | None:
    try:
        return bytes.fromhex(text.replace(":", "")) if text else None
    except ValueError as exc:
        raise ConfigError(f"[signing] pkcs11_key_id: not hexadecimal: {text!r}") from exc


def _signing_moment(when: dt.datetime | None) -> dt.datetime:
    if when is not None and when.tzinfo is None:
        raise ValueError("when: must be timezone-aware")
    moment = when or dt.datetime.now(dt.UTC)
    return moment.astimezone(VIETNAM).replace(microsecond=0)


def _run(coro: Any) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    coro.close()
    raise RuntimeError("AgencySigner.sign called inside an event loop: run it in a worker thread")


def check_data_signature(data: bytes, signature: bytes) -> tuple[bool, str]:
    """(intact, signer) of a detached CMS signature over `data`: whether the data is what was
    signed and the signature is the certificate's, and whose certificate it is."""
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    try:
        signed_data = cms.ContentInfo.load(signature)["content"]
        status = _run(async_validate_detached_cms(data, signed_data))
    except Exception as exc:  # noqa: BLE001 - anything unreadable is a broken signature
        return False, f"unreadable signature ({_one_line(exc)})"
    return bool(status.intact and status.valid), _organisation(status.signing_cert)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())  # python-pkcs11's errors often have no message at all
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
