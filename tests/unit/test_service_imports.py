"""The service process never loads the decoders or OCR: those belong to the reading processes
(a decoder crash must take down a worker, not the service; and each copy costs memory)."""

from __future__ import annotations

import json
import subprocess
import sys

READING_ONLY = ("numpy", "PIL", "pypdfium2", "tesserocr", "pytesseract")
# pyHanko and PKCS#11 (~45 MB): checking signatures is the reading processes' work, and the
# agency's own signing loads them only in an office that signs.
SIGNING_ONLY = ("pyhanko", "pyhanko_certvalidator", "pkcs11")

PROBE = """
import json, sys
import daemon.cli, daemon.service, daemon.doctor, daemon.commands.setup
from daemon.ocr.reader import Reader
import daemon.ocr.tesseract  # the start-up check probes the program through it
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_the_service_process_does_not_import_the_ocr_stack() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(done.stdout))
    assert "daemon" in loaded and "sqlalchemy" in loaded  # the probe did import the service
    assert not loaded & set(READING_ONLY), sorted(loaded & set(READING_ONLY))
    assert not loaded & set(SIGNING_ONLY), sorted(loaded & set(SIGNING_ONLY))
