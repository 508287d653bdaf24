"""The conventions of DESIGN.md, checked: ruff-clean everywhere, mypy-clean on daemon/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (scripts/install --test installs it)")
    return path


def test_ruff_is_clean() -> None:
    done = subprocess.run(
        [tool("ruff"), "check", "daemon", "tests", "bench"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_is_clean_on_the_package() -> None:
    done = subprocess.run([tool("mypy"), "daemon"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
