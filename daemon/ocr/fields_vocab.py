"""Word lists the field rules lean on, as diacritic-free lower-case keys (vntext.loose_key)."""

from __future__ import annotations

import re

from daemon.ocr.vntext import fold_word, loose_key


def _phrases(text: str) -> tuple[str, ...]:
    """A "|"-separated list of phrases (kept in a string so the lists stay compact)."""
    return tuple(p.strip() for p in text.split("|") if p.strip())


# The types of administrative unit, as printed before a unit's name, longest first: cities and
# provinces, towns and districts, townships, wards and communes, and the special zones of the
# 2025 reform. Villages are named in a trích yếu too, never as an agency's unit.
UNIT_TYPES = ("thành phố", "thị xã", "thị trấn", "đặc khu", "huyện", "tỉnh", "quận", "phường", "xã")
VILLAGE_TYPES = ("thôn", "ấp", "bản", "làng")

# The clerk's stamp's "ĐẾN" as OCR reads it ("ĐẾN", "ĐEN", "DEN", "ĐẾM", its frame's side
# glued on: "lĐẾN"): a pattern to build others on.
STAMP_DEN = r"[|Il1]?[ĐD][EÉẾÊ][NM]"

# What a speck beside a letter, or between two words, is read as: a stroke.
STROKE_SPECKS = "Il|1"

# Words that open the name of an agency: a line starting with one begins a new name
# (the issuer under its parent agency) rather than continuing the previous one.
# Each entry matches whole words only ("so" is Sở, never "soạn").
AGENCY_HEADS: tuple[str, ...] = _phrases(
    "uy ban | ubnd | hoi dong | hdnd | so | phong | ban | bo | cuc | chi cuc | tong cuc | "
    "vu | vien | van phong | truong | trung tam | thanh tra | cong an | toa an | kho bac | "
    "chi nhanh | cong ty | tap doan | tong cong ty | ngan hang | benh vien | dai | hoi | "
    "lien doan | doan | mat tran | dang uy | tinh uy | huyen uy | thanh uy | thi uy | "
    "quan uy | chinh phu | quoc hoi | bo chi huy | ban chi huy | ban quan ly | bao hiem | "
    "cuc thue | chi cuc thue | hoc vien | dai hoc | bo tu lenh | quan khu | lu doan | "
    "su doan | trung doan | don vi | thuong truc | kiem toan | vien kiem sat"
)

# The two words a trích yếu most often opens with (its action, or what it reports on), as
# printed. The clerk's stamp, pressed at the left, may eat the first of them; two that end
# in the same word ("An toàn", "Kiện toàn") leave it in doubt, and an opening that starts
# with such a word ("Khai thác", "Định mức") is one of its own.
SUBJECT_HEADS: tuple[str, ...] = _phrases(
    "Về việc | Kết quả | Tình hình | Triển khai | Ban hành | Kết luận | Hướng dẫn | "
    "Thực hiện | Tăng cường | Đề nghị | Phê duyệt | Tổ chức | Kiểm tra | Tuyên truyền | "
    "Bảo đảm | Nâng cao | Cung cấp | Đôn đốc | Góp ý | Kiện toàn | An toàn | Chủ động | "
    "Hoạt động | Quy định | Báo cáo | Đẩy mạnh | Tiếp tục | Chấn chỉnh | Điều chỉnh | "
    "Rà soát | Xử lý | Quản lý | Bổ sung | Sửa đổi | Giải quyết | Nghị quyết | Hỗ trợ | "
    "Tham gia | Tập huấn | Khen thưởng | Công tác | Kiểm soát | Thanh tra | Khai thác | "
    "Khai mạc | Khai giảng | Cấp giấy | Cấp phép | Cấp nước | Định mức | Định hướng | "
    "Truyền thông | Hiện đại | Đảm bảo | Hình thức | Hành chính | Đổi mới | Gia hạn | "
    "Thông báo | Thông qua | Đại hội | Bảo vệ | Bảo hiểm | Bảo tồn"
)

# The types whose trích yếu opens with "Về việc" as often as not (ND30's forms: "QUYẾT ĐỊNH
# Về việc ...", and so the others that decide or ask something of one matter).
ABOUT_TYPES = frozenset(
    {"Quyết định", "Chỉ thị", "Tờ trình", "Công điện", "Thông báo", "Nghị quyết"}
)

# Continuations of a wrapped agency name: ỦY BAN NHÂN DÂN / HUYỆN KHÁNH SƠN.
AGENCY_TAILS: tuple[str, ...] = _phrases(
    "tinh | huyen | xa | thanh pho | tp | tp. | quan | phuong | thi xa | thi tran | va | & | "
    "cua | tai | khu vuc | mien | -"
)

# Leadership titles: a signature block's title lines, and the authority line under a
# decision's trích yếu ("CHỦ TỊCH ỦY BAN NHÂN DÂN ...").
TITLES: tuple[str, ...] = _phrases(
    "chu tich | pho chu tich | giam doc | pho giam doc | tong giam doc | bo truong | "
    "thu truong | thu tuong | pho thu tuong | chanh van phong | pho chanh van phong | "
    "chanh an | chanh thanh tra | vien truong | cuc truong | pho cuc truong | truong phong | "
    "pho truong phong | truong ban | pho truong ban | hieu truong | pho hieu truong | "
    "bi thu | pho bi thu | chu nhiem | pho chu nhiem | tong cuc truong | chi cuc truong | "
    "truong doan | giam doc so | thu truong co quan | nguoi ky | ke toan truong | "
    "tong thu ky | chu tri"
)

# Lines that open a signature block: TM. (thay mặt), KT. (ký thay), Q. (quyền),
# TL. (thừa lệnh), TUQ. (thừa ủy quyền), and the words spelled out.
SIGN_PREFIX = re.compile(
    r"^(?:tm|kt|q|tl|tuq)\s*\.|^(?:thay mat|ky thay|thua lenh|thua uy quyen|quyen)\s"
)

# Surnames, for telling a signer's name printed in capitals from a title line.
SURNAMES: frozenset[str] = frozenset(
    _phrases(
        "nguyen | tran | le | pham | hoang | huynh | phan | vu | vo | dang | bui | do | ho | "
        "ngo | duong | ly | dinh | trinh | truong | doan | lam | mai | luong | ha | cao | ta | "
        "tong | quach | luu | chau | thai | la | kieu | van | khuc | ton | trieu | hua | dao | "
        "lai | luc | mac | nong | lo | thach | kim | giang | tang | au | han | nghiem | lieu | "
        "diep | bo | hau | ong | y | ma"
    )
)

# The spelling of surnames whose letters alone decide it: OCR's "Đố", "Đô", "Hố" for Đỗ and
# Hồ are put right. Surnames spelled two ways (La/Lã, Ma/Mã, Lương/Lường) are left out.
_SURNAME_SPELLINGS = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh "
    "Trương Đoàn Lâm Mai Cao Tạ Tống Quách Lưu Châu Thái Kiều Khúc Tôn Triệu Hứa Đào "
    "Lại Lục Mạc Nông Thạch Kim Giang Âu Nghiêm Diệp Hầu Ông"
)
SURNAME_FORMS: dict[str, str] = {loose_key(name): name for name in _SURNAME_SPELLINGS.split(" ")}

# First words of a body: the header (and a trích yếu) has ended before such a line.
# The strong ones never open a trích yếu; the others can ("Thực hiện chuyển đổi số...").
_STRONG_BODY = re.compile(r"^(?:can cu|kinh gui|dieu \d|chuong [ivxl\d])")
_BODY = re.compile(
    r"^(?:can cu|kinh gui|dieu \d|chuong [ivxl\d]|thuc hien|xet de nghi|theo de nghi|"
    r"phan [ivx\d]+\b|muc \d)"
)


def starts_body(text: str, key: str, *, strong: bool = False) -> bool:
    """Whether a line (`text`, its loose `key`) opens the body: "Căn cứ ...", "Điều 1.".

    Only a capitalised start counts: "thực hiện ..." is a wrapped trích yếu going on.
    """
    pattern = _STRONG_BODY if strong else _BODY
    text, key = _SPECKS_BEFORE.sub("", text), _SPECKS_BEFORE.sub("", key)  # "“Thực hiện"
    if _ADDRESS.match(text) and key.startswith("kinh gui"):
        return True  # "kính gửi:", its capital misread: no trích yếu says that
    return text[:1].isupper() and pattern.match(key) is not None


_ADDRESS = re.compile(r"^\w+\s+\w+\s*:")


_SPECKS_BEFORE = re.compile(r"^[^\w]+")


_MOTTO_1 = ("cong hoa xa hoi", "chu nghia viet nam")
_MOTTO_2 = ("doc lap", "hanh phuc", "tu do -")


def starts_with_any(key: str, heads: tuple[str, ...]) -> bool:
    """Whether the loose key `key` starts with one of `heads` (each a loose key)."""
    padded = key + " "
    return any(padded.startswith(h.rstrip() + " ") for h in heads)


def is_motto(key: str) -> bool:
    """The quốc hiệu or tiêu ngữ line ("CỘNG HÒA XÃ HỘI...", "Độc lập - Tự do - Hạnh phúc")."""
    return any(m in key for m in _MOTTO_1) or sum(m in key for m in _MOTTO_2) >= 2


# Letters that make no word on their own (no vowel): "bảo hiểm v tế", "quản lý đ t đai".
LONE_CONSONANTS = "bcdđghklmnpqrstvx"

# Words a number follows in a trích yếu: năm 2019, lớp 10, quý 3, giai đoạn 2, Điều 5, Phường 5.
_NUMBER_WORDS = _phrases(
    "năm | số | lớp | quý | tháng | ngày | đoạn | khóa | kỳ | đợt | lần | điều | khoản | "
    "mục | phần | chương | tập | tuần | buổi | khu | tổ | thôn | ấp | đội | phường | quận | "
    "cấp | hạng | loại | nhóm"
)
_NUMBER_BY_LETTERS: dict[str, list[str]] = {}  # loose key -> the words with those letters
for _word in _NUMBER_WORDS:
    _NUMBER_BY_LETTERS.setdefault(loose_key(_word), []).append(_word)


def announces_number(word: str) -> bool:
    """Whether a word of a trích yếu is one a number follows ("năm", "lớp", "quý")."""
    return loose_key(word) in _NUMBER_BY_LETTERS


def number_word(word: str) -> str | None:
    """The one word a number follows ("lớp", "năm") that `word` is with a mark misread
    ("lợp 10"), or None when `word` is one itself, or none or several have its letters."""
    forms = _NUMBER_BY_LETTERS.get(loose_key(word), [])
    if len(forms) != 1 or fold_word(word) == fold_word(forms[0]):
        return None
    return forms[0]


def is_title_line(key: str) -> bool:
    """A leadership title such as PHÓ CHỦ TỊCH, GIÁM ĐỐC SỞ (loose key)."""
    return starts_with_any(key, TITLES)


def agency_like(text: str) -> bool:
    """Whether `text` reads like an agency name or a leader's title (not a trích yếu)."""
    key = loose_key(text)
    return starts_with_any(key, AGENCY_HEADS) or is_title_line(key)
