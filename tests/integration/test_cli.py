"""The command line as a newcomer meets it: init, help, errors, doctor, extract, ingest, export."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.docgen.random_docs import make_specs, secret_spec
from tests.docgen.render import render_pdf
from tests.fixtures.install import VANTHU, Install


def test_init_creates_the_config_folders_rules_and_database(install: Install) -> None:
    for name in ("inbox", "outbox", "archive", "processed", "failed", "quarantine", "var/spool"):
        assert install.folder(name).is_dir(), name
    assert stat.S_IMODE(install.folder("quarantine").stat().st_mode) == 0o700
    assert (install.folder("var") / "vanthu.db").is_file()
    assert (install.folder("rules") / "doc_types.toml").is_file()
    assert (install.folder("rules") / "routing.toml").is_file()
    again = subprocess.run([*VANTHU, "init", str(install.root)], capture_output=True, text=True)
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["run"],
        ["extract"],
        ["ingest"],
        ["register", "list"],
        ["register", "show"],
        ["register", "export"],
        ["register", "failures"],
        ["doctor"],
        ["verify"],
        ["mailbox", "check"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    done = subprocess.run([*VANTHU, *command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: vanthu" in done.stdout


def test_a_bad_setting_is_named_and_exits_2(install: Install) -> None:
    install.set("scanner", "settle_seconds", '"soon"')
    done = install.vanthu("register", "list", check=False)
    assert done.returncode == 2
    assert "[scanner] settle_seconds: must be a number" in done.stderr


def test_without_a_config_the_error_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "VANTHU_CONFIG"}
    done = subprocess.run(
        [*VANTHU, "register", "list"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert done.returncode == 2 and "vanthu init" in done.stderr


def test_doctor_passes_on_a_fresh_install_and_names_a_broken_folder(install: Install) -> None:
    done = install.vanthu("doctor")
    assert "all checks passed" in done.stdout
    install.folder("quarantine").chmod(0o755)
    done = install.vanthu("doctor", "--json", check=False)
    assert done.returncode == 1
    checks = [json.loads(line) for line in done.stdout.splitlines()]
    bad = [c for c in checks if not c["ok"]]
    assert [c["check"] for c in bad] == ["folder quarantine"] and "chmod 700" in bad[0]["fix"]


def test_extract_prints_the_fields_and_hides_a_secret_document(
    install: Install, tmp_path: Path
) -> None:
    spec = make_specs(1, seed=21)[0]
    (tmp_path / "doc.pdf").write_bytes(render_pdf(spec))
    (tmp_path / "secret.pdf").write_bytes(render_pdf(secret_spec()))
    done = install.vanthu(
        "extract", "--json", str(tmp_path / "doc.pdf"), str(tmp_path / "secret.pdf")
    )
    doc, secret = (json.loads(line) for line in done.stdout.splitlines())
    truth = spec.truth_json()
    expected_keys = {
        "file",
        "number",
        "date",
        "place",
        "doc_type",
        "subject",
        "issuer",
        "parent_issuer",
        "urgency",
        "secrecy",
        "recipients",
        "addressees",
        "signer",
        "pages",
        "text_source",
        "confidence",
    }
    assert set(doc) == expected_keys
    for key in ("number", "date", "doc_type", "subject", "issuer", "signer", "recipients"):
        assert doc[key] == truth[key], key
    assert doc["text_source"] == "text-layer" and doc["pages"] >= 1
    assert secret["secrecy"] == "Mật"
    assert all(secret[k] is None for k in ("number", "subject", "issuer", "signer", "date"))
    assert secret_spec().subject not in done.stdout


def test_ingest_then_list_show_and_export(install: Install, tmp_path: Path) -> None:
    specs = make_specs(2, seed=31)
    files = []
    for i, spec in enumerate(specs):
        files.append(tmp_path / f"vb{i}.pdf")
        files[-1].write_bytes(render_pdf(spec))
    done = install.vanthu("ingest", *map(str, files))
    assert "số đến 1/" in done.stdout and "số đến 2/" in done.stdout
    again = install.vanthu("ingest", "--json", str(files[0]))
    assert json.loads(again.stdout)["state"] == "duplicate"

    rows = install.entries()
    assert [r["seq"] for r in rows] == [1, 2]
    for key in (
        "book",
        "year",
        "seq",
        "received_at",
        "sha256",
        "source",
        "status",
        "number",
        "date",
        "doc_type",
        "subject",
        "issuer",
        "recipients",
        "signer",
        "confidence",
    ):
        assert key in rows[0], key
    assert rows[0]["number"] == specs[0].truth_json()["number"]
    shown = install.vanthu("register", "show", "2", "--year", str(rows[1]["year"]), "--json")
    assert json.loads(shown.stdout)["subject"] == specs[1].truth_json()["subject"]

    exported = install.vanthu("register", "export", "--format", "csv").stdout
    table = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert table[0][:3] == ["Ngày đến", "Số đến", "Tác giả"]
    assert [r[1] for r in table[1:]] == ["1", "2"]
    out = tmp_path / "so-den.xlsx"
    install.vanthu("register", "export", "--format", "xlsx", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"
    assert "intact" in install.vanthu("verify").stdout


def test_verify_finds_an_altered_archive_file(install: Install, tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(render_pdf(make_specs(1, seed=41)[0]))
    install.vanthu("ingest", str(tmp_path / "a.pdf"))
    archived = next(install.folder("archive").rglob("*.pdf"))
    archived.chmod(0o644)
    archived.write_bytes(archived.read_bytes() + b"%tampered")
    done = install.vanthu("verify", check=False)
    assert done.returncode == 1 and "hash mismatch" in done.stdout


def test_unsure_documents_are_listed_for_review(install: Install, tmp_path: Path) -> None:
    """A document whose key fields cannot be read is registered needs_review, and
    `register list --status needs_review` lists it alone."""
    spec = make_specs(1, seed=61)[0]
    good = tmp_path / "qd.pdf"
    good.write_bytes(render_pdf(spec))
    unsure = tmp_path / "ghi-chu.pdf"  # a note with none of the ND30 header: no number, no date
    out = io.BytesIO()
    note = canvas.Canvas(out, pagesize=A4)
    note.setFont("Helvetica", 12)
    note.drawString(72, 760, "Ghi chu noi bo: hop giao ban sang thu hai, phong hop tang 2.")
    note.save()
    unsure.write_bytes(out.getvalue())
    install.vanthu("ingest", str(good), str(unsure))

    review = install.entries("--status", "needs_review")
    assert [r["original_name"] for r in review] == ["ghi-chu.pdf"]
    assert {r["status"] for r in install.entries()} == {"registered", "needs_review"}
