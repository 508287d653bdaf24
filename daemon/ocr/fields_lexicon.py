"""Undo OCR's diacritic slips in administrative Vietnamese, from the words around them.

Tesseract's `vie` model often reads a letter with the wrong tone or vowel mark (NOTES.md):
"chỉ trả" for "chi trả", "tỉnh gọn" for "tinh gọn", "THẾ THAO" for "THỂ THAO", "UBND TÍNH"
for "UBND TỈNH". Each misreading is a real syllable, so a spelling dictionary cannot see it;
the pair of syllables can. The lexicon below holds common compounds of administrative
writing (agency names, subjects of official documents). Where two adjacent words are not a
known pair but match exactly one known pair once diacritics are ignored, they are rewritten
to it. Words that already form a known pair with a neighbour are left alone, so are pairs
the lexicon cannot decide between, and nothing is changed beyond diacritics.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import NamedTuple

from daemon.ocr import gazetteer, word_use
from daemon.ocr.fields_vocab import (
    LONE_CONSONANTS,
    SUBJECT_HEADS,
    UNIT_TYPES,
    VILLAGE_TYPES,
    number_word,
)
from daemon.ocr.syllables import foreign_or_invalid
from daemon.ocr.vntext import edit_distance, fold_word, is_upper_text, loose_key, nfc

# Phrases separated by "|"; each adjacent pair of words in a phrase is a known pair.
# Agency names: used on agency names only (issuer lines, recipients), lest "sở nội vụ" turn
# "một số nội dung" in a subject into "một sở nội dung".
_AGENCY = """
sở nội vụ | sở tài chính | sở kế hoạch và đầu tư | sở tư pháp | sở công thương | sở xây dựng |
sở giao thông vận tải | sở nông nghiệp và phát triển nông thôn | sở tài nguyên và môi trường |
sở thông tin và truyền thông | sở lao động thương binh và xã hội | sở văn hóa |
thể thao và du lịch | sở khoa học và công nghệ | sở giáo dục và đào tạo | sở y tế |
sở ngoại vụ | thanh tra tỉnh |
ban quản lý | ban dân tộc | ban tổ chức | ban tuyên giáo | cục thuế | chi cục thuế | chi cục |
bộ chỉ huy quân sự | ban chỉ huy quân sự | trường tiểu học | trường trung học cơ sở |
trường trung học phổ thông | trường mầm non | bệnh viện đa khoa | trung tâm y tế |
phòng tài chính kế hoạch | phòng nội vụ | phòng giáo dục và đào tạo | phòng kinh tế hạ tầng |
phòng tài nguyên và môi trường | phòng quản lý đô thị | phòng văn hóa và thông tin |
phòng lao động thương binh và xã hội | phòng tư pháp | phòng y tế | phòng dân tộc |
phòng nông nghiệp và phát triển nông thôn | bộ nội vụ | bộ tài chính | bộ y tế | bộ tư pháp |
bộ thông tin và truyền thông | bộ giáo dục và đào tạo | tổng cục |
kho bạc nhà nước tỉnh | kho bạc nhà nước huyện | cổng thông tin điện tử tỉnh |
cổng thông tin điện tử huyện | các sở ban ngành tỉnh | các phòng ban ngành huyện |
lãnh đạo vp ubnd tỉnh | công báo | công an tỉnh | công an huyện
"""

# The provinces and centrally-run cities (before the 2025 mergers, as older documents print
# them), which most agency names end with.
_PROVINCES = """
an giang | bà rịa vũng tàu | bạc liêu | bắc giang | bắc kạn | bắc ninh | bến tre | bình dương |
bình định | bình phước | bình thuận | cà mau | cao bằng | cần thơ | đà nẵng | đắk lắk |
đắk nông | điện biên | đồng nai | đồng tháp | gia lai | hà giang | hà nam | hà nội | hà tĩnh |
hải dương | hải phòng | hậu giang | hòa bình | hồ chí minh | hưng yên | khánh hòa |
kiên giang | kon tum | lai châu | lâm đồng | lạng sơn | lào cai | long an | nam định | nghệ an |
ninh bình | ninh thuận | phú thọ | phú yên | quảng bình | quảng nam | quảng ngãi | quảng ninh |
quảng trị | sóc trăng | sơn la | tây ninh | thái bình | thái nguyên | thanh hóa |
thừa thiên huế | tiền giang | trà vinh | tuyên quang | vĩnh long | vĩnh phúc | yên bái |
việt nam
"""

# Words of subjects, recipients and agency names alike; last, the actions a trích yếu opens
# with (its head, which no neighbour on its left vouches for).
_COMMON = """
ủy ban nhân dân tỉnh | ủy ban nhân dân huyện | ủy ban nhân dân xã | ủy ban nhân dân thành phố |
hội đồng nhân dân tỉnh | hội đồng nhân dân huyện | ubnd tỉnh | ubnd huyện | ubnd xã |
hđnd tỉnh | hđnd huyện | tỉnh ủy | huyện ủy | thành ủy | thường trực tỉnh ủy | cấp tỉnh |
cấp huyện | cấp xã | các tỉnh | toàn tỉnh | tỉnh hà tĩnh | thị xã | thị trấn |
văn phòng ủy ban | văn phòng hội đồng | bảo hiểm xã hội | bảo hiểm y tế | bảo hiểm thất nghiệp |
kho bạc nhà nước | công an tỉnh | công an huyện | trung tâm văn hóa | đài phát thanh truyền hình |
cổng thông tin điện tử | trưởng phòng | phó trưởng phòng | chủ tịch | phó chủ tịch | giám đốc |
phó giám đốc | chánh văn phòng | hiệu trưởng | bộ trưởng | thứ trưởng | cục trưởng |
văn phòng chính phủ | thủ tướng chính phủ |
chi trả | chi tiết | chi tiêu | chi phí | chi ngân sách | thu ngân sách | mức chi | định mức chi |
khoản chi | chủ động | tập trung |
nội dung chi | chỉ đạo | chỉ thị | chỉ tiêu | chỉ số | chỉ huy | chỉnh lý | điều chỉnh |
chỉnh trang | tinh gọn | tinh giản biên chế | tinh thần | thông tin | thông báo | thông tư |
thông qua | truyền thông | tuyên truyền | tuyên truyền về | phổ biến | bảo hiểm | bảo đảm |
bảo vệ môi trường |
bảo vệ rừng | an toàn | an toàn thực phẩm | an ninh trật tự | phòng cháy chữa cháy | cháy rừng |
trồng rừng | phát triển rừng | rừng phòng hộ | tồn đọng | tồn tại | hồ sơ | tài liệu |
lưu trữ | văn thư | công tác | triển khai | thực hiện | tổ chức bộ máy | sắp xếp |
cán bộ công chức | viên chức |
người lao động | người có công | trợ cấp | hỗ trợ | kinh phí | ngân sách nhà nước | đầu tư công |
giải ngân | vốn đầu tư | kế hoạch | kiểm tra | thanh tra | giám sát | báo cáo | số liệu |
sơ kết | tổng kết | khen thưởng | thi đua | kỷ luật | tập thể | cá nhân | thành tích xuất sắc |
phê duyệt | đề nghị | đề án | dự án | dự toán | quyết toán | quy định | quy chế | quy hoạch |
quy trình | ban hành | sửa đổi bổ sung | bãi bỏ | thay thế | thủ tục hành chính |
cải cách hành chính | chuyển đổi số | chính quyền điện tử | dịch vụ công trực tuyến |
một cửa | giáo dục | đào tạo | bồi dưỡng | tiêm chủng mở rộng | phòng chống dịch | dịch bệnh |
chăm sóc sức khỏe | phòng chống thiên tai | thiên tai | tìm kiếm cứu nạn | cứu hộ | bão lũ |
ứng phó | biến đổi khí hậu | tài nguyên | môi trường | đất đai | khoáng sản | nước sạch |
vệ sinh môi trường | nông thôn mới | giảm nghèo | an sinh xã hội | việc làm | dân số |
văn hóa | thể thao | du lịch | cộng đồng | đấu thầu | di tích | lễ hội | an toàn giao thông |
đô thị | nhà ở | giá đất | bồi thường | giải phóng mặt bằng | tái định cư | thuế | lệ phí |
học sinh | sinh viên | tiểu học | năm học | khoa học công nghệ | sở hữu trí tuệ |
tiêu chuẩn đo lường | chất lượng | hội nghị | hội thảo | tập huấn | diễn tập | kỷ niệm |
tiếp công dân | khiếu nại | tố cáo | phòng chống tham nhũng | tiêu cực | thực hành tiết kiệm |
chống lãng phí | quốc phòng |
nghĩa vụ quân sự | dân quân tự vệ | an toàn thông tin mạng | an ninh mạng |
ứng dụng công nghệ thông tin | cơ sở dữ liệu | phần mềm | quản lý văn bản và điều hành |
chữ ký số | hạ tầng | doanh nghiệp | doanh nghiệp nhỏ và vừa | hợp tác xã | thương mại |
thị trường | tiền lương | phụ cấp | chế độ chính sách | vị trí việc làm | tuyển dụng |
nâng lương | bổ nhiệm |
điều động | luân chuyển | nghỉ hưu | đánh giá xếp loại | nhiệm vụ | giải pháp | trọng tâm |
tăng cường | nâng cao hiệu quả | hiệu lực | trên địa bàn | giai đoạn | mùa khô | mùa mưa |
người dân | nhân dân | tổ chức thực hiện | có liên quan | xã hội | kinh tế | phát triển |
về việc | các cơ quan | đơn vị | tình hình | tính toán | một số | số lượng | số hóa |
đẩy mạnh | xúc tiến thương mại | xúc tiến đầu tư | hội đồng nhân dân | đôn đốc | thực phẩm |
đoàn thể | tổ dân phố | hướng dẫn | xây dựng | tuyển sinh | tổ công tác | kết quả |
bền vững | kiện toàn | ban chỉ đạo | tại cuộc họp về | quy chế về | tháng đầu năm |
tết nguyên đán | kiểm soát | kết luận | quản lý | sử dụng |
cả nước | của ubnd | cấp nước sạch | giải quyết | thương binh | dịch bệnh truyền nhiễm |
giáo dục pháp luật | dự họp | dự hội nghị | dự thảo |
cung cấp | chấn chỉnh | góp ý | rà soát | thành lập | phân bổ | giải thể | sáp nhập |
tiếp nhận | bố trí | phân công | chỉ định | công nhận | cho phép | tham gia | đăng ký |
cấp phát | thu hồi | gia hạn | tạm dừng | xử lý | khắc phục | chuẩn bị | vận động |
thẩm định | nghiệm thu | bàn giao | xét duyệt | chấp thuận | thống nhất | giới thiệu |
triệu tập | kéo dài | ủy quyền | phê chuẩn | miễn nhiệm |
gửi nhận văn bản điện tử
"""

_WORD = re.compile(r"\w+")
_LEADS_ON = frozenset({"tại", "về", "của", "cho", "với", "trong", "trên", "và", "các", "để"})
# ... and more words no trích yếu ends on: its last line was lost ("... sắp xếp, tinh gọn tổ
# chức của", "... các tập thể, cá nhân có": "thành tích xuất sắc")
_NEVER_LAST = _LEADS_ON | {"những", "theo", "từ", "bằng", "do", "nhằm", "hoặc", "có"}
_ANNOUNCES_YEAR = frozenset({"năm", "đoạn", "học", "từ", "đến", "và", "hết", "tới"})
_YEAR_AFTER = re.compile(r"([^\W\d_]+) (?:19|20)\d\d\b")
_NUMBERED = frozenset({"năm", "quý", "lớp", "đoạn"})  # năm 2024, quý I, lớp 10, giai đoạn 2
_STANDS_ALONE = 6.5  # Zipf: a word this frequent is a function word ("của", "trong", "tại")
_RARE = 4.5  # Zipf: a word this seldom written, one letter from a function word, is its slip
_JOINER = re.compile(r"\s+")  # only words separated by plain spaces form a pair
_LISTED = re.compile(r",\s*")  # ... or a list's items
_YEAR = re.compile(r"(?:19|20)\d\d")


def _pairs(text: str) -> dict[str, set[tuple[str, str]]]:
    index: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for phrase in nfc(text).split("|"):
        words = phrase.split()
        for a, b in zip(words, words[1:], strict=False):
            index[f"{loose_key(a)} {loose_key(b)}"].add((fold_word(a), fold_word(b)))
    return dict(index)


_Index = dict[str, set[tuple[str, str]]]
# "tỉnh Sóc Trăng": a province is named after its type word (OCR's "tĩnh Sóc Trăng").
_IN_PROVINCE = "|".join(f"tỉnh {name.strip()}" for name in _PROVINCES.split("|"))
_COMMON_INDEX: _Index = _pairs(_COMMON + "|" + _PROVINCES + "|" + _IN_PROVINCE)
_AGENCY_INDEX: _Index = _COMMON_INDEX | {
    key: _COMMON_INDEX.get(key, set()) | pairs for key, pairs in _pairs(_AGENCY).items()
}
# A pair known anywhere is never changed ("Sở Nội vụ" in a recipient is right as printed).
_KNOWN = frozenset(pair for pairs in _AGENCY_INDEX.values() for pair in pairs)
_COMMON_PAIRS = frozenset(pair for pairs in _COMMON_INDEX.values() for pair in pairs)


def _phrase_pairs() -> tuple[
    dict[tuple[str, str], frozenset[str | None]], frozenset[tuple[str, str]]
]:
    """For each pair of words in the compounds and phrases of official writing alone (no
    place's name: "đồng nai"), the words that follow it there (None where a phrase ends
    with it); and the pairs a phrase starts with."""
    found: dict[tuple[str, str], set[str | None]] = defaultdict(set)
    starts: set[tuple[str, str]] = set()
    for phrase in nfc(_COMMON).split("|"):
        words = [fold_word(w) for w in phrase.split()]
        for i, pair in enumerate(itertools.pairwise(words)):
            found[pair].add(words[i + 2] if i + 2 < len(words) else None)
        starts.update(itertools.islice(itertools.pairwise(words), 1))
    return {pair: frozenset(follows) for pair, follows in found.items()}, frozenset(starts)


# The words that follow each pair of those phrases (None where one ends with it) ...
_PHRASE_GOES_ON, _PHRASE_STARTS = _phrase_pairs()
# ... and None where one starts with it too: there the pair is a word of its own
_PHRASE_NEXT = {
    pair: follows | {None} if pair in _PHRASE_STARTS else follows
    for pair, follows in _PHRASE_GOES_ON.items()
}
_FIRST_HALVES = frozenset(a for a, _ in _KNOWN)
_SECOND_HALVES = frozenset(b for _, b in _KNOWN)


def known_pair(a: str, b: str) -> bool:
    """Whether the words `a` `b` are a known pair ("HỘI" "ĐỒNG"), case and tone placement aside."""
    return (fold_word(a), fold_word(b)) in _KNOWN


# Two fields of administration an agency's name joins with a dash ("Sở Lao động - Thương binh
# và Xã hội", "Phòng Tài chính - Kế hoạch"): the words either side of it.
_DASHED = """
lao động - thương binh | tài chính - kế hoạch | kinh tế - hạ tầng | văn hóa - thông tin |
văn hóa - thể thao | tài nguyên - môi trường | giáo dục - đào tạo | kế hoạch - đầu tư |
phát thanh - truyền hình | kinh tế - kỹ thuật | kinh tế - xã hội | khoa học - công nghệ |
văn hóa - xã hội | nội vụ - lao động | y tế - dân số
"""
_DASHED_PAIRS = frozenset(
    (fold_word(left.split()[-1]), fold_word(right.split()[0]))
    for left, right in (phrase.split(" - ") for phrase in nfc(_DASHED).split("|"))
)
_LONE_DASH = re.compile(r"(\S+) [-–] (?=(\S+))")


def without_speck_dash(name: str) -> str:
    """An agency's name without a dash between words it never parts: a speck of the copy
    ("CỤC KIỂM TRA VĂN BẢN - QUY PHẠM PHÁP LUẬT", the dash opening its second line). A dash
    joins two fields of administration (`_DASHED`), and nothing else in a name."""

    def kept(match: re.Match[str]) -> str:
        joined = (fold_word(match[1]), fold_word(match[2])) in _DASHED_PAIRS
        return match[0] if joined else f"{match[1]} "

    return _LONE_DASH.sub(kept, name)


def compound_of(a: str, b: str) -> tuple[str, str] | None:
    """The one pair of the lexicon's subjects that `a` `b` are, marks aside ("phận" "mềm":
    phần mềm), or None when they are none or several."""
    pairs = _COMMON_INDEX.get(f"{loose_key(a)} {loose_key(b)}", set())
    return next(iter(pairs)) if len(pairs) == 1 else None


def common_pair(a: str, b: str) -> bool:
    """Whether `a` `b` are a pair of the lexicon's words of official writing ("xây dựng"),
    not of an agency's name ("lao động thương binh", which print writes with a dash)."""
    return (fold_word(a), fold_word(b)) in _COMMON_PAIRS


def whole_first_word(rest: str, second: str) -> str | None:
    """The word a trích yếu's first word as read is the end of, the stamp having eaten its
    start ("ê duyệt": phê, "ông tác": công): the one word of official writing ending so
    that pairs with the next word; None when none or several do, or when the two as read
    pair already. The pairs cannot tell every such word ("ình thực" gives trình, where
    Tình hình may have been): the caller keeps the field flagged."""
    if written_pair(rest, second):
        return None
    a, b = fold_word(rest), fold_word(second)
    pairs = itertools.chain(_KNOWN, _written_pairs())
    found = {x for x, y in pairs if y == b and x.endswith(a) and x != a}
    return found.pop() if len(found) == 1 else None


def common_word(word: str) -> bool:
    """Whether `word` is one of official writing (the lexicon's, rules/common_words.tsv)."""
    return fold_word(word) in _common_words()


def without_speck_inside(name: str) -> str:
    """An agency's name less a speck read between the two words of one of its compounds
    ("SỞ THÔNG TIN VÀ TRUYỀN TÌ THÔNG"): a short word, no common one ("VÀ"), that pairs
    with neither neighbour, where the two pair with each other. A real word of a name pairs
    with one of them. So is the word before's end read again ("TRUYỀN UYỂN THÔNG") and a
    dash ("LAO ĐỘNG - THƯƠNG - BINH": no compound is written with one inside); and a mark
    glued to a word's end that no name prints ("SỞ Y/ TẾ", "SỞ Y° TẾ")."""
    read = name.split(" ")
    words = [_unmarked(word) for word in read]
    if words != read:
        return " ".join(words)
    for i in range(1, len(words) - 1):
        before, word, after = words[i - 1], words[i], words[i + 1]
        letters = sum(c.isalpha() for c in word)
        echo = letters >= 2 and loose_key(before).endswith(loose_key(word))
        dash = word in ("-", "–") and common_pair(before, after)  # not "ĐỘNG - THƯƠNG"
        speck = dash or echo or (letters > 0 and (letters <= 2 or foreign_or_invalid(word)))
        if (
            speck
            and (letters == 1 or fold_word(word) not in _common_words())  # "TỈNH I LÂM ĐỒNG"
            and known_pair(before, after)
            and not (known_pair(before, word) or known_pair(word, after))
        ):
            return " ".join(words[:i] + words[i + 1 :])
    return name


def _unmarked(word: str) -> str:
    """A word in capitals without the marks a speck glued to its end ("Y/", "Y°")."""
    bare = word.rstrip(_GLUED_MARKS)
    return bare if bare != word and bare.isalpha() and bare.isupper() else word


_GLUED_MARKS = '/°ˆ“”"*^~`|\\'


def written_pair(a: str, b: str) -> bool:
    """Whether `a` `b` are a pair of the lexicon or one real regulations write: right as
    read, never "undone" into another pair nor doubted. Only the lexicon's pairs vouch for a
    word in place of another: the regulations' are too many to tell a slip by."""
    pair = (fold_word(a), fold_word(b))
    return pair in _KNOWN or pair in _written_pairs()


def _written_pairs() -> frozenset[tuple[str, str]]:
    """Pairs of words the regulations in seeds/ write at least twice (rules/common_pairs.tsv):
    "thủ trưởng", "cụ thể", "lý do" are right as printed, though the lexicon knows "thứ
    trưởng", "cư" and "độ"."""
    return _pair_table("common_pairs.tsv")


def listed_pair(a: str, b: str) -> bool:
    """Whether the regulations write `a`, `b` as a list at least twice ("gửi, nhận", "phòng,
    chống"; rules/listed_pairs.tsv), or official writing's fixed phrases do ("phòng cháy,
    chữa cháy"): there a comma between the words of a compound is print's."""
    pair = (fold_word(a), fold_word(b))
    return pair in _pair_table("listed_pairs.tsv") or pair in _phrases_commas()


@functools.cache
def _phrases_commas() -> frozenset[tuple[str, str]]:
    """The words either side of each comma of `_LISTED_PHRASES` ("cháy", "chữa")."""
    sides = (found.groups() for p in _LISTED_PHRASES for found in _LISTS_COMMA.finditer(p))
    return frozenset((fold_word(a), fold_word(b)) for a, b in sides)


_LISTS_COMMA = re.compile(r"(\w+), (\w+)")


@functools.cache
def _pair_table(name: str) -> frozenset[tuple[str, str]]:
    """The pairs of a shipped table of word pairs (see rules/common_words.README.md), read on
    first use, not when the module loads: the service process never judges a trích yếu."""
    pairs = (row.split("\t", 1)[0] for row in gazetteer.shipped_rows(name))
    return frozenset((a, b) for a, _, b in (pair.partition(" ") for pair in pairs if pair))


def _cased(like: str, word: str) -> str:
    """`word` in the case of `like`: TỈNH, Tỉnh or tỉnh."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def correct_diacritics(text: str, *, agency: bool = False) -> str:
    """`text` with diacritic misreadings of known word pairs undone (NFC in, NFC out).

    `agency`: the text names agencies (issuer lines, recipients): agency names count too.
    """
    text = nfc(text)
    index = _AGENCY_INDEX if agency else _COMMON_INDEX
    words = list(_WORD.finditer(text))
    confirmed: set[int] = set()  # by a pair of the lexicon: never changed
    # By a pair the regulations write: changed only when the lexicon's compound on its other
    # side asks ("phục vụ chỉ trả": "vụ chỉ" is written, as in "nhiệm vụ chỉ đạo", but
    # "chi trả" is a compound, which says more than two words side by side).
    vouched: set[int] = set()
    proposals: dict[int, set[str]] = defaultdict(set)
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        if _LISTED.fullmatch(text[a.end() : b.start()]):
            # "phong, chống dịch": a list the regulations write ("phòng, chống"), unless a
            # word as read pairs outwards ("cân đối, bố trí" is no "sửa đổi, bổ sung")
            listed = index.get(f"{loose_key(a.group())} {loose_key(b.group())}", set())
            if len(listed) == 1 and not listed_pair(a.group(), b.group()):
                ((fixed_a, fixed_b),) = listed
                outer_a, outer_b = _beside(text, words, i, -1), _beside(text, words, i + 1, 1)
                paired = (fold_word(a.group()) != fixed_a and written_pair(outer_a, a.group())) or (
                    fold_word(b.group()) != fixed_b and written_pair(b.group(), outer_b)
                )
                if listed_pair(fixed_a, fixed_b) and not paired:
                    proposals[i].add(fixed_a)
                    proposals[i + 1].add(fixed_b)
            continue
        if not _JOINER.fullmatch(text[a.end() : b.start()]):
            continue
        if known_pair(a.group(), b.group()):
            confirmed.update((i, i + 1))
            continue
        if written_pair(a.group(), b.group()):
            vouched.update((i, i + 1))
            continue
        candidates = index.get(f"{loose_key(a.group())} {loose_key(b.group())}", set())
        if len(candidates) == 1:
            ((fixed_a, fixed_b),) = candidates
            proposals[i].add(fixed_a)
            proposals[i + 1].add(fixed_b)
    # "nắm 2016", "năng 2022", "nănh 2017", "ăm 2021": the year's "năm" (not "Việt Nam
    # 2016"); no word "nă..." comes before a year, nor a rare one a letter from "nam".
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        year = _YEAR.fullmatch(b.group()) and _JOINER.fullmatch(text[a.end() : b.start()])
        if not year or i in confirmed | vouched:
            continue
        after_viet = i > 0 and loose_key(words[i - 1].group()) == "viet"
        read, key = a.group(), loose_key(a.group())
        rare = not word_use.frequent(read) and edit_distance(key, "nam", 1) == 1
        if not after_viet and (
            key == "nam" or (read.islower() and (read.startswith("nă") or rare))
        ):
            proposals[i] = {"năm"}
    out, last = [], 0
    for i, match in enumerate(words):
        forms = proposals.get(i)
        if i in confirmed or not forms or len(forms) > 1:
            continue
        out.append(text[last : match.start()] + _cased(match.group(), forms.pop()))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


# --- words the lexicon's pairs call into doubt --------------------------------------------

_VOCABULARY: dict[str, set[str]] = defaultdict(set)  # loose key -> the words it can be
for _a, _b in (pair for pairs in _COMMON_INDEX.values() for pair in pairs):
    _VOCABULARY[loose_key(_a)].add(_a)
    _VOCABULARY[loose_key(_b)].add(_b)


@functools.cache
def _common_words() -> frozenset[str]:
    """The lexicon's words and those of official writing at large (rules/common_words.tsv,
    see its README). Read on first use, not when the module loads: the service process
    imports the extractor but never judges a trích yếu."""
    words = {form for forms in _VOCABULARY.values() for form in forms}
    rows = gazetteer.shipped_rows("common_words.tsv")
    words.update(fold_word(row.split("\t", 1)[0]) for row in rows)
    return frozenset(words)


@functools.cache
def _place_words() -> frozenset[str]:
    """The syllables of the gazetteer's place names: a capitalised word of a trích yếu may be
    one ("xã Bình Tường"). Not any word: the names hold rare syllables (Dị Sử, Hổ)."""
    return frozenset(
        fold_word(word)
        for unit in gazetteer.shipped().units
        for word in _LETTERS.findall(unit.short)
    )


_LETTERS = re.compile(r"[^\W\d_]+")
_LONE_CONSONANT = re.compile(f"[{LONE_CONSONANTS}]", re.IGNORECASE)
_ABOUT = ["ve", "viec"]  # "Về việc", before the trích yếu's action


class Slip(NamedTuple):
    """A word OCR likely misread, the word it must have been (None: not clear), and whether
    that is sure enough to go unflagged."""

    word: str
    fix: str | None
    sure: bool


def misread_words(text: str) -> list[Slip]:
    """The words of `text` that look like OCR's slip for a word of a known pair, each with
    the word it must have been when that is clear (see `Slip`).

    A word is doubted when it is no common word of official writing, forms no known pair
    with either neighbour, and one letter lost, added or changed turns it into a word that
    does ("chuyển đổi hổ trên" -> số?); a word frequent in Vietnamese at large ("vừa"), only
    when both neighbours vouch for one word instead. A word a neighbour vouches for is left alone
    ("chuyển đổi hồ sơ"). The slip is sure to be undone only when one word fits and both
    neighbours vouch for it (two letters may be off then, since OCR often loses a whole
    cluster: "chống dị bệnh" -> dịch); it is likely, and flagged, when the word is no
    syllable at all and one neighbour vouches for it ("giảm qghèo" -> nghèo), or a spoiled
    word is nearest one such word (`_nearest_vouched`: "tài Hệu lưu trữ" -> liệu)."""
    text = nfc(text)
    words = list(_WORD.finditer(text))
    head_slips = _head_pair(text, words)
    out: list[Slip] = list(head_slips)
    for i, match in enumerate(words):
        word = match.group()
        folded = fold_word(word)
        if i < 2 and head_slips:
            continue  # the head, judged as a pair
        if _stray_between(text, words, i):
            out.append(Slip(word, None, False))
            continue
        capital = _stray_capital(text, words, i) or _shouted_link(words, i)
        if capital is not None:
            out.append(capital)
            continue
        # The trích yếu's head is its action, a known pair ("Về việc kiện toàn"): a common
        # word there is doubted too, for the action its right neighbour pairs with ("Về
        # việc hiện toàn": kiện?), not "việc"'s ("việc làm").
        head = i == 0 or (i >= 2 and [loose_key(w.group()) for w in words[i - 2 : i]] == _ABOUT)
        # A common word is no suspect ("tập trung tại Văn phòng": no "trung tâm văn"); a
        # letter alone is ("bảo hiểm v tế": the "v" of "V/v" is common in the regulations).
        common = len(word) > 1 and folded in _common_words()
        if not _LETTERS.fullmatch(word) or (
            word[:1].isupper() and (_in_place_name(words, i) or len(word) > 1 and word.isupper())
        ):
            continue
        lone = _lone_capital(text, words, i)
        following = words[i + 1].group() if i + 1 < len(words) else ""
        if lone and len(word) <= 2 and following.islower() and not written_pair(word, following):
            # "mở Si năm": no name is one short syllable; the one word a letter off that
            # pairs with the next is the fix ("Ban hành Rề hoạch": Kế, 1784 c0183)
            fixes = {form for form in _forms_a_letter_off(word) if known_pair(form, following)}
            fix = _cased(word, fixes.pop()) if len(fixes) == 1 else None
            out.append(Slip(word, fix, False))
            continue
        if common and not head and not lone:
            # ... unless a neighbour calls for its twin: a compound's ("người có đông"), or
            # a far commoner word's the regulations write beside it ("cá nhân cơ thành
            # tích": có, at 0.93 on a fresh seed's old copier, 4721 c0184)
            slip = _orphan_slip(text, words, i) or _common_twin(text, words, i)
            if slip is not None:
                out.append(slip)
            continue
        # A frequent word of Vietnamese at large is doubted only when both neighbours call
        # for another ("thông gì mạng": tin); one is not enough ("nhỏ và vừa", "lấy ý kiến").
        frequent = word_use.frequent(word)
        before, after = _beside(text, words, i, -1) or None, _beside(text, words, i, 1) or None
        listed = _listed_before(text, words, i)  # "Phòng, hỏng dịch": chống
        if (before and written_pair(before, word)) or (after and written_pair(word, after)):
            continue
        if head and (common or frequent):
            before, frequent = None, False
        near: set[str] = set()  # one letter off, vouched for by a neighbour
        sure: set[str] = set()  # up to two letters off, vouched for by both
        both: set[str] = set()  # one letter off, vouched for by both
        key = loose_key(word)
        for other, forms in _VOCABULARY.items():
            distance = edit_distance(key, other, 2)
            for form in forms if distance <= 2 else ():
                left = (before is not None and known_pair(before, form)) or (
                    listed is not None and listed_pair(listed, form)
                )
                right = after is not None and known_pair(form, after)
                if left and right and len(form) > 2:
                    sure.add(form)
                elif distance <= 1 and (left or right) and (lone or not frequent):
                    near.add(form)
                    if left and right:
                        both.add(form)
        # A word no syllable at all ("qghèo") is surely a slip: one neighbour's word is the
        # likely fix, though not a sure one ("hành chính quyêt" may be no "chính quyền").
        # So is the trích yếu's head that makes no pair with the next word, or a capital
        # no name explains: they need a partner. A consonant alone is a slip too, but the
        # remains of a word as often ("quản lý đ t đai": đất): both neighbours must vouch
        # ("bảo hiểm v tế": y).
        unpaired = foreign_or_invalid(word) or head or lone
        only = sure or (near if unpaired else both if _LONE_CONSONANT.fullmatch(word) else set())
        # A word no one writes, or none at all: the nearest word a neighbour pairs with may
        # be told, where the one-letter rules above tell none ...
        spoiled = foreign_or_invalid(word) or not word_use.in_use(word)
        if sure or near:
            clear = len(only) == 1 and len(sure | near) == 1
            # A capital no name explains was a speck's: the word goes in small letters.
            fix = (next(iter(only)) if lone else _cased(word, next(iter(only)))) if clear else None
            # ... or one seldom written, in small letters ("bồi dưng cán bộ": dưỡng)
            rare = word.islower() and word_use.syllables_in_use().get(folded, 0.0) < _RARE
            if fix is None and (spoiled or (rare and not common)):
                fix = _nearest_vouched(word, before, after, lone=lone)
            out.append(Slip(word, fix, bool(sure) and clear))
        elif (
            spoiled
            # ... unless a frequent word has its letters, its marks misread ("cúa": của)
            and not any(word_use.frequent(twin) for twin in word_use.likelier_twins(word))
            and (fix := _nearest_vouched(word, before, after, lone=lone))
        ):
            out.append(Slip(word, fix, False))
        elif word_use.out_of_use(word, first=i == 0 or lone) or (
            not (frequent or common) and word_use.rare_twin(word, first=i == 0)
        ):
            # The slip is undone, still flagged, when one syllable with its letters is far
            # likelier ("vảo lớp": vào), or one of those makes a pair the regulations write
            # with a neighbour ("cụng cấp": cung, not the commoner cũng or cùng); otherwise
            # it is only flagged ("truyền nhiềm": nhiễm or nhiệm?).
            twins = word_use.likelier_twins(word)
            if len(twins) > 1:
                twins = [
                    twin
                    for twin in twins
                    if (before and written_pair(before, twin))
                    or (after and written_pair(twin, after))
                ]
            if len(twins) != 1 and (twin := _function_twin(word)) is not None:
                out.append(twin)  # "Kết luận cúa Cục trưởng": của, of the seven twins
                continue
            out.append(Slip(word, _cased(word, twins[0]) if len(twins) == 1 else None, False))
        elif (orphan := _orphan_slip(text, words, i)) is not None:
            out.append(orphan)  # "người có đông": công, a frequent word's twin
        elif (twin := _function_twin(word)) is not None:
            out.append(twin)  # "Kết luận tủa Chủ tịch": của
        elif (twin := _written_twin(word, before, after)) is not None:
            out.append(twin)  # "các tập thể, cá nhân co thành tích": có
        elif i == len(words) - 1 and not common and _after_a_compound(text, words, i):
            out.append(Slip(word, None, False))  # "... an toàn thông tin mạng nương"
        elif after and after.isdigit() and (announcer := number_word(word)) is not None:
            out.append(Slip(word, _cased(word, announcer), False))  # "vào lợp 10": lớp
    return out


def _nearest_vouched(word: str, before: str | None, after: str | None, *, lone: bool) -> str | None:
    """The word a spoiled one was, a syllable no one writes or none at all ("tài Hệu lưu
    trữ": liệu; "về thuyời đổi số": chuyển; "phòng| thếng dịch": chống): of the words of the
    lexicon's pairs with a neighbour, the one its letters are nearest, when no other is as
    near. The stamp's ink or a copier's speckle spoils a letter or two, so up to two letters
    may be off (three in a word of six or more: what is left still says which). Flagged:
    the nearest word is likely, not sure."""
    key = loose_key(word)
    reach = 1 if len(key) <= 2 else 2 if len(key) <= 5 else 3
    found: dict[int, set[str]] = defaultdict(set)
    for other, forms in _VOCABULARY.items():
        distance = edit_distance(key, other, reach)
        for form in forms if distance <= reach else ():
            if (before and known_pair(before, form)) or (after and known_pair(form, after)):
                found[distance].add(form)
    nearest = found[min(found)] if found else set()
    if len(nearest) != 1:
        return None
    (form,) = nearest
    return form if lone else _cased(word, form)


def _head_pair(text: str, words: list[re.Match[str]]) -> list[Slip]:
    """The trích yếu's first two words, its action, when they make no pair of official
    writing but one letter changed in either makes exactly one ("Tỉnh bình thực hiện":
    Tình hình; "Hết qua thực hiện": Kết quả): a slip in each, which no word alone would
    show, since "tỉnh" and "bình" are words and pair with others. A pair the regulations
    write is right as read ("Các cá nhân", "Trong quá trình"), unless it is a unit's type
    before a word in small letters, no place's name ("tỉnh Bình Định" is why "tỉnh bình"
    is written). Or, neither letter-slip fitting, the first word two letters off the one
    word that opens a phrase with the second as read ("Nà cao": Nâng). Flagged, and put
    right."""
    if len(words) < 2 or not _joined(text, words[0], words[1]):
        return []
    a, b = words[0].group(), words[1].group()
    read = (fold_word(a), fold_word(b))
    unnamed = read[0] in _PLACE_TYPES and b.islower()
    if read in _PHRASE_NEXT or (written_pair(a, b) and not unnamed):
        return []
    key = f"{loose_key(a)} {loose_key(b)}"
    fixes = {pair for other, pair in _phrase_keys() if edit_distance(key, other, 1) <= 1}
    if not fixes and fold_word(a) not in _HEADS_ENDS:
        # "Nà cao hiệu quả": the stamp or a speck took two letters of the first word; the
        # second as read, one opening whose first word is two letters off. Not where the
        # first is an opening's end ("hiện chỉnh lý": Thực hiện, `with_lost_head`'s)
        second, first = fold_word(b), loose_key(a)
        fixes = {
            (x, y)
            for x, y in _PHRASE_NEXT
            if y == second and edit_distance(first, loose_key(x), 2) <= 2
        }
    if len(fixes) != 1:
        return []
    ((fixed_a, fixed_b),) = fixes
    slips = [(a, _cased(a, fixed_a)), (b, _cased(b, fixed_b))]
    return [Slip(word, fixed, False) for word, fixed in slips if word != fixed]


_HEADS_ENDS = frozenset(fold_word(head.split()[-1]) for head in SUBJECT_HEADS)


@functools.cache
def _phrase_keys() -> tuple[tuple[str, tuple[str, str]], ...]:
    """Each pair of the phrases of official writing with its loose key ("tinh hinh"),
    made on first use: every trích yếu's head is measured against them all."""
    return tuple((f"{loose_key(a)} {loose_key(b)}", (a, b)) for a, b in _PHRASE_NEXT)


# Words a place's name follows: "xã Bình Tường", "thành phố Huế", "thôn Ia Re".
_PLACE_TYPES = frozenset(t.split()[-1] for t in (*UNIT_TYPES, *VILLAGE_TYPES))  # its last word


def _in_place_name(words: list[re.Match[str]], i: int) -> bool:
    """Whether word `i`, capitalised, is a syllable of a place's name where it stands: one of
    the gazetteer's, and after a unit's type or beside another capitalised word. A lone one
    between small words is not ("Tài chính Re hoạch": Kế, though a commune is called Ia Re)."""
    if fold_word(words[i].group()) not in _place_words():
        return False
    before = words[i - 1].group() if i else ""
    after = words[i + 1].group() if i + 1 < len(words) else ""
    return fold_word(before) in _PLACE_TYPES or before[:1].isupper() or after[:1].isupper()


def starts_mid_compound(text: str) -> bool:
    """Whether `text` starts with a word the lexicon knows only as a compound's second
    ("soát thủ tục ...": kiểm soát), not making a pair with the next: its start was lost."""
    words = _WORD.findall(nfc(text))
    if len(words) < 2 or known_pair(words[0], words[1]):
        return False
    return _second_half_only(fold_word(words[0]))


def _second_half_only(folded: str) -> bool:
    """Whether the lexicon knows a word (folded) only as a compound's second half."""
    return folded in _SECOND_HALVES and folded not in _FIRST_HALVES


def first_half_lost(before: str, word: str) -> str | None:
    """The one word the lexicon pairs before `word`, where `word` is known only as a
    compound's second half and makes no pair with the word `before` it ("tài liệu" over
    "trữ tồn đọng": lưu, its line's start lost under the stamp); else None."""
    folded = fold_word(word)
    if not _second_half_only(folded) or written_pair(before, word):
        return None
    found = {a for a, b in _KNOWN if b == folded}
    return found.pop() if len(found) == 1 else None


def word_lost_between(a: str, b: str) -> str | None:
    """The one word a phrase of official writing puts between `a` and `b`, which make no
    pair themselves ("tại họp về": cuộc, lost under the stamp at a line's end), or None."""
    if written_pair(a, b):
        return None
    first, second = fold_word(a), fold_word(b)
    found = {x for p, x in _PHRASE_NEXT if p == first and (x, second) in _PHRASE_NEXT}
    return found.pop() if len(found) == 1 else None


def known_agency(name: str) -> bool:
    """Whether `name` is one of the lexicon's agency names whole ("Sở Tài nguyên và Môi
    trường", "BỘ THÔNG TIN VÀ TRUYỀN THÔNG"), case and tone placement aside."""
    return " ".join(fold_word(w) for w in name.split()) in _AGENCY_NAMES


_AGENCY_PHRASES = tuple(" ".join(phrase.split()) for phrase in nfc(_AGENCY).split("|"))
_AGENCY_NAMES = frozenset(
    " ".join(fold_word(w) for w in phrase.split()) for phrase in _AGENCY_PHRASES
)


def agency_by_letters(name: str) -> str | None:
    """The one agency name of the lexicon written with the letters of `name`, marks aside,
    in `name`'s capitals, when `name` is in capitals and no name of it ("SỞ GIÁO THÔNG VẬN
    TẢI": GIAO, a wrong issuer at 0.82 on 2961's old copier; "sở giáo" pairs, so the pair
    check left it), spaces aside where no name has them as read ("SỞ YTẾ"); else None."""
    if not is_upper_text(name) or known_agency(name):
        return None
    key = loose_key(name)
    found = _agencies_by_letters(spaced=True).get(key, set())
    if not found:  # two of its words read as one ("SỞ YTẾ", 3 times on the used seeds)
        found = _agencies_by_letters(spaced=False).get(key.replace(" ", ""), set())
    return next(iter(found)).upper() if len(found) == 1 else None


@functools.cache
def _agencies_by_letters(*, spaced: bool) -> dict[str, set[str]]:
    """The lexicon's agency names by their letters, marks aside ("so giao thong van tai"),
    with the spaces between its words or without ("soyte")."""
    found: dict[str, set[str]] = defaultdict(set)
    for phrase in _AGENCY_PHRASES:
        key = loose_key(phrase)
        found[key if spaced else key.replace(" ", "")].add(phrase)
    return found


def with_lost_agency_word(name: str) -> str:
    """An agency's name with the "và" it lost put back between two of its words that make
    no pair, where the lexicon's names pair each with "và" ("BỘ THÔNG TIN TRUYỀN THÔNG",
    0.88 on a fresh seed's old copier: "tin và", "và truyền"). A short word is the one a
    speck or the stamp takes whole. As read otherwise; the caller doubts the name unless
    it is then one of the lexicon's whole (`known_agency`)."""
    words = name.split(" ")
    for i in range(len(words) - 1, 0, -1):
        a, b = words[i - 1], words[i]
        unpaired = a.isalpha() and b.isalpha() and not known_pair(a, b)
        if unpaired and known_pair(a, "và") and known_pair("và", b):
            words.insert(i, _cased(b, "và"))
    return " ".join(words)


def with_list_commas(text: str) -> str:
    """`text` with the commas of the lists official writing sets in fixed phrases put back
    where OCR lost one ("tiếp công dân giải quyết khiếu nại": tiếp công dân, giải quyết;
    "phòng cháy chữa cháy"), in the case they were read in."""
    for bare, listed in _LISTS:
        text = bare.sub(functools.partial(_as_listed, listed), text)
    return text


def _as_listed(listed: str, found: re.Match[str]) -> str:
    return _cased(found[0], listed)


def _list_pattern(phrase: str) -> re.Pattern[str]:
    words = phrase.replace(",", "").split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


# Lists written with a comma inside a phrase of official writing (the laws' own names:
# Luật Tiếp công dân, Luật Khiếu nại, Luật Tố cáo; Luật Phòng cháy, chữa cháy; and what the
# regulations in seeds/ write so: "cơ quan, đơn vị" 96 times, without the comma 3 times;
# "cán bộ, công chức" 30 times, never without)
_LISTED_PHRASES = (
    "tiếp công dân, giải quyết khiếu nại",
    "phòng cháy, chữa cháy",
    "cơ quan, đơn vị",
    "cán bộ, công chức",
)
_LISTS = tuple((_list_pattern(nfc(p)), nfc(p)) for p in _LISTED_PHRASES)


def paired_word_starting(a: str, letter: str) -> str | None:
    """The one word starting with `letter` that `a` pairs with, in the lexicon or as the
    regulations write it ("nhân" c...: có), or None."""
    found = {b for b in _partners_after().get(fold_word(a), ()) if b.startswith(letter)}
    return found.pop() if len(found) == 1 else None


@functools.cache
def _partners_after() -> dict[str, frozenset[str]]:
    """For each word, the words it pairs with after it, in the lexicon or the regulations."""
    found: dict[str, set[str]] = defaultdict(set)
    for a, b in _written_pairs() | _KNOWN:
        found[a].add(b)
    return {a: frozenset(bs) for a, bs in found.items()}


def goes_on_with(a: str, b: str, c: str) -> bool:
    """Whether a phrase of official writing goes on from `a` `b` with `c` ("chữ ký" số),
    case and tone placement aside."""
    return fold_word(c) in _PHRASE_GOES_ON.get((fold_word(a), fold_word(b)), frozenset())


def words_lost_after(a: str, b: str) -> list[str]:
    """The words that end the phrase of official writing whose two words `a` `b` end a
    text, when one way only goes on from there and none ends there ("bảo vệ môi": trường;
    "tìm kiếm": cứu nạn), up to three."""
    pair = (fold_word(a), fold_word(b))
    out: list[str] = []
    while len(out) < 3 and len(follows := _PHRASE_GOES_ON.get(pair, frozenset())) == 1:
        (word,) = follows
        if word is None:
            break
        out.append(word)
        pair = (pair[1], word)
    return out


def compound_ended(before: str, last: str) -> str | None:
    """The one word that ends the compound a text's `last` word opens, where the text ends
    as no trích yếu does on a word the lexicon knows only as a compound's first half, making
    no pair with the word `before` ("... giảm nghèo bền": vững); else None."""
    folded = fold_word(last)
    if not last.islower() or written_pair(before, last) or folded in _SECOND_HALVES:
        return None
    ends = {b for a, b in _KNOWN if a == folded}
    return ends.pop() if len(ends) == 1 else None


def number_lost(text: str) -> bool:
    """Whether a word a number follows stands before the year with none ("tuyển sinh vào
    lớp năm 2016": the 10 lost, 0.96 on a fresh seed's office scan; "quý năm 2024")."""
    return _NUMBER_LOST.search(text) is not None


_NUMBER_LOST = re.compile(r"\b(?:lớp|quý)\s+năm\s+(?:19|20)\d\d\b", re.IGNORECASE)


def year_unannounced(text: str) -> bool:
    """Whether a year in `text` follows a word that never announces one ("nhà nước ấm
    2020": năm misread). A trích yếu writes "năm 2020", "giai đoạn 2021-2025", "năm học
    2023-2024", "từ 2020 đến 2025"."""
    return any(
        match[1].islower() and fold_word(match[1]) not in _ANNOUNCES_YEAR
        for match in _YEAR_AFTER.finditer(nfc(text))
    )


def ends_cut_short(text: str) -> bool:
    """Whether `text` ends where no trích yếu does, so its end was lost:
    - on a small word the lexicon knows only as a compound's first half, making no pair with
      the word before ("kiểm tra bảo": bảo vệ, bảo đảm; a name's last word, "huyện Quỳnh
      Phụ", is no compound's);
    - on a word a number must follow ("chuyển đổi số năm"; "... 5 năm" counts years);
    - on a word that leads on ("... tại": tại cuộc họp về; "của", "và", "có"; "... (nếu
      có)" is whole: the bracket closes it);
    - on a capitalised syllable after a small word, neither a place's type ("huyện Quế")
      nor making a pair with it: no name is one syllable there ("... cho người Công": the
      line with "có công" was lost, and a speck made "Công" of what was left)."""
    words = _WORD.findall(nfc(text))
    if not words:
        return False
    last = words[-1]
    folded = fold_word(last)
    leads_on = folded in _NEVER_LAST and not text.rstrip().endswith(")")
    if len(words) < 2:
        return leads_on
    before = words[-2]
    mid_compound = (
        last.islower()
        and not written_pair(before, last)
        and folded in _FIRST_HALVES
        and folded not in _SECOND_HALVES
    )
    lone_capital = (
        last[:1].isupper()
        and last[1:].islower()
        and before.islower()
        and fold_word(before) not in _PLACE_TYPES
        and not written_pair(before, last)
    )
    # ... or the word before it ends a compound of its own, so it pairs outwards only in
    # writing ("phần mềm quản": quản lý lost under the stamp)
    opens_another = (
        last.islower()
        and len(words) >= 3
        and folded in _FIRST_HALVES
        and known_pair(words[-3], before)
        and not known_pair(before, last)
    )
    numbered = folded in _NUMBERED and not before.isdigit()
    return mid_compound or opens_another or numbered or leads_on or lone_capital


def breaks_phrase(text: str) -> bool:
    """Whether `text` holds a pair of words the lexicon knows only inside one longer phrase,
    without the word that phrase goes on with ("tiêm chủng mở năm 2023": mở rộng, and
    "chủng mở" is no word on its own): that word was lost. A pair the regulations write
    stands on its own ("quản lý", "cán bộ"). Or a compound's second half whose partner was
    misread ("tụ mềm": phần mềm). None of the outside corpora's trích yếu nor of the
    regulations' sentences is so judged."""
    text = nfc(text)
    words = list(_WORD.finditer(text))
    if any(_partner_lost(text, words, i) for i in range(1, len(words))):
        return True
    for i in range(len(words) - 1):
        pair = (fold_word(words[i].group()), fold_word(words[i + 1].group()))
        follows = _PHRASE_NEXT.get(pair)
        if follows is None or len(follows) != 1 or pair in _written_pairs():
            continue
        (then,) = follows
        after = words[i + 2] if i + 2 < len(words) else None
        if then is None or (after is not None and fold_word(after.group()) == then):
            continue
        if after is None or not written_pair(words[i + 1].group(), after.group()):
            return True
    return False


def _partner_lost(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word `i` is one the lexicon knows only as a compound's second half ("mềm" of
    "phần mềm"), after a syllable in small letters that is not its partner, nor a word of
    official writing: the partner, misread into another syllable ("sử dụng tụ mềm")."""
    word, before = words[i].group(), words[i - 1].group()
    folded = fold_word(word)
    if not (word.islower() and folded in _SECOND_HALVES and folded not in _FIRST_HALVES):
        return False
    return (
        before.isalpha()
        and before.islower()
        and _joined(text, words[i - 1], words[i])
        and not foreign_or_invalid(before)
        and not written_pair(before, word)
        and fold_word(before) not in _common_words()
    )


def _stray_between(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word `i` is a capitalised stray inside a known compound ("phòng, chống Dạ dịch
    bệnh"): its neighbours make a pair of the lexicon's common words, it makes none with
    either. A speck or the stamp's remains read as a word; what it hides is not known."""
    if not 0 < i < len(words) - 1 or not words[i].group()[:1].isupper():
        return False
    before, word, after = (w.group() for w in words[i - 1 : i + 2])
    return (
        _joined(text, words[i - 1], words[i])
        and _joined(text, words[i], words[i + 1])
        and (fold_word(before), fold_word(after)) in _COMMON_PAIRS
        and not known_pair(before, word)
        and not known_pair(word, after)
    )


def _stray_capital(text: str, words: list[re.Match[str]], i: int) -> Slip | None:
    """Word `i` capitalised in mid-sentence where it ends a compound of the lexicon begun by
    the small word before it, and starts none with the small word after ("chữ ký Số trong":
    số, put right and flagged). A name's capital starts its own pair ("ngân sách Nhà nước");
    an article's stands before its number ("theo Điều 7 và Điều 8": "và điều" is a pair).
    A word that leads on ("trong Các cơ quan") starts no name: flagged and put right."""
    if not _capital_mid_sentence(text, words, i):
        return None
    before, word = words[i - 1].group(), words[i].group()
    if word.lower() in _LEADS_ON:
        return Slip(word, word.lower(), False)
    after = words[i + 1].group() if i + 1 < len(words) else ""
    if known_pair(before, word) and (
        not after or (after.islower() and not known_pair(word, after))
    ):
        return Slip(word, word.lower(), False)
    # after a unit's type ("Trưởng phòng Tài chính") or a link ("và Truyền thông") a
    # name goes on
    named = fold_word(before) in _PLACE_TYPES | _LEADS_ON | _ORGANS
    compound = not named and known_pair(before, word)
    if compound and word.lower() not in _CAPITALISED_WORDS and not _in_place_name(words, i):
        # "tìm kiếm Cứu nạn": it starts a pair of its own too, but no name begins in
        # mid-compound, and only a few words are capitalised by custom ("ngân sách Nhà nước")
        return Slip(word, word.lower(), False)
    return None


# The types of organ and the titles a name follows ("Trưởng phòng Tài chính", "Sở Nội vụ").
_ORGANS = frozenset({
    "phòng", "sở", "ban", "cục", "bộ", "ủy", "hội", "trường", "tâm", "viện", "đài", "chi",
    "kho", "tòa", "đội", "đoàn", "hạt", "trạm", "đảng", "trưởng", "đốc", "tịch", "báo",
})  # fmt: skip
# Words official writing capitalises in mid-sentence: the State and its organs, documents
# and their parts named with their number ("Điều 5"), a name's own type word.
_CAPITALISED_WORDS = frozenset({
    "nhà", "chính", "quốc", "đảng", "mặt", "tổ", "luật", "nghị", "quyết", "thông", "chỉ",
    "kế", "công", "điều", "khoản", "chương", "mục", "phụ", "ban", "sở", "phòng", "ủy", "hội",
    "trường", "trung", "cục", "bộ", "tổng", "văn", "thủ", "chủ", "tháng", "tết", "nhân",
    "đoàn", "liên", "viện", "bệnh", "chi", "hạt", "trạm", "đài", "báo", "cổng", "kho", "bảo",
    "tòa", "quân", "lễ", "giải", "cuộc", "đề", "dự", "quy", "hướng", "tờ", "biên", "giấy",
    "phiếu", "thư", "bản", "đội", "xã", "huyện", "tỉnh", "thành", "thị", "phường", "quận",
    "ấp", "thôn", "làng",
})  # fmt: skip


def _shouted_link(words: list[re.Match[str]], i: int) -> Slip | None:
    """Word `i` a word that leads on, in capitals between small words ("tại cuộc họp VỀ thi
    đua"): no name nor abbreviation, OCR's capitals. Put right and flagged."""
    word = words[i].group()
    if not (0 < i < len(words) - 1 and len(word) > 1 and word.isupper()):
        return None
    small = words[i - 1].group().islower() and words[i + 1].group().islower()
    return Slip(word, word.lower(), False) if small and word.lower() in _LEADS_ON else None


def _orphan_slip(text: str, words: list[re.Match[str]], i: int) -> Slip | None:
    """Word `i`, a common or frequent word in small letters that forms no pair with either
    neighbour, when one letter changed makes it a compound with a neighbour that has no
    other partner ("tổ chức hiểm tra kiểm soát": kiểm tra; "và tin kiếm cứu nạn": tìm kiếm
    cứu nạn; "người có đông": công). Print puts a syllable such as "hiểm" or "tin" in its
    compound; one standing alone where a neighbour calls for its twin is OCR's slip into
    another real word, which the checks above let pass because it is real and common.
    Function words stand alone ("của", "trong", "tại"): never suspects. Flagged, with the
    fix when just one word fits: none of the outside bench's 1,954 distinct trích yếu is
    flagged; 11 of the regulations' 819 sentences are (body text, freer than a trích yếu)."""
    word = words[i].group()
    if not word.islower() or word_use.syllables_in_use().get(fold_word(word), 0.0) >= _STANDS_ALONE:
        return None
    before, after = _beside(text, words, i, -1), _beside(text, words, i, 1)
    if (before and written_pair(before, word)) or (after and written_pair(word, after)):
        return None
    far_before = _beside(text, words, i - 1, -1) if before else ""
    far_after = _beside(text, words, i + 1, 1) if after else ""
    fixes = {
        form
        for form in _forms_a_letter_off(word)
        if _calls_for(before, far_before, form, left=True)
        or _calls_for(after, far_after, form, left=False)
    }
    if not fixes:
        return None
    return Slip(word, _cased(word, fixes.pop()) if len(fixes) == 1 else None, False)


def _forms_a_letter_off(word: str) -> Iterator[str]:
    """The lexicon's words one letter from `word`, marks aside."""
    key = loose_key(word)
    for other, forms in _VOCABULARY.items():
        if edit_distance(key, other, 1) == 1:
            yield from forms


def _after_a_compound(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word `i`, in small letters, follows a compound of the lexicon that it makes
    no pair with: the phrase had ended ("thông tin mạng nương": a speck or the stamp read
    as a word)."""
    before, far = _beside(text, words, i, -1), _beside(text, words, i - 1, -1)
    word = words[i].group()
    return (
        word.islower()
        and bool(before and far)
        and known_pair(far, before)
        and not written_pair(before, word)
    )


def _function_twin(word: str) -> Slip | None:
    """A rare word in small letters one letter from a function word ("Kết luận tủa Chủ
    tịch": của), where it pairs with neither neighbour (the caller checked): OCR's slip
    into a syllable real but seldom written. Flagged, mended when one function word fits.
    No trích yếu of the outside corpora, nor any sentence of the regulations, has one."""
    folded = fold_word(word)
    if len(word) < 2 or not word.islower() or word_use.syllables_in_use().get(folded, 0.0) >= _RARE:
        return None  # a letter alone ("Cửa L.ò") is a letter from every short word
    twins = [w for w in _function_words() if edit_distance(folded, w, 1) == 1]
    if not twins:
        return None
    return Slip(word, _cased(word, twins[0]) if len(twins) == 1 else None, False)


def _common_twin(text: str, words: list[re.Match[str]], i: int) -> Slip | None:
    """Word `i`, a common word pairing with neither neighbour, when a twin some eight times
    as common pairs with one as the regulations write it ("cá nhân cơ thành tích": có)."""
    before, after = _beside(text, words, i, -1) or None, _beside(text, words, i, 1) or None
    word = words[i].group()
    if (before and written_pair(before, word)) or (after and written_pair(word, after)):
        return None
    return _written_twin(word, before, after, gap=_COMMON_TWIN_GAP)


_WRITTEN_TWIN_GAP = 1.5  # Zipf: ~30 times as common
_COMMON_TWIN_GAP = 0.9  # ... ~8 times, for a common word of official writing


def _written_twin(
    word: str, before: str | None, after: str | None, *, gap: float = _WRITTEN_TWIN_GAP
) -> Slip | None:
    """A word in small letters that pairs with neither neighbour (the caller checked), one
    of whose twins (its letters, other marks) is far more common and pairs with one as
    the regulations write it: OCR lost or changed a mark ("cá nhân co thành tích": có,
    read at 0.97, a silent error of 7529's). Flagged, mended when one twin fits."""
    if len(word) < 2 or not word.islower():
        return None
    zipf = word_use.syllables_in_use().get(fold_word(word), 0.0)
    twins = {
        twin
        for twin, twin_zipf in word_use.twins(word)
        if twin_zipf >= zipf + gap
        and ((before and written_pair(before, twin)) or (after and written_pair(twin, after)))
    }
    if not twins:
        return None
    return Slip(word, _cased(word, twins.pop()) if len(twins) == 1 else None, False)


@functools.cache
def _function_words() -> tuple[str, ...]:
    """The syllables Vietnamese writes most ("của", "và", "trong", "được"): see _STANDS_ALONE."""
    return tuple(w for w, zipf in word_use.syllables_in_use().items() if zipf >= _STANDS_ALONE)


def _beside(text: str, words: list[re.Match[str]], i: int, step: int) -> str:
    """The word next to word `i` (`step` -1: before it, 1: after it) when only spaces part
    them, else ""."""
    j = i + step
    if not 0 <= j < len(words):
        return ""
    first, second = (words[j], words[i]) if step < 0 else (words[i], words[j])
    return words[j].group() if _joined(text, first, second) else ""


def _listed_before(text: str, words: list[re.Match[str]], i: int) -> str | None:
    """The word before word `i` when a list's comma parts them ("Phòng, hỏng dịch"), whose
    pairs the regulations write as lists vouch for a word as the lexicon's do."""
    if i == 0 or _LISTED.fullmatch(text[words[i - 1].end() : words[i].start()]) is None:
        return None
    return words[i - 1].group()


def _calls_for(neighbour: str, far: str, form: str, *, left: bool) -> bool:
    """Whether `neighbour` (in small letters, on the `left` of the word or on its right)
    makes a pair of the lexicon's phrases with `form`, and is bound to no other partner
    `far` beyond it, unless the three make one phrase ("người có" + công)."""
    if not neighbour.islower():
        return False
    near = fold_word(neighbour)
    pair = (near, form) if left else (form, near)
    if pair not in _PHRASE_NEXT or not far:
        return pair in _PHRASE_NEXT
    beyond = (fold_word(far), near) if left else (near, fold_word(far))
    if beyond not in _PHRASE_NEXT:
        return True
    return form in _PHRASE_NEXT[beyond] if left else fold_word(far) in _PHRASE_NEXT[pair]


def _lone_capital(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word `i` is capitalised in mid-sentence yet starts no pair of the lexicon and
    ends none: no name or compound explains the capital ("tài Hiệu lưu trữ": liệu, a real
    syllable read in its place). It is a suspect though common, and is flagged when a word
    one letter off makes a pair with a neighbour."""
    if not _capital_mid_sentence(text, words, i):
        return False
    before, word = words[i - 1].group(), words[i].group()
    after = words[i + 1].group() if i + 1 < len(words) else ""
    return not known_pair(before, word) and not (
        after and _joined(text, words[i], words[i + 1]) and known_pair(word, after)
    )


def _capital_mid_sentence(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word `i` is capitalised ("Số", not "SỐ") right after a small word."""
    word = words[i].group()
    return (
        i > 0
        and word[:1].isupper()
        and word[1:].islower()
        and words[i - 1].group().islower()
        and _joined(text, words[i - 1], words[i])
    )


def _joined(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    return _JOINER.fullmatch(text[a.end() : b.start()]) is not None
