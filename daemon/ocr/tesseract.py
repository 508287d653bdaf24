"""The one wrapper of Tesseract (through pytesseract): probes, OCR to lines, orientation.

Every call has a timeout and raises `TesseractError` (or a subclass) naming what failed.
Tesseract's own OpenMP threads oversubscribe a small machine (24 s instead of 2.8 s a page
on 2 cores, NOTES.md), so processes that OCR call `limit_threads()` once at start and the
Reader parallelises pages across processes instead.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytesseract
from PIL import Image

from daemon.ocr import layout
from daemon.ocr.layout import Word
from daemon.ocr.model import Line

MIN_VERSION = (4, 1)  # LSTM engine with the `vie` model
INSTALL_ADVICE = "install it with: apt-get install tesseract-ocr tesseract-ocr-vie"
_PROBE_TIMEOUT = 15.0


class TesseractError(Exception):
    """Tesseract failed; the message says which call and why."""


class TesseractTimeout(TesseractError, TimeoutError):
    """A Tesseract call ran longer than its timeout and was killed."""


class TesseractMissing(TesseractError):
    """Tesseract, or a language it needs, is not installed (the message says what to install)."""


@dataclass(frozen=True)
class Orientation:
    rotate: int  # degrees to turn the image clockwise to make its text upright: 0/90/180/270
    confidence: float  # Tesseract's orientation confidence; above ~2 is dependable


def limit_threads() -> None:
    """One OpenMP thread per Tesseract process; the pool gives the parallelism."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


@functools.cache
def tesseract_version() -> str:
    """The installed Tesseract's version, e.g. "5.3.0"; raises TesseractMissing."""
    out = _probe("--version")
    match = re.search(r"tesseract v?(\d+(?:\.\d+)+)", out, re.IGNORECASE)
    if match is None:
        raise TesseractError(f"tesseract --version: unexpected output {out[:80]!r}")
    return match.group(1)


def check(lang: str) -> None:
    """Raise TesseractMissing with advice unless Tesseract >= 4.1 and `lang` are installed."""
    version = tesseract_version()
    if tuple(int(p) for p in version.split(".")[:2]) < MIN_VERSION:
        raise TesseractMissing(
            f"Tesseract {version} is too old (need 4.1 or later); {INSTALL_ADVICE}"
        )
    missing = [part for part in lang.split("+") if not has_language(part)]
    if missing:
        packages = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise TesseractMissing(
            f"Tesseract language data {missing} missing: apt-get install {packages}"
        )


def has_language(lang: str) -> bool:
    """Whether the traineddata for `lang` (e.g. "vie", or "vie+eng") is installed."""
    return all(part in languages() for part in lang.split("+"))


@functools.cache
def languages() -> frozenset[str]:
    out = _probe("--list-langs")
    return frozenset(
        line.strip() for line in out.splitlines()[1:] if re.fullmatch(r"[\w.-]+", line.strip())
    )


def _probe(flag: str) -> str:
    try:
        done = subprocess.run(
            [pytesseract.pytesseract.tesseract_cmd, flag],
            capture_output=True,
            text=True,
            timeout=_PROBE_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as exc:
        raise TesseractMissing(f"the tesseract program was not found; {INSTALL_ADVICE}") from exc
    except subprocess.TimeoutExpired as exc:
        raise TesseractTimeout(
            f"tesseract {flag} did not answer in {_PROBE_TIMEOUT:.0f} s"
        ) from exc
    return done.stdout + done.stderr


def ocr_lines(
    image: Image.Image,
    *,
    lang: str,
    psm: int,
    timeout: float,
    dpi: int | None = None,
    box: tuple[int, int, int, int] | None = None,
) -> list[Line]:
    """Text lines of `image` (or of its `box`), coordinates as fractions of the whole image.

    Words come from Tesseract's word boxes grouped by its block/paragraph/line numbers;
    a line is cut wherever a gap exceeds `layout.COLUMN_GAP` of the width, so two columns
    Tesseract merged still come out as two Lines. Lines with no letter or digit (rules,
    specks) are dropped.
    """
    region = image.crop(box) if box is not None else image
    left, top = (box[0], box[1]) if box is not None else (0, 0)
    config = f"--psm {psm}" + (f" --dpi {dpi}" if dpi else "")
    data = _call(pytesseract.image_to_data, region, lang, config, timeout, "OCR")
    groups: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        text = _clean(str(text))
        if data["level"][i] != 5 or conf < 0 or not text:
            continue
        x, y = left + data["left"][i], top + data["top"][i]
        w, h = data["width"][i], data["height"][i]
        word = Word(
            text,
            x / image.width,
            y / image.height,
            (x + w) / image.width,
            (y + h) / image.height,
            conf=conf / 100,
            size=h / image.height,
        )
        groups[(data["block_num"][i], data["par_num"][i], data["line_num"][i])].append(word)
    lines: list[Line] = []
    for words in groups.values():
        words.sort(key=lambda w: w.x0)
        for segment in layout.split_row(words):
            line = layout.to_line(segment)
            if any(c.isalnum() for c in line.text):
                lines.append(line)
    return lines


def detect_orientation(
    image: Image.Image, *, timeout: float, dpi: int | None = None
) -> Orientation | None:
    """Tesseract OSD (`--psm 0`); None when the page has too little text to tell."""
    config = "--psm 0" + (f" --dpi {dpi}" if dpi else "")
    try:
        osd = _call(pytesseract.image_to_osd, image, None, config, timeout, "orientation")
    except TesseractError as exc:
        if "too few characters" in str(exc).lower():
            return None
        raise
    return Orientation(int(osd["rotate"]) % 360, float(osd["orientation_conf"]))


def _call(
    fn: Any, image: Image.Image, lang: str | None, config: str, timeout: float, what: str
) -> Any:
    """Run one pytesseract call, mapping its failures to TesseractError subclasses."""
    image = image.copy() if image.format != "PPM" else image
    image.format = "PPM"  # pytesseract saves in this format: uncompressed, unlike PNG (NOTES.md)
    kwargs: dict[str, Any] = {"config": config, "timeout": timeout}
    kwargs["output_type"] = pytesseract.Output.DICT
    if lang is not None:
        kwargs["lang"] = lang
    try:
        return fn(image, **kwargs)
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractMissing(f"the tesseract program was not found; {INSTALL_ADVICE}") from exc
    except pytesseract.TesseractError as exc:
        message = str(exc.message).strip() or f"exit status {exc.status}"
        raise TesseractError(f"Tesseract {what} failed: {message}") from exc
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise TesseractTimeout(f"Tesseract {what} took longer than {timeout:.0f} s") from exc
        raise


_OCR_FIXES = (("ĐÐ", "Đ"), ("ÐĐ", "Đ"), ("Ð", "Đ"), ("ð", "đ"))


def _clean(text: str) -> str:
    """NFC, and the Icelandic eth Tesseract's `vie` model emits for (or next to) Đ."""
    text = unicodedata.normalize("NFC", text.strip())
    for wrong, right in _OCR_FIXES:
        text = text.replace(wrong, right)
    return text
