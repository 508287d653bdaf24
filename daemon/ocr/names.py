"""Whether a signer's name read by OCR is a Vietnamese name, and its one likely spelling.

A tone slip turns one name into a word that is still Vietnamese (Đình -> Đỉnh, Văn -> Vẫn,
Thắng -> Thăng), so the syllable check alone passes it. Names come from a small vocabulary:
a surname from a short list, then middle and given names that parents choose from a few
hundred syllables. A syllable outside that vocabulary is not trusted as read; when exactly
one syllable of the vocabulary has the same letters (marks aside), it is taken for it.

The vocabulary is a compilation of the middle and given names common in Vietnam (civil
registers and officials' names as published), not the test generator's list; rare names
are left out on purpose: such a name is sent to the clerk, which costs a click, not a record.
"""

from __future__ import annotations

from collections import defaultdict

from daemon.ocr.fields_vocab import SURNAME_FORMS, SURNAMES
from daemon.ocr.syllables import foreign_or_invalid
from daemon.ocr.vntext import edit_distance, loose_key, nfc, tone_of

_COMMON = """
An Ái Anh Ánh Ân Ẩn Bá Bách Bạch Bản Bảo Bắc Bằng Bích Biên Bình Bính Bội Bửu Ca Cảnh Cát
Cầm Cẩm Cần Cận Châm Chân Chấn Châu Chi Chí Chiến Chiểu Chinh Chính Chu Chúc Chung Chương
Công Cúc Cung Cương Cường Cửu Danh Dân Diễm Diện Diệp Diệu Doãn Dung Dũng Duy Duyên Duyệt
Dư Dự Dương Đài Đại Đam Đan Đàn Đạo Đào Đạt Đắc Đăng Điền Điệp Định Đình Đoan Đô Đông Đồng
Độ Đức Được Gia Giang Giao Giáp Hà Hạ Hải Hán Hàn Hạnh Hào Hảo Hằng Hậu Hân Hiên Hiền Hiển
Hiến Hiện Hiệp Hiếu Hinh Hoa Hòa Hóa Họa Hoài Hoan Hoàn Hoán Hoàng Hoạt Hội Hồng Hợi Hợp
Huân Huấn Huế Huệ Hùng Hưng Hương Hường Hữu Huy Huyên Huyền Huỳnh Hy Kha Khải Khang Khanh
Khánh Khắc Khiêm Khoa Khoái Khôi Khuê Khương Khuyên Kiên Kiện Kiệt Kiều Kim Kỳ Lạc Lai Lam
Lâm Lan Lãnh Lân Lập Lệ Lễ Liêm Liên Liễu Linh Lĩnh Loan Long Lộc Lợi Luân Luận Luyến Lực
Lương Lượng Lưu Ly Lý Mai Mạnh Mẫn Miên Minh Mơ My Mỹ Nam Năng Nga Ngà Ngân Nghị Nghĩa
Ngọc Nguyên Nguyện Nguyệt Nhã Nhàn Nhân Nhật Nhi Nhiên Nhung Như Ninh Nữ Oanh Phát Phấn
Phi Phong Phú Phúc Phụng Phùng Phước Phương Phượng Quang Quảng Quân Quế Quốc Quý Quyên
Quyền Quyết Quỳnh Sa Sang Sáng Sâm Sinh Song Sơn Sương Sỹ Sĩ Tài Tạo Tâm Tân Tấn Tần Thạch
Thái Thanh Thành Thạnh Thảo Thắm Thắng Thân Thất Thế Thi Thiên Thiện Thiều Thiết Thịnh Thoa
Thị Thoại Thông Thu Thuần Thuận Thục Thùy Thúy Thủy Thụy Thư Thương Thường Thy Tiên Tiến Tiệp
Tín Tình Tịnh Toàn Toản Toại Trà Trang Tráng Trâm Trân Trí Triết Triều Triệu Trinh Trình
Trọng Trung Trúc Trực Trường Tú Tuân Tuấn Tuệ Tùng Tuyên Tuyền Tuyến Tuyết Tư Tứ Tường Uy Uyên Tất
Văn Vân Vấn Vi Viên Viết Việt Vinh Vĩnh Võ Vũ Vương Vượng Vy Xuân Xuyến Yên Yến
"""

NAME_SYLLABLES: frozenset[str] = frozenset(
    nfc(word).casefold() for word in [*_COMMON.split(), *SURNAME_FORMS.values()]
)
_SURNAMES_FOLDED = frozenset(nfc(form).casefold() for form in SURNAME_FORMS.values())


def _by_letters(names: frozenset[str]) -> dict[str, set[str]]:
    """`names` grouped by their letters, marks aside ("đình", "định", "đinh" under "dinh")."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for name in names:
        grouped[loose_key(name)].add(name)
    return dict(grouped)


_BY_LETTERS = _by_letters(NAME_SYLLABLES)

# The middle names most names have after the surname ("Thị" in half of women's).
_MIDDLE = ("Thị", "Văn", "Hữu", "Đình", "Ngọc", "Minh", "Thanh", "Đức", "Công", "Quốc", "Xuân")
_MIDDLE_FOLDED = frozenset(nfc(name).casefold() for name in _MIDDLE)
# Other middle names many bear, chiefly women's ("Thu Hằng", "Kim Liên"). A middle syllable
# they and _MIDDLE leave out is a slip of the one of them with its letters, when one has
# them: "Thụ" is Thu, and "Định" (a given name, seldom a middle one) Đình.
_MORE_MIDDLE_NAMES = """
Anh Ánh Bá Bảo Bích Cẩm Chi Chí Diệu Duy Đăng Đắc Gia Hà Hải Hạnh Hiền Hoài Hoàng Hồng
Hương Huy Khanh Khánh Khắc Kim Kiều Lan Lân Lệ Mai Mạnh My Mỹ Nhã Nhật Như Phúc Phương Quang
Quý Sĩ Sỹ Tân Tấn Tất Thái Thành Thảo Thế Thu Thùy Thúy Thủy Tiên Tiến Trí Trọng Trung Tuấn
Tường Vân Việt Viết Vinh Vĩnh Yến
"""
_MORE_MIDDLE = frozenset(nfc(name).casefold() for name in _MORE_MIDDLE_NAMES.split())
# Both tiers by their letters (marks aside), the first before the second
_MIDDLE_TIERS = (_by_letters(_MIDDLE_FOLDED), _by_letters(_MORE_MIDDLE))
# The given names most often borne in Vietnam (civil registers, officials' names as
# published), to choose between two that share their letters (Tuấn, not Tuân).
_FREQUENT_GIVEN_NAMES = """
An Anh Bình Cường Dũng Dung Đức Giang Hà Hải Hạnh Hằng Hiền Hiếu Hoa Hoàng Hùng Hưng Hương
Huy Huyền Khánh Lan Linh Loan Long Mai Minh Nam Nga Ngọc Nhung Phong Phúc Phương Quang Quân
Sơn Tâm Thắng Thành Thảo Thu Thủy Tiến Trang Trung Tú Tuấn Tùng Vân Việt Vinh Yến
"""
_FREQUENT_GIVEN = frozenset(nfc(name).casefold() for name in _FREQUENT_GIVEN_NAMES.split())
UNKNOWN_SURNAME = 0.6  # confidence factor: names start with a surname from a short list
UNKNOWN_SYLLABLE = 0.5  # ... and go on with common name syllables


def is_middle_name(word: str) -> bool:
    """Whether `word` is one of the middle names most names have ("Thị", "Văn")."""
    return nfc(word).casefold() in _MIDDLE_FOLDED


def is_name_syllable(word: str) -> bool:
    """Whether `word` is a syllable of the common names (surnames, middle and given names)."""
    return nfc(word).casefold() in NAME_SYLLABLES


def surname_factor(name: str) -> float:
    """1.0 when `name` starts with a known surname, else UNKNOWN_SURNAME."""
    first = nfc(name).partition(" ")[0]
    return 1.0 if loose_key(first) in SURNAMES else UNKNOWN_SURNAME


def checked_name(name: str) -> tuple[str, float]:
    """`name` with each syllable outside the vocabulary put right when exactly one syllable
    of it has the same letters, and the factor its confidence is to be multiplied by."""
    words = nfc(name).replace("-", " ").split()  # "Võ-rhị Minh Yến": no name has a dash
    if not words:
        return name, 1.0
    words, specked = _without_specks(words)
    factor = surname_factor(words[0]) * (UNKNOWN_SYLLABLE if specked else 1.0)
    out = [words[0]]
    for i, word in enumerate(words[1:], start=1):
        if i == 1 and len(words) > 3 and _slip_of_thi(word):
            # "Trần Tài Thanh Hạnh", "Đặng Phi Thanh Trang": the seal over "Thị", the
            # second word of most names of four. Likely, not sure.
            out.append("THỊ" if name.isupper() else "Thị")
            factor *= UNKNOWN_SYLLABLE
            continue
        slip = _slip_of_middle(word, first=i == 1) if 0 < i < len(words) - 1 else None
        if slip:  # "Lê Định Hùng", "Đinh Thị Thú Phượng": likely, not sure
            out.append(slip.upper() if word.isupper() else slip.capitalize())
            factor *= UNKNOWN_SYLLABLE
            continue
        if is_name_syllable(word):
            # "Võ thị Minh Hà", "Lê THị Minh Thảo": a name's syllable is written capitalised
            out.append(word if word.isupper() else word.capitalize())
            continue
        candidates = _BY_LETTERS.get(loose_key(word), set())
        if len(candidates) > 1 and i == len(words) - 1:
            # "Trần Minh Đũng": Dũng, the one with its tone; "Phan Minh Tuần": of Tuân and
            # Tuấn, the common given name. Likely, not sure.
            candidates = _likeliest_given(word, candidates)
            factor *= UNKNOWN_SYLLABLE if len(candidates) == 1 else 1.0
        if len(candidates) == 1:
            (right,) = candidates
            out.append(right.upper() if word.isupper() else right.capitalize())
            continue
        middle = _middle_name(word, long=len(words) > 3) if i == 1 and len(words) > 2 else None
        if middle is None and 1 < i < len(words) - 1 and foreign_or_invalid(word):
            middle = _one_letter_middle(word)  # "Hoàng Thị Lhanh Hương": Thanh
        if middle:  # "Phạm Znị Thanh Nhung": Thị, still doubted
            word = middle.upper() if name.isupper() else middle
        out.append(word)
        factor *= UNKNOWN_SYLLABLE
    return " ".join(out), factor


def _without_specks(words: list[str]) -> tuple[list[str], bool]:
    """A name's words less what the seal's ink or a speck added, and whether any was:
    - a word read twice ("Dư Công Công Sỹ");
    - a short surname before the surname the name has, read without its marks ("Tạ Tran
      Thị Thanh Nhung": Trần; the seal's ring is read "Tạ" again and again), which a name
      of two surnames would have kept;
    - in a name of five words, a word of two letters or one after the middle name's place
      that no name has ("Đỗ Thị Tí Thu Trang")."""
    out = [w for i, w in enumerate(words) if i == 0 or w.casefold() != words[i - 1].casefold()]
    if len(out) > 3 and len(out[0]) <= 2 and out[0] in SURNAME_FORMS.values():
        surname = SURNAME_FORMS.get(loose_key(out[1]))
        if surname is not None and not is_name_syllable(out[1]):
            out = [surname.upper() if out[1].isupper() else surname, *out[2:]]
    if len(out) > 4:  # the second word is the middle name's place, however read ("TH")
        out = [*out[:2], *(w for w in out[2:-1] if len(w) > 2 or is_name_syllable(w)), out[-1]]
    return out, out != words


def _slip_of_middle(word: str, *, first: bool) -> str | None:
    """The one common middle name with a word's letters (its marks aside) when the word is
    none itself: "Nguyễn Vẫn Hải" is Văn, "Phạm Thụ Oanh" Thu. Right after the surname
    (`first`) the names of _MIDDLE go before the rest: of văn, vân and vấn, Văn ("Nguyễn
    Vân Anh" stays, Vân being one); after Thị or Văn, the rest only ("Nguyễn Thị Vẫn Anh":
    Vân)."""
    folded = nfc(word).casefold()
    if folded in _MIDDLE_FOLDED or folded in _MORE_MIDDLE or folded in _SURNAMES_FOLDED:
        return None  # a surname is a middle name too (the mother's: "Nguyễn Lê Minh")
    key = loose_key(word)
    for tier in _MIDDLE_TIERS if first else _MIDDLE_TIERS[1:]:
        found = tier.get(key)
        if found:
            return next(iter(found)) if len(found) == 1 else None
    return None


def _one_letter_middle(word: str) -> str | None:
    """The one middle name, the commonest first, a word that is no syllable is one letter
    from ("Lhanh": Thanh of the first tier, though Khanh of the second is as near)."""
    key = loose_key(word)
    for tier in (_MIDDLE_FOLDED, _MORE_MIDDLE):
        near = {name for name in tier if edit_distance(key, loose_key(name), 1) <= 1}
        if near:
            return near.pop().capitalize() if len(near) == 1 else None
    return None


def _slip_of_thi(word: str) -> bool:
    """Whether a word is one letter from "Thị" (its marks aside) and not itself one of the
    common middle names."""
    return not is_middle_name(word) and edit_distance(loose_key(word), "thi", 1) <= 1


def _likeliest_given(word: str, candidates: set[str]) -> set[str]:
    """Of the given names with a word's letters, the one with its tone mark (an old copier
    blurs đ into d, seldom a tone into another), else the one common given name."""
    toned = {name for name in candidates if tone_of(name) == tone_of(word)}
    if len(toned) == 1:
        return toned
    frequent = candidates & _FREQUENT_GIVEN
    return frequent if len(frequent) == 1 else candidates


def _middle_name(word: str, *, long: bool) -> str | None:
    """The one common middle name a word that is no syllable is two letters or fewer from;
    in a name of four words or more, a syllable no name holds too ("Lê Chị Thanh Hà",
    "Đỗ TẾ Minh Hương": Thị, the second word of most such names)."""
    if word.isalpha() and not foreign_or_invalid(word) and not long:
        return None  # a real syllable ("Thủ") is a tone slip of one name or another
    key = loose_key(word)
    near = [name for name in _MIDDLE if edit_distance(key, loose_key(name), 2) <= 2]
    return near[0] if len(near) == 1 else None
