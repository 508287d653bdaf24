"""Loading the office's trust roots from a folder of certificate files."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from daemon.signatures import TrustRootError, load_trust_roots
from tests.fixtures.pki import Pki


def test_pem_bundle_and_der_files_are_read_and_deduplicated(tmp_path: Path, pki: Pki) -> None:
    (tmp_path / "bundle.pem").write_bytes(pki.root.pem + b"\n" + pki.foreign_root.pem)
    (tmp_path / "root.cer").write_bytes(pki.root.cert.public_bytes(serialization.Encoding.DER))
    (tmp_path / "README.txt").write_text("not a certificate, skipped")
    roots = load_trust_roots(tmp_path)
    assert sorted(r.sha256 for r in roots) == sorted(
        [pki.root.asn1.sha256, pki.foreign_root.asn1.sha256]
    )


def test_every_bad_file_is_named(tmp_path: Path, pki: Pki) -> None:
    (tmp_path / "good.pem").write_bytes(pki.root.pem)
    (tmp_path / "broken.crt").write_bytes(b"\x30\x82\x01\x00garbage")
    (tmp_path / "empty.pem").write_bytes(b"")
    key_pem = pki.root.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "with-key.pem").write_bytes(pki.root.pem + key_pem)
    with pytest.raises(TrustRootError) as caught:
        load_trust_roots(tmp_path)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["broken.crt", "empty.pem", "with-key.pem"]
    assert "PRIVATE KEY" in problems[2]
    assert str(tmp_path) in str(caught.value)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TrustRootError, match="not a folder"):
        load_trust_roots(tmp_path / "nowhere")


def test_empty_folder_gives_no_roots(tmp_path: Path) -> None:
    assert load_trust_roots(tmp_path) == []
