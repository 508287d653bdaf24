"""Signature checks end to end: a generated PKI, PDFs signed and tampered with by pyHanko."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

import pytest

from daemon.signatures import (
    SignatureVerdict,
    UnreadablePdf,
    async_check_signatures,
    check_signatures,
    load_trust_roots,
    summarise,
)
from tests.fixtures.pki import (
    AGENCY,
    Pki,
    append_content,
    append_rotation,
    flip_signed_byte,
    sign_pdf,
)


@pytest.fixture(scope="module")
def signed(pki: Pki, unsigned_pdf: bytes) -> bytes:
    return sign_pdf(unsigned_pdf, pki.person, "NguoiKy")


@pytest.fixture(scope="module")
def signed_twice(pki: Pki, signed: bytes) -> bytes:
    return sign_pdf(signed, pki.organisation, "CoQuan")


def only(verdicts: list[SignatureVerdict]) -> SignatureVerdict:
    assert len(verdicts) == 1
    return verdicts[0]


def test_valid_signature_reports_signer_time_and_coverage(pki: Pki, signed: bytes) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    v = only(check_signatures(signed, pki.roots))
    assert v.verdict == "valid" and v.problem is None
    assert (v.field_name, v.signer_name, v.organisation) == ("NguoiKy", "Nguyễn Văn An", AGENCY)
    assert v.issuer == "Vanthu Test Signing CA"
    assert (v.coverage, v.modification_level) == ("ENTIRE_FILE", "NONE")
    assert v.signing_time is not None and v.signing_time.tzinfo is not None
    assert v.signing_time <= before + dt.timedelta(seconds=1)
    assert v.signing_time_source == "signer"
    assert v.certificate_sha256 == pki.person.asn1.sha256.hex()


def test_roots_loaded_from_a_folder_work(tmp_path: Path, pki: Pki, signed: bytes) -> None:
    roots = load_trust_roots(pki.write_roots(tmp_path / "trust"))
    assert only(check_signatures(signed, roots)).verdict == "valid"


def test_without_the_root_the_same_file_is_untrusted(pki: Pki, signed: bytes) -> None:
    v = only(check_signatures(signed, []))
    assert v.verdict == "untrusted"
    assert v.problem and "no configured trust root" in v.problem


def test_signer_under_an_unrelated_root_is_untrusted(pki: Pki, unsigned_pdf: bytes) -> None:
    v = only(check_signatures(sign_pdf(unsigned_pdf, pki.foreign, "Sig"), pki.roots))
    assert (v.verdict, v.signer_name, v.organisation) == (
        "untrusted",
        "Trần Thị Bình",
        "Công ty Giả Mạo",
    )
    assert v.problem and "Unrelated Root CA" in v.problem


def test_expired_certificate_is_untrusted_and_says_so(pki: Pki, unsigned_pdf: bytes) -> None:
    data = sign_pdf(unsigned_pdf, pki.expired, "Sig")
    v = only(check_signatures(data, pki.roots))
    assert v.verdict == "untrusted"
    expiry = pki.expired.cert.not_valid_after_utc.date().isoformat()
    assert v.problem and f"expired on {expiry}" in v.problem
    # the bytes are intact: only trust is missing, so it is not "invalid" or "modified"
    assert v.coverage == "ENTIRE_FILE"


def test_expired_certificate_checked_at_a_time_it_was_valid(pki: Pki, unsigned_pdf: bytes) -> None:
    data = sign_pdf(unsigned_pdf, pki.expired, "Sig")
    at = pki.expired.cert.not_valid_after_utc - dt.timedelta(days=1)
    assert only(check_signatures(data, pki.roots, at=at)).verdict == "valid"


def test_expired_issuing_ca_is_untrusted_and_named(pki: Pki, unsigned_pdf: bytes) -> None:
    v = only(check_signatures(sign_pdf(unsigned_pdf, pki.under_expired_ca, "Sig"), pki.roots))
    assert v.verdict == "untrusted"
    assert v.problem and "'Vanthu Old Signing CA' expired on" in v.problem


def test_certificate_without_signing_key_usage_is_untrusted(pki: Pki, unsigned_pdf: bytes) -> None:
    v = only(check_signatures(sign_pdf(unsigned_pdf, pki.no_signing_usage, "Sig"), pki.roots))
    assert v.verdict == "untrusted"
    assert v.problem and "may not sign documents" in v.problem


def test_organisation_certificate_without_non_repudiation_is_accepted(
    pki: Pki, unsigned_pdf: bytes
) -> None:
    v = only(check_signatures(sign_pdf(unsigned_pdf, pki.organisation, "Sig"), pki.roots))
    assert (v.verdict, v.signer_name) == ("valid", AGENCY)


@pytest.mark.parametrize("tamper", [append_rotation, append_content])
def test_incremental_change_after_signing_is_modified(pki: Pki, signed: bytes, tamper) -> None:
    v = only(check_signatures(tamper(signed), pki.roots))
    assert v.verdict == "modified"
    assert (v.coverage, v.modification_level) == ("ENTIRE_REVISION", "OTHER")
    assert v.problem and "changed after signing" in v.problem


def test_flipped_byte_in_signed_range_is_invalid(pki: Pki, signed: bytes) -> None:
    v = only(check_signatures(flip_signed_byte(signed), pki.roots))
    assert v.verdict == "invalid"
    assert v.problem and "hash does not match" in v.problem


def test_person_then_organisation_both_valid(pki: Pki, signed_twice: bytes) -> None:
    first, second = check_signatures(signed_twice, pki.roots)
    assert (first.field_name, first.verdict) == ("NguoiKy", "valid")
    assert (first.coverage, first.modification_level) == ("ENTIRE_REVISION", "FORM_FILLING")
    assert (second.field_name, second.verdict, second.organisation) == ("CoQuan", "valid", AGENCY)
    assert (second.coverage, second.modification_level) == ("ENTIRE_FILE", "NONE")
    assert summarise([first, second])[0] == "valid"


def test_change_after_both_signatures_marks_both_modified(pki: Pki, signed_twice: bytes) -> None:
    verdicts = check_signatures(append_rotation(signed_twice), pki.roots)
    assert [v.verdict for v in verdicts] == ["modified", "modified"]


def test_damaged_signature_is_invalid_and_the_others_still_judged(
    pki: Pki, signed_twice: bytes
) -> None:
    # Zero the first signature's CMS: it cannot be loaded, and since it lies inside the second
    # signature's byte range, the second no longer verifies either.
    match = re.search(rb"/Contents <([0-9a-fA-F]+)>", signed_twice)
    assert match
    start, end = match.span(1)
    damaged = signed_twice[:start] + b"0" * (end - start) + signed_twice[end:]
    verdicts = {v.field_name: v for v in check_signatures(damaged, pki.roots)}
    assert verdicts["NguoiKy"].verdict == "invalid"
    assert (verdicts["NguoiKy"].problem or "").startswith("the signature could not be processed")
    assert verdicts["CoQuan"].verdict == "invalid"
    assert summarise(list(verdicts.values()))[0] == "invalid"


def test_unsigned_pdf_has_no_verdicts(pki: Pki, unsigned_pdf: bytes) -> None:
    assert check_signatures(unsigned_pdf, pki.roots) == []
    assert summarise([])[0] == "unsigned"


@pytest.mark.parametrize("data", [b"", b"garbage, not a PDF", b"%PDF-1.7\n1 0 obj\n<<"])
def test_unparseable_bytes_raise_unreadable_pdf(pki: Pki, data: bytes) -> None:
    with pytest.raises(UnreadablePdf, match="not a readable PDF"):
        check_signatures(data, pki.roots)


def test_async_api_inside_a_running_loop(pki: Pki, signed_twice: bytes) -> None:
    async def main() -> tuple[list[SignatureVerdict], list[SignatureVerdict]]:
        # two files at once on one loop, each signature with its own validation context
        return await asyncio.gather(
            async_check_signatures(signed_twice, pki.roots),
            async_check_signatures(append_rotation(signed_twice), pki.roots),
        )

    good, tampered = asyncio.run(main())
    assert [v.verdict for v in good] == ["valid", "valid"]
    assert [v.verdict for v in tampered] == ["modified", "modified"]
    assert good == check_signatures(signed_twice, pki.roots)


def test_sync_api_refuses_a_running_loop(pki: Pki, signed: bytes) -> None:
    async def main() -> None:
        check_signatures(signed, pki.roots)

    with pytest.raises(RuntimeError, match="async_check_signatures"):
        asyncio.run(main())


def test_async_api_rejects_a_naive_moment(pki: Pki, signed: bytes) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        check_signatures(signed, pki.roots, at=dt.datetime(2025, 1, 1))


def test_the_reading_processes_check_signatures_as_the_library_does(
    tmp_path: Path, pki: Pki, signed_twice: bytes
) -> None:
    """The service hands untrusted PDFs to pyHanko only in its reading processes (their memory
    limits and deadlines apply); the verdicts that come back are the same."""
    from daemon.config import ReadingSettings
    from daemon.ocr.reader import Reader

    roots = pki.write_roots(tmp_path / "trust")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_twice)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + b"\x00" * 100)
    with Reader(ReadingSettings(workers=1)) as reader:
        verdicts = reader.signatures(path, roots)
        assert verdicts == tuple(check_signatures(signed_twice, load_trust_roots(roots)))
        assert [v.verdict for v in verdicts] == ["valid", "valid"]
        with pytest.raises(UnreadablePdf):
            reader.signatures(garbage, roots)
