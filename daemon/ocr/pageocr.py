"""OCR of one page raster into a Page: levelled, upright, ND30 header columns apart.

Orientation detection (Tesseract OSD) costs about 0.45 s a page even at half resolution,
a third of the OCR itself, and almost every scan arrives upright. So OSD runs only when a
cheap test says the text runs vertically (`regions.looks_sideways`) or the page lies on its
side (wider than tall: an A4 page stands; dense text on an old copier's noisy page can
pass the first test either way, and a sideways page then read in vertical pieces keeps
enough of the motto's words to pass the landmark test below), or when the reading
comes out poor (low confidence or hardly any text on an inked page), or when a page that
must carry an ND30 landmark (the motto on the first page, "Nơi nhận" on the last) shows none:
an upside-down page often reads as confident mirrored garbage, which only the missing
landmark gives away. Skew is measured on the small ink map (~50 ms) and corrected when
it passes half a degree, which keeps the header gutter straight: the ink map is turned to
plan the regions, and each region is cut out of the page already turned (one affine
transform per region), instead of turning the whole page (~0.15 s at 300 dpi).

Two passes share this: `ocr_fields` reads only the blocks that hold register fields (the
fast first pass), `ocr_page` the whole page (the later full-text pass for search).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import numpy as np
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr import (
    layout,
    line_ends,
    lost_rows,
    morph,
    regions,
    seal_ring,
    signature,
    strokes,
    surname_shape,
    syllables,
    tesseract,
    vntext,
    word_use,
)
from daemon.ocr.fields_lexicon import written_pair
from daemon.ocr.fields_vocab import announces_number
from daemon.ocr.images import Raster
from daemon.ocr.model import Line, Page
from daemon.ocr.names import surname_factor
from daemon.ocr.stamps import frame_strokes

_POOR_CONF = 0.6  # below this mean confidence the page may be upside down or sideways
_MIN_CHARS = 20  # fewer letters/digits than this on an inked page is a poor reading too
_MIN_OSD_CONF = 2.0  # Tesseract OSD orientation confidence worth acting on
_LYING = 1.2  # a page this much wider than tall lies on its side (A4: 1.41), or is landscape
_MIN_SKEW = 0.5  # degrees; less is left to Tesseract
_ONE_LINE_PSM = 7  # Tesseract: the image is a single text line
_SCRIBBLE_CONF = 0.6  # print in the signature column reads at 0.8+, the scribble far lower
_SEALED = ("closing", "closing-left", "closing-right", "body")  # read from the red channel
# Print is near black (< 80 even blurred); the red seal comes out mid-grey (~130-170) in a
# grey scan and, paler, in the red channel of a colour one. Whitening everything lighter
# than this in the signature column drops the seal ring that hides the signer's name.
_SEAL_GREY = 100
_SEAL_LUT = [v if v <= _SEAL_GREY else 255 for v in range(256)]
_RINGED = ("closing", "closing-right")  # where the seal is
_UNSEALED = ("closing-right",)  # not the recipients: their small print suffers
# Where a line Tesseract's layout analysis skipped is looked for on the ink and read alone:
# the trích yếu, and the header's columns (the agency's name "BỘ NỘI VỤ" above its rule).
_LOST_LINES = ("title", "header-left", "header-right")
# A surname told by its shape is as sure as its lead over the next surname: on the bench's
# old copiers each wrong one led by less than 0.15, none by 0.2 (reads 0.6, the review level).
_SHAPED_CONF = 0.9
_SHAPED_PER_MARGIN = 3.0
_NAME_SHARE = 0.55  # the signature column of a closing block read as one: its right part
_STRAY = ".:;|!'\"_~`„‚"  # the frame, its dotted lines, specks (no title line ends in ;)
_ALNUM_RUN = re.compile(r"[^\W_]+")
_DASH_WORDS = ("- ", "– ")  # a dash alone at a line's start ...
_DASH_ENDS = (" -", " –")  # ... or end
_GLUED_DASHES = re.compile(r"[-–—]+(?=\w)")  # ... or run into its first word
_EDGE_MARKS = re.compile(r"^[^\w]+|[^\w]+$")  # marks the ring left at a word's ends
_MAX_SPECKS = 2  # letters a word's stray marks may hold, beside its syllable
_MIXED = re.compile(r"\d[^\W\d]|[^\W\d]\d")  # "1s8a": no word, abbreviation or number
# Digits among marks print never puts there: the clerk's pen, read ("?°/27⁄29!⁄").
_PEN_NUMBER = re.compile(r"\d.*[^\w\s/.,:;()%-]|[^\w\s/.,:;()%-].*\d")
_STAMP_GREY = 70  # inside a stamp's frame over the title, lighter than this is not print ...
_PRINT_PERCENTILE = 75  # ... nor than most of the print around it (an old copier's is pale)
_PRINT_CORE = 20  # print's strokes have a core this dark on a clean scan; the pen's do not ...
_CORE_PERCENTILE = 50  # ... or as dark as half the print around it (an old copier's)
_FRINGE = 2  # a printed letter's grey fringe, in pixels around its core
_FRAME_REACH = 0.008  # the frame found may lie this far inside its strokes (page widths)
_MIN_PRINT_PIXELS = 500  # fewer dark pixels beside the stamp than this: no print to measure
_LINE_INCHES = 0.22  # a title's line of 13-14 pt print, spacing included
_ROWS_BELOW = 4  # lines read again under a dark stamp's top: the trích yếu it runs through
_COMMON_WORD = 5.0  # Zipf: a word written once in 100,000 or more ("me", "tiệc" are not)
_PRINT_LEVEL = 128  # darker is ink, on a stamped title's cut read on
_TALL_BOX = 0.7  # a line's print this much of its box's height at most: the box took in more
_ROWS_APART = 3  # pixels: blank rows between a line's letters and its marks are fewer
_READ_ON = 0.02  # a line that ends this far short of its printed width read on (page widths)
_UNDER_STAMP = 0.2  # confidence of a title line the clerk's stamp covers in part
_TAKEN_INK = 200  # the stamp's ink taken away: darker than the paper
_STROKE_STRIP = 0.06  # ... looked for in a strip this far either side of a word (page widths)
_STRUCK_SURE = 0.9  # a number its frame crossed, read at least this surely, is believed
_MIN_PAD = 4  # pixels of margin around a number read again alone (a third of its height)
_UNSURE_NUMBER = 0.7  # a number outside the stamp the trích yếu's checks doubt, read again
_READ_TWO_WAYS = 0.2  # ... and one its two readings disagree on, as a line the stamp covers
_COUNTED = 0.7  # a Roman numeral whose strokes told another than OCR read: doubted
_STROKES_AGREE = 0.85  # ... one its strokes told as OCR read it: as sure as a number read surely
_SURE_DATE = 0.8  # a number of the date line read less surely than this is read again ...
_SURE_DATE_ALONE = 0.9  # ... with the line alone, which must read it this surely to count
_DATE_PAD = 0.4  # ... its box widened by this share of its height
_DIGITS = re.compile(r"\d+")
_DATE_WORDS = re.compile(r"ngay\d+thang\d+nam\d+")  # a date line, its numbers read or not
_ROMAN_LETTERS = "IVX"
_UNDER_STREAK = 0.3  # ... and of a word with a digit a scanner's opaque streak crossed
_ORPHAN_SLACK = 0.2  # ... and a word of it lost under the stamp this close
_AXIS_SLACK = 0.08  # a title line's middle is this close to the text frame's (page widths)
_BLOCK_PSM = 6  # Tesseract's "one uniform block of text": no layout analysis to lose lines
_WHOLE_SLACK = 0.008  # ... and this close when nothing at its ends was lost (page widths)
_CENTRED = 0.015  # ... and a line pieced together again (page widths)
_UNSURE_WORD = 0.5  # a word read inside the stamp less surely than this may be the pen's
_MAX_HEAD_WORDS = 4  # the stamp's words read before a trích yếu line's first, at most ...
_HEAD_REACH = 0.01  # ... each inside it, or this close to its frame (page heights)


Planner = Callable[[Image.Image, regions.InkMaps, float], regions.Plan]


def ocr_page(raster: Raster, settings: ReadingSettings, *, header: bool) -> Page:
    """Read a whole grey page raster; `header` looks for the two ND30 header columns."""
    return _ocr(
        raster,
        settings,
        lambda image, inks, angle: regions.plan(image, header=header, ink=inks.levelled(angle)),
        _landmarks(first=header, last=False),
    )


def ocr_fields(raster: Raster, settings: ReadingSettings, *, first: bool, last: bool) -> Page:
    """Read the blocks of a page that hold register fields: the header and title on the
    `first` page, the closing block ("Nơi nhận:", signature) on the `last`."""
    return _ocr(
        raster,
        settings,
        lambda image, inks, angle: regions.field_plan(
            image, first=first, last=last, inks=inks, angle=angle
        ),
        _landmarks(first=first, last=last),
    )


# Landmarks an upright ND30 page shows, matched on the loose key with spaces removed so
# that OCR's stray spaces and lost marks do not hide them. Any one of them will do, but a
# short word of the motto only with another: a page read upside down is a long run of stray
# letters, where four or five turn up by chance ("...opqtudofhx...", 6315 c0194, kept over
# the page read upright). The first page's date line is one: the motto above it is not
# read when the date line is.
_DATE_LINE = re.compile(r"ngay\d{1,2}thang\d{1,2}nam\d{4}")
_MOTTO = ("conghoa", "xahoi", "chunghia", "doclap", "tudo", "hanhphuc")
_SHORT_MOTTO = frozenset(word for word in _MOTTO if len(word) < 7)  # xahoi, doclap, tudo
_FIRST_PAGE = (*_MOTTO, _DATE_LINE.pattern)
_RECEIVERS = ("noinhan",)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _landmarks(*, first: bool, last: bool) -> tuple[str, ...]:
    return (_FIRST_PAGE if first else ()) + (_RECEIVERS if last else ())


def _has_landmark(lines: Sequence[Line], landmarks: tuple[str, ...]) -> bool:
    if not landmarks:
        return True
    text = _squashed(lines)
    found = [mark for mark in landmarks if re.search(mark, text)]
    return len(found) >= 2 or any(mark not in _SHORT_MOTTO for mark in found)


def _squashed(lines: Sequence[Line]) -> str:
    """The loose key of `lines` with everything but letters and digits taken out."""
    return _NON_ALNUM.sub("", vntext.loose_key(" ".join(line.text for line in lines)))


def _ocr(
    raster: Raster, settings: ReadingSettings, planner: Planner, landmarks: tuple[str, ...]
) -> Page:
    """Level and turn upright, then OCR the regions `planner` picks."""
    raster = raster.unstreaked()
    inks = regions.InkMaps(raster.image)
    if regions.looks_sideways(inks.printed) or raster.image.width > _LYING * raster.image.height:
        turned = _upright(raster, settings)
        if turned is not None:
            raster, inks = turned, regions.InkMaps(turned.image)
    page, plan = _level_and_read(raster, settings, planner, inks)
    if not plan.regions or plan.text_rows < 2:
        return page
    if _poor(page.lines) or not _has_landmark(page.lines, landmarks):
        turned = _upright(raster, settings)
        if turned is not None:
            retry, _ = _level_and_read(turned, settings, planner, None)
            if _rank(retry.lines, landmarks) > _rank(page.lines, landmarks):
                page = retry
    return page


def _level_and_read(
    raster: Raster, settings: ReadingSettings, planner: Planner, inks: regions.InkMaps | None
) -> tuple[Page, regions.Plan]:
    """Measure the skew on the ink map, plan the regions on the levelled map, read them."""
    inks = inks or regions.InkMaps(raster.image)
    angle = regions.skew_angle(inks.printed)
    if abs(angle) < _MIN_SKEW:
        angle = 0.0
    return _read(raster, settings, planner(raster.image, inks, angle), angle)


def _read(
    raster: Raster, settings: ReadingSettings, plan: regions.Plan, angle: float
) -> tuple[Page, regions.Plan]:
    """OCR each region of the page turned by `angle` degrees (counter-clockwise)."""
    lines: list[Line] = []
    for region in plan.regions:
        if region.under_motto is not None:  # the date line alone, if it reads as one
            left, _, right, bottom = region.box
            below = replace(region, box=(left, region.under_motto, right, bottom), under_motto=None)
            found = _read_region(raster, settings, plan, angle, below)
            if _DATE_LINE.search(_squashed(found)):
                lines += found
                continue
        lines += _read_region(raster, settings, plan, angle, region)
    width, height = raster.size_pt
    return Page(tuple(layout.reading_order(lines)), "ocr", width, height), plan


def _read_region(
    raster: Raster,
    settings: ReadingSettings,
    plan: regions.Plan,
    angle: float,
    region: regions.Region,
) -> list[Line]:
    """The lines of one region, its own inks (seal, stamp) taken away first."""
    source = raster.image
    if raster.red is not None and region.name in _SEALED:
        source = raster.red  # the red seal fades away; black and blue ink stay
    stamped = region.name == "title" and any(_overlap(region.box, s) for s in plan.stamps)
    if stamped and raster.black is not None:
        source = raster.black  # stamp ink and the clerk's pen fade away; print stays
    raw = _cut(source, region.box, angle)
    lifted = None  # the column with the seal's rings whitened, to read the name on too
    ring = seal_ring.find(raw, raster.dpi) if region.name in _RINGED else None
    if ring is not None:  # a seal its colour did not lift (grey, black, bilevel)
        lifted = seal_ring.whitened(raw, ring)
        if ring.as_dark_as_print:
            raw, lifted = lifted, None  # only its shape tells it from print
    cut = raw.point(_SEAL_LUT) if region.name in _UNSEALED or stamped else raw
    second = None  # a number of the trích yếu read unsurely is read again alone
    if region.name == "title":
        second = _SecondReading(raw, region.box, raster, _line_reader(settings, raster, None))
    numbers = _chained(
        _numbers_read_again(second, plan.stamps, raster), _strokes_counted(second, plan.stamps)
    )
    if not stamped:
        found = _read_cut(
            cut, raster, settings, region, angle, None, numbers=numbers, stamps=plan.stamps
        )
    else:
        width = raster.image.width
        cut, struck, taken = _stamp_ink_gone(cut, region.box, plan.stamps, width, raw)
        remains = _StampRemains(plan.stamps, raster, None, region.box, taken, second)
        found = _read_cut(
            cut, raster, settings, region, angle, remains, numbers=numbers, stamps=plan.stamps
        )
        band = _struck_rows(struck, region, raster) if struck is not None else None
        if struck is not None and band is not None and _troubled(found, band, region, raster):
            # A stamp as dark as print kept its frame, which ran through the title's
            # letters or parted them from the stamp's words, and the lines there read
            # badly: those rows read again without its level strokes, and the lines the
            # Vietnamese lexicon likes better kept.
            again = _read_unstruck(cut, struck, band, raster, settings, plan, region, angle)
            found = _likelier_rows(found, again)
        found = [_read_on(line, cut, region, raster, settings, plan.stamps) for line in found]
    if region.name == "title":
        found = line_ends.with_lost_commas(found, cut, (*region.box[:2], *raster.image.size))
    if region.name == "header-right":
        alone = _line_reader(settings, raster, None)
        found = [_date_read_alone(line, cut, region, raster, alone) for line in found]
    if region.name == "closing-right":  # the handwritten signature, read as "text"
        found = [line for line in found if line.conf >= _SCRIBBLE_CONF]
    if region.name in ("closing", "closing-right"):
        found = _with_name(found, raw, region, raster, settings, lifted, ring)
    return found


def _date_read_alone(
    line: Line,
    cut: Image.Image,
    region: regions.Region,
    raster: Raster,
    read: lost_rows.ReadLine,
) -> Line:
    """The date line, its numbers read again with the line alone when one was read unsurely
    with the header: read in a block, "ngày 21" came out 31 at 0.77 on a clean office scan
    (6315 s0002, registered at 0.93) and "ngày 27" as 37 on six others; alone, the line
    read 21 and 27 at 0.93-0.97. A number read alike is as sure as the surer reading; one
    read surely as another day, month or year takes that reading, doubted; the first
    reading stands otherwise (alone, a year came out 2016 for 2018 at 0.88, a day 37 for 27
    at 0.93)."""
    words = line.text.split()
    numbers = [i for i, word in enumerate(words) if vntext.has_digit(word)]
    unsure = [i for i in numbers if i < len(line.word_confs) and line.word_confs[i] < _SURE_DATE]
    if not unsure or not _DATE_WORDS.search(_squashed([line])):
        return line
    width, height = raster.image.size
    left, top = region.box[0], region.box[1]
    pad = round((line.y1 - line.y0) * height * _DATE_PAD)
    box = (
        max(0, round(line.x0 * width) - left - pad),
        max(0, round(line.y0 * height) - top - pad),
        min(cut.width, round(line.x1 * width) - left + pad),
        min(cut.height, round(line.y1 * height) - top + pad),
    )
    again = read(cut.crop(box), (left + box[0], top + box[1]))
    if len(again) != 1 or len(again[0].word_confs) != len(again[0].text.split()):
        return line
    read_alone = [
        (word, conf)
        for word, conf in zip(again[0].text.split(), again[0].word_confs, strict=True)
        if vntext.has_digit(word)
    ]
    if len(read_alone) != len(numbers):
        return line
    confs = list(line.word_confs)
    for place, (i, (word, conf)) in enumerate(zip(numbers, read_alone, strict=True)):
        first, second = _numerals(words[i]), _numerals(word)
        if i not in unsure or conf < _SURE_DATE_ALONE or len(_DIGITS.findall(words[i])) != 1:
            continue
        if not _dated(place, second):
            continue  # "ngày 37" where 27 was printed: alone, the line is no surer
        if second == first:
            confs[i] = max(confs[i], conf)
        else:  # "ngày 237": 27, as the line alone reads it
            words[i], confs[i] = _DIGITS.sub(second, words[i]), _READ_TWO_WAYS
    number_conf = min((confs[i] for i in numbers), default=line.number_conf)
    return replace(line, text=" ".join(words), word_confs=tuple(confs), number_conf=number_conf)


def _dated(place: int, digits: str) -> bool:
    """Whether `digits` can be a date line's day, month or year (its numbers' `place`)."""
    if not digits.isdigit():
        return False
    value = int(digits)
    return (1 <= value <= 31, 1 <= value <= 12, len(digits) == 4)[min(place, 2)]


def _read_on(
    line: Line,
    cut: Image.Image,
    region: regions.Region,
    raster: Raster,
    settings: ReadingSettings,
    stamps: tuple[tuple[int, int, int, int], ...],
) -> Line:
    """A trích yếu line the stamp cut short, read again alone across the width it has as
    printed: centred on the title's axis, it ends as far right of the axis as it starts
    left of it. Read in its row only, the words under the stamp come back, spoiled or not
    ("Thực hiện quản lý đất đ" read on as "đất dái năm 2015"), for the trích yếu's checks
    to put right or flag; read with the whole title, the stamp's words ran into them and
    all went. Kept when it reads the same words and more beyond them; doubted.

    The stamp must lie where the rest of the line should be: after it (stamped under the
    date), or before it (under the number) when the line starts in small letters, as no
    trích yếu does ("tra công tác ...": Kiểm tra); a line starting with a capital was read
    on to the left with the stamp's words ("Kết quả thực hiện ..." as "Thông qua ...").
    A line read surely is read on too: the words under the stamp were taken out whole,
    and the ones left read well ("Về việc đề nghị ban hành Kế" at 0.97). Not a body
    line's last, from the margin."""
    w, h = raster.image.size
    side = _cut_side(line, region, raster, stamps)
    if side is None:
        return line
    span, forward = side
    y0, y1 = _print_rows(line, cut, region, raster, forward)
    top, bottom = round(y0 * h), round(y1 * h)
    pad = round((y1 - y0) * h / 3)
    box = (
        max(0, round(span[0] * w) - pad - region.box[0]),
        max(0, top - pad - region.box[1]),
        min(cut.width, round(span[1] * w) + pad - region.box[0]),
        min(cut.height, bottom + pad - region.box[1]),
    )
    at = (region.box[0] + box[0], region.box[1] + box[1])
    ink = np.asarray(cut.crop(box)) < _PRINT_LEVEL
    # The words from the end the line was read from, in order: the first read's first.
    confs = line.word_confs if len(line.word_confs) == len(line.text.split()) else ()
    first = list(zip(line.text.split(), confs or itertools.repeat(line.conf), strict=False))
    first = first if forward else first[::-1]
    best: tuple[int, list[tuple[str, float]], list[layout.Word]] | None = None
    for thinned in (False, True):
        if thinned and best is not None and best[0] >= 2 * len(best[2]) - 1:
            # Read as cut, each word added a syllable or number and all but one pairing
            # with the one before it as official writing does ("nước sạch nông thôn"):
            # reading it again thinned adds nothing, and costs a stamped page ~40 ms.
            break
        variant = _without_thin_strokes(ink) if thinned else ink
        image = Image.fromarray(np.where(variant, 0, 255).astype(np.uint8))
        read = _row_words(image, at, span, settings, raster)
        read = read if forward else read[::-1]
        pairs = list(zip(first[:-1], read, strict=False))
        differ = sum(_bare_key(a) != _bare_key(b.text) for (a, _), b in pairs)
        if len(read) <= len(first) or differ > max(1, len(pairs) // 4):
            continue
        # The line's far word as first read may be what the stamp left of one; read alike,
        # it stays as first read ("quả", not "qua").
        added = _without_far_marks(read[len(first) - 1 :], forward)
        if added and _bare_key(added[0].text) == _bare_key(first[-1][0]):
            added[0] = replace(added[0], text=first[-1][0], conf=first[-1][1])
        if not forward and added and not added[-1].text[:1].isupper():
            continue  # read on to the left, the line opens the trích yếu, with a capital
        near = first[-2][0] if len(first) > 1 else ""
        seq = [near, *(w.text for w in added)]
        score = _read_on_score(seq if forward else seq[::-1], forward) if added else 0
        if best is None or score > best[0]:
            best = (score, _surer_words(first[:-1], read), added)
    if best is None or best[0] <= 0:
        return line
    _, kept, added = best
    words = [*kept, *((w.text, w.conf) for w in added)]
    words = words if forward else words[::-1]
    return replace(
        line,
        text=" ".join(word for word, _ in words),
        x0=line.x0 if forward else min(w.x0 for w in added),
        x1=max(w.x1 for w in added) if forward else line.x1,
        word_confs=tuple(conf for _, conf in words),
        conf=min(line.conf, _UNDER_STAMP),
    )


def _print_rows(
    line: Line, cut: Image.Image, region: regions.Region, raster: Raster, forward: bool
) -> tuple[float, float]:
    """The top and bottom (page heights) of a title line's print: its box's, or, when its
    box took in the stamp's print below or above it ("tồn đọng" over "ĐẾN": twice a line's
    height, and Tesseract read nothing in so tall a row), those of the rows its own words
    ink on the half of it away from the stamp."""
    w, h = raster.image.size
    top, bottom = round(line.y0 * h), round(line.y1 * h)
    middle = round((line.x0 + line.x1) / 2 * w) - region.box[0]
    left = round(line.x0 * w) - region.box[0] if forward else middle
    right = middle if forward else round(line.x1 * w) - region.box[0]
    rows = top - region.box[1], bottom - region.box[1]
    if right - left < 2 or rows[1] - rows[0] < 2:
        return line.y0, line.y1
    counts = (np.asarray(cut.crop((left, rows[0], right, rows[1]))) < _PRINT_LEVEL).sum(axis=1)
    inked = np.flatnonzero(counts >= 2)
    if len(inked) == 0:
        return line.y0, line.y1
    # Runs of inked rows apart by a blank band: the print (its marks close by), the rule
    # under the trích yếu, the stamp's words; the print holds the most ink.
    breaks = np.flatnonzero(np.diff(inked) > _ROWS_APART) + 1
    runs = np.split(inked, breaks)
    run = max(runs, key=lambda r: int(counts[r[0] : r[-1] + 1].sum()))
    if run[-1] - run[0] + 1 > _TALL_BOX * (bottom - top):
        return line.y0, line.y1
    return (top + int(run[0])) / h, (top + int(run[-1]) + 1) / h


def _cut_side(
    line: Line,
    region: regions.Region,
    raster: Raster,
    stamps: tuple[tuple[int, int, int, int], ...],
) -> tuple[tuple[float, float], bool] | None:
    """Where a title line is to be read on (page widths), and whether forward (after it),
    by `_read_on`'s rules; None when it is not."""
    if vntext.is_upper_text(line.text):
        return None  # the type's name, read whole or not at all
    w, h = raster.image.size
    axis = (region.box[0] + region.box[2]) / 2 / w
    end, start = 2 * axis - line.x0, 2 * axis - line.x1
    top, bottom = round(line.y0 * h), round(line.y1 * h)
    after = (round(line.x1 * w), top, round(end * w), bottom)
    before = (round(start * w), top, round(line.x0 * w), bottom)
    if (
        end - line.x1 >= _READ_ON
        and line.x0 - region.box[0] / w >= _READ_ON
        and any(_overlap(after, stamp) for stamp in stamps)
    ):
        return (line.x0, end), True
    if (
        line.text[:1].islower()
        and line.x0 - start >= _READ_ON
        and any(_overlap(before, stamp) for stamp in stamps)
    ):
        return (start, line.x1), False
    return None


def _without_far_marks(added: list[layout.Word], forward: bool) -> list[layout.Word]:
    """The words a line was read on with (from the line outwards), less the marks around
    them and, at the far end, the stamp's print and words no syllable makes ("... quản lý
    dài ĐẾN s/o")."""
    words = list(added)
    while words and _stamps_own(words[-1].text):
        near = _syllable_glued(words[-1], forward) if len(words) > 1 else None
        if near is not None:
            words[-1] = near
            break
        words.pop()
    words = [replace(w, text=w.text.strip(_STRAY)) for w in words]
    if words:
        far = words[-1]
        words[-1] = replace(far, text=far.text.rstrip(",") if forward else far.text)
    return [w for w in words if w.text]


def _syllable_glued(word: layout.Word, forward: bool) -> layout.Word | None:
    """The syllable the stamp's marks glued its ink to, on the side the line was read
    on from ("nghèo bền,vữnø;,": bền, the rest its small print over "vững"), or None. Not
    the stamp's own print ("Số:2062")."""
    pieces = list(_ALNUM_RUN.finditer(word.text))
    if len(pieces) < 2:
        return None
    near = pieces[0] if forward else pieces[-1]
    if not _printed_syllable(near[0]) or _stamp_print(near[0]):
        return None
    return _piece(word, near, near[0])


def _stamps_own(word: str) -> bool:
    """Whether a word read under the stamp beyond a line's print is the stamp's: its print
    ("ĐẾN", "Số:", not the số of "chuyển đổi số"), or no syllable, number or abbreviation
    ("s/o", "2DT7—")."""
    bare = word.strip(_STRAY + ",")
    printed = (
        _printed_syllable(bare)
        or _NUMBER_WORD.fullmatch(bare) is not None
        or (bare.isupper() and bare.isalpha() and len(bare) > 1)
    )
    return not printed or _stamp_word(bare) or (":" in word and _stamp_print(word))


_NUMBER_WORD = re.compile(r"\d+(?:[-/.]\d+)*")  # 2015, 2023-2027, 16/11/2024


def _surer_words(
    first: list[tuple[str, float]], read: list[layout.Word]
) -> list[tuple[str, float]]:
    """The words `first` read with their confidence, a word the second reading read
    otherwise and more surely in its place ("năm 2625" read 2025 at 0.97)."""
    out = []
    for (word, conf), again in zip(first, read, strict=False):
        if _bare_key(word) != _bare_key(again.text) and again.conf > conf:
            word, conf = again.text, again.conf
        out.append((word, conf))
    return out


def _row_words(
    image: Image.Image,
    at: tuple[int, int],
    span: tuple[float, float],
    settings: ReadingSettings,
    raster: Raster,
) -> list[layout.Word]:
    """The words read on a line's row cut out at `at`, within `span` (page widths), those
    the stamp's marks glued apart again, left to right."""
    return [
        word
        for glued in _words_read(image, at, settings, raster)
        if span[0] - _READ_ON <= glued.x0 and glued.x1 <= span[1] + _READ_ON
        for word in _split_at_marks(glued)
        if any(c.isalnum() for c in word.text)
    ]


def _words_read(
    image: Image.Image, at: tuple[int, int], settings: ReadingSettings, raster: Raster
) -> list[layout.Word]:
    """The words Tesseract reads on one line cut out of the page at `at`, as it boxed them."""
    words: list[layout.Word] = []

    def keep(word: layout.Word) -> layout.Word:
        words.append(word)
        return word

    _line_reader(settings, raster, keep)(image, at)
    return words


def _split_at_marks(word: layout.Word) -> list[layout.Word]:
    """A word the stamp's marks glued to its neighbours ("khô[năm'2017"), as the words
    between the marks when each is a syllable or a number, one at least a syllable; else
    the word as read."""
    pieces = list(_ALNUM_RUN.finditer(word.text))
    syllables_between = sum(_printed_syllable(p[0]) for p in pieces)
    if (
        len(pieces) < 2
        or not syllables_between
        or not all(p[0].isdigit() or _printed_syllable(p[0]) for p in pieces)
    ):
        return [word]  # "2023-2027", "16/11/2024" are numbers
    return [
        _piece(word, p, p[0] + ("," if word.text[p.end() : p.end() + 1] == "," else ""))  # a list's
        for p in pieces
    ]


def _piece(word: layout.Word, run: re.Match[str], text: str) -> layout.Word:
    """The part of `word` that `run` (a match in its text) spans, as a word reading `text`,
    boxed by its share of the word's characters."""
    share = (word.x1 - word.x0) / len(word.text)
    return replace(
        word, text=text, x0=word.x0 + run.start() * share, x1=word.x0 + run.end() * share
    )


def _bare_key(word: str) -> str:
    return vntext.loose_key(word.strip(_STRAY + ",."))


def _read_on_score(words: list[str], forward: bool) -> int:
    """How much the words a line was read on with look like print, in reading order with
    the line's word they join (first when read on `forward`, else last): one for each
    syllable or number, one for each pair official writing makes with the word before it
    (a number after a word announcing one: "năm 2015"), less three for each word no
    syllable makes. Not `_plausibility`, which counts common words: it prefers "đái ăn
    2015" ("ăn" is common) to "dái năm 2015", the read the checks put right."""
    bare = [word.strip(_STRAY + ",") for word in words]
    added = range(1, len(bare)) if forward else range(len(bare) - 1)
    score = 0
    for i in added:
        if _spoiled(bare[i]):
            score -= 3
        elif bare[i].isdigit() or _printed_syllable(bare[i]):
            score += 1
    for a, b in itertools.pairwise(bare):
        score += written_pair(a, b) or (b.isdigit() and announces_number(a))
    return score


def _without_thin_strokes(ink: np.ndarray) -> np.ndarray:
    """`ink` less strokes thinner than print's: the stamp's small letters, the pen's."""
    core = ~morph.dilate(~ink, 1, 1)
    return morph.dilate(core, 1, 1) & ink


def _struck_rows(
    struck: np.ndarray, region: regions.Region, raster: Raster
) -> tuple[int, int] | None:
    """The rows of a stamped title's cut around the frame's top: a line above it to
    _ROWS_BELOW under it (the trích yếu it runs through and what it hides)."""
    line = raster.dpi * _LINE_INCHES
    top = int(np.nonzero(struck.any(axis=1))[0][0])
    rows = (max(0, int(top - line)), min(struck.shape[0], int(top + _ROWS_BELOW * line)))
    return rows if rows[0] < rows[1] else None


def _troubled(
    found: list[Line], rows: tuple[int, int], region: regions.Region, raster: Raster
) -> bool:
    """Whether the lines read in `rows` of the region's cut call for reading them again:
    none there, a word no syllable makes, or a line the stamp left doubted."""
    height = raster.image.height
    top, bottom = (region.box[1] + rows[0]) / height, (region.box[1] + rows[1]) / height
    there = [line for line in found if line.y0 < bottom and top < line.y1]
    return not there or any(_unsure(line) for line in there)


def _unsure(line: Line) -> bool:
    """Whether a line read beside a dark stamp may be read better without its frame: a
    word no syllable makes, or doubted by the stamp's remains. A sure, clean line stays."""
    return line.conf <= _UNDER_STAMP or bool(syllables.foreign_or_invalid(line.text))


def _read_unstruck(
    cut: Image.Image,
    struck: np.ndarray,
    rows: tuple[int, int],
    raster: Raster,
    settings: ReadingSettings,
    plan: regions.Plan,
    region: regions.Region,
    angle: float,
) -> list[Line]:
    """`rows` of a stamped title's cut read without the frame's strokes, not the whole
    region, which would cost a page's reading time again."""
    pixels = np.asarray(cut)[rows[0] : rows[1]].copy()
    pixels[struck[rows[0] : rows[1]]] = 255
    left, upper, right, _ = region.box
    box = (left, upper + rows[0], right, upper + rows[1])
    band = replace(region, box=box)
    remains = _StampRemains(plan.stamps, raster, struck[rows[0] : rows[1]], box)
    return _read_cut(Image.fromarray(pixels), raster, settings, band, angle, remains, whole=False)


def _read_cut(
    cut: Image.Image,
    raster: Raster,
    settings: ReadingSettings,
    region: regions.Region,
    angle: float,
    remains: _StampRemains | None,
    *,
    whole: bool = True,
    numbers: Sift | None = None,
    stamps: tuple[tuple[int, int, int, int], ...] = (),
) -> list[Line]:
    """The lines Tesseract reads on a region's cut, what a stamp left sifted out, its
    unsure `numbers` read again; unless `whole`, the cut is a band of it, whose lost rows
    are not looked for again. `stamps`: the page's stamps (pixels), whose ink no lost row
    is made of (the top of one under the header's left column, too)."""
    sift = _chained(remains, numbers, _under_streak(raster, angle))
    origin = (region.box[0], region.box[1], *raster.image.size)
    for psm in (region.psm, _BLOCK_PSM):
        found = tesseract.ocr_lines(
            cut,
            lang=settings.language,
            psm=psm,
            timeout=settings.ocr_timeout,
            dpi=raster.dpi,
            page=origin,
            sift=sift,
            finest=_finest(region, raster),
        )
        # A scanner's streak through the title can hide every line from the layout
        # analysis; read as one block of text, the lines come back.
        if found or region.name != "title":
            break
    if region.name in _LOST_LINES and whole:  # a line its layout analysis skipped, read alone
        reader = _line_reader(settings, raster, sift)
        # The agency's column holds its name and the number: one line read there lost one
        # ("BỘ NỘI VỤ" above its rule, 2424 s0099).
        least = 1 if region.name == "header-left" else 2
        found += lost_rows.reread(cut, found, origin, reader, stamps, least)
    if remains is not None:
        found = remains.sift(found, region)
    return found


def _likelier_rows(found: list[Line], again: list[Line]) -> list[Line]:
    """Two reads of one cut merged row by row: of two lines in one row, the one more
    like print (ties to `found`, and a sure, clean line of it stays); a line `again`
    holds in a row `found` left empty joins (the stamp's frame had hidden it), unless
    `found` read its words elsewhere."""
    out = []
    for line in found:
        twin = _twin(line, again)
        if twin is not None and _twin(twin, found) is line and _unsure(line):
            line = twin if _plausibility(twin) > _plausibility(line) else line
        out.append(line)
    read = {word.casefold() for line in found for word in line.text.split()}
    out += [
        line
        for line in again
        if all(_shared(line, other) <= 0 for other in found) and not _read_before(line, read)
    ]
    return sorted(out, key=lambda line: (line.y0, line.x0))


def _read_before(line: Line, read: set[str]) -> bool:
    """Whether most words of `line` are among `read`: the other read placed it in
    another row, or split it ("về việc tổ chức kiểm tra thi" read twice)."""
    words = [word.casefold() for word in line.text.split()]
    return sum(word in read for word in words) * 2 >= len(words)


def _twin(line: Line, others: list[Line]) -> Line | None:
    """The line of `others` in the same row as `line`, sharing most of its height."""
    best = max(others, key=lambda other: _shared(line, other), default=None)
    return best if best is not None and _shared(line, best) > 0.5 else None


def _shared(a: Line, b: Line) -> float:
    """The share of the taller line's height two lines have in common (< 0: apart): two
    rows read as one are not the twin of either."""
    return (min(a.y1, b.y1) - max(a.y0, b.y0)) / max(a.y1 - a.y0, b.y1 - b.y0, 1e-9)


def _plausibility(line: Line) -> int:
    """How much a line read beside a stamp looks like print: its words in common use,
    numbers and abbreviations (the stamp hid no more of them), and the pairs of words
    official writing uses among them, less three for each word no syllable or
    abbreviation makes."""
    in_use = word_use.syllables_in_use()
    words = line.text.split()
    unreadable = len(syllables.foreign_or_invalid(line.text))
    common = sum(
        in_use.get(vntext.fold_word(word), 0.0) >= _COMMON_WORD
        or any(c.isdigit() for c in word)
        or (word.isupper() and len(word) > 1)
        for word in words
    )
    pairs = sum(written_pair(a, b) for a, b in itertools.pairwise(words))
    return common + pairs - 3 * unreadable


Sift = Callable[[layout.Word], layout.Word | None]


def _chained(*sifts: Sift | None) -> Sift | None:
    """The sifts given, one after the other (a word one drops goes no further)."""
    present = [sift for sift in sifts if sift is not None]
    if len(present) < 2:
        return present[0] if present else None

    def chained(word: layout.Word) -> layout.Word | None:
        kept: layout.Word | None = word
        for sift in present:
            kept = sift(kept) if kept is not None else None
        return kept

    return chained


def _under_streak(raster: Raster, angle: float) -> Sift | None:
    """Doubts a number (digits, or a Roman numeral) that a scanner's opaque streak crossed:
    the columns beside it stood in for what it hid ("ngày 08" read "ngày 03", sure, on an
    old copier; a stroke of "III" gone reads II, and its strokes count two).
    Words are placed on the page levelled by `angle`; the streak runs down the page as
    scanned."""
    if not raster.hidden:
        return None
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    width, height = raster.image.size
    cx, cy = width / 2, height / 2

    def doubt(word: layout.Word) -> layout.Word:
        if not layout.numeral(word.text):  # a digit, or a Roman numeral's stroke, hidden
            return word
        y = (word.y0 + word.y1) / 2 * height - cy
        xs = [cx + cos * (x * width - cx) - sin * y for x in (word.x0, word.x1)]
        if any(a <= max(xs) and min(xs) <= b for a, b in raster.hidden):
            return replace(word, conf=min(word.conf, _UNDER_STREAK))
        return word

    return doubt


def _finest(region: regions.Region, raster: Raster) -> int:
    """The resolution a region is read at, at most: the title block at the scan's own. At
    200 dpi the trích yếu lost its lines under the clerk's stamp (office subject 95.6 ->
    94.8% over nine seeds), where the header and the closing block gained (tesseract.READ_DPI)."""
    return raster.dpi if region.name == "title" else tesseract.READ_DPI


def _line_reader(
    settings: ReadingSettings, raster: Raster, sift: Sift | None
) -> lost_rows.ReadLine:
    """Reads one line cut out of the page at (left, top), as `lost_rows` asks."""

    def read(image: Image.Image, at: tuple[int, int]) -> list[Line]:
        return tesseract.ocr_lines(
            image,
            lang=settings.language,
            psm=_ONE_LINE_PSM,
            timeout=settings.ocr_timeout,
            dpi=raster.dpi,
            page=(*at, *raster.image.size),
            sift=sift,
            finest=raster.dpi,  # a title line: see _finest
        )

    return read


def _with_name(
    found: list[Line],
    cut: Image.Image,
    region: regions.Region,
    raster: Raster,
    settings: ReadingSettings,
    lifted: Image.Image | None = None,
    ring: seal_ring.Ring | None = None,
) -> list[Line]:
    """`found` with the signer's name row read again on its own (see `signature`), on the
    column as cut and, when given, with a grey seal's rings whitened: the grey levels keep
    the print a ring crosses on a clean scan, the whitening wins on a noisy one."""
    left = 0 if region.name == "closing-right" else round(cut.width * (1 - _NAME_SHARE))
    names: list[Line] = []
    for image in (cut, lifted):
        if image is None or (names and signature.sure(names[0])):
            continue  # a sure name on the column as cut: the whitened one adds nothing
        read = signature.read_name(
            image.crop((left, 0, image.width, image.height)),
            lang=settings.language,
            dpi=raster.dpi,
            timeout=settings.ocr_timeout,
            origin=(region.box[0] + left, region.box[1], *raster.image.size),
        )
        if read is not None:
            names.append(read)
    name = max(names, key=_name_score, default=None)
    if name is None:
        return found
    as_read = name
    if ring is not None:  # whitened: the ring took the strokes under it with it
        name = _surname_by_shape(name, cut if lifted is None else lifted, left, ring, raster.dpi)
    split = (region.box[0] + left) / raster.image.width
    row = [
        line for line in found if name.y0 <= (line.y0 + line.y1) / 2 <= name.y1 and line.x1 > split
    ]
    # A surname told by its shape was set before the given names as they fit the ink.
    if name is as_read and _column_read_it_better(row, name):
        return found
    return [line for line in found if line not in row] + [name]


def _surname_by_shape(
    name: Line, column: Image.Image, left: int, ring: seal_ring.Ring, dpi: int
) -> Line:
    """`name` with a surname the ring made unreadable told by its shape (`surname_shape`):
    read as garbage ("Ảnh Thị Hạnh", "ì 1ö Đức Tiến"), as another word ("Bài Xuân Phúc")
    or not at all ("Thị Thu Ngân"). The given names are the clean words that end the name."""
    words = [_EDGE_MARKS.sub("", word) for word in name.text.split()]  # "##Minh An"
    if surname_factor(name.text) == 1.0 and all(_clean_name_word(w) for w in words):
        return name  # "HỘ Nø»yến Xuân Hiếu" starts with no surname, though HỘ folds to Hồ
    given = list(itertools.takewhile(_clean_name_word, reversed(words)))[::-1]
    if not given:
        return name
    column = column.crop((left, 0, column.width, column.height))
    row = signature.name_row(column, dpi)
    if row is None:
        return name
    strip = column.crop((0, row[0], column.width, row[1]))
    # Its first word a surname misread, or the first given name.
    options = [" ".join(words) for words in (given[1:], given) if words]
    match = surname_shape.surname(strip, dpi, ring, (left, row[0]), options)
    if match is None:
        return name
    conf = min(_SHAPED_CONF, match.margin * _SHAPED_PER_MARGIN)
    return replace(name, text=f"{match.head} {match.given}", conf=conf)


def _clean_name_word(word: str) -> bool:
    """A word of a name as printed: a capital, then small letters, a Vietnamese syllable."""
    return word[:1].isupper() and word[1:].islower() and not syllables.foreign_or_invalid(word)


def _column_read_it_better(row: list[Line], name: Line) -> bool:
    """Whether the column's own reading of the name row beats the row read alone: it can
    ("__ Đỗ Mỹ Thảo" beside "pằ Mỹ Thảo") when it starts with a surname, lost no word to
    the seal ("Ngọc Lộc" for Trần Ngọc Lộc) and has fewer marks in it."""
    as_found = signature.as_one(row)
    return (
        as_found is not None
        and surname_factor(as_found.text) == 1.0
        and len(as_found.text.split()) >= len(name.text.split())
        and signature.worth(as_found) > signature.worth(name) * surname_factor(name.text)
    )


def _name_score(line: Line) -> float:
    """How much a name read is to be believed: Tesseract's confidence, less when its first
    word is no Vietnamese surname."""
    return line.conf * surname_factor(line.text)


class _InkGone(NamedTuple):
    """A stamped title's cut with the stamp's ink taken away, and where its frame ran."""

    image: Image.Image
    strokes: np.ndarray | None  # the level strokes of a frame as dark as print, left on it
    taken: _TakenInk | None  # the ink taken away inside the stamps, as it was scanned


def _stamp_ink_gone(
    cut: Image.Image,
    box: tuple[int, int, int, int],
    stamps: tuple[tuple[int, int, int, int], ...],
    page_width: int,
    scanned: Image.Image | None = None,
) -> _InkGone:
    """The title cut with ink that is not print whitened inside the stamps' frames: there
    the stamp's own ink and the clerk's pen, grey in a grey scan, touch the title's letters
    and Tesseract reads the two as one line. Print's level is measured outside the frames,
    on the same cut: near black on a clean scan, much paler on an old copier's. With it,
    where the level strokes of a frame as dark as print run (None when no frame stayed),
    and the ink taken away, paler frame and all (a digit such a frame crossed lost a stroke
    with it, and reads as another: "năm 2015" as 2017), on `scanned`, the cut before ink
    paler than print was whitened everywhere (the cut itself when not given).

    Ink paler than most print goes (the stamp's, 90-150 on the outside corpus). So does
    darker ink with no print's core beside it: the ballpoint's strokes reach 20-70, as dark
    as the grey fringe of printed letters, which stays because it borders their black."""
    pixels = np.asarray(cut).copy()
    inside = np.zeros(pixels.shape, dtype=bool)
    for stamp in stamps:
        left, top = max(0, stamp[0] - box[0]), max(0, stamp[1] - box[1])
        right, bottom = max(0, stamp[2] - box[0]), max(0, stamp[3] - box[1])
        inside[top:bottom, left:right] = True
    outside = pixels[~inside]
    ink = outside[outside <= _SEAL_GREY]
    if ink.size < _MIN_PRINT_PIXELS:
        return _InkGone(cut, None, None)
    limit = max(_STAMP_GREY, int(np.percentile(ink, _PRINT_PERCENTILE)))
    core = max(_PRINT_CORE, int(np.percentile(ink, _CORE_PERCENTILE)))
    printed = (pixels <= limit) & morph.dilate(pixels <= core, _FRINGE, _FRINGE)
    pixels[inside & ~printed] = 255
    before = np.asarray(scanned) if scanned is not None else np.asarray(cut)
    taken_ink = inside & (before <= _TAKEN_INK) & (pixels == 255)
    # A stamp as dark as print keeps its frame: where its level strokes run, for the
    # caller to try the title without them (the letters they cross stay).
    # Only around the frames is looked at: the search costs ~0.1 s on a whole title.
    reach = round(_FRAME_REACH * page_width)
    near = morph.dilate(inside, reach, reach)
    rows, cols = np.nonzero(near.any(axis=1))[0], np.nonzero(near.any(axis=0))[0]
    around = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
    strokes = np.zeros_like(near)
    strokes[around] = near[around] & frame_strokes(pixels[around] <= _SEAL_GREY, page_width)
    taken = _TakenInk(taken_ink, pixels, page_width)
    return _InkGone(Image.fromarray(pixels), strokes if strokes.any() else None, taken)


class _TakenInk:
    """The ink taken away with a stamp's, among the print left, on a title's cut: where a
    paler frame ran through a number, it took a stroke of a digit with it."""

    def __init__(self, taken: np.ndarray, left: np.ndarray, page_width: int) -> None:
        """`taken`: the ink taken away; `left`: the cut's grey levels without it."""
        self.taken, self.left, self.page_width = taken, left, page_width

    def within(self, box: tuple[int, int, int, int]) -> bool:
        """Whether any ink was taken away inside `box` (cut pixels)."""
        left, top, right, bottom = box
        return bool(self.taken[top:bottom, left:right].any())

    def crosses(self, box: tuple[int, int, int, int]) -> bool:
        """Whether a level stroke of a frame taken away runs through `box` (cut pixels).
        Looked for on a strip around it only, long enough to tell a stroke (the whole
        title's search would cost a stamped page ~40 ms)."""
        left, top, right, bottom = box
        reach = round(_STROKE_STRIP * self.page_width)
        rows = slice(max(0, top - reach // 4), bottom + reach // 4)
        cols = slice(max(0, left - reach), right + reach)
        taken = self.taken[rows, cols]
        if not taken.any():
            return False
        scanned = taken | (self.left[rows, cols] <= _SEAL_GREY)  # with the print it crossed
        strokes = taken & frame_strokes(scanned, self.page_width)
        inside = strokes[
            top - rows.start : bottom - rows.start, left - cols.start : right - cols.start
        ]
        return bool(inside.any())


class _SecondReading:
    """A number of the trích yếu read unsurely, read again alone on the cut as scanned:
    Tesseract reads a lone word without its neighbours' context (correct numbers read
    again: 0.93-0.97). Read the same surely, it is as sure as that; read as another
    surely, that reading is kept, doubted; read unsurely (a black-and-white page's stamp
    hides it: nothing, or "2014" at 0.00 for 2016), it is as it was. A stroke lost to a
    scanner's streak is lost to both readings: `_under_streak` doubts it after this."""

    def __init__(
        self,
        scanned: Image.Image,
        cut_box: tuple[int, int, int, int],
        raster: Raster,
        read_line: lost_rows.ReadLine,
    ) -> None:
        self.scanned, self.cut_box, self.raster = scanned, cut_box, raster
        self.read_line = read_line

    def __call__(self, word: layout.Word) -> layout.Word:
        left, top, right, bottom = _in_cut(word, self.raster, self.cut_box)
        pad = max(_MIN_PAD, (bottom - top) // 3)
        box = (max(0, left - pad), max(0, top - pad), right + pad, bottom + pad)
        at = (self.cut_box[0] + box[0], self.cut_box[1] + box[1])
        again = self.read_line(self.scanned.crop(box), at)
        sure = len(again) == 1 and again[0].conf >= _STRUCK_SURE and " " not in again[0].text
        # Read as no number (the stamp's print), or a Roman numeral's I read alone as 1:
        # no second reading of it.
        if not sure or not _same_kind_of_number(word.text, again[0].text):
            return word
        first, second = _numerals(word.text), _numerals(again[0].text)
        if second == first:
            return replace(word, conf=max(word.conf, again[0].conf))
        # The second reading's numerals in the word as first read ("2021," -> "2024,")
        text = _with_numerals(word.text, second) if len(second) == len(first) else word.text
        return replace(word, text=text, conf=min(word.conf, _READ_TWO_WAYS))


def _in_cut(
    word: layout.Word, raster: Raster, cut_box: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """`word`'s box in the pixels of the cut at `cut_box` on the page."""
    w, h = raster.image.size
    left, top = round(word.x0 * w) - cut_box[0], round(word.y0 * h) - cut_box[1]
    right, bottom = round(word.x1 * w) - cut_box[0], round(word.y1 * h) - cut_box[1]
    return max(0, left), max(0, top), max(0, right), max(0, bottom)


def _numbers_read_again(
    again: _SecondReading | None, stamps: tuple[tuple[int, int, int, int], ...], raster: Raster
) -> Sift | None:
    """Reads again a number outside the stamps read less surely than the trích yếu's
    fields believe ("quý IV" at 0.55 on an old copier, right, flagged the whole trích
    yếu); the stamp's remains ask those under it."""
    if again is None:
        return None

    def sift(word: layout.Word) -> layout.Word:
        if word.conf >= _UNSURE_NUMBER or not layout.numeral(word.text):
            return word
        return word if _inside_any(word, stamps, raster, whole=False) else again(word)

    return sift


def _strokes_counted(
    again: _SecondReading | None, stamps: tuple[tuple[int, int, int, int], ...]
) -> Sift | None:
    """A Roman numeral of I's as its upright strokes on the cut as scanned tell it
    (`strokes`). One OCR read a stroke off ("quý II" for III, "HH") is put right and stays
    doubted, for the clerk to see. One read as its strokes stand, in I's or in letters
    ("quý H" for II), is written in I's and as sure as the count makes it, away from the
    stamps (whose ink may stand for a stroke or hide one)."""
    if again is None:
        return None

    def sift(word: layout.Word) -> layout.Word:
        read = strokes.read_strokes(word.text)
        if read is None:  # no word of strokes: nothing to count
            return word
        box = _in_cut(word, again.raster, again.cut_box)
        numeral = strokes.counted(word.text, np.asarray(again.scanned.crop(box)) < _PRINT_LEVEL)
        if numeral is None:
            return word
        if numeral.count("I") != read:
            return replace(word, text=numeral, conf=min(word.conf, _COUNTED))
        if _inside_any(word, stamps, again.raster, whole=False):
            return word
        return replace(word, text=numeral, conf=max(word.conf, _STROKES_AGREE))

    return sift


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _StampRemains:
    """What is left of a stamp over the title once its pale ink is gone: the clerk's
    hand-written number, date and unit (and, in black ink, the engraved words).

    Words read inside the stamp that no print would give (not a Vietnamese syllable, an
    abbreviation or a number) are dropped, and so are lines lying wholly inside it away
    from the title's axis. What the stamp covered is not known, though: a title line that
    lost words to it, or lies under it, is kept with a low confidence so that the field
    read from it goes to the clerk (a wrong trích yếu nobody flags is a wrong record).
    """

    def __init__(
        self,
        boxes: tuple[tuple[int, int, int, int], ...],
        raster: Raster,
        struck: np.ndarray | None = None,
        cut_box: tuple[int, int, int, int] = (0, 0, 0, 0),
        taken: _TakenInk | None = None,
        again: _SecondReading | None = None,
    ) -> None:
        """`struck`: where a dark frame's strokes were taken out of the cut at `cut_box`;
        `taken`: the stamp's ink taken away there, a paler frame's strokes among it;
        `again`: reads a number under the stamp again alone, on the cut as scanned."""
        self.boxes, self.raster = boxes, raster
        self.struck, self.cut_box, self.taken, self.again = struck, cut_box, taken, again
        self.dropped: list[layout.Word] = []  # taken out, or cut short of stray marks
        self.removed: list[layout.Word] = []  # taken out
        self.passed: list[layout.Word] = []  # handed on, as mended: the lines' words

    def __call__(self, word: layout.Word) -> layout.Word | None:
        inside = _inside_any(word, self.boxes, self.raster, whole=False)
        unsure = word.conf < _STRUCK_SURE and layout.numeral(word.text)
        if unsure and vntext.has_digit(word.text) and self._struck(word):
            # A digit the frame ran through reads as another once the stroke is gone
            # ("năm 2016" as 2015, 2017 at 0.81), wherever the word's middle lies, and
            # no check sees it; read surely, it is itself (0.93-0.97 on office scans).
            # A Roman numeral's strokes stand: a level stroke only crosses them.
            word = replace(word, conf=min(word.conf, _UNDER_STAMP))
        elif (
            inside
            and self.again is not None
            and (unsure or (vntext.has_digit(word.text) and self._paled(word)))
        ):
            # Whitening the stamp's ink took strokes of the print with it ("năm 2024"
            # read 2021 at 0.80, the stamp's dotted line through its foot), or took one
            # and left a digit read surely ("2025" read 2027 at 0.95, the stamp's "ĐẾN"
            # over its 5); alone, with the stamp's ink, it reads 2024 and 2025 at 0.95.
            word = self.again(word)
        if not inside:
            self.passed.append(word)
            return word
        text = word.text.strip(_STRAY)  # the stamp's frame and dotted lines read as . : |
        if text in ("-", "–"):
            self.passed.append(word)
            return word  # "Tài chính - Kế hoạch": a dash in the line; the frame reads as |
        if not any(c.isalnum() for c in text):
            return None
        start, end = 0, len(text)
        if _spoiled(text):
            kept = _salvaged(text)
            if kept is None:
                self.dropped.append(word)
                self.removed.append(word)
                return None
            start, end = kept.span()
        if text != word.text or end - start < len(text):
            # Its box shrinks to the syllable's share, as if the marks were not there: a
            # line's middle is measured without them ("... thực phẩm." where the frame's
            # dotted line met its end).
            share = (word.x1 - word.x0) / len(word.text)
            x0 = word.x0 + (word.text.index(text) + start) * share
            word = replace(word, x0=x0, x1=x0 + (end - start) * share)
            text = text[start:end]
            self.dropped.append(word)  # a title line does not end in the middle of a stamp
        word = replace(word, text=text)
        self.passed.append(word)
        return word

    def _paled(self, word: layout.Word) -> bool:
        """Whether the stamp's ink was taken away inside `word`'s box."""
        box = _in_cut(word, self.raster, self.cut_box)
        return self.taken is not None and self.taken.within(box)

    def _struck(self, word: layout.Word) -> bool:
        """Whether a stroke of the frame taken out of the cut ran through `word`: a dark
        frame's, or a paler one's that went with the stamp's ink."""
        left, top, right, bottom = _in_cut(word, self.raster, self.cut_box)
        if self.struck is not None and self.struck[top:bottom, left:right].any():
            return True
        return self.taken is not None and self.taken.crosses((left, top, right, bottom))

    def sift(self, found: list[Line], region: regions.Region) -> list[Line]:
        width = self.raster.image.width
        axis = (region.box[0] + region.box[2]) / 2 / width
        kept: list[Line] = []
        stamps: list[Line] = []  # lines of the stamp's own: its number, date, unit
        for line in self._rejoined(found, axis):
            on_axis = _off_centre(line, axis) <= _AXIS_SLACK
            if _inside_any(line, self.boxes, self.raster):
                # A bare number there is the clerk's số đến, wherever it was written.
                own = not on_axis or line.text.strip(_STRAY).isdigit()
                (stamps if own else kept).append(self._doubt(line))
                continue
            line = self._without_frame_dashes(line)
            line, numbered = self._without_number(line, kept[-1] if kept else None)
            line, shouted = self._without_stamp_words(line)
            line, strayed = self._without_stray_end(line, axis)
            line, headed = self._without_stamp_head(line, axis)
            lost = [w for w in self.dropped if _in_row(w, line)]
            # The clerk's number or the stamp's words taken off its end, or junk beside it:
            # what they hid is not known, unless the line is centred as printed.
            cut = numbered or shouted or strayed or bool(lost)
            doubtful = cut and not self._whole(line, lost, axis)
            kept.append(self._doubt(line) if (doubtful or headed) and on_axis else line)
        # A title line read as nothing but junk: the line above it may have gone on there.
        for word in self.dropped:
            middle = (word.y0 + word.y1) / 2
            if abs((word.x0 + word.x1) / 2 - axis) > _ORPHAN_SLACK or any(
                line.y0 <= middle <= line.y1 for line in kept
            ):
                continue
            if any(_within(word, line) for line in stamps):
                continue  # a word of the stamp's own line ("v 410"), not a lost title line
            above = [i for i, line in enumerate(kept) if line.y1 < middle]
            if above:
                i = max(above, key=lambda k: kept[k].y1)
                if middle - kept[i].y1 <= 2 * (kept[i].y1 - kept[i].y0):
                    kept[i] = self._doubt(kept[i])
        return kept

    def _rejoined(self, found: list[Line], axis: float) -> list[Line]:
        """Pieces of one printed line that words taken out inside the stamp split apart
        ("... Trường" | "Miãm" | "non Hoa", "... các cơ" | "quanỷ đờnh" | "vị"): print the
        stamp's remains spoiled, since the line goes on past them and, whole, is centred on
        the title's axis, as no line with the stamp's own words in it is. They are one
        line again, with the words as read, and doubted."""
        lines = sorted(found, key=lambda line: line.x0)
        joined = True
        while joined:
            joined = False
            for a, b in itertools.permutations(lines, 2):
                between = [w for w in self.removed if _bridges(a, w, b)]
                centred = abs((a.x0 + b.x1) / 2 - axis) <= _CENTRED
                if a.x1 < b.x0 and between and layout.one_row(a, b) and centred:
                    words = sorted(between, key=lambda w: w.x0)
                    line = layout.to_line([_as_word(a), *words, _as_word(b)])
                    line = self._doubt(replace(line, conf=min(a.conf, b.conf)))
                    lines = [ln for ln in lines if ln is not a and ln is not b] + [line]
                    self.removed = [w for w in self.removed if w not in between]
                    joined = True
                    break
        return sorted(lines, key=lambda line: (line.y0, line.x0))

    def _whole(self, line: Line, lost: list[layout.Word], axis: float) -> bool:
        """Whether a title line beside the stamp's remains was read whole: centred on the
        title's axis as printed (a word lost at an end would pull its middle off by half
        the word's width), and nothing taken out between its ends."""
        inside = any(
            line.x0 < (w.x0 + w.x1) / 2 < line.x1 and sum(c.isalnum() for c in w.text) > 1
            for w in lost
            if w in self.removed
        )  # a mark of one letter's size is a speck: it hides no word
        return not inside and _off_centre(line, axis) <= _WHOLE_SLACK

    @staticmethod
    def _doubt(line: Line) -> Line:
        """The line with a low confidence, unless it is the type's name in capitals (the
        stamp leaves that readable, and the layout needs it to find the trích yếu)."""
        if line.text.upper() == line.text:
            return line
        return replace(line, conf=min(line.conf, _UNDER_STAMP))

    def _without_number(self, line: Line, above: Line | None) -> tuple[Line, bool]:
        """A line less the clerk's hand-written số đến in front of it or after it, when it
        starts or ends inside the stamp with a bare number that no word of a trích yếu
        announces ("năm 2019", "lớp 10" are print, also when "năm" ends the line `above`;
        "phát 1258" is the clerk's)."""
        words = line.text.split(" ")
        if len(words) < 2:
            return line, False
        announced = above is not None and announces_number(above.text.rsplit(" ", 1)[-1])
        if words[0].isdigit() and not announced and self._ends_inside(line, last=False):
            return self._less_end_word(line, last=False), True
        if words[-1].isdigit() and not announces_number(words[-2]) and self._ends_inside(line):
            return self._less_end_word(line), True
        return line, False

    def _without_frame_dashes(self, line: Line) -> Line:
        """A line less a dash at an end inside the stamp: its frame's edge, read as one
        ("- Triển khai ...", or run into the first word: "--Dự hội nghị ..."); a dash
        between two words is print ("Tài chính - Kế hoạch")."""
        while line.text.startswith(_DASH_WORDS) and self._ends_inside(line, last=False):
            line = self._less_end_word(line, last=False)
        while line.text.endswith(_DASH_ENDS) and self._ends_inside(line):
            line = self._less_end_word(line)
        glued = _GLUED_DASHES.match(line.text)
        if glued and self._ends_inside(line, last=False):
            line = replace(line, text=line.text[glued.end() :])
        return line

    def _without_stamp_words(self, line: Line) -> tuple[Line, bool]:
        """A trích yếu line less the stamp's own words in capitals at its end, inside the
        stamp ("... huyện Lạng Giang ĐẾN") or within a line's height of it (an old
        copier's faded frame is found smaller than it is: "... năm 2022 BAN"): a
        sentence-case line holds no such word. The type's name in capitals is read whole
        or not at all, so after it only the words the stamp prints go ("QUYẾT ĐỊNH ĐẾN
        so"): no type's name ends with one."""
        stamps_own = _stamp_print if vntext.is_upper_text(line.text) else _stamp_word
        cut = False
        while " " in line.text and stamps_own(line.text.rsplit(" ", 1)[1]):
            if not self._ends_inside(line, reach=line.y1 - line.y0):
                break
            line, cut = self._less_end_word(line), True
        return line, cut

    def _without_stray_end(self, line: Line, axis: float) -> tuple[Line, bool]:
        """A title line less its last word when that lies inside the stamp, is no clean
        word (spoiled, or opening with a mark), read unsurely, and the line is centred on
        the title's axis, as printed, only without it: the clerk's hand read as a word
        ("... về chuyển đổi số “tạ" at 0.22, the số đến "219" beside its end). A clean word
        is print, read unsurely under the stamp ("... an toàn thông" at 0.4), or read
        surely (the body's lines, margin to margin, are centred without their last word)."""
        words = self._words_of(line)
        if len(words) < 2 or not self._ends_inside(line):
            return line, False
        last = words[-1]
        if last.conf >= _UNSURE_WORD or not (_spoiled(last.text) or not last.text[0].isalnum()):
            return line, False
        shorter = self._less_end_word(line)
        if _off_centre(line, axis) > _WHOLE_SLACK >= _off_centre(shorter, axis):
            return shorter, True
        return line, False

    def _without_stamp_head(self, line: Line, axis: float) -> tuple[Line, bool]:
        """A trích yếu line less the stamp's words read before its first ("coi.G VĂN Về
        việc ...", "E— Kết luận ..."): the line starts inside the stamp, and from a
        capitalised syllable on it is centred on the title's axis, as printed, which with
        them it is not. Each word taken off is no print: spoiled, read unsurely, or a
        syllable in capitals (a body line's "Căn cứ" under the stamp stays). Doubted: under
        them the stamp may hide more."""
        words = self._words_of(line)
        if len(words) < 2 or _off_centre(line, axis) <= _CENTRED:
            return line, False
        rest = line
        for word in words[:_MAX_HEAD_WORDS]:
            stamps_own = _spoiled(word.text) or _stamp_word(word.text)
            if not self._ends_inside(rest, last=False, reach=_HEAD_REACH) or not (
                stamps_own or word.conf < _UNSURE_WORD
            ):
                break
            rest = self._less_end_word(rest, last=False)
            first = rest.text.split(" ", 1)[0].rstrip(",")
            capital = first[:1].isupper() and _printed_syllable(first)
            if capital and _off_centre(rest, axis) <= _CENTRED:
                return rest, True
        return line, False

    def _less_end_word(self, line: Line, *, last: bool = True) -> Line:
        """`line` less its last (or first) word, its box now that of the words left, as
        Tesseract boxed them (else shrunk by the word's share of its letters)."""
        shorter = _without_end_word(line, last=last)
        words = self._words_of(line)
        left = words[:-1] if last else words[1:]
        if not left:
            return shorter  # pieced together from more than Tesseract's words
        return replace(shorter, x0=min(w.x0 for w in left), x1=max(w.x1 for w in left))

    def _words_of(self, line: Line) -> list[layout.Word]:
        """The words Tesseract read `line` as, left to right (of a row read twice, the
        read it came from); none when it was pieced together from more than them."""
        words = sorted((w for w in self.passed if _within(w, line)), key=lambda w: w.x0)
        found: list[layout.Word] = []
        for text in line.text.split(" "):
            after = (found[-1].x0 + found[-1].x1) / 2 if found else -1.0
            match = next((w for w in words if w.text == text and w.x0 > after), None)
            if match is None:
                return []
            found.append(match)
        return found

    def _ends_inside(self, line: Line, *, last: bool = True, reach: float = 0.0) -> bool:
        """Whether `line`'s last (or first) letter lies inside a stamp, or within `reach`
        (page heights) of its frame."""
        w, h = self.raster.image.size
        x, y = (line.x1 * w - 1 if last else line.x0 * w + 1), (line.y0 + line.y1) / 2 * h
        r = reach * h
        return any(b[0] - r <= x <= b[2] + r and b[1] - r <= y <= b[3] + r for b in self.boxes)


def _in_row(word: layout.Word, line: Line) -> bool:
    """Whether `word` lies in `line`'s row: its middle does, or it covers half the line's
    height (the clerk's hand, taller than print, across two rows of the title)."""
    shared = min(word.y1, line.y1) - max(word.y0, line.y0)
    return line.y0 <= (word.y0 + word.y1) / 2 <= line.y1 or shared >= (line.y1 - line.y0) / 2


def _off_centre(line: Line, axis: float) -> float:
    """How far a line's middle lies from the title's axis (page widths)."""
    return abs((line.x0 + line.x1) / 2 - axis)


def _spoiled(text: str) -> bool:
    """Whether a word read inside a stamp is none print would give: no Vietnamese
    syllable, abbreviation or number."""
    return bool(
        syllables.foreign_or_invalid(text) or _MIXED.search(text) or _PEN_NUMBER.search(text)
    )


def _salvaged(text: str) -> re.Match[str] | None:
    """The printed syllable in a word the stamp's frame or the clerk's pen ran into
    ("trong:z:", "2:9”nhà", "Đồng?!!⁄2213": the clerk's number), when there is just one
    and the marks around it hold no more than a couple of letters; else None."""
    pieces = list(_ALNUM_RUN.finditer(text))
    words = [p for p in pieces if _printed_syllable(p[0])]
    specks = sum(c.isalpha() for p in pieces if p not in words for c in p[0])
    return words[0] if len(words) == 1 and specks <= _MAX_SPECKS else None


def _printed_syllable(text: str) -> bool:
    """A Vietnamese syllable of two letters or more, in small letters or capitalised."""
    cased = text[1:].islower() and (text[:1].islower() or text[:1].isupper())
    return len(text) >= 2 and text.isalpha() and cased and syllables.is_syllable(text)


def _bridges(a: Line, word: layout.Word, b: Line) -> bool:
    """Whether `word` lies in the gap from line `a` to line `b`, on their row."""
    middle = (word.y0 + word.y1) / 2
    slack = (a.y1 - a.y0) / 2  # a word's box and a line's meet or overlap a little
    return (
        a.x1 - slack <= word.x0
        and word.x1 <= b.x0 + slack
        and a.y0 <= middle <= a.y1
        and b.y0 <= middle <= b.y1
    )


def _as_word(line: Line) -> layout.Word:
    return layout.Word(
        line.text, line.x0, line.y0, line.x1, line.y1, line.conf, line.size, line.bold
    )


def _without_end_word(line: Line, *, last: bool = True) -> Line:
    """`line` less its last (or first) word, its box shrunk by the word's share of it."""
    words = line.text.split(" ")
    gone = words.pop() if last else words.pop(0)
    shift = (line.x1 - line.x0) / len(line.text) * (len(gone) + 1)
    if last:
        return replace(line, text=" ".join(words), x1=line.x1 - shift)
    return replace(line, text=" ".join(words), x0=line.x0 + shift)


def _stamp_word(word: str) -> bool:
    """A word of the stamp's print ("ĐẾN", "SỐ", "NGÀY"): a syllable in capitals, not an
    abbreviation (UBND, THCS are no syllables)."""
    return len(word) > 1 and word.isupper() and word.isalpha() and syllables.is_syllable(word)


def _stamp_print(word: str) -> bool:
    """A word the ĐẾN stamp prints (ND30, Phụ lục IV: ĐẾN, Số, Ngày, Chuyển, Lưu hồ sơ
    số), read in any case, with the colon or marks after it."""
    return vntext.loose_key(word.rstrip(_STRAY + ":")) in _STAMP_PRINT


_STAMP_PRINT = frozenset(("den", "so", "ngay", "chuyen", "luu", "ho"))


def _within(word: layout.Word, line: Line) -> bool:
    """Whether a word's centre lies in a line's box."""
    x, y = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
    return line.x0 <= x <= line.x1 and line.y0 <= y <= line.y1


def _inside_any(
    item: Line | layout.Word,
    boxes: tuple[tuple[int, int, int, int], ...],
    raster: Raster,
    *,
    whole: bool = True,
) -> bool:
    """Whether a line or word read (box in page fractions) has its centre within one of
    `boxes` (page pixels), and, when `whole`, all of its width too."""
    w, h = raster.image.size
    cx, cy = (item.x0 + item.x1) / 2 * w, (item.y0 + item.y1) / 2 * h
    slack = 0.02 * w
    return any(
        b[0] <= cx <= b[2]
        and b[1] <= cy <= b[3]
        and (not whole or (item.x0 * w >= b[0] - slack and item.x1 * w <= b[2] + slack))
        for b in boxes
    )


def _cut(image: Image.Image, box: tuple[int, int, int, int], angle: float) -> Image.Image:
    """`image.rotate(angle).crop(box)` (same centre, same size), computing only the box."""
    if angle == 0.0:
        return image.crop(box)
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    cx, cy = image.width / 2, image.height / 2
    # Output pixel (x, y) of the box is (x + left, y + top) on the turned page, which
    # comes from the page point turned back by `angle` about the centre (as PIL rotates).
    dx, dy = box[0] - cx, box[1] - cy
    matrix = (cos, -sin, cos * dx - sin * dy + cx, sin, cos, sin * dx + cos * dy + cy)
    size = (box[2] - box[0], box[3] - box[1])
    return image.transform(
        size, Image.Transform.AFFINE, matrix, Image.Resampling.BILINEAR, fillcolor=255
    )


def _upright(raster: Raster, settings: ReadingSettings) -> Raster | None:
    """The raster turned upright per Tesseract OSD, or None when it is upright or unsure."""
    image, dpi = raster.image, raster.dpi
    if dpi >= 250:  # OSD needs no more than ~150 dpi; halving saves most of its time
        image, dpi = image.reduce(2), dpi // 2
    found = tesseract.detect_orientation(image, timeout=settings.ocr_timeout, dpi=dpi)
    if found is None or found.rotate == 0 or found.confidence < _MIN_OSD_CONF:
        return None
    # OSD's "rotate" is clockwise; PIL turns counter-clockwise for positive angles.
    return raster.turned(-found.rotate)


def _chars(lines: tuple[Line, ...]) -> int:
    return sum(sum(c.isalnum() for c in line.text) for line in lines)


def _score(lines: tuple[Line, ...]) -> float:
    return sum(line.conf * sum(c.isalnum() for c in line.text) for line in lines)


def _rank(lines: tuple[Line, ...], landmarks: tuple[str, ...]) -> tuple[bool, float]:
    """Which of two readings of a page to keep: the one with a landmark, then the surer."""
    return _has_landmark(lines, landmarks), _score(lines)


def _poor(lines: tuple[Line, ...]) -> bool:
    chars = _chars(lines)
    return chars < _MIN_CHARS or _score(lines) / chars < _POOR_CONF


def _same_kind_of_number(first: str, again: str) -> bool:
    """Whether `again` is a number written as `first` is: both in digits, or both Roman."""
    return layout.numeral(again) and vntext.has_digit(again) == vntext.has_digit(first)


def _numerals(text: str) -> str:
    """The digits of a number, or the letters of a Roman numeral, in order."""
    return "".join(c for c in text if c.isdigit() or c in _ROMAN_LETTERS)


def _with_numerals(text: str, numerals: str) -> str:
    """`text` with its numerals, in order, those of `numerals` (as many)."""
    new = iter(numerals)
    return "".join(next(new) if c.isdigit() or c in _ROMAN_LETTERS else c for c in text)
