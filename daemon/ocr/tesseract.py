"""The one wrapper of Tesseract (through pytesseract): probes, OCR to lines, orientation.

Every call has a timeout and raises `TesseractError` (or a subclass) naming what failed.
Tesseract's own OpenMP threads oversubscribe a small machine (24 s instead of 2.8 s a page
on 2 cores, NOTES.md), so processes that OCR call `limit_threads()` once at start and the
Reader parallelises pages across processes instead.

OCR goes through tesserocr when it is installed: the `vie` model stays loaded in the worker
process between calls, instead of a `tesseract` process (model load, image file round trip)
per region through pytesseract, which stays the fallback and serves orientation detection.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from daemon.errors import PermanentError
from daemon.ocr import layout
from daemon.ocr.layout import Word
from daemon.ocr.model import Line

if TYPE_CHECKING:  # the service process probes Tesseract here; only readers need PIL
    from PIL import Image

log = logging.getLogger(__name__)

MIN_VERSION = (4, 1)  # LSTM engine with the `vie` model
INSTALL_ADVICE = "install it with: apt-get install tesseract-ocr tesseract-ocr-vie"
_PROBE_TIMEOUT = 15.0
TESSERACT = "tesseract"  # the program, found on PATH (pytesseract's default too)
# Tesseract reads a line it is unsure of a second time turned white on black, in case it
# was printed so. ND30 prints no such line, and in a block of text that second read of every
# doubtful line is 3% of Tesseract's time on noisy scans. A line read alone (a signer's name
# under the seal, a title line found again) keeps it: on the accuracy bench's old copiers,
# the second try read five names the first had wrong.
_SINGLE_LINE = 7  # the page segmentation mode of one line read alone
# A scan finer than this is read at this resolution: Tesseract scales every text line to the
# same height before reading it, so 300 dpi tells it little more than 200, and a 300 dpi
# region takes a third more time. On the accuracy bench's office scans the header and the
# closing block read at 200 dpi came out better (dates, numbers, recipients); the title
# block did not, and is read at the scan's own (`pageocr._finest`).
READ_DPI = 200


def _invert(psm: int) -> str:
    """Tesseract's tessedit_do_invert for a read in mode `psm`."""
    return "1" if psm == _SINGLE_LINE else "0"


class TesseractError(PermanentError):
    """Tesseract failed; the message says which call and why."""


class TesseractTimeout(TesseractError, TimeoutError):
    """A Tesseract call ran longer than its timeout and was killed (a loaded machine, or a
    page that always takes too long: retried, within the job's attempts)."""

    transient = True


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
            [TESSERACT, flag],
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
    page: tuple[int, int, int, int] | None = None,
    sift: Callable[[Word], Word | None] | None = None,
    finest: int = READ_DPI,
) -> list[Line]:
    """Text lines of `image` (or of its `box`), coordinates as fractions of the whole image.

    A scan finer than `finest` dpi is read scaled down to it (see READ_DPI).

    `page` (left, top, page width, page height) says `image` is a region already cut out
    of a larger page at (left, top): coordinates are then fractions of that page.
    Words come from Tesseract's word boxes (as `sift` keeps or mends them, when given)
    grouped by its block/paragraph/line numbers;
    a line is cut wherever a gap exceeds `layout.COLUMN_GAP` of the page width, so two
    columns Tesseract merged still come out as two Lines. Lines with no letter or digit
    (rules, specks) are dropped.
    """
    region = image.crop(box) if box is not None else image
    if page is None:
        page = (box[0], box[1], *image.size) if box is not None else (0, 0, *image.size)
    scale = finest / dpi if dpi and dpi > finest else 1.0
    if scale < 1.0:
        size = (max(1, round(region.width * scale)), max(1, round(region.height * scale)))
        from PIL import Image  # here: the service process only probes the program

        region, dpi = region.resize(size, Image.Resampling.BILINEAR), finest
    engine = _engine(lang)
    if engine is not None:
        data = engine.data(region, psm=psm, dpi=dpi, timeout=timeout)
    else:
        config = f"--psm {psm}" + (f" --dpi {dpi}" if dpi else "")
        config += f" -c tessedit_do_invert={_invert(psm)}"
        data = _call("image_to_data", region, lang, config, timeout, "OCR")
    if scale < 1.0:  # boxes back in the pixels of the image given
        for key in ("left", "top", "width", "height"):
            data[key] = [value / scale for value in data[key]]
    return lines_from_data(data, page[2:], page[:2], sift)


def lines_from_data(
    data: dict[str, list[Any]],
    size: tuple[int, int],
    offset: tuple[int, int] = (0, 0),
    sift: Callable[[Word], Word | None] | None = None,
) -> list[Line]:
    """Lines from Tesseract's word table (pytesseract's image_to_data DICT, or `parse_tsv`)
    of a region at `offset` on an image of `size`; coordinates as fractions of the image.
    """
    width, height = size
    left, top = offset
    read: dict[tuple[int, int, int], list[Word]] = defaultdict(list)
    for i, text in enumerate(data["text"]):
        conf = float(data["conf"][i])
        text = _clean(str(text))
        if data["level"][i] != 5 or conf < 0 or not text:
            continue
        x, y = left + data["left"][i], top + data["top"][i]
        w, h = data["width"][i], data["height"][i]
        word = Word(
            text,
            x / width,
            y / height,
            (x + w) / width,
            (y + h) / height,
            conf=conf / 100,
            size=h / height,
        )
        read[(data["block_num"][i], data["par_num"][i], data["line_num"][i])].append(word)
    lines: list[Line] = []
    for row in read.values():
        rank = {id(word): i for i, word in enumerate(row)}  # Tesseract's reading order
        # the boxes as Tesseract read them, before the sieve
        ranked = [(rank[id(word)], word) for word in layout.read_once(row)]
        if sift is not None:
            ranked = [(i, sifted) for i, word in ranked if (sifted := sift(word)) is not None]
        words = layout.left_to_right(ranked)
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
        osd = _call("image_to_osd", image, None, config, timeout, "orientation")
    except TesseractError as exc:
        if "too few characters" in str(exc).lower():
            return None
        raise
    return Orientation(int(osd["rotate"]) % 360, float(osd["orientation_conf"]))


def _call(
    name: str, image: Image.Image, lang: str | None, config: str, timeout: float, what: str
) -> Any:
    """Run pytesseract's function `name`, mapping its failures to TesseractError subclasses."""
    pytesseract = _pytesseract()
    fn = getattr(pytesseract, name)
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


def _pytesseract() -> Any:
    """pytesseract, imported on first use: it imports numpy, which only the reading
    processes need (the service process only probes the program)."""
    import pytesseract

    return pytesseract


_TSV_INT = ("level", "block_num", "par_num", "line_num", "left", "top", "width", "height")


class _Engine:
    """One loaded Tesseract model (tesserocr) answering in pytesseract's DICT shape."""

    def __init__(self, lang: str) -> None:
        import tesserocr  # here, not at the top: only reading processes load it

        try:
            self._api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang)
        except RuntimeError as exc:
            raise TesseractMissing(f"Tesseract cannot load language {lang!r}: {exc}") from exc

    def data(
        self, image: Image.Image, *, psm: int, dpi: int | None, timeout: float
    ) -> dict[str, list[Any]]:
        api = self._api
        api.SetPageSegMode(psm)
        api.SetVariable("tessedit_do_invert", _invert(psm))
        if image.mode == "L":  # raw pixels: no BMP round trip, and half the peak memory
            api.SetImageBytes(image.tobytes(), image.width, image.height, 1, image.width)
        else:
            api.SetImage(image)
        if dpi:
            api.SetSourceResolution(dpi)
        if not api.Recognize(timeout=max(1, int(timeout * 1000))):
            api.Clear()
            raise TesseractTimeout(f"Tesseract OCR took longer than {timeout:.0f} s")
        tsv = api.GetTSVText(0)
        api.Clear()  # drop the page's results; the model stays loaded
        return parse_tsv(tsv)


def parse_tsv(tsv: str) -> dict[str, list[Any]]:
    """Tesseract's TSV output (a header row is skipped) as pytesseract's image_to_data DICT."""
    out: dict[str, list[Any]] = {k: [] for k in (*_TSV_INT, "conf", "text")}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or not cells[0].isdigit():
            continue
        out["level"].append(int(cells[0]))
        for key, cell in zip(_TSV_INT[1:], (cells[2], *cells[3:5], *cells[6:10]), strict=True):
            out[key].append(int(cell))
        out["conf"].append(float(cells[10]))
        out["text"].append("\t".join(cells[11:]))
    return out


_engines: dict[str, _Engine | None] = {}


def _engine(lang: str) -> _Engine | None:
    """This process's loaded model for `lang`; None means use pytesseract (tesserocr is
    not installed, or cannot load the model: then the CLI says what is wrong)."""
    if lang not in _engines:
        try:
            _engines[lang] = _Engine(lang)
        except ImportError:  # pragma: no cover - tesserocr is not installed
            _engines[lang] = None
        except TesseractError as exc:
            log.warning("tesserocr unusable, falling back to the tesseract program: %s", exc)
            _engines[lang] = None
    return _engines[lang]


@functools.cache
def tessdata_dir() -> str:
    """Where the installed language data is (TESSDATA_PREFIX, else what tesseract reports)."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        return prefix.rstrip("/") + "/"
    match = re.search(r'"([^"]+)"', _probe("--list-langs"))
    if match is None:
        raise TesseractMissing(f"cannot find Tesseract's language data; {INSTALL_ADVICE}")
    return match.group(1).rstrip("/") + "/"


_OCR_FIXES = (("ĐÐ", "Đ"), ("ÐĐ", "Đ"), ("Ð", "Đ"), ("ð", "đ"))


def _clean(text: str) -> str:
    """NFC, and the Icelandic eth Tesseract's `vie` model emits for (or next to) Đ."""
    text = unicodedata.normalize("NFC", text.strip())
    for wrong, right in _OCR_FIXES:
        text = text.replace(wrong, right)
    return text
