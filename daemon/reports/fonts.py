"""Where DejaVu Sans is: the system's copy (fonts-dejavu-core, which scripts/install installs),
else the one matplotlib ships. It has every Vietnamese letter with its marks, precomposed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SYSTEM_DIR = Path("/usr/share/fonts/truetype/dejavu")


class FontMissing(RuntimeError):
    """No DejaVu Sans file was found; the message says which package provides it."""


@cache
def dejavu_sans(*, bold: bool = False) -> Path:
    """The TTF file of DejaVu Sans (or DejaVu Sans Bold)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    candidates = [SYSTEM_DIR / name, _matplotlib_dir() / name]
    for path in candidates:
        if path.is_file():
            return path
    raise FontMissing(
        f"{name} not found in {', '.join(str(p.parent) for p in candidates)} "
        "(install it: apt-get install fonts-dejavu-core)"
    )


def _matplotlib_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"
