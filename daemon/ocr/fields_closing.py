"""Read the end of a document's body: "Nơi nhận:" (bottom left) and the signature (bottom right).

The closing is looked for after the header, at the first "Nơi nhận:" or else right after
the body's "./.", so that a decision followed by the regulation it issues yields the
decision's signer, not the one repeated at the regulation's end.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace

from daemon.ocr.fields_layout import Layout, WLine, ends_body
from daemon.ocr.fields_vocab import (
    SIGN_PREFIX,
    SURNAME_FORMS,
    SURNAMES,
    TITLES,
    agency_like,
    is_title_line,
)
from daemon.ocr.names import is_name_syllable
from daemon.ocr.vntext import edit_distance, loose_key, strip_aligned

_MAX_CLOSING = 30  # lines of the closing region
_LOOK_BACK = 4  # lines before "Nơi nhận:" that may sit on its row (signature's first line)
# An item's dash, and what OCR makes of it (a quote, a tilde, a bullet).
_ITEM = re.compile(r"^\s*[-+•·*–—‐‑~“”\"¬_]\s*")
_LEAD_JUNK = re.compile(r"^[\W_]+")
_TAIL_MARKS = re.compile(r"[\W_]+$")
_ITEM_END = (";", ".", ":")
# Specks after an item's ";": marks, "_", modifier letters (ˆ, a word character to Python),
# or one small letter alone ("Như trên; _", "Lưu: VT. ˆ", "Lưu: VT. ị")
_TAIL_JUNK = re.compile(r"\s*[;,.:]\s*(?:(?:[^\w()]|[_\u02b0-\u02ff]){1,3}|[a-zà-ỹđ])$")
# A speck standing alone between an item's words ("điện \\ tử", "điện tử [ huyện")
_INNER_SPECK = re.compile(r"(?<=\w) +[\\\[\]|{}~`^_\u02b0-\u02ff]+ +(?=\w)")
# "TT. HĐND tỉnh" (Thường trực) read "TT: HĐND tỉnh"
_STANDING = re.compile(r"^TT\s*[:;,]\s*(?=[A-ZĐ])")
_AS_ABOVE = "Như trên"  # ":" is how OCR often reads the ";"
# On the folded text. OCR also gives "Ai nhận:": accepted only after the body's "./.".
_RECIPIENT_LABEL = re.compile(r"^\s*n[o0]i\s*nh[a4]n\s*(?::\s*|$)")  # not "Nơi nhận hồ sơ"
_RECIPIENT_LABEL_OCR = re.compile(r"^\s*\S{1,3}\s*nh[a4]n\s*:\s*")
# "Lưu: VT" as OCR reads it: the archive line's first unit is always the văn thư (VT), so a
# "Lưu" with a slip in any letter (Tưu, LUuU, LỰU, EÚU) followed by a "VT" is that line.
# Its L may be lost or follow a speck read as a letter ("ưu: VT", "kLưu: VT"), its colon
# doubled or joined by a speck ("Lưu::VT", "Eưu:.VT"); what follows VT is more units.
_ARCHIVE = re.compile(
    r"^(?:[^\W\d_]?[LTEbk])?[ưuƯUỰỨỪỬỮựứừửữúùÚÙợỢ][uUươợ]{0,2}\s*[:;.]{0,2}\s*"
    r"[Vv][TFIl1|7ĨỊÍÌẢ][TF)]?(?=\s*[,;.:'’]|\s*$)"
)
_UNITS_AFTER = re.compile(r"^[\s,;.:'’]*[,;.:'’][\s,;.:'’]*(?=\w)")  # "VT; KTHT", "VT,.VP", "VT,NC"
_TO_REPORT = re.compile(r"\(b\s*[/íìl|]\s*[cC©€e]\)")  # its stroke read as í too
_TO_REPORT_TO = re.compile(r"\(đ[ểếễệềe]\s+b/c\)")  # "(để b/c)" with its mark misread
_AS_SAID = re.compile(r"^Nh[ưựừứửữ]\s+(?=trên\b|Điều\b)")  # "Nhự Điều 3": Như
# Rank or degree printed before a signer's name (on the folded text).
_NAME_PREFIX = re.compile(
    r"^(?:(?:dai|thuong|trung|thieu) (?:ta|uy|tuong)|(?:p?gs\.? ?)?ts\.|ths\.|bs\.|ks\.|ls\.)\s*"
)


@dataclass
class Closing:
    recipients: list[str] = field(default_factory=list)
    recipient_lines: list[WLine] = field(default_factory=list)
    has_label: bool = False  # a "Nơi nhận:" line was found
    signer: WLine | None = None
    signer_anchored: bool = False  # a TM./KT./title line came before the name


def find_closing(layout: Layout, body_start: int) -> Closing:
    """Recipients and signer of the document whose body starts at `body_start`."""
    lines = layout.lines
    label = next(
        (i for i in range(body_start, len(lines)) if _RECIPIENT_LABEL.match(lines[i].key)), None
    )
    end_mark = next((i for i in range(body_start, len(lines)) if ends_body(lines[i].text)), None)
    if label is None and end_mark is not None:
        label = next(
            (
                i
                for i in range(end_mark + 1, min(end_mark + 4, len(lines)))
                if _RECIPIENT_LABEL_OCR.match(lines[i].key)
            ),
            None,
        )
    if label is not None:
        start = _row_start(layout, label, end_mark)
    elif end_mark is not None:
        start = end_mark + 1
    else:
        start = _last_page_bottom(layout, body_start)
    region = _region(layout, start)
    closing = Closing(has_label=label is not None)
    used: set[int] = set()
    first = label if label is not None else _unlabelled_list(layout, region)
    if first is not None:
        _read_recipients(layout, first, region, closing, used)
    _read_signer(layout, [i for i in region if i not in used and i != label], closing)
    return closing


def _unlabelled_list(layout: Layout, region: list[int]) -> int | None:
    """The first item of a "Nơi nhận" list whose label OCR lost (the seal's ink, a speck):
    the left column's dash items down to the archive line ("- Lưu: VT."), which every list
    ends with and nothing else in the closing is."""
    if not layout.positioned:
        return None
    lines = layout.lines
    items = [i for i in region if _is_left(layout, lines[i]) and _ITEM.match(lines[i].text)]
    archive = next((i for i in items if _ARCHIVE.match(_clean_item(lines[i].text))), None)
    return items[0] if archive is not None else None


def _row_start(layout: Layout, label: int, end_mark: int | None) -> int:
    """Start of the closing: "Nơi nhận:" or a signature line printed on its row just above."""
    lines = layout.lines
    start = label
    floor = max(
        end_mark + 1 if end_mark is not None and end_mark < label else 0, label - _LOOK_BACK
    )
    for i in range(label - 1, floor - 1, -1):
        same_page = lines[i].page == lines[label].page
        near = layout.positioned and lines[i].y0 >= lines[label].y0 - 0.02
        if not (same_page and near):
            break
        start = i
    return start


def _last_page_bottom(layout: Layout, body_start: int) -> int:
    """No "Nơi nhận:" and no "./.": look at the lower part of the last page."""
    lines = layout.lines
    if not lines:
        return 0
    last = layout.page_lines(lines[-1].page)
    if layout.positioned:
        bottom = [i for i in last if lines[i].y0 >= 0.5]
        return max(bottom[0] if bottom else last[-1], body_start)
    return max(last[0], len(lines) - 15, body_start)


def _region(layout: Layout, start: int) -> list[int]:
    """The closing's lines: from `start`, on its page, until an appendix begins."""
    lines = layout.lines
    out: list[int] = []
    for i in range(start, min(len(lines), start + _MAX_CLOSING)):
        line = lines[i]
        if line.page != lines[start].page or line.key.startswith(("(ban hanh kem theo", "phu luc")):
            break
        out.append(i)
    return out


def _is_left(layout: Layout, line: WLine) -> bool:
    return line.x0 < 0.45 if layout.positioned else bool(_ITEM.match(line.text))


def _read_recipients(
    layout: Layout, label: int, region: list[int], closing: Closing, used: set[int]
) -> None:
    """The "- ...;" lines under "Nơi nhận:"; a wrapped item continues without a dash."""
    lines = layout.lines
    label_text = _RECIPIENT_LABEL.match(lines[label].key) or _RECIPIENT_LABEL_OCR.match(
        lines[label].key
    )
    first = lines[label].text[label_text.end() if label_text else 0 :]
    items: list[list[WLine]] = [[lines[label]]] if first.strip() else []
    texts: list[str] = [first] if first.strip() else []
    for i in (i for i in region if i > label):
        line = lines[i]
        closed = not texts or texts[-1].rstrip().endswith(_ITEM_END)
        start = _item_start(layout, line, closed)
        if start is not None:
            items.append([line])
            texts.append(line.text[start:])
        elif texts and not closed and _continues(layout, line):
            items[-1].append(line)  # a wrapped item goes on without a dash
            texts[-1] += " " + line.text
        else:
            continue
        used.add(i)
        if texts[-1].lstrip().lower().startswith("lưu") and texts[-1].rstrip().endswith("."):
            break  # "Lưu: VT." closes the list
    cleaned = (
        _archive_item(_snap_item(_clean_item(t), item))
        for t, item in zip(texts, items, strict=True)
    )
    # "- Nơi nhận:" read with a mark before it is the list's label, not its first item
    closing.recipients = [t for t in cleaned if t and not _RECIPIENT_LABEL.match(loose_key(t))]
    closing.recipient_lines = [ln for item in items for ln in item]


def _snap_item(text: str, lines: list[WLine]) -> str:
    """ "Như trên" (to the addressees above), in nearly every công văn, when OCR unsure of
    it garbled it ("Nhưưên", "Nhưtên")."""
    key = loose_key(text)
    if text == _AS_ABOVE or not key.startswith("nh") or len(text.split()) > 2:
        return text
    unsure = min(ln.conf for ln in lines) < 0.9
    close = difflib.SequenceMatcher(None, key, "nhu tren").ratio() >= 0.7
    return _AS_ABOVE if unsure and close else text


def _archive_item(text: str) -> str:
    """ "Lưu: VT, ..." (kept by the văn thư) with OCR's slips in "Lưu" and "VT" undone (VF,
    VI, VTF) and its units parted by commas, as ND30 writes them; "(b/c)" (để báo cáo)
    whose c OCR made a © or €, "(để b/c)" and "Như Điều 3" with a mark misread."""
    text = _AS_SAID.sub("Như ", _TO_REPORT_TO.sub("(để b/c)", _TO_REPORT.sub("(b/c)", text)))
    match = _ARCHIVE.match(text)
    if match is None:
        return text
    units = _UNITS_AFTER.sub(", ", text[match.end() :].replace("Ñ", "N"))
    return f"Lưu: VT{units}"


def _continues(layout: Layout, line: WLine) -> bool:
    """A wrapped item's next line: in the left column, or (plain text) starting lower-case."""
    return _is_left(layout, line) if layout.positioned else line.text[:1].islower()


def _item_start(layout: Layout, line: WLine, closed: bool) -> int | None:
    """Where a new item's text starts on `line`, or None when the line is not a new item.

    A left-column line after a finished item ("...;") is a new item whose dash OCR lost,
    when what is left after stray marks starts with a capital ("- . Tỉnh ủy;").
    """
    dash = _ITEM.match(line.text)
    if dash and _is_left(layout, line):
        return dash.end()
    if layout.positioned and closed and _is_left(layout, line):
        junk = _LEAD_JUNK.match(line.text)
        start = junk.end() if junk else 0
        return start if line.text[start : start + 1].isupper() else None
    return None


def _clean_item(text: str) -> str:
    """An item without its leading dash and trailing ";" "," "." (":" is OCR's ";")."""
    text = _LEAD_JUNK.sub("", text.strip()) if not text[:1].isalnum() else text.strip()
    text = text.rstrip(";,.: -").rstrip("/").rstrip(".").strip()
    # "Như trên; „": specks after the item's ";"
    return _STANDING.sub("TT. ", _INNER_SPECK.sub(" ", _TAIL_JUNK.sub("", text)))


def _read_signer(layout: Layout, region: list[int], closing: Closing) -> None:
    """The signer: the first name after the TM./KT./title lines of the signature block."""
    lines = layout.lines
    anchored = False
    for n, i in enumerate(region):
        line = lines[i]
        if layout.positioned and line.xc < 0.45:
            continue
        key = _LEAD_JUNK.sub("", line.key)  # "_KT. GIÁM ĐỐC": a speck of the seal before it
        if SIGN_PREFIX.match(key) or (line.caps and _title_like(key)):
            anchored = True
            continue
        name, conf = _name_text(line.text), line.conf
        if conf < 1.0:  # a text layer prints the name as it is
            name, conf = _behind_specks(name, conf)
        if is_person_name(name):
            if name != line.text:
                line = replace(line, text=name, key=loose_key(name), conf=conf)
            whole = _whole_below(layout, region[n + 1 :], name)
            closing.signer, closing.signer_anchored = whole or line, anchored
            return
    if anchored:
        _read_damaged_signer(layout, region, closing)


def _title_like(key: str) -> bool:
    """A leader's title as printed, or misread in its first word by the seal over it
    ("VỞNG PHÒNG", "SUM ĐỐC"): the last word right and the rest a few letters off."""
    if is_title_line(key):
        return True
    last = key.rsplit(" ", 1)[-1]
    return any(
        title.endswith(" " + last) and edit_distance(key, title, _TITLE_SLIPS) <= _TITLE_SLIPS
        for title in TITLES
    )


def _behind_specks(name: str, conf: float) -> tuple[str, float]:
    """A name line less the seal's specks read as a letter or two before it ("n. Đỡ Thanh
    Nghĩa", "MÃ __ Đỗ Mỹ Thảo"), or as a word with a mark no name holds ("ẢNG, Phạm Quốc
    Thịnh"), or as a mark beside a word in it ("Võ Thị. Minh Hạnh"),
    and with a surname read in capitals before a name in small letters written as the rest
    ("LÊ Ngọc Hùng"). Doubted when letters were dropped: the seal may have hidden more."""
    words, cut = _seal_words_out(name.split())
    dropped = 0
    while len(words) - dropped > 3 or (len(words) - dropped == 3 and dropped):
        word = words[dropped]
        letters = "".join(c for c in word if c.isalpha())
        speck = len(letters) <= 2 and (letters != word or not letters.istitle())
        speck = speck or any(c in _NO_NAME_MARKS for c in word)  # "ẢNG, Phạm Quốc Thịnh"
        if not speck or is_person_name(" ".join(words[dropped:])):
            break
        dropped += 1
    rest = words[dropped:]
    if (
        len(rest) >= 3
        and rest[0].isupper()
        and loose_key(rest[0]) in SURNAMES
        and rest[1].istitle()
    ):
        rest[0] = rest[0].capitalize()  # "LÊ Ngọc Hùng"
    lost = cut or any(c.isalpha() for w in words[:dropped] for c in w)
    rest = [_unmarked(word) for word in rest]
    # "Phan thị Kim Trang": one of a name's syllables read in small letters beside the seal,
    # its capital lost or another letter's ("Vũ linh Bình" for Minh): doubted
    small = [i for i, word in enumerate(rest) if word.isalpha() and word.islower()]
    if len(rest) >= 3 and len(small) == 1 and small[0] > 0 and is_name_syllable(rest[small[0]]):
        rest[small[0]] = rest[small[0]].capitalize()
        lost = True
    return " ".join(rest), conf * (_DAMAGED if lost else 1.0)


def _seal_words_out(words: list[str]) -> tuple[list[str], bool]:
    """A name's words without what the seal's ring put among them, and whether any went:
    its words before a mark standing alone ("Thu _ Lý Thu Hằng"), a word in capitals run
    into the surname ("ẢNGLế Ngọc Tuấn"), a letter alone inside the name ("Đinh H Đức
    Quang": no Vietnamese name has an initial) - each only when a name of three words is
    left (two are too few to tell a name from the ring's letters: "Xi Š")."""
    words = [part for word in words for part in _caps_apart(word)]
    if not words:  # a line of marks alone
        return words, False
    for i, word in enumerate(words[1:-1], start=1):
        if not any(c.isalnum() for c in word) and _named(words[i + 1 :]):
            return words[i + 1 :], True
    shouted = len(words[0]) > 1 and words[0].isupper() and loose_key(words[0]) not in SURNAMES
    if shouted and _named(words[1:]):
        return words[1:], True
    for i, word in enumerate(words[1:-1], start=1):
        kept = words[:i] + words[i + 1 :]
        if len(word) == 1 and word.isupper() and _named(kept):
            return kept, True
    return words, False


def _named(words: list[str]) -> bool:
    return len(words) >= 3 and is_person_name(" ".join(words))


def _caps_apart(word: str) -> list[str]:
    """A word of capitals run into a capitalised one parted ("ẢNGLế" -> ẢNG, Lế); "THị", a
    case slip of one syllable, stays whole."""
    for i in range(2, len(word) - 1):
        if word[: i + 1].isupper() and word[i + 1 :].islower() and word[i + 1 :].isalpha():
            return [word[:i], word[i:]]
    return [word]


def _whole_below(layout: Layout, following: list[int], name: str) -> WLine | None:
    """The same name read whole on a line below, when `name` lacks its surname ("C Đình
    Vinh", the seal's ring and the name read as one tall line, then "Bùi Đình Vinh" read
    again inside it): the name with its surname, not the one without."""
    words = name.split()
    if len(words) < 2 or _surname_as_written(words[0]):
        return None
    for i in following:
        line = layout.lines[i]
        read = _name_text(line.text).split()
        same = len(read) > 2 and read[-2:] == words[-2:] and _surname_as_written(read[0])
        if same and is_person_name(line.text):
            return line
    return None


def _surname_as_written(word: str) -> bool:
    """Whether `word` is a surname with its marks as written ("Đình" is no "Đinh")."""
    return SURNAME_FORMS.get(loose_key(word)) == word.capitalize()


def _read_damaged_signer(layout: Layout, region: list[int], closing: Closing) -> None:
    """A name whose surname the seal or the copier damaged ("IÊ Công Hùng", "ừ Quốc Lộc"),
    or its middle name ("Phan ?nị Thanh Thảo", "Trầs fhị Thu Oanh"): the first line after
    the signer's title whose words but the first (or the second) make a name, once the
    seal's specks before it are gone. It is kept as read, less the marks around the surname,
    and doubted: the surname is the clerk's to check (`fields` puts it right when only one
    surname is one letter away, and "Fhị" when it is one letter from Thị)."""
    for i in region:
        line = layout.lines[i]
        if (layout.positioned and line.xc < 0.45) or line.conf >= 1.0:
            continue  # a text layer prints the name as it is
        words = _behind_specks(_name_text(line.text), line.conf)[0].split()
        first = "".join(c for c in words[0] if c.isalpha()) if words else ""
        name = None
        if (
            len(words) >= 3
            and 0 < len(first) <= _SURNAME_LETTERS
            and is_person_name(" ".join(words[1:]))
        ):
            name = " ".join([first[:1].upper() + first[1:], *words[1:]])
        elif len(words) >= 4 and is_person_name(" ".join([words[0], *words[2:]])):
            # "Phan ?nị Thanh Thảo": the middle name spoiled; `fields` knows the common ones
            name = " ".join(words)
            if words[1].isalpha() and words[1].islower():  # "Trầs fhị Thu Oanh": its capital
                name = " ".join([words[0], words[1].capitalize(), *words[2:]])
        if name is not None:
            line = replace(line, text=name, key=loose_key(name), conf=line.conf * _DAMAGED)
            closing.signer, closing.signer_anchored = line, True
            return


_SURNAME_LETTERS = 6  # "Nguyễn", the longest surname
_TITLE_SLIPS = 3  # letters of a title the seal may spoil: "vong phong" for "truong phong"
_NO_NAME_MARKS = ",;:!?|_"  # no word of a name holds one; the seal's specks do
_DAMAGED = 0.5  # confidence factor of a name whose surname was damaged


def _name_text(text: str) -> str:
    """A name line without the specks a seal or a scribble leaves at its ends (".. Vũ Thị
    Nhung", "Lê Văn An ,"), with two words the seal ran together apart again (a capital
    inside a word starts the next: "BùrNgọc Quang"), and a word it parted whole again (a
    capital alone before small letters that make a name's syllable with it: "Vũ N gọc
    Lộc")."""
    text = _TAIL_MARKS.sub("", _LEAD_JUNK.sub("", text))
    words = [part for word in text.split() for part in _split_at_capitals(word)]
    if len(words) > 2 and len(words[-1]) <= 2 and not words[-1][:1].isupper():
        words.pop()  # a speck read as a letter or two ("Lê Văn An ii")
    return " ".join(_parted_rejoined(words))


def _parted_rejoined(words: list[str]) -> list[str]:
    """`words` with a capital letter alone joined to the small letters after it where the
    two make one syllable of a name ("N gọc" -> Ngọc; "Lê A" stays: A is a given name)."""
    out: list[str] = []
    for word in words:
        last = out[-1] if out else ""
        joined = last + word
        if len(last) == 1 and last.isupper() and word.islower() and is_name_syllable(joined):
            out[-1] = joined
        else:
            out.append(word)
    return out


def _split_at_capitals(word: str) -> list[str]:
    """A word split before each capital that follows a small letter ("BùrNgọc" -> Bùr,
    Ngọc): no syllable of a name has one there."""
    parts, start = [], 0
    for i in range(1, len(word)):
        if word[i - 1].islower() and word[i].isupper():
            parts.append(word[start:i])
            start = i
    return [*parts, word[start:]]


def _unmarked(word: str) -> str:
    """A word of a name less a speck read as a mark at its edge ("Võ Thị. Minh Hạnh",
    "Phạm 'Thị Thu Mai"); a rank's "TS." or "ThS." before the name keeps its full stop."""
    bare = _TAIL_MARKS.sub("", _LEAD_JUNK.sub("", word))
    return bare if bare.isalpha() and bare.istitle() and bare[1:].islower() else word


def is_person_name(text: str) -> bool:
    """Whether `text` reads as a person's name: Nguyễn Thị Hoa, Bo Bo Thị Yến, NGUYỄN VĂN A,
    also after a rank or degree (Đại tá Lê Văn A, TS. Trần Thị B)."""
    prefix = _NAME_PREFIX.match(strip_aligned(text))
    words = text[prefix.end() if prefix else 0 :].split()
    if not 2 <= len(words) <= 6 or text[:1] in "([" or ":" in text:
        return False
    if not all(w[:1].isupper() and all(c.isalpha() or c in "'-" for c in w) for w in words):
        return False
    if all(w.isupper() for w in words if len(w) > 1):  # capitals: only with a known surname
        rest = " ".join(words[1:])  # "HỒ TRƯỞNG PHÒNG": a title with a speck read as a name
        return loose_key(words[0]) in SURNAMES and not agency_like(text) and not agency_like(rest)
    return all(w[1:].islower() or len(w) == 1 for w in words)
