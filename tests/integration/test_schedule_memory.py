"""The schedule's big jobs leave nothing behind in the service process: the weekly export's
workbook (openpyxl, and NumPy, PIL and lxml that it imports) is written by a process of its own,
like the monthly report's chart (matplotlib)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from daemon.cli import main
from tests.fixtures.install import REPO

# In a fresh interpreter, as the service: run the job through `vanthu schedule run`, then say
# which of the heavy libraries this process has loaded.
PROBE = """
import json, sys
from daemon.cli import main
code = main(["schedule", "run", sys.argv[1], "--at", sys.argv[2], "--config", sys.argv[3]])
heavy = {"openpyxl", "numpy", "PIL", "lxml", "matplotlib"}
loaded = {name.split(".")[0] for name in sys.modules}
print(json.dumps({"code": code, "loaded": sorted(loaded & heavy)}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("job", "at", "written"),
    [
        ("weekly_export", "2026-12-07T08:00", "so-dang-ky-2026-W49.xlsx"),
        ("monthly_report", "2026-12-02T08:00", "bao-cao-2026-11.xlsx"),
    ],
)
def test_a_big_job_is_written_by_a_process_of_its_own(
    tmp_path: Path, job: str, at: str, written: str
) -> None:
    root = tmp_path / "office"
    assert main(["init", str(root)]) == 0
    done = subprocess.run(
        [sys.executable, "-c", PROBE, job, at, str(root / "vanthu.toml")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "loaded": []}, done.stderr[-3000:]
    assert (root / "exports" / written).is_file(), sorted((root / "exports").glob("*"))
