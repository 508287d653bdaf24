"""A signer's name read by OCR: a known surname, then common name syllables."""

from __future__ import annotations

import pytest

from daemon.ocr.names import UNKNOWN_SURNAME, UNKNOWN_SYLLABLE, checked_name


@pytest.mark.parametrize(
    "name",
    ["Nguyễn Văn An", "Vũ Thị Nhung", "Huỳnh Đình Quang", "Lý Thị Thanh Lan", "ĐỖ HỮU DŨNG"],
)
def test_common_names_pass_as_read(name: str) -> None:
    assert checked_name(name) == (name, 1.0)


@pytest.mark.parametrize(
    ("read", "name"),
    [("Lê THị Minh Thảo", "Lê Thị Minh Thảo"), ("Võ thị Minh Hà", "Võ Thị Minh Hà")],
)
def test_a_name_syllable_in_the_wrong_case_is_written_capitalised(read: str, name: str) -> None:
    """ "THị": OCR took the h for a capital, as a seal's ring over it makes it (5656 s0141,
    6161 s0051); each syllable of a name is written with one capital."""
    assert checked_name(read) == (name, 1.0)


def test_a_name_without_a_surname_is_not_trusted() -> None:
    """The surname lost under the seal: "Thị Thảo" for "Vũ Thị Thảo"."""
    assert checked_name("Thị Thảo") == ("Thị Thảo", UNKNOWN_SURNAME)


def test_a_tone_slip_with_several_names_behind_it_is_flagged() -> None:
    """ "Tuần": Tuân or Tuấn? The common given name, still doubted ("Tuyển" is left as read:
    of Tuyên, Tuyền and Tuyến none is much commoner). In the middle, the common middle name: "Nguyễn
    Vẫn Long" (Văn, Vân or Vấn) is Văn, still doubted."""
    assert checked_name("Trần Văn Tuần") == ("Trần Văn Tuấn", UNKNOWN_SYLLABLE)
    assert checked_name("Trần Văn Tuyển") == ("Trần Văn Tuyển", UNKNOWN_SYLLABLE)
    assert checked_name("Nguyễn Vẫn Long") == ("Nguyễn Văn Long", UNKNOWN_SYLLABLE)
    assert checked_name("Nguyễn Đỉnh Lộc") == ("Nguyễn Đình Lộc", UNKNOWN_SYLLABLE)


def test_a_slip_with_one_name_behind_it_is_put_right() -> None:
    assert checked_name("Bùi Đức Thăng") == ("Bùi Đức Thắng", 1.0)
    assert checked_name("BÙI ĐỨC THĂNG") == ("BÙI ĐỨC THẮNG", 1.0)


def test_garbage_is_flagged_once_per_syllable() -> None:
    _, factor = checked_name("Nà Nóc Xyz")
    assert factor == pytest.approx(UNKNOWN_SURNAME * UNKNOWN_SYLLABLE**2)


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Phạm Znị Thanh Nhung", "Phạm Thị Thanh Nhung"),  # no syllable, two letters from Thị
        ("Ngô Yhị Thu Nhung", "Ngô Thị Thu Nhung"),
        ("Lê Ng0c Hà", "Lê Ngọc Hà"),
        ("Trần Thủ Duyên", "Trần Thu Duyên"),  # Thu: Thư is seldom a middle name
        ("Lê Znị", "Lê Znị"),  # no given name after it: not taken for a middle one
        # in a name of four words, a syllable no name holds, where Thị stands in most
        ("Lê Chị Thanh Hằng", "Lê Thị Thanh Hằng"),
        ("Đỗ TẾ Minh Hương", "Đỗ Thị Minh Hương"),
        ("Phan Chị Hà", "Phan Chị Hà"),  # three words: not so sure
        # ... or a name syllable one letter from it, the seal over its "h" (old copier)
        ("Trần Tài Thanh Hạnh", "Trần Thị Thanh Hạnh"),
        ("Đặng Phi Minh Lan", "Đặng Thị Minh Lan"),
        # the second middle word no syllable, one letter from a common middle name: the
        # commonest first (Thanh, though Khanh is as near)
        ("Hoàng Thị Lhanh Hương", "Hoàng Thị Thanh Hương"),
        ("Nguyễn Văn Kzanh Hùng", "Nguyễn Văn Kzanh Hùng"),  # Khanh or Khánh? as read
        ("Võ-rhị Minh Yến", "Võ Thị Minh Yến"),  # a dash read between two words: none in a name
    ],
)
def test_a_middle_name_misread_beyond_its_letters_is_put_right_and_doubted(
    read: str, meant: str
) -> None:
    assert checked_name(read) == (meant, UNKNOWN_SYLLABLE)


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        # a given name, seldom a middle one: the common middle name with its letters
        ("Lê Định Hùng", "Lê Đình Hùng"),  # 8282 c0184, 8989 c0189, 1212 c0154
        ("ĐẶNG ĐỊNH LỘC", "ĐẶNG ĐÌNH LỘC"),
        # no name's syllable: the one middle name with its letters, of the second tier
        ("Phạm Thụ Oanh", "Phạm Thu Oanh"),  # 6161 c0181, 5656 c0178
        ("Đinh Thủ Thủy", "Đinh Thu Thủy"),  # 2828 c0153, 8989 c0152
        # ... and after Thị, of the second tier ("Thu", not "Thứ"; 8484 c0181, c0193)
        ("Dương Thị Thủ Phượng", "Dương Thị Thu Phượng"),
        ("Nguyễn Thị Vẫn Anh", "Nguyễn Thị Vân Anh"),
    ],
)
def test_a_middle_syllable_few_bear_is_the_common_middle_name_with_its_letters(
    read: str, meant: str
) -> None:
    assert checked_name(read) == (meant, UNKNOWN_SYLLABLE)


def test_a_name_that_is_a_name_is_not_second_guessed_in_its_middle() -> None:
    assert checked_name("Nguyễn Vân Anh") == ("Nguyễn Vân Anh", 1.0)
    assert checked_name("Trần Vinh Quang") == ("Trần Vinh Quang", 1.0)  # not Vĩnh
    assert checked_name("Nguyễn Lê Minh") == ("Nguyễn Lê Minh", 1.0)  # the mother's surname
    assert checked_name("Phạm Đinh Hà") == ("Phạm Đinh Hà", 1.0)  # ... not Đình
    assert checked_name("Nguyễn Tài Hà") == ("Nguyễn Tài Hà", 1.0)  # three words
    assert checked_name("Lê Ngọc Bảo Anh") == ("Lê Ngọc Bảo Anh", 1.0)  # a common middle


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Trần Minh Đũng", "Trần Minh Dũng"),  # of Dung and Dũng, the one with its tone
        ("Phan Minh Tuần", "Phan Minh Tuấn"),  # of Tuân and Tuấn, the common given name
        ("Bùi Công Tiền", "Bùi Công Tiến"),
        ("Phan Đình Ấn", "Phan Đình An"),
    ],
)
def test_a_given_name_several_share_the_letters_of_is_the_likeliest_and_doubted(
    read: str, meant: str
) -> None:
    assert checked_name(read) == (meant, UNKNOWN_SYLLABLE)


def test_a_given_name_as_read_is_not_second_guessed() -> None:
    assert checked_name("Nguyễn Văn Tuân") == ("Nguyễn Văn Tuân", 1.0)
    assert checked_name("Lê Thị Yên") == ("Lê Thị Yên", 1.0)


def test_a_name_syllable_read_in_small_letters_is_capitalised() -> None:
    """Every syllable of a name has its capital: "thị" was OCR's slip of case."""
    assert checked_name("Nguyễn thị Thanh Trang") == ("Nguyễn Thị Thanh Trang", 1.0)


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("Tạ Tran Thị Thanh Nhung", "Trần Thị Thanh Nhung"),  # 4848 c0166: the seal's "Tạ"
        ("Đỗ TH Tí Thu Trang", "Đỗ Thị Thu Trang"),  # 7272 c0168: "Tí", no name's word
        ("Dương Công Công Sỹ", "Dương Công Sỹ"),  # a word read twice
    ],
)
def test_what_the_seal_added_to_a_name_is_dropped_and_doubted(read: str, meant: str) -> None:
    name, factor = checked_name(read)
    assert name == meant
    assert factor <= UNKNOWN_SYLLABLE


@pytest.mark.parametrize(
    "name",
    [
        "Tạ Minh Tuấn",  # a short surname alone is a surname
        "Lê Hồ Minh Anh",  # two surnames, both read with their marks
        "Tôn Nữ Thị Minh Anh",  # a name of five, every word a name's
    ],
)
def test_names_with_no_speck_keep_every_word(name: str) -> None:
    assert checked_name(name)[0] == name
