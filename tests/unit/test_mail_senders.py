"""Sender rules: exact addresses and domain globs, case- and Unicode-insensitive."""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon.ingest.senders import SenderRules, load_senders, normalise_address
from daemon.rules import RulesError

REPO_RULES = Path(__file__).resolve().parents[2] / "rules"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "senders.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_rules_allow_government_domains_only():
    rules = load_senders(REPO_RULES)
    assert rules.is_allowed("vanthu@quangnam.gov.vn")
    assert rules.is_allowed("VanThu@SoTC.HaNoi.Gov.Vn")
    assert rules.is_allowed("a@gov.vn")
    assert not rules.is_allowed("someone@gmail.com")
    assert not rules.is_allowed("x@gov.vn.attacker.com")
    assert not rules.is_allowed("x@fakegov.vn")


def test_addresses_and_globs(tmp_path):
    rules = SenderRules.load(
        write(
            tmp_path,
            """
[allow]
addresses = ["Thu.Ky@Example.com"]
domains = ["*.hanoi.gov.vn", "bộ-tài-chính.vn"]
""",
        )
    )
    assert rules.is_allowed("thu.ky@example.com")
    assert not rules.is_allowed("other@example.com")
    assert rules.is_allowed("a@sotc.hanoi.gov.vn")
    assert not rules.is_allowed("a@hanoi.gov.vn")  # the glob needs a subdomain
    assert rules.is_allowed("a@xn--b-ti-chnh-s1a1mq349a.vn")  # punycode of the listed domain
    assert not rules.is_allowed("")
    assert not rules.is_allowed("no-at-sign")


def test_normalise_address():
    assert normalise_address(" <A@B.VN> ") == "a@b.vn"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[allow]\naddresses = 'x@y'\n", "must be a list"),
        ("[allow]\naddresses = ['nobody']\n", "is not an address"),
        ("[allow]\ncountries = []\n", "unknown key"),
        ("allow = 3\n", "must be a table"),
        ("[allow\n", "cannot be read"),
    ],
)
def test_bad_files_name_the_problem(tmp_path, text, message):
    with pytest.raises(RulesError, match=message):
        SenderRules.load(write(tmp_path, text))


def test_missing_file(tmp_path):
    with pytest.raises(RulesError, match="missing"):
        load_senders(tmp_path)
