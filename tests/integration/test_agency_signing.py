"""The agency's signature on a leader-signed PDF, from a PKCS#12 file and from a SoftHSM token.

Every signed file is judged by the project's own checker (daemon.signatures) against the test
PKI's root, as the outbox will judge it before dispatch.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields

from daemon.config import SigningSettings
from daemon.dispatch.signing import (
    FIELD_NAME,
    AgencySigner,
    SignerUnavailable,
    SigningRefused,
    docmdp_forbids_signing,
)
from daemon.signatures import check_signatures
from tests.fixtures.pki import AGENCY, Pki, sign_pdf
from tests.fixtures.softhsm import SoftHsmToken

pytestmark = pytest.mark.slow

WHEN = dt.datetime(2026, 12, 3, 3, 15, tzinfo=dt.UTC)  # 10:15 in Hà Nội
WHEN_TEXT = "2026-12-03T10:15:00+07:00"
PASSPHRASE = "mat-khau-p12"


@pytest.fixture(scope="module")
def leader_signed(pki: Pki, unsigned_pdf: bytes) -> bytes:
    return sign_pdf(unsigned_pdf, pki.person, "NguoiKy")


@pytest.fixture(scope="module")
def p12_settings(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> SigningSettings:
    folder = tmp_path_factory.mktemp("p12")
    org = pki.organisation
    (folder / "coquan.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"coquan",
            org.key,
            org.cert,
            list(org.chain),
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    (folder / "passphrase").write_text(PASSPHRASE + "\n")
    return SigningSettings(
        pkcs12_file=folder / "coquan.p12",
        passphrase_file=folder / "passphrase",
        location="Thử Nghiệm",
    )


@pytest.fixture(scope="module")
def p12_signed(p12_settings: SigningSettings, leader_signed: bytes) -> bytes:
    return AgencySigner.from_settings(p12_settings).sign(leader_signed, when=WHEN)


def assert_leader_then_agency_valid(data: bytes, pki: Pki) -> None:
    first, second = check_signatures(data, pki.roots)
    assert (first.field_name, first.verdict, first.signer_name) == (
        "NguoiKy",
        "valid",
        "Nguyễn Văn An",
    )
    assert (first.coverage, first.modification_level) == ("ENTIRE_REVISION", "FORM_FILLING")
    assert (second.field_name, second.verdict, second.organisation) == (FIELD_NAME, "valid", AGENCY)
    assert (second.coverage, second.modification_level) == ("ENTIRE_FILE", "NONE")
    assert second.signing_time == WHEN


def agency_field(data: bytes) -> generic.DictionaryObject:
    reader = PdfFileReader(BytesIO(data))
    found = [ref for name, _v, ref in enumerate_sig_fields(reader) if name == FIELD_NAME]
    assert len(found) == 1
    return found[0].get_object()


def fonts_in(resources: generic.DictionaryObject) -> Iterator[generic.DictionaryObject]:
    """Every font of an appearance, also inside the form XObjects it draws."""
    for font in resources.get("/Font", generic.DictionaryObject()).values():
        yield font.get_object()
    for xobject in resources.get("/XObject", generic.DictionaryObject()).values():
        inner = xobject.get_object().get("/Resources")
        if inner is not None:
            yield from fonts_in(inner)


def visible_text(data: bytes, line_start: str = "") -> tuple[str, float]:
    """The first page's text as a viewer shows it, the stamp included (flattened by pdfium),
    and how wide the line from `line_start` to its end is drawn, in points."""
    pdf = pdfium.PdfDocument(data)
    try:
        pdf.init_forms()
        page = pdf[0]
        page.flatten()
        page.close()  # flattening rewrites the page: read it afresh
        textpage = pdf[0].get_textpage()
        text = textpage.get_text_range()
        start = text.index(line_start)
        end = start + len(text[start:].splitlines()[0].rstrip()) - 1  # its last character
        width = textpage.get_charbox(end)[2] - textpage.get_charbox(start)[0]
        return text, width
    finally:
        pdf.close()


def test_agency_signature_keeps_the_leaders_signature_valid(
    pki: Pki, leader_signed: bytes, p12_signed: bytes
) -> None:
    assert p12_signed.startswith(leader_signed)  # an incremental update: earlier bytes kept
    assert_leader_then_agency_valid(p12_signed, pki)
    ours = PdfFileReader(BytesIO(p12_signed)).embedded_signatures[-1]
    assert (ours.sig_object["/SubFilter"], ours.md_algorithm) == ("/ETSI.CAdES.detached", "sha256")
    assert (ours.sig_object["/Reason"], ours.sig_object["/Location"]) == (
        "Phát hành văn bản",
        "Thử Nghiệm",
    )


def test_stamp_is_the_fields_own_appearance_in_an_embedded_font(p12_signed: bytes) -> None:
    field = agency_field(p12_signed)
    _left, _bottom, right, top = (float(v) for v in field["/Rect"])
    page = PdfFileReader(BytesIO(p12_signed)).find_page_for_modification(0)[0].get_object()
    _, _, page_right, page_top = (float(v) for v in page["/MediaBox"])
    # in the top right corner of the first page, inside ND30's margins (20 mm top, 15 right)
    assert page_right - 57 < right < page_right and page_top - 20 < top < page_top
    assert field["/P"].get_object() == page
    fonts = list(fonts_in(field["/AP"]["/N"]["/Resources"]))
    assert fonts, "the stamp has no font"
    for font in fonts:
        assert "DejaVuSans" in str(font["/BaseFont"])
        descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_stamp_shows_the_agency_and_the_time_in_vietnam_time(p12_signed: bytes) -> None:
    text, width = visible_text(p12_signed, "Thời gian ký")
    assert AGENCY in text
    assert f"Thời gian ký: {WHEN_TEXT}" in " ".join(text.split())
    # drawn at its real width (DejaVu has 2048 units an em, PDF glyph space 1000): not cut off
    left, _bottom, right, _top = (float(v) for v in agency_field(p12_signed)["/Rect"])
    assert 100 < width < right - left


def test_signing_works_in_a_worker_thread_of_the_services_event_loop(
    pki: Pki, leader_signed: bytes, p12_settings: SigningSettings
) -> None:
    signer = AgencySigner.from_settings(p12_settings)

    async def service() -> bytes:
        return await asyncio.to_thread(signer.sign, leader_signed, when=WHEN)

    assert_leader_then_agency_valid(asyncio.run(service()), pki)


def test_agency_signature_from_the_token_keeps_the_leaders_signature_valid(
    pki: Pki, leader_signed: bytes, softhsm_token: SoftHsmToken
) -> None:
    signer = AgencySigner.from_settings(softhsm_token.settings())
    signed = signer.sign(leader_signed, when=WHEN)
    assert signed.startswith(leader_signed)
    assert_leader_then_agency_valid(signed, pki)
    assert WHEN_TEXT in visible_text(signed)[0]


def test_certificate_is_found_on_the_token_under_the_keys_id(
    pki: Pki, leader_signed: bytes, softhsm_token: SoftHsmToken
) -> None:
    signer = AgencySigner.from_settings(softhsm_token.settings(pkcs11_cert_file=None))
    assert signer.describe() == "key: id 01 on PKCS#11 token 'VanThu' (certificate not read yet)"
    report = signer.check()
    assert AGENCY in report and "id 01" in report and "'VanThu'" in report
    assert AGENCY in signer.describe()
    assert_leader_then_agency_valid(signer.sign(leader_signed, when=WHEN), pki)


def test_check_reports_a_missing_key_id_clearly(softhsm_token: SoftHsmToken) -> None:
    signer = AgencySigner.from_settings(softhsm_token.settings(pkcs11_key_id="02"))
    with pytest.raises(SignerUnavailable) as caught:
        signer.check()
    assert caught.value.reason == "no private key with id 02 on token 'VanThu'"
    assert caught.value.transient


def test_wrong_pin_makes_the_signer_unavailable(
    tmp_path: Path, leader_signed: bytes, softhsm_token: SoftHsmToken
) -> None:
    (tmp_path / "pin").write_text("000000\n")
    signer = AgencySigner.from_settings(softhsm_token.settings(pin_file=tmp_path / "pin"))
    with pytest.raises(SignerUnavailable, match="token 'VanThu' refused the PIN"):
        signer.sign(leader_signed, when=WHEN)
    with pytest.raises(SignerUnavailable, match="refused the PIN"):
        signer.check()


def test_absent_token_is_reported_with_the_tokens_present(softhsm_token: SoftHsmToken) -> None:
    signer = AgencySigner.from_settings(softhsm_token.settings(pkcs11_token_label="Khong Co"))
    with pytest.raises(SignerUnavailable, match=r"no token labelled 'Khong Co'.*'VanThu'"):
        signer.check()


def test_wrong_passphrase_makes_the_signer_unavailable(
    tmp_path: Path, p12_settings: SigningSettings
) -> None:
    (tmp_path / "passphrase").write_text("sai")
    signer = AgencySigner.from_settings(
        replace(p12_settings, passphrase_file=tmp_path / "passphrase")
    )
    with pytest.raises(SignerUnavailable, match="wrong passphrase"):
        signer.check()


def test_document_certified_against_any_change_is_refused_before_the_key_is_used(
    tmp_path: Path, pki: Pki, unsigned_pdf: bytes, p12_settings: SigningSettings
) -> None:
    certified = sign_pdf(
        unsigned_pdf, pki.person, "NguoiKy", certify=True, docmdp=MDPPerm.NO_CHANGES
    )
    assert "DocMDP P=1" in (docmdp_forbids_signing(certified) or "")
    # The passphrase file does not exist: reading the key first would raise SignerUnavailable.
    signer = AgencySigner.from_settings(replace(p12_settings, passphrase_file=tmp_path / "absent"))
    with pytest.raises(SigningRefused, match="DocMDP P=1") as caught:
        signer.sign(certified, when=WHEN)
    assert not caught.value.transient


def test_document_certified_for_form_filling_is_refused_too(
    pki: Pki, unsigned_pdf: bytes, p12_settings: SigningSettings
) -> None:
    # pyHanko's diff analysis rejects a new visible signature field after any certification
    certified = sign_pdf(
        unsigned_pdf, pki.person, "NguoiKy", certify=True, docmdp=MDPPerm.FILL_FORMS
    )
    with pytest.raises(SigningRefused, match=r"certifies the document \(DocMDP P=2\)"):
        AgencySigner.from_settings(p12_settings).sign(certified, when=WHEN)


def test_leader_signed_document_is_allowed(leader_signed: bytes) -> None:
    assert docmdp_forbids_signing(leader_signed) is None


def test_encrypted_pdf_is_refused(unsigned_pdf: bytes, p12_settings: SigningSettings) -> None:
    writer = copy_into_new_writer(PdfFileReader(BytesIO(unsigned_pdf)))
    writer.encrypt("chu-so-huu", "nguoi-doc")
    out = BytesIO()
    writer.write(out)
    with pytest.raises(SigningRefused, match="encrypted"):
        AgencySigner.from_settings(p12_settings).sign(out.getvalue())
