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
from daemon.ocr.vntext import edit_distance, loose_key, nfc

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
_BY_LETTERS: dict[str, set[str]] = defaultdict(set)
for _syllable in NAME_SYLLABLES:
    _BY_LETTERS[loose_key(_syllable)].add(_syllable)

# The middle names most names have after the surname ("Thị" in half of women's).
_MIDDLE = ("Thị", "Văn", "Hữu", "Đình", "Ngọc", "Minh", "Thanh", "Đức", "Công", "Quốc", "Xuân")
_MIDDLE_FOLDED = frozenset(nfc(name).casefold() for name in _MIDDLE)
UNKNOWN_SURNAME = 0.6  # confidence factor: names start with a surname from a short list
UNKNOWN_SYLLABLE = 0.5  # ... and go on with common name syllables


def is_middle_name(word: str) -> bool:
    """Whether `word` is one of the middle names most names have ("Thị", "Văn")."""
    return nfc(word).casefold() in _MIDDLE_FOLDED


def surname_factor(name: str) -> float:
    """1.0 when `name` starts with a known surname, else UNKNOWN_SURNAME."""
    first = nfc(name).partition(" ")[0]
    return 1.0 if loose_key(first) in SURNAMES else UNKNOWN_SURNAME


def checked_name(name: str) -> tuple[str, float]:
    """`name` with each syllable outside the vocabulary put right when exactly one syllable
    of it has the same letters, and the factor its confidence is to be multiplied by."""
    words = nfc(name).split()
    if not words:
        return name, 1.0
    factor = surname_factor(words[0])
    out = [words[0]]
    for i, word in enumerate(words[1:], start=1):
        if word.casefold() in NAME_SYLLABLES:
            out.append(word)
            continue
        candidates = _BY_LETTERS.get(loose_key(word), set())
        if len(candidates) > 1 and i == 1 and len(words) > 2:
            # "Nguyễn Vẫn Hải": of văn, vân and vấn, Văn is the common middle name; likely,
            # not sure ("Nguyễn Vân Anh")
            candidates = candidates & _MIDDLE_FOLDED
            factor *= UNKNOWN_SYLLABLE if len(candidates) == 1 else 1.0
        if len(candidates) == 1:
            (right,) = candidates
            out.append(right.upper() if word.isupper() else right.capitalize())
            continue
        middle = _middle_name(word) if i == 1 and len(words) > 2 else None
        if middle:  # "Phạm Znị Thanh Nhung": Thị, still doubted
            word = middle.upper() if word.isupper() else middle
        out.append(word)
        factor *= UNKNOWN_SYLLABLE
    return " ".join(out), factor


def _middle_name(word: str) -> str | None:
    """The one common middle name a word that is no syllable is two letters or fewer from."""
    if word.isalpha() and not foreign_or_invalid(word):
        return None  # a real syllable ("Thủ") is a tone slip of one name or another
    key = loose_key(word)
    near = [name for name in _MIDDLE if edit_distance(key, loose_key(name), 2) <= 2]
    return near[0] if len(near) == 1 else None
