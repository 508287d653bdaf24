"""Find the parts of an ND30 first page: the two header columns, the type title, the trích yếu.

ND30 Phụ lục I puts the agency names and "Số: ..." in the left column, the quốc hiệu and
"<Place>, ngày ..." in the right one, the độ khẩn / độ mật marks under the number, then the
type name centred in capitals and the trích yếu under it (for a công văn: "V/v ..." under
the number, no type title). With positions, the columns come from x; without, from what
each line says, which is enough because every right-column line is recognisable.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from daemon.ocr import syllables
from daemon.ocr.doctypes import DocTypes, TitleMatch
from daemon.ocr.fields_layout import NUMBER_LABEL_RE, Layout, WLine, ends_body
from daemon.ocr.fields_lexicon import goes_on_with, written_pair
from daemon.ocr.fields_parse import (
    DateLine,
    Mark,
    Number,
    parse_date_line,
    parse_mark,
    parse_number,
)
from daemon.ocr.fields_vocab import (
    AGENCY_HEADS,
    AGENCY_TAILS,
    STAMP_DEN,
    agency_like,
    is_motto,
    starts_body,
    starts_with_any,
)
from daemon.ocr.layout import one_row
from daemon.ocr.vntext import (
    capital_after_small,
    holds_print,
    is_upper_text,
    loose_key,
    speck_word,
)

_WINDOW = 60  # the header and title sit within the first lines of page 1
_MAX_TITLE_WORDS = 6
_MAX_SUBJECT_LINES = 6
_LEFT_COLUMN = 0.5  # page widths: the title is centred on the page, past this ...
_RIGHT_COLUMN = 0.6  # ... and starts before this (a stamp's "BAN QUẢN LÝ DỰ ÁN" does not)
_HEADER_BOTTOM = 0.45  # page heights: ND30 puts header, title and trích yếu above this
# A line under a "V/v" trích yếu, lower than _SLIVER of its lines, further than _APART of
# their height below them (wrapped lines lie 0.1-0.5 apart) and read less surely than _SURE,
# is not its last line but the top of the clerk's stamp below it.
_SLIVER = 0.7
_APART = 0.6
_SURE = 0.7


@dataclass
class Header:
    """What the first page's header region holds; line lists are in reading order."""

    end: int = 0  # index of the first line after the header (the title or the body)
    title: int | None = None
    title_match: TitleMatch | None = None
    title_line: WLine | None = None
    number: Number | None = None
    number_lines: list[WLine] = field(default_factory=list)
    date: DateLine | None = None
    date_line: WLine | None = None
    issuer_lines: list[WLine] = field(default_factory=list)
    vv_lines: list[WLine] = field(default_factory=list)
    marks: list[tuple[Mark, WLine]] = field(default_factory=list)
    has_motto: bool = False
    spoiled_title: bool = False  # found by its resemblance to the ký hiệu's type only


def _is_title(line: WLine, types: DocTypes, positioned: bool) -> TitleMatch | None:
    text = line.text.strip()
    if not line.caps or text.endswith(":") or parse_mark(text) is not None:
        return None
    if positioned and (line.x1 < _LEFT_COLUMN or line.x0 > _RIGHT_COLUMN):
        return None  # a column's, or the stamp's words there ("CÔNG “ANG", "Ự ÁN")
    found = types.match_title(text)
    if found is None or (len(text.split()) > _MAX_TITLE_WORDS and not found.type.letter):
        return None
    return found


def _title_read_apart(layout: Layout, i: int) -> WLine | None:
    """Line `i` and the next, one title read as two lines of one row ("HƯỚNG" | "DẪN": an
    old copier's wide gap between its words), joined; None when the next is not that."""
    lines = layout.lines
    if not layout.positioned or i + 1 >= len(lines):
        return None
    a, b = lines[i], lines[i + 1]
    near = 0 <= b.x0 - a.x1 <= _WORD_GAP * max(a.height, 0.01)
    if a.page != b.page or not (a.caps and b.caps and near and one_row(a, b)):
        return None
    text = f"{a.text} {b.text}"
    return replace(
        a,
        text=text,
        key=loose_key(text),
        x1=b.x1,
        y0=min(a.y0, b.y0),
        y1=max(a.y1, b.y1),
        conf=min(a.conf, b.conf),
    )


_WORD_GAP = 6.0  # a gap between a title's words, in line heights, at most (3.2 seen)


def _without_stamp_word(line: WLine) -> WLine | None:
    """The line less the stamp's "ĐẾN" read at its end, in its stroke or not ("KẾ HOẠCH
    IĐEN": the stamp beside the title), its right end where its own words end; None when
    it ends in no such word."""
    found = _STAMP_WORD.search(line.text)
    if found is None or found.start() == 0:
        return None
    return _part(line, 0, found.start())


def _part(line: WLine, start: int, end: int) -> WLine:
    """The line's characters `start`..`end`, its box narrowed to them by their share of its
    characters (OCR gives no box to a character; glyphs differ little in width)."""
    share = (line.x1 - line.x0) / max(len(line.text), 1)
    text = line.text[start:end]
    x1 = line.x1 if end >= len(line.text) else line.x0 + share * end
    return replace(line, text=text, key=loose_key(text), x0=line.x0 + share * start, x1=x1)


_STAMP_WORD = re.compile(r"\s+[|Il1]?[ĐD][EÉẾÊ]N\W*$")


def _without_stamp_bits(line: WLine) -> WLine | None:
    """The line less the bits of the stamp beside it read at its end, words of one or two
    letters or digits ("BÁO CÁO L ĐH", "HƯỚNG DẪN 4 ÊN 2,": no type's name ends so), when
    its start is a type's name as read; None when it ends in no such bits."""
    found = _STAMP_BITS.search(line.text)
    if found is None or found.start() == 0:
        return None
    bare = _part(line, 0, found.start())
    return bare if is_upper_text(bare.text) else None


_STAMP_BITS = re.compile(r"(?:\s+\W*\w{1,2}\W*)+$")


def _window(layout: Layout) -> list[int]:
    """Indexes of the first page's lines that may belong to the header or the title.

    It ends at the body ("Căn cứ", "Kính gửi", "Điều 1"), at the end of the body or
    "Nơi nhận:" (a short letter), or below the top of the page when positions are known.
    """
    lines = layout.lines
    if not lines:
        return []
    first = layout.page_lines(lines[0].page)[:_WINDOW]
    for n, i in enumerate(first):
        line = lines[i]
        if starts_body(line.text, line.key) or ends_body(line.text):
            return first[:n]
        if line.key.startswith("noi nhan") or (layout.positioned and line.y0 > _HEADER_BOTTOM):
            return first[:n]
    return first


def find_header(layout: Layout, types: DocTypes, today: dt.date) -> Header:
    """Locate and read the header of page 1."""
    lines = layout.lines
    window = _window(layout)
    head = Header(end=window[-1] + 1 if window else 0)
    for i in window:
        found = _is_title(lines[i], types, layout.positioned)
        if found is not None:
            head.title, head.title_match, head.title_line, head.end = i, found, lines[i], i
            break
        whole = _title_read_apart(layout, i)
        if whole is not None and (found := _is_title(whole, types, layout.positioned)):
            head.title, head.title_match, head.title_line, head.end = i + 1, found, whole, i
            break
        for bare in (_without_stamp_word(lines[i]), _without_stamp_bits(lines[i])):
            if bare is not None and (found := _is_title(bare, types, layout.positioned)):
                break
        else:
            continue
        head.title, head.title_match, head.title_line, head.end = i, found, bare, i
        break
    _read_above_title(head, layout, window, today)
    spoiled = _title_the_number_names(head, layout, window, types)
    if spoiled is not None:  # the header ends at it: read again above it
        i, found = spoiled
        head = Header(end=i, title=i, title_match=found, title_line=lines[i], spoiled_title=True)
        _read_above_title(head, layout, window, today)
    return head


def _title_the_number_names(
    head: Header, layout: Layout, window: list[int], types: DocTypes
) -> tuple[int, TitleMatch] | None:
    """Where no title was found: the line under the number, in capitals and centred, that
    resembles the name of the type its ký hiệu names ("H Z G DẪN" under 20/HD-SCT: an old
    copier's specks in HƯỚNG DẪN; "KẾ HOẠCH:" under 384/KH-HĐND, its colon a speck OCR
    doubted), with that type, doubted as `resembles` scores it."""
    number = head.number
    if head.title is not None or number is None or not number.kind_abbr or not layout.positioned:
        return None
    named = types.by_abbr(number.kind_abbr)
    if named is None or named.letter:
        return None
    below = max(line.y1 for line in head.number_lines)
    for i in window:
        line = layout.lines[i]
        if line.y0 < below or not line.caps or _ends_in_sure_colon(line):
            continue
        if line.x1 < _LEFT_COLUMN or line.x0 > _RIGHT_COLUMN or parse_mark(line.text):
            continue
        if len(line.text.split()) <= _MAX_TITLE_WORDS:
            found = types.resembles(line.text, named, cutoff=_SPOILED_TITLE)
            if found is not None:
                return i, found
    return None


_SPOILED_TITLE = 0.6  # similarity to the name of the type the ký hiệu names, at least


def _ends_in_sure_colon(line: WLine) -> bool:
    """Whether a line ends in a colon OCR was sure of: a label's ("QUYẾT ĐỊNH:" over a
    decision's articles), not a speck after a title."""
    if not line.text.rstrip().endswith(":"):
        return False
    return not line.word_confs or line.word_confs[-1] >= _SPECK_COLON


_SPECK_COLON = 0.5  # a title's last word read less surely than this: its colon is a speck


def _read_above_title(head: Header, layout: Layout, window: list[int], today: dt.date) -> None:
    """The number, date, marks, motto and issuer from the window's lines above the title."""
    lines = layout.lines
    region = [i for i in window if i < head.end]
    split = _column_split(layout, region)
    left: list[int] = []
    number_at: int | None = None
    for i in region:
        line = lines[i]
        mark = parse_mark(line.text)
        if mark is not None:
            head.marks.append((mark, line))
        elif is_motto(line.key):
            head.has_motto = True
        elif number_at is None and NUMBER_LABEL_RE.match(line.text):
            number_at = i
        elif head.date is None and _read_date(head, line, today):
            continue
        elif not layout.positioned or line.xc < split:
            left.append(i)
    if number_at is not None:
        _read_number(head, layout, number_at, left)
    _split_left(head, lines, left, number_at, layout.positioned)


def _column_split(layout: Layout, region: list[int]) -> float:
    """The x where the right header column starts (the quốc hiệu's left edge)."""
    xs = [layout.lines[i].x0 for i in region if is_motto(layout.lines[i].key)]
    return min(xs) - 0.01 if xs and layout.positioned else 0.5


def _read_date(head: Header, line: WLine, today: dt.date) -> bool:
    parsed = parse_date_line(line.text, today)
    if parsed is None or parsed.lead > 6 or NUMBER_LABEL_RE.match(line.text):
        return False
    if _CITED.search(line.key):
        return False  # "4567/UBND-KT ngày 12/6/2016 của UBND huyện": another's, the body's
    head.date, head.date_line = parsed, line
    return True


# A date "của" follows: the date of a document the body cites (3359 c0158, where the
# header's date line was not read, gave the document that date at 0.94)
_CITED = re.compile(r"(?:19|20)\d\d\W*cua\b")


def _read_number(head: Header, layout: Layout, at: int, left: list[int]) -> None:
    """The number on the "Số:" line, completed by pieces a gap split off (a handwritten
    or stamped number in the blank after "Số:" comes out as its own line)."""
    lines = layout.lines
    line = lines[at]
    parts = [line]
    number = parse_number(line.text)
    if number is None or "/" not in number.text or not any(c.isdigit() for c in number.text):
        pieces = [i for i in left if _continues_number(layout, at, i)]
        joined = sorted([at, *pieces], key=lambda i: (lines[i].x0, i) if layout.positioned else i)
        candidate = parse_number(" ".join(lines[i].text for i in joined))
        if pieces and candidate is not None:
            number, parts = candidate, [lines[i] for i in joined]
            for i in pieces:
                left.remove(i)
    head.number, head.number_lines = number, parts
    if number is not None and (mark := parse_mark(number.rest)) is not None:
        head.marks.append((mark, line))


def _continues_number(layout: Layout, at: int, i: int) -> bool:
    line, other = layout.lines[at], layout.lines[i]
    if not other.text[:1].isdigit() and not other.text.startswith(("/", "-")):
        return False
    if layout.positioned:
        return abs(other.y0 - line.y0) < max(line.height, 0.01) and other.x0 > line.x0
    return i == at + 1


def _split_left(
    head: Header,
    lines: tuple[WLine, ...],
    left: list[int],
    number_at: int | None,
    positioned: bool,
) -> None:
    """Left-column lines: the agency names above the number, a "V/v" trích yếu below it.
    A line read before the number whose middle lies below the number's is no agency line:
    the top of the clerk's stamp beside it ("Sa uy ch,")."""
    vv_at = next((i for i in left if _VV_KEY.match(lines[i].key)), None)
    if vv_at is None and number_at is not None:  # "V hướng dẫn ...": right under the number
        vv_at = next((i for i in left if i > number_at and _LONE_V.match(lines[i].text)), None)
    stop = min(x for x in (number_at, vv_at, len(lines)) if x is not None)
    head.issuer_lines = [lines[i] for i in left if i < stop]
    if positioned and number_at is not None:
        middle = (lines[number_at].y0 + lines[number_at].y1) / 2
        head.issuer_lines = [ln for ln in head.issuer_lines if (ln.y0 + ln.y1) / 2 < middle]
    if vv_at is not None:
        block = [lines[i] for i in left if i >= vv_at]
        head.vv_lines = _vv_block(block) if positioned else block


# "V/v" (về việc) as printed, and as OCR reads it: "V/", "V/V", "Y/v", "V/w", "V/Q", "V/2",
# "V⁄", "V¡v", "V|v", "VW", "VWw" (the slash run into both v's), "V7v" (its slash a 7:
# 1246 c0188), behind specks (". V/v hướng dẫn", "_› V/v"), with one before its first
# word ("V/v-hướng dẫn", "V/v.báo cáo"); or a V alone, its slash and v lost, before a word
# in small letters (`_vv_at`).
_VV_KEY = re.compile(r"[\W_]*\s*(?:[vyw]\s*[/⁄¡|!]\s*[a-z0-9]?[\s.-]|v[vw]w?\s|v7[vw]\s|ve viec\b)")
_LONE_V = re.compile(r"[\W_]*V\s+[a-zà-ỹđ]")


def _vv_block(lines: list[WLine]) -> list[WLine]:
    """The "V/v ..." line and the lines wrapped under it: a wide gap, a sentence's end or a
    page break means the rest is body text that happens to sit in the left column, and so
    does the top of the clerk's stamp under it."""
    out = lines[:1]
    for line in lines[1:]:
        prev = out[-1]
        gap = line.y0 - prev.y1
        if line.page != prev.page or gap > 1.5 * max(prev.height, 0.01):
            break
        if _stamp_sliver(line, gap, max(ln.height for ln in out)):
            break
        if (line.caps and not out[0].caps) or " kinh gui" in f" {line.key}":
            break  # the stamp's agency name in capitals; "Kính gửi:" the clerk's pen led
        if _STAMPS_WORD.match(line.text):
            break  # "ĐẾN sẽ: R24f gửi: ...": the stamp's engraved word, then its fields
        ended = prev.text.rstrip().endswith((".", ";", ":"))
        if line.x0 < prev.x0 - 0.05 or (ended and not _goes_on_from_colon(prev, line)):
            break
        out.append(line)
    return out


_STAMPS_WORD = re.compile(r"\W*ĐẾN\b")  # in capitals: the incoming stamp's, not print's


def _stamp_sliver(line: WLine, gap: float, height: float) -> bool:
    """Whether `line` is the top of the clerk's stamp cut by the header's edge, not a
    wrapped line of a trích yếu whose lines stand `height` high: a sliver of a line, set
    apart, that Tesseract doubts ("Sa ốc ©šs ——", "Sở NÔI VI TÍNH BÁC GIANC Ì")."""
    return line.height < _SLIVER * height and gap > _APART * height and line.conf < _SURE


def _goes_on_from_colon(prev: WLine, line: WLine) -> bool:
    """A wrapped line in small letters after a colon or a full stop read at a line's end:
    the mark was a speck ("V/v đôn đốc báo cáo kết quả:" / "phổ biến, giáo dục pháp luật";
    "V/v báo cáo số liệu phòng." / "cháy, chữa cháy rừng"), and the trích yếu, which
    `fields` then flags, goes on. A capital shaped as its small letter, opening the word
    the phrase at the line's end goes on with, is one misread ("... ứng dụng chữ ký ." /
    "Số trong gửi, nhận ...", 0.89 on a fresh seed's old copier: the trích yếu cut short)."""
    if prev.conf >= 1.0 or not prev.text.rstrip().endswith((":", ".")):
        return False
    if line.text[:1].islower():
        return True
    before, after = _WORDS.findall(prev.text)[-2:], _WORDS.findall(line.text)[:1]
    small_alike = loose_key(line.text[:1]) in _SMALL_ALIKE
    return small_alike and len(before) == 2 and bool(after) and goes_on_with(*before, *after)


_WORDS = re.compile(r"[^\W\d_]+")
_SMALL_ALIKE = frozenset("cosvwxz")  # capitals shaped as their small letters, but taller


_SPECKS = re.compile(r"[_.,:;'\"`]+")


def split_agency(lines: list[WLine]) -> tuple[list[WLine], list[WLine]]:
    """Agency lines as (parent agency lines, issuing agency lines).

    ND30 prints the parent in regular capitals and the issuer in bold: when the text layer
    knows the weights, that decides. Otherwise a line that starts a new agency name
    (SỞ, PHÒNG, BAN...) starts the issuer; one that continues a name (HUYỆN KHÁNH SƠN) does not.
    """
    if not lines:
        return [], []
    bolds = [ln.bold for ln in lines]
    if any(bolds) and not all(bolds) and bolds == sorted(bolds):
        k = bolds.index(True)
        return lines[:k], lines[k:]
    groups: list[list[WLine]] = [[lines[0]]]
    for line in lines[1:]:
        # Specks before the name or between its words: "_PHÒNG TÀI", "ỦY BAN. NHÂN DÂN",
        # and a dash before it.
        key = " ".join(_SPECKS.sub(" ", line.key).split()).lstrip("-–— ")  # "- PHÒNG"
        head = max((len(h) for h in AGENCY_HEADS if starts_with_any(key, (h,))), default=0)
        tail = max((len(t) for t in AGENCY_TAILS if starts_with_any(key, (t,))), default=0)
        if head > tail and line.text.lstrip("_-–—.,:;'\"` ")[:1].isupper():  # "_—_ CỤC"
            groups.append([line])
        else:
            groups[-1].append(line)
    return (groups[-2] if len(groups) > 1 else []), groups[-1]


def subject_lines(layout: Layout, head: Header) -> tuple[list[WLine], int]:
    """The trích yếu under the type title: bold centred lines, possibly wrapped; and the
    index of the line after the last one taken, where the body starts (lines the reading
    put between are skipped: the clerk's stamp beside the title, specks).

    It ends at the authority line ("ỦY BAN NHÂN DÂN HUYỆN ..."), a rule, the body
    ("Căn cứ", "Kính gửi", "Điều 1"), a change of case or weight, or a wide gap.
    """
    if head.title is None:
        return [], head.end
    lines = layout.lines
    title = head.title_line or lines[head.title]
    axis = _Axis.of(layout, head, title)
    out: list[WLine] = []
    marks: list[WLine] = []  # lines of marks (".¬aĂ-Ằ—Ằ"): the rule under it, or a speck
    prev, end = title, head.title + 1
    below = lines[end : end + _MAX_SUBJECT_LINES]
    # a print line's height, to tell specks by: the page's lines' middle one (the title's
    # own box may hold a speck above it: "GIẤY MỜI" 0.037 high over lines of 0.018)
    printed = statistics.median(ln.height for ln in lines if ln.page == title.page)
    for i, line in enumerate(below):
        if not holds_print(line.text):
            continue  # specks read as a line ("` ˆ ˆ"): not the body, not the trích yếu
        if line.text.strip(_END_MARKS).isdigit() and axis.off(line):
            continue  # the clerk's số đến beside the stamp
        thin = layout.positioned and line.height < _THIN * printed  # "+ 3x": 0.004 high
        if thin or _marks_only(line.text) or (out and _speck_atop(line, below[i + 1 : i + 2])):
            if out:  # a speck or spoiled print if the trích yếu goes on below: it is doubted
                marks.append(replace(line, text="", conf=min(line.conf, UNREAD)))
            continue
        if not out and layout.positioned and _stamp_beside(line, title):
            continue
        line = _without_stamp_label(line, axis)
        if out:
            line = _without_lead_dash(_without_end_speck(line, prev, axis), prev, axis)
            line = _without_stamp_date(line, axis)
        else:
            line = _without_stamp_date(_without_stamp_head(line, axis), axis)
        if not out and not _opens_subject(line, title, axis):
            following = below[i + 1 : i + 2]
            if _ends_in_speck_colon(line, following, title, axis):
                line = replace(line, text=line.text[:-1].rstrip())
            elif not _opens_off_axis(line, following, title, axis):
                break
            line = replace(line, conf=min(line.conf, _STAMPED))
        if out and _ends_subject(line, prev, out, axis):
            break
        out += [*marks, line]
        marks, prev, end = [], line, head.title + 2 + i
    return out, end


UNREAD = 0.3  # a line read this unsurely may hide what it says (under the clerk's stamp)
_BODY_WIDER = 1.15  # a line this much wider than the trích yếu's widest, starting left of it
_MARGIN_SLACK = 0.05  # ... and ending this close to the right margin (page widths)
_INDENT = 0.07  # ... or starting this close to the left one (a 1.27 cm indent and slack)
_PAST = 0.03  # a body line the stamp cut the start of ends this far past the trích yếu
_THIN = 0.5  # a "line" this much lower than a line of print is a rule or a speck


def chars_lost_before(layout: Layout, head: Header, subject: list[WLine]) -> float:
    """How many characters the trích yếu's first line lacks at its start to be centred
    under the title, when it starts in small letters: the stamp ate its opening ("phê
    duyệt Kế hoạch ..." eight characters right of "Về việc phê duyệt ..."). 0 when it
    starts with a capital, or nothing says where the title is."""
    if not subject or head.title is None or not layout.positioned:
        return 0.0
    title, line = head.title_line or layout.lines[head.title], subject[0]
    if not line.text.lstrip(_END_MARKS)[:1].islower():
        return 0.0
    centre = _title_centre(head, title)
    per_char = (line.x1 - line.x0) / len(line.text)
    return max((line.x1 - centre) - (centre - line.x0), 0.0) / per_char


def chars_lost_between(layout: Layout, head: Header, subject: list[WLine]) -> list[float]:
    """How many characters each pair of the trích yếu's lines running on lacks between
    them to be centred under the title: the end of the first left of the title's middle,
    the start of the second (in small letters) right of it, where the stamp ate them. 0
    where nothing says where the title is."""
    if head.title is None or not layout.positioned:
        return [0.0] * max(len(subject) - 1, 0)
    centre = _title_centre(head, head.title_line or layout.lines[head.title])

    def lost(line: WLine, *, start: bool) -> float:
        if start and not line.text.lstrip(_END_MARKS)[:1].islower():
            return 0.0
        left, right = centre - line.x0, line.x1 - centre
        return (
            max(right - left if start else left - right, 0.0) * len(line.text) / (line.x1 - line.x0)
        )

    return [lost(a, start=False) + lost(b, start=True) for a, b in pairwise(subject)]


def _title_centre(head: Header, title: WLine) -> float:
    """The middle of the title as printed: of its type's name where the stamp's ink was read
    glued to it (see `_named_part`), as `_Axis` centres the trích yếu's lines."""
    names = head.title_match.type.names if head.title_match else ()
    return _printed_centre(_named_part(title, names), least=1)


# The clerk's stamp's "CÔNG VĂN ĐẾN" in capitals, however read, among a line's first words:
# they widen it to a body line's start, though what follows may be the trích yếu's end
# (6315 c0170, registered at 0.96 without "tại cuộc họp về ...").
_DEN_OPENS = re.compile(rf"^(?:\S+\s+){{0,2}}{STAMP_DEN}\b")


def subject_may_go_on(layout: Layout, subject: list[WLine], following: int) -> bool:
    """Whether the trích yếu may go on past its last line read, the line at `following`:
    an unsure line follows close below (a line half lost under the stamp no longer looks
    centred, so it was not taken, but the trích yếu may end there), and is not the body's
    by its place or its first words; or one the stamp's "ĐẾN" opens, whatever its place."""
    if not subject or following >= len(layout.lines):
        return False
    line, last = layout.lines[following], subject[-1]
    close = line.y0 - last.y1 <= 1.5 * max(last.height, 0.01)
    if line.page == last.page and close and _DEN_OPENS.match(line.text):
        return True  # "con VAN ĐEN tại cuộc họp ...": the stamp's words glued to its start
    # The body's first line runs from margin to margin, wider than any centred line above.
    widest = max(ln.x1 - ln.x0 for ln in subject)
    # A word the stamp ate (or its remains) can widen a trích yếu line too: the body's line
    # also starts at a paragraph's indent or reaches the right margin.
    page = [ln for ln in layout.lines if ln.page == line.page]
    left, right = min(ln.x0 for ln in page), max(ln.x1 for ln in page)
    body = (
        line.x1 - line.x0 > _BODY_WIDER * widest
        and line.x0 < min(ln.x0 for ln in subject)
        and (line.x0 <= left + _INDENT or line.x1 >= right - _MARGIN_SLACK)
    )
    # Its start lost under the stamp, a body line still ends at the right margin, past
    # where the centred trích yếu ends ("... ngày 5/1/2019 của UBND huyện Núi").
    cut_body = (
        line.x0 > min(ln.x0 for ln in subject) + _PAST
        and line.x1 >= right - _MARGIN_SLACK
        and line.x1 > max(ln.x1 for ln in subject) + _PAST
    )
    opens_body = starts_body(line.text, line.key, strong=True)  # "Kính gửi", "Căn cứ"
    # The short rule under the trích yếu, read as marks; the issuing council's name under
    # a Nghị quyết ("HỘI ĐỒNG NHÂN DÂN TỈNH ..."): no line of a trích yếu in small letters.
    thin = line.y1 - line.y0 < _THIN * (last.y1 - last.y0)
    shouted = is_upper_text(line.text) and not any(is_upper_text(ln.text) for ln in subject)
    unlike = body or cut_body or opens_body or thin or shouted
    return line.page == last.page and line.conf < UNREAD and close and not unlike


@dataclass(frozen=True)
class _Axis:
    """The title's centre line and the body's margins, to tell a centred trích yếu line
    from a body line when the weights are unknown (OCR). None of it without positions."""

    positioned: bool
    centre: float | None = None
    # The long lines the margins are measured by, as (x0, x1, under the title).
    edges: tuple[tuple[float, float, bool], ...] = ()

    @property
    def left(self) -> float:
        return min((e[0] for e in self.edges), default=0.0)

    @property
    def right(self) -> float:
        return max((e[1] for e in self.edges), default=1.0)

    @classmethod
    def of(cls, layout: Layout, head: Header, title: WLine) -> _Axis:
        if not layout.positioned or title.bold:
            return cls(layout.positioned)
        long = [ln for ln in layout.lines if ln.page == title.page and len(ln.text) >= 30]
        if _stamp_bits_after(title):
            return cls(True)  # "QUYẾT ĐỊNH L2": where the title ends is not known
        centre = _title_centre(head, title)  # "TỜ TRÌNH...": specks after it
        if not long:
            return cls(True, centre)
        return cls(True, centre, tuple((ln.x0, ln.x1, ln.y0 >= title.y1) for ln in long))

    def off(self, line: WLine) -> bool:
        """Whether `line` is not centred under the title, or spans the body's full width
        as the other long lines set it: the date line ends at the right margin, a line
        under the title starts at the left (a trích yếu in one long line, with no body
        under it in the fields' first reading, sets neither by itself)."""
        if self.centre is None:
            return False
        others = [e for e in self.edges if e[:2] != (line.x0, line.x1)]
        lefts = [e[0] for e in others if e[2]]
        full = bool(lefts) and (
            line.x0 <= min(lefts) + 0.01 and line.x1 >= max(e[1] for e in others) - 0.01
        )
        return full or abs(_printed_centre(line) - self.centre) > 0.02

    def spans(self, line: WLine) -> bool:
        """Whether `line` runs from the left margin or a paragraph's indent to the right
        margin, as the body's lines do."""
        return line.x0 <= self.left + _INDENT and line.x1 >= self.right - 0.01

    def body_width(self, line: WLine, lines: list[WLine]) -> bool:
        """Whether `line` spans the body and is wider than the trích yếu `lines` above it:
        the body's first line, though its middle may lie under the title's."""
        widest = max(ln.x1 - ln.x0 for ln in lines)
        return (
            self.centre is not None
            and line.x1 - line.x0 > _BODY_WIDER * widest
            and self.spans(line)
        )


def _named_part(title: WLine, names: Sequence[str]) -> WLine:
    """The title line narrowed to the type's name as printed, where the stamp's ink beside
    it was read glued to it ("KẾ HOẠCH.o+", "NGHỊ QUYET Ỉ HÊN se": matched as a name OCR
    spoiled, its middle then a character or more right of the name's): its first characters
    that spell one of `names`, marks aside. The line as it is when none do or all of it does."""
    keys = {loose_key(name) for name in names}
    text = title.text
    for end in range(1, len(text)):
        if text[end - 1].isalpha() and not text[end].isalpha() and loose_key(text[:end]) in keys:
            return _part(title, 0, end)
    return title


def _stamp_bits_after(title: WLine) -> bool:
    """Whether the title line ends in what the clerk's stamp beside it added: a word with
    a digit or of one letter ("QUYẾT ĐỊNH L2"), no part of a type's name."""
    words = title.text.split(" ")
    return len(words) > 1 and (any(c.isdigit() for c in words[-1]) or len(words[-1]) == 1)


def _printed_centre(line: WLine, *, least: int = 2) -> float:
    """The line's middle without the marks OCR read at its ends ("... năm 2024.....-": a
    rule or specks beside it, "1} Kết quả ...": a speck and the stamp's ink by its start),
    their width taken as their share of its characters, when they are `least` or more (a
    mark glued to a line's word may be print's; none ends a title: "BÁO CÁO." is a speck
    the box reached, 3468 c0189)."""
    core = line.text.strip(_END_MARKS)
    head, _, rest = core.partition(" ")
    if rest and speck_word(head):
        core = rest.strip(_END_MARKS)
    if len(line.text) - len(core) < least or not core:
        return line.xc
    share = (line.x1 - line.x0) / len(line.text)
    start = line.text.index(core)
    return line.x0 + share * (start + len(core) / 2)


_END_MARKS = " .,:;-–—_~'`\"|"


def _opens_subject(line: WLine, title: WLine, axis: _Axis) -> bool:
    """Whether the line under the title starts a trích yếu rather than the body."""
    if line.page != title.page or line.text.endswith((":", ";")) or line.text.startswith("-"):
        return False
    if starts_body(line.text, line.key, strong=True):
        return False
    if axis.off(line) and not _half_under_stamp(line, axis):
        return False
    if parse_mark(line.text) is not None or (line.caps and agency_like(line.text)):
        return False  # the authority line: a decision without trích yếu
    # "Thực hiện ..." opens a bold trích yếu or a regular body paragraph.
    return not starts_body(line.text, line.key) or not title.bold or line.bold


def _opens_off_axis(line: WLine, following: Sequence[WLine], title: WLine, axis: _Axis) -> bool:
    """Whether a line under the title, off its axis, still opens the trích yếu: it starts
    with a capital inside the text frame, or with the rest of a word the stamp ate the start
    of ("ê duyệt Kế hoạch hỗ trợ": its middle right of the axis, its end short of the
    margin the body's lines reach), and the line after it, centred on the axis, goes on in
    small letters ("Ban hành Kế hoạch bảo đảm" / "an toàn thực phẩm năm 2016"), or with the
    rest of a name the line ends in ("... của Hiệu trưởng Trường" / "Quốc Toản tại cuộc họp
    ...", the stamp over "Tiểu học Trần", 2746 s0110, an office scan). The stamp
    or a speck moved its middle (an old copier's); what it hid is not known, so it is
    doubted."""
    if not following or axis.centre is None or axis.spans(line):
        return False
    if not (line.text[:1].isupper() or (line.text[:1].islower() and _eaten(line, axis))):
        return False
    (below,) = following
    name_goes_on = _NAME_AT_END.search(line.text) is not None and below.text[:1].isupper()
    if not (below.text[:1].islower() or name_goes_on) or line.page != below.page:
        return False
    if axis.off(below) and not (_eaten(line, axis) and _eaten(below, axis)):
        return False
    return _opens_subject(line, title, replace(axis, centre=None))


# A line ending in a capitalised word, not its first ("... Hiệu trưởng Trường", "... của
# Sở"): a name that may go on below it.
_NAME_AT_END = re.compile(r"(?<=\s)[A-ZĐ][a-zà-ỹđ]+$")


def _eaten(line: WLine, axis: _Axis) -> bool:
    """Whether `line`, off the title's axis, lacks its start: its middle right of the axis,
    its end short of the margin the body's lines reach."""
    right_of_axis = axis.centre is not None and _printed_centre(line) > axis.centre
    return right_of_axis and line.x1 < axis.right - _MARGIN_SLACK


def _cut_short(line: WLine, axis: _Axis) -> bool:
    """Whether `line`, off the title's axis, lacks its end: its middle left of the axis.
    (Where the body's lines start says nothing here: the fields' reading seldom holds
    them, and the long lines it measures by are the trích yếu's own.)"""
    return axis.centre is not None and _printed_centre(line) < axis.centre


def _ends_in_speck_colon(
    line: WLine, following: Sequence[WLine], title: WLine, axis: _Axis
) -> bool:
    """Whether a line under the title that ends in a colon, which no trích yếu line ends
    in ("... như sau:" is the body's), still opens the trích yếu: centred on the title's
    axis, the line after it centred too and going on in small letters ("Kết quả thực hiện
    giảm nghèo:" / "bền vững 6 tháng đầu năm 2021"): a speck read as the colon. Doubted
    by the caller: what made it may have hidden more."""
    if not line.text.endswith(":") or not following or axis.centre is None:
        return False
    (below,) = following
    if axis.off(line) or axis.off(below) or not below.text[:1].islower():
        return False
    return _opens_subject(replace(line, text=line.text[:-1].rstrip()), title, axis)


def _without_stamp_label(line: WLine, axis: _Axis) -> WLine:
    """A trích yếu line less the stamp's label and the clerk's number read before it ("Ni:
    2Ơ mới trong các cơ quan", the stamp's "Số:" with the số đến), the clerk's date ("12/201
    sạch nông thôn"), or marks or a letter alone before its first word ("‹ w Kết quả ...",
    "- Về việc ..."): its start and its middle are measured without them. It is doubted,
    since the stamp lay on it, unless it is centred on the title's axis as read, marks and
    all: then they are specks that hid nothing."""
    found = _STAMP_LABEL.match(line.text) or _CLERKS_DATE.match(line.text)
    doubted = found is not None or axis.off(line)
    found = found or _STAMP_SPECKS.match(line.text)
    if found is None:
        return line
    rest = _part(line, found.end(), len(line.text))
    return replace(rest, conf=min(line.conf, _STAMPED)) if doubted else rest


def _without_stamp_head(line: WLine, axis: _Axis) -> WLine:
    """The trích yếu's first line less the stamp's words OCR read before it, in one line
    with it ('x VAN ỤNG 3ov:"Bận hành Kế hoạch ...' beside the stamp's left side): what
    follows them is centred on the title's axis, and they are the stamp's words. Doubted, as
    a line the stamp lay on."""
    if axis.centre is None or not axis.off(line):
        return line
    for found in _WORD_START.finditer(line.text, 1):
        head, rest = line.text[: found.start()], _part(line, found.start(), len(line.text))
        if abs(_printed_centre(rest) - axis.centre) > _CENTRED:
            continue
        if not _stamps_words(head) or not rest.text[:1].isalpha():
            return line
        return replace(rest, conf=min(line.conf, _STAMPED))
    return line


def _stamps_words(text: str) -> bool:
    """Whether `text` is what the stamp's print reads as: words in capitals (its engraved
    name, "VAN ỤNG"), marks, letters alone and tokens no print holds ("3ov:"), one at least
    of those last."""
    kinds = [_stamp_token(word.strip(_END_MARKS + "“”")) for word in text.split()]
    return "spoiled" in kinds and "print" not in kinds


def _stamp_token(word: str) -> str:
    """What a word before the trích yếu is: "spoiled" (no print's), "caps" or "print"."""
    if len(word) <= 1 or any(c.isdigit() for c in word) or not word.isalpha():
        return "spoiled"
    if word.isupper():
        return "caps"
    return "print" if syllables.is_syllable(word) else "spoiled"


def _without_stamp_date(line: WLine, axis: _Axis) -> WLine:
    """A trích yếu line less the clerk's date OCR read after it, in one line with it ("Công
    tác tuyển sinh vào lớp 10 năm 2024 say, 24/04/202": the stamp's "Ngày:" beside its
    end; "... giai đoạn 2018-2022 27/05", its year not read), when what goes before is
    centred on the title's axis. Doubted, as a line the stamp lay on."""
    found = _DATE_AFTER.search(line.text)
    if found is None or axis.centre is None or not axis.off(line):
        return line
    # its label read as a short word, or a word of the line's own ("... trợ cấp 09/06/201"),
    # but not a "ngày" the date is printed after ("... Kế hoạch số 2099 ngày 15/5/2022")
    printed = loose_key(line.text[: found.start("date")].split()[-1]) == "ngay"
    cuts = (found.start(),) if printed else dict.fromkeys((found.start(), found.start("date")))
    for cut in cuts:
        rest = _part(line, 0, len(line.text[:cut].rstrip()))
        if abs(_printed_centre(rest) - axis.centre) <= _CENTRED and rest.text[-1:].isalnum():
            return replace(rest, conf=min(line.conf, _STAMPED))
    return line


# The clerk's date at a line's end (its year may be lost), its label read as a short word
# or not at all
_DATE_AFTER = re.compile(r"(?:\s+\S{1,6})?\s+(?P<date>\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)\W*$")
_WORD_START = re.compile(r"(?<=[\s\W])(?=[^\W\d_])")
_CENTRED = 0.015  # page widths: a line centred under the title, as OCR's boxes place it


_WRAPPED = 0.5  # a wrapped line's gap under the one before, at most (line heights)
_STAMPED = 0.2  # a line the stamp lay on, as pageocr doubts one (its _UNDER_STAMP)
_STAMP_LABEL = re.compile(r"\w{1,4}:\s+\S*\d\S*\s+(?=\w)")  # "Số: 215 ", read "Ni: 2Ơ "
# The clerk's date, its label lost, before a line going on in small letters ("12/201 sạch")
_CLERKS_DATE = re.compile(r"\d{1,2}[/.]\d{1,4}(?:[/.]\d{1,4})?\s+(?=[a-zà-ỹđ])")
# Its frame's marks or a letter alone before a trích yếu line's capital ("‹ w Kết quả ...")
_STAMP_SPECKS = re.compile(r"(?:(?:(?:[^\w\s]|_)+|[a-zA-Z])\s+)+(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])")


def _without_end_speck(line: WLine, prev: WLine, axis: _Axis) -> WLine:
    """A trích yếu's next line without the period a speck made at its end ("thôn mới quý IV
    năm 2019."): it goes on in small letters, centred on the title's axis and set close
    under `prev` as a wrapped line is, which no sentence of the body does, nor the address
    a space below ("ính gửi: UBND tỉnh Thanh Hóa.", its capital lost). A trích yếu ends
    without a period."""
    text = line.text
    if not (text.endswith(".") and not text.endswith("..") and text[:1].islower()):
        return line
    if axis.centre is None or axis.off(line) or line.y0 - prev.y1 > _WRAPPED * prev.height:
        return line
    return _part(line, 0, len(text[:-1].rstrip()))


def _without_lead_dash(line: WLine, prev: WLine, axis: _Axis) -> WLine:
    """A trích yếu's next line without the dash a speck made at its start ("- thông tin
    mạng quý IV năm 2017" under "... bảo đảm an toàn", 0.97 on a fresh seed's old copier:
    the field ended there): centred on the title's axis, set close under `prev` as a
    wrapped line is, going on in small letters with a word the one above ends in pairs
    with. A list item of the body is none of these. Doubted: the speck may hide more."""
    found = _LEAD_DASH.match(line.text)
    if found is None or axis.centre is None or line.y0 - prev.y1 > _WRAPPED * prev.height:
        return line
    rest = _part(line, found.end(), len(line.text))
    before, after = _WORDS.findall(prev.text)[-1:], _WORDS.findall(rest.text)[:1]
    if axis.off(rest) or not (before and after and rest.text[:1].islower()):
        return line
    return replace(rest, conf=min(line.conf, _STAMPED)) if written_pair(*before, *after) else line


_LEAD_DASH = re.compile(r"[-–]\s+")


def _stamp_beside(line: WLine, title: WLine) -> bool:
    """Whether a line wholly left or right of the title is the clerk's stamp beside it,
    which the reading order puts between the title and the trích yếu: its engraved words in
    capitals ("VĂN PHÒNG HĐND VÀ UBND", "_ HUYỆN") or spoiled ("“3. nÁcC GIANG |": no print
    puts a capital after a small letter; "-.s ~isil BẮC GIANG" at 0.49: no word spells so),
    or the hand-written rest, read unsurely, or
    whatever stands in the title's own row ("-. 2WBND HUYỆN Hiếp số,"): ND30 gives the
    title a row to itself. A piece of a trích yếu line the stamp split is in small letters,
    read surely, under the title. The stamp's words in capitals within the title's height
    are its own also where the title, read with the stamp's marks, reaches over them
    ("QUYẾT ĐỊNH L2" over "SỞ NỘI VỤ TỈNH BÁ")."""
    beside = line.x1 < title.x0 or line.x0 > title.x1
    in_row = min(line.y1, title.y1) - max(line.y0, title.y0) > 0.5 * line.height
    within = title.y0 <= line.y0 and line.y1 <= title.y1 and line.caps
    spoiled = capital_after_small(line.text) or bool(syllables.foreign_or_invalid(line.text))
    return within or (beside and (in_row or line.caps or spoiled or line.conf < UNREAD))


def _half_under_stamp(line: WLine, axis: _Axis) -> bool:
    """A line read unsurely beside the clerk's stamp, which ate some of its words and so
    moved its middle: still the trích yếu's (flagged by its confidence), not the body's."""
    return line.conf < UNREAD and not axis.spans(line)


def _marks_only(text: str) -> bool:
    """Whether a line holds no word of print: no syllable, abbreviation or number of two
    letters or more ("l", "ˆ", ".¬aĂ-Ằ—Ằ")."""
    tokens = [t for t in text.split() if sum(c.isalnum() for c in t) > 1]
    return all(syllables.foreign_or_invalid(token) for token in tokens)


def _speck_atop(line: WLine, following: Sequence[WLine]) -> bool:
    """Whether `line` is specks read on top of the line after it: hardly read, much lower
    than it and within its height (the stamp's frame run along the top of "trong gửi, nhận
    ...", read as "H" and "HO cà Uy" at 0.0 and 0.06: the trích yếu goes on below them)."""
    if not following or line.conf >= UNREAD:
        return False
    after = following[0]
    thin = line.height < _THIN * after.height
    return thin and after.y0 - _TOP_SLACK <= line.y0 and line.y1 <= after.y1


_TOP_SLACK = 0.002  # page heights: OCR's boxes of one row's ink differ by this at the top


def _goes_on_under(line: WLine, prev: WLine, axis: _Axis) -> bool:
    """Whether `line`, off the title's axis, is the next line of the trích yếu line above
    it all the same: close below, narrower than the body, and centred where that line is
    (the stamp beside both moved where the title looked centred, or ate both lines' ends
    alike: "... và tìm" over "cứu nạn ... Kiến Xương năn"), or read unsurely within its
    span (the stamp ate its end: "thành tích xuất sắc trong bảo vệ môi" under "Về việc
    khen thưởng các tập thể, cá nhân có", both starting at one place), or wrapped close
    under it in small letters with its start eaten as the line above's may be ("trong dịp
    Tết ..." under "đảm phòng, chống ...", the stamp left of both), unless it is the
    address under a Tờ trình's ("gui Phòng Giáo dục ...": "Kính" lost)."""
    close = line.y0 - prev.y1 <= 1.5 * max(prev.height, 0.01)
    centred = abs(_printed_centre(line) - _printed_centre(prev)) <= _SAME_PLACE
    within = prev.x0 - _SAME_PLACE <= line.x0 and line.x1 <= prev.x1 + _SAME_PLACE
    unsure = within and line.conf < UNREAD and not _addressed(line)
    wrapped = line.y0 - prev.y1 <= _WRAPPED * prev.height and line.text[:1].islower()
    eaten = wrapped and _eaten(line, axis) and not _addressed(line)
    cut = wrapped and line.conf < UNREAD and _cut_short(line, axis) and not _addressed(line)
    return close and not axis.spans(line) and (centred or unsure or eaten or cut)


def _addressed(line: WLine) -> bool:
    """Whether `line` is "gửi" and a name: the "Kính gửi" under a Tờ trình, "Kính" lost."""
    words = line.text.split()
    return len(words) > 1 and line.key.startswith("gui ") and words[1][:1].isupper()


_SAME_PLACE = 0.01  # page widths: two lines' middles or edges set alike differ by less


# The words a Giấy mời's body invites with (loose keys); no trích yếu says them. Its first
# line, ragged short of the right margin, may look centred under the title (7302 c0193).
_INVITES = re.compile(r"\btran trong (?:kinh )?moi\b")


def _ends_subject(line: WLine, prev: WLine, out: list[WLine], axis: _Axis) -> bool:
    if line.page != prev.page or starts_body(line.text, line.key):
        return True
    if line.text.endswith(":") and (not axis.positioned or axis.off(line)):
        return True  # "Kính gửi:"; a centred line under the trích yếu goes on with it
    if line.text.endswith((".", ";")) or line.text.startswith(("-", "+", "•")):
        return True  # a sentence or a list item: a trích yếu has neither
    if line.key.startswith("(ban hanh kem theo") or parse_mark(line.text) is not None:
        return True
    if _INVITES.search(line.key):  # "HĐND tỉnh ... trân trọng kính mời": a Giấy mời's body
        return True
    if line.after_rule or line.caps != out[0].caps or (out[0].bold and not line.bold):
        return True
    gap = line.y0 - prev.y1
    if (axis.off(line) and not _goes_on_under(line, prev, axis)) or axis.body_width(line, out):
        return True
    return axis.positioned and gap > 1.5 * max(prev.height, 0.01)
