"""The verdict rules and the summary, on plain values (no PDF, no pyHanko)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import replace

import pytest
from asn1crypto import x509 as asn1_x509

from daemon.signatures import SignatureVerdict, summarise
from daemon.signatures.trust import name_part
from daemon.signatures.verdict import Evidence, decide

CLEAN = Evidence(
    intact=True,
    valid=True,
    trusted=True,
    bottom_line=True,
    coverage="ENTIRE_FILE",
    modification_level="NONE",
    docmdp_ok=True,
)


def test_clean_evidence_is_valid_without_a_problem() -> None:
    assert decide(CLEAN) == ("valid", None)


@pytest.mark.parametrize("level", ["NONE", "LTA_UPDATES", "FORM_FILLING"])
def test_a_later_signature_or_timestamp_is_tolerated(level: str) -> None:
    ev = replace(CLEAN, coverage="ENTIRE_REVISION", modification_level=level)
    assert decide(ev) == ("valid", None)


@pytest.mark.parametrize(
    ("level", "docmdp_ok", "words"),
    [
        ("OTHER", False, "content or page changes"),
        ("ANNOTATIONS", True, "annotations added"),  # tolerated by DocMDP 3, not by us
        ("FORM_FILLING", False, "against the document's permissions"),
        (None, None, "could not be checked"),
    ],
)
def test_changes_after_signing_are_modified(
    level: str | None, docmdp_ok: bool | None, words: str
) -> None:
    # intact, valid and trusted stay True after such a change (NOTES.md): they must not decide
    ev = replace(
        CLEAN,
        coverage="ENTIRE_REVISION",
        modification_level=level,
        docmdp_ok=docmdp_ok,
        bottom_line=False,
    )
    verdict, problem = decide(ev)
    assert verdict == "modified"
    assert problem is not None and words in problem


def test_bytes_appended_outside_a_revision_are_modified() -> None:
    ev = replace(CLEAN, coverage="CONTIGUOUS_BLOCK_FROM_START", modification_level="OTHER")
    assert decide(ev)[0] == "modified"


def test_a_byte_range_with_holes_is_invalid() -> None:
    assert decide(replace(CLEAN, coverage="UNCLEAR"))[0] == "invalid"


@pytest.mark.parametrize(("intact", "valid"), [(False, True), (True, False)])
def test_a_broken_hash_or_signature_value_is_invalid(intact: bool, valid: bool) -> None:
    ev = replace(CLEAN, intact=intact, valid=valid, trusted=False, bottom_line=False)
    verdict, problem = decide(ev)
    assert verdict == "invalid"
    assert problem


def test_trust_problem_gives_untrusted_with_its_reason() -> None:
    ev = replace(
        CLEAN,
        trusted=False,
        bottom_line=False,
        trust_problem="the signer's certificate expired on 2025-01-01",
    )
    assert decide(ev) == ("untrusted", "the signer's certificate expired on 2025-01-01")


def test_worst_finding_wins_and_every_reason_is_kept() -> None:
    ev = replace(
        CLEAN,
        intact=False,
        trusted=False,
        bottom_line=False,
        coverage="ENTIRE_REVISION",
        modification_level="OTHER",
        docmdp_ok=False,
        trust_problem="no configured trust root vouches for the certificate",
    )
    verdict, problem = decide(ev)
    assert verdict == "invalid"
    assert problem is not None
    assert "hash does not match" in problem
    assert "changed after signing" in problem
    assert "no configured trust root" in problem


def test_timestamp_and_seed_value_problems_count() -> None:
    ts = replace(CLEAN, bottom_line=False, timestamp_problem=("untrusted", "TSA not trusted"))
    assert decide(ts) == ("untrusted", "TSA not trusted")
    seed = replace(CLEAN, bottom_line=False, seed_value_problem="wrong certificate")
    assert decide(seed)[0] == "invalid"


def test_failed_overall_check_without_a_reported_reason_is_not_valid() -> None:
    verdict, problem = decide(replace(CLEAN, bottom_line=False))
    assert verdict == "untrusted"
    assert problem


def _verdict(name: str, verdict: str, problem: str | None = None) -> SignatureVerdict:
    return SignatureVerdict(
        field_name=f"Sig-{name}",
        verdict=verdict,  # type: ignore[arg-type]
        signer_name=name,
        organisation="Sở Tư pháp",
        signing_time=dt.datetime(2025, 3, 1, 2, 30, tzinfo=dt.UTC),
        signing_time_source="signer",
        coverage="ENTIRE_FILE",
        modification_level="NONE",
        problem=problem,
    )


def test_summary_of_nothing_is_unsigned() -> None:
    assert summarise([]) == ("unsigned", "no digital signature")


def test_summary_of_valid_signatures_names_signers_in_office_time() -> None:
    status, text = summarise([_verdict("Nguyễn Văn An", "valid"), _verdict("Sở Tư pháp", "valid")])
    assert status == "valid"
    assert text.startswith("2 signatures, all valid")
    assert "Nguyễn Văn An (Sở Tư pháp)" in text
    assert "2025-03-01 09:30+07:00" in text  # 02:30 UTC shown in Asia/Ho_Chi_Minh


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (("valid", "untrusted"), "untrusted"),
        (("untrusted", "modified", "valid"), "modified"),
        (("modified", "invalid"), "invalid"),
    ],
)
def test_summary_takes_the_worst_verdict(verdicts: tuple[str, ...], expected: str) -> None:
    items = [
        _verdict(f"Người ký {i}", v, None if v == "valid" else f"lý do {i}")
        for i, v in enumerate(verdicts)
    ]
    status, text = summarise(items)
    assert status == expected
    assert text.startswith(f"{sum(v != 'valid' for v in verdicts)} of {len(verdicts)}")
    for i, v in enumerate(verdicts):
        if v != "valid":
            assert f"lý do {i}" in text


def test_certificate_names_come_out_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Hòa Bình")
    name = asn1_x509.Name.build({"common_name": decomposed, "organization_name": decomposed})
    assert name_part(name, "common_name") == "Ủy ban nhân dân tỉnh Hòa Bình"
    assert unicodedata.is_normalized("NFC", name_part(name, "organization_name") or "")
    assert name_part(name, "organizational_unit_name") is None
