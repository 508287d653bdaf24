"""The import rules of DESIGN.md, checked on the source: dependencies run one way.

Incoming and outgoing meet only in the register: neither wing imports the other. The register
knows no sources and no transport. Reading (bytes in, fields out) knows nothing of the register
and may only be described to it: the register may import the field description
(daemon.ocr.model), not the reader. The work core knows no wing. Imports inside functions
count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DAEMON = Path(__file__).resolve().parents[2] / "daemon"

WINGS = ("daemon.ingest", "daemon.dispatch")
ENTRY = ("daemon.service", "daemon.cli", "daemon.commands", "daemon.web", "daemon.schedule")
TRANSPORT = ("imapclient", "imaplib", "aiosmtplib", "smtplib", "watchdog", "daemon.work")

#: (package, forbidden import prefixes, allowed exceptions among them)
RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("daemon.dispatch", ("daemon.ingest",), ()),
    ("daemon.ingest", ("daemon.dispatch",), ()),
    # the register shares the readers' field model and their Vietnamese text folding (a
    # leaf module: standard library only), so search folds as the reader compares
    (
        "daemon.register",
        (*WINGS, *ENTRY, *TRANSPORT, "daemon.ocr"),
        ("daemon.ocr.model", "daemon.ocr.vntext"),
    ),
    ("daemon.ocr", ("daemon.register", "daemon.work", *WINGS, *ENTRY, "sqlalchemy"), ()),
    ("daemon.signatures", ("daemon.register", "daemon.work", *WINGS, *ENTRY), ()),
    ("daemon.work", (*WINGS, *ENTRY), ()),
    ("daemon.errors", ("daemon",), ()),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(DAEMON.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str) -> set[str]:
    """Every module named by an import statement anywhere in `source`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(module: str, names: set[str]) -> list[str]:
    found = []
    for package, forbidden, allowed in RULES:
        if not _under(module, package):
            continue
        for name in sorted(names):
            if any(_under(name, a) for a in allowed):
                continue
            if any(_under(name, f) for f in forbidden):
                found.append(f"{module} imports {name}")
    return found


def test_the_checker_sees_imports_at_any_depth() -> None:
    source = "def send():\n    from daemon.ingest.mailbox import Mailbox\n"
    assert violations("daemon.dispatch.mailer", imports(source)) == [
        "daemon.dispatch.mailer imports daemon.ingest.mailbox",
        "daemon.dispatch.mailer imports daemon.ingest.mailbox.Mailbox",
    ]
    assert violations("daemon.register.queries", {"daemon.ocr.model"}) == []
    assert violations("daemon.register.queries", {"daemon.ocr.reader"}) != []
    assert violations("daemon.register.queries", {"daemon.work.folder"}) != []
    assert violations("daemon.ocr.fields", {"daemon.register.models"}) != []


@pytest.mark.parametrize(
    "path", sorted(DAEMON.rglob("*.py")), ids=lambda p: str(p.relative_to(DAEMON))
)
def test_dependencies_run_one_way(path: Path) -> None:
    module = module_name(path)
    assert violations(module, imports(path.read_text(encoding="utf-8"))) == []
