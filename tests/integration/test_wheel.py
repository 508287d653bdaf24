"""An install that works outside the checkout: the wheel, installed into a fresh virtual
environment, carries the default rules and the migrations, and `vanthu init` and
`vanthu doctor` work from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str | Path, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VANTHU_CONFIG")}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def test_the_wheel_installs_into_a_fresh_venv_and_init_and_doctor_work(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        dist,
        REPO,
        cwd=tmp_path,
    )
    [wheel] = list(dist.glob("vanthu-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "daemon/shipped_rules/routing.toml" in names
    assert "daemon/shipped_rules/syllables.tsv" in names  # the reading's word list
    assert "daemon/register/migrations/env.py" in names
    assert any(n.startswith("daemon/register/migrations/versions/0001_") for n in names)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp_path)
    where = _run(
        venv / "bin" / "python", "-c", "import daemon; print(daemon.__file__)", cwd=tmp_path
    )
    assert str(venv) in where.stdout, "vanthu must come from the wheel, not the checkout"

    vanthu = venv / "bin" / "vanthu"
    _run(vanthu, "init", tmp_path / "office", cwd=tmp_path)
    config = tmp_path / "office" / "vanthu.toml"
    assert (tmp_path / "office" / "rules" / "routing.toml").is_file()
    status = _run(vanthu, "db", "status", "--json", "--config", config, cwd=tmp_path)
    assert json.loads(status.stdout)["up_to_date"] is True
    doctor = _run(vanthu, "doctor", "--config", config, cwd=tmp_path)
    assert "all checks passed" in doctor.stdout
