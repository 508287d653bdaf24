"""Recipients of an outgoing document: "Nơi nhận" lines and "Kính gửi" addressees matched to the
office's directory (rules/agencies.toml), on blocks written here, on the real blocks of
shared/seeds (as printed and as OCR misreads them), and never confusing near-identical names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from daemon.dispatch.recipients import Agency, Directory, Group, Resolution, resolve
from daemon.rules import RulesError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"  # shared/ sits beside the checkout

# A fictional district office (example.gov.vn is reserved for examples).
KHANH_SON = """
[[agency]]
name = "UBND tỉnh Khánh Hòa"
aliases = ["Ủy ban nhân dân tỉnh"]
email = "ubnd@example.gov.vn"
[[agency]]
name = "Sở Tài chính"
email = "stc@example.gov.vn"
[[agency]]
name = "Sở Tư pháp"
email = "stp@example.gov.vn"
[[agency]]
name = "Sở Nội vụ"
eoffice = true
[[agency]]
name = "HĐND huyện"
aliases = ["Thường trực HĐND huyện"]
eoffice = true
[[agency]]
name = "UBND huyện"
eoffice = true
[[agency]]
name = "Văn phòng HĐND và UBND huyện"
eoffice = true
[[agency]]
name = "Ủy ban MTTQ Việt Nam huyện"
aliases = ["UBMTTQ huyện", "MTTQ huyện"]
email = "mttq@example.gov.vn"
code = "000.00.00.H00"
[[agency]]
name = "Huyện đoàn"
email = "huyendoan@example.gov.vn"
[[agency]]
name = "Phòng Tài chính - Kế hoạch"
eoffice = true
[[agency]]
name = "Công an huyện"
email = "congan@example.gov.vn"
[[agency]]
name = "UBND xã Sơn Bình"
email = "sonbinh@example.gov.vn"
[[agency]]
name = "UBND xã Sơn Hiệp"
email = "sonhiep@example.gov.vn"
[[agency]]
name = "UBND thị trấn Tô Hạp"
eoffice = true
[[group]]
name = "UBND các xã, thị trấn"
aliases = ["UBND các xã, thị trấn trên địa bàn huyện"]
members = ["UBND xã Sơn Bình", "UBND xã Sơn Hiệp", "UBND thị trấn Tô Hạp"]
[[group]]
name = "Các đoàn thể huyện"
members = ["UBMTTQ huyện", "Huyện đoàn"]
[[group]]
name = "Các phòng, ban, ngành huyện"
members = ["Phòng Tài chính - Kế hoạch", "Công an huyện"]
"""


def directory(text: str, tmp_path: Path) -> Directory:
    path = tmp_path / "agencies.toml"
    path.write_text(text, encoding="utf-8")
    return Directory.load(path)


@pytest.fixture
def office(tmp_path: Path) -> Directory:
    return directory(KHANH_SON, tmp_path)


def names(resolution: Resolution) -> list[str]:
    return [r.agency.name for r in resolution.recipients]


def found(office: Directory, text: str) -> str | None:
    entry = office.find(text)
    return entry.name if entry is not None else None


# --- the directory file -------------------------------------------------------------------


def test_a_missing_file_is_an_empty_directory(tmp_path: Path) -> None:
    empty = Directory.load(tmp_path / "agencies.toml")
    assert (empty.agencies, empty.groups) == ((), ())
    assert resolve(["Sở Tài chính"], [], "", empty).unmatched == ("Sở Tài chính",)


def test_the_shipped_file_loads_and_its_commented_example_is_valid(tmp_path: Path) -> None:
    shipped = ROOT / "rules" / "agencies.toml"
    assert Directory.load(shipped).agencies == ()  # everything in it is commented out
    keys = r"(\[\[|name|aliases|email|code|eoffice|members)"
    example = re.sub(rf"(?m)^# {keys}", r"\1", shipped.read_text(encoding="utf-8"))
    loaded = directory(example, tmp_path)
    assert len(loaded.agencies) >= 10 and loaded.groups
    assert all(a.email or a.eoffice for a in loaded.agencies)


def test_entries_are_read_with_their_fields(office: Directory) -> None:
    mttq = office.find("Ủy ban MTTQ Việt Nam huyện")
    assert mttq == Agency(
        "Ủy ban MTTQ Việt Nam huyện",
        ("UBMTTQ huyện", "MTTQ huyện"),
        "mttq@example.gov.vn",
        "000.00.00.H00",
        False,
    )
    group = office.find("UBND các xã, thị trấn")
    assert isinstance(group, Group) and len(group.members) == 3


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[[agency]]\nname = 'Sở Y tế'\n", "[[agency]] #1 (Sở Y tế): email: required"),
        ("[[agency]]\nname = 'Sở Y tế'\neoffice = false\n", "#1 (Sở Y tế): email: required"),
        ("[[agency]]\nname = 'Sở Y tế'\nemail = 'syt.gov.vn'\n", "(Sở Y tế): email: 'syt.gov.vn'"),
        ("[[agency]]\nname = 'Sở Y tế'\neoffice = 'yes'\n", "(Sở Y tế)"),
        (
            "[[agency]]\nname = 'Sở Y tế'\neoffice = true\nmail = 'a@b.vn'\n",
            "#1 (Sở Y tế): mail: unknown key",
        ),
        ("[[agency]]\nemail = 'a@b.vn'\n", "[[agency]] #1: name: required"),
        (
            "[[agency]]\nname = 'A'\naliases = 'B'\neoffice = true\n",
            "#1 (A): aliases: must be a list",
        ),
        ("[agency]\nname = 'A'\n", "agency: must be an array of tables"),
        ("[[agencies]]\nname = 'A'\n", "agencies: unknown key"),
        ("[[agency]]\nname = 'UBND xã A'\neoffice = true\n[[group]]\nname = 'G'\n", "members"),
        (
            "[[agency]]\nname = 'UBND xã A'\neoffice = true\n"
            "[[group]]\nname = 'Các xã'\nmembers = ['UBND xã A', 'UBND xã B']\n",
            "group 'Các xã': member 'UBND xã B' names no agency",
        ),
        (
            "[[agency]]\nname = 'UBND huyện'\neoffice = true\n"
            "[[agency]]\nname = 'Ủy ban nhân dân huyện'\neoffice = true\n",
            "'Ủy ban nhân dân huyện' also names 'UBND huyện'",
        ),
        ("[[agency]\nname = 'A'\n", "cannot be read"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, text: str, where: str
) -> None:
    with pytest.raises(RulesError) as caught:
        directory(text, tmp_path)
    assert str(tmp_path / "agencies.toml") in str(caught.value)
    assert where in str(caught.value)


# --- one name -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Ủy ban nhân dân huyện", "UBND huyện"),  # abbreviations both ways
        ("UBND xã Sơn Bình", "UBND xã Sơn Bình"),
        ("Hội đồng nhân dân huyện", "HĐND huyện"),
        ("TT. HĐND huyện", "HĐND huyện"),  # an alias, Thường trực spelled short
        ("Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "Ủy ban MTTQ Việt Nam huyện"),
        ("UBMTTQVN huyện", "Ủy ban MTTQ Việt Nam huyện"),
        ("Mặt trận Tổ quốc huyện", "Ủy ban MTTQ Việt Nam huyện"),
        ("VP HĐND-UBND huyện", "Văn phòng HĐND và UBND huyện"),
        ("Văn phòng HĐND & UBND huyện", "Văn phòng HĐND và UBND huyện"),
        ("UBND TT. Tô Hạp", "UBND thị trấn Tô Hạp"),
        ("UBND tỉnh Khánh Hoà", "UBND tỉnh Khánh Hòa"),  # old tone placement
        ("UBND tinh Khanh Hoa", "UBND tỉnh Khánh Hòa"),  # no diacritics at all
        ("- Sở Tài chính (để b/c);", "Sở Tài chính"),  # dash, note, punctuation
        ("Sở Tư pháp (t/h).", "Sở Tư pháp"),
        ("Công an huyện (để biết)", "Công an huyện"),
        ("Sở Nội vụ (thực hiện);", "Sở Nội vụ"),
        ("Phòng Tài chính-Kế hoạch", "Phòng Tài chính - Kế hoạch"),
        ("Chủ tịch, các PCT UBND huyện", "UBND huyện"),  # people: their agency
        ("Giám đốc Sở Tài chính", "Sở Tài chính"),
        ("Chủ tịch UBND các xã, thị trấn", "UBND các xã, thị trấn"),
        ("UBND các xã, thị trấn trên địa bàn huyện", "UBND các xã, thị trấn"),  # a group alias
    ],
)
def test_a_name_is_found_however_it_is_written(office: Directory, text: str, agency: str) -> None:
    assert found(office, text) == agency


@pytest.mark.parametrize(
    ("read", "agency"),
    [
        ("UBNĐ xã Sơn Bình", "UBND xã Sơn Bình"),
        ("UBNO xã Sơn Hiệp", "UBND xã Sơn Hiệp"),
        ("Sớ Tài chính", "Sở Tài chính"),
        ("Số Tư pháp", "Sở Tư pháp"),
        ("UBND xã Sơn Bính", "UBND xã Sơn Bình"),  # a wrong tone
        ("UBND xà Sơn Hiêp", "UBND xã Sơn Hiệp"),
        ("Sở Tài chỉnh", "Sở Tài chính"),
        ("Cống an huyện", "Công an huyện"),
        ("Huyên đoàn", "Huyện đoàn"),
        ("Sở Tư phá p", "Sở Tư pháp"),  # a space OCR put in a word
        ("Phòng Tài chính - Kế hoach", "Phòng Tài chính - Kế hoạch"),
        ("UBND thi trấn Tô Hap", "UBND thị trấn Tô Hạp"),
        ("UBND xã Son Blnh", "UBND xã Sơn Bình"),  # i read as l
    ],
)
def test_ocr_misreadings_still_name_the_agency(office: Directory, read: str, agency: str) -> None:
    assert found(office, read) == agency


@pytest.mark.parametrize(
    "text",
    [
        "UBND xã Sơn Lâm",  # another commune of the district, not in the directory
        "UBND xã Sơn",
        "UBND xã Sơn Bình Hiệp",
        "Sở Tài chính Tư pháp",
        "Sở Y tế",
        "UBND huyện Khánh Vĩnh",  # another district's UBND is not "UBND huyện"
        "Thủ trưởng các cơ quan, đơn vị",
        "Trường THCS Sơn Bình",  # a school of the commune, not its UBND
    ],
)
def test_a_name_not_in_the_directory_is_not_guessed(office: Directory, text: str) -> None:
    assert office.find(text) is None


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("UBND xã Sơn Bình", "UBND xã Sơn Bình"),
        ("UBND xã Sơn Hiệp", "UBND xã Sơn Hiệp"),
        ("UBNĐ xã Sơn Binh", "UBND xã Sơn Bình"),
        ("UBND xa Son Hiep", "UBND xã Sơn Hiệp"),
        ("UBND xã Sơn Bìnhiệp", None),
        ("UBND xã Sơn Hình", None),
        ("Sở Tài chính", "Sở Tài chính"),
        ("Sở Tư pháp", "Sở Tư pháp"),
        ("Sớ Tư phap", "Sở Tư pháp"),
        ("Sở Tài pháp", None),
        ("Sở Tư chính", None),
    ],
)
def test_near_identical_names_are_never_confused(
    office: Directory, text: str, agency: str | None
) -> None:
    assert found(office, text) == agency
    resolution = resolve([f"- {text};"], [], "", office)
    assert names(resolution) == ([agency] if agency else [])
    assert resolution.unmatched == (() if agency else (f"- {text};",))


def test_names_differing_only_in_diacritics_need_them(tmp_path: Path) -> None:
    """Khánh Hòa has a Cam Thành Bắc and a Cam Thanh: without the marks, the clerk decides."""
    communes = directory(
        "[[agency]]\nname = 'UBND xã Cam Thành'\neoffice = true\n"
        "[[agency]]\nname = 'UBND xã Cam Thanh'\neoffice = true\n",
        tmp_path,
    )
    assert found(communes, "UBND xã Cam Thành") == "UBND xã Cam Thành"
    assert found(communes, "UBND xã Cam Thanh") == "UBND xã Cam Thanh"
    assert communes.find("UBND xa Cam Thanh") is None


# --- whole blocks ---------------------------------------------------------------------------

BODY = """QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế văn thư.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng HĐND và UBND huyện, Thủ trưởng các cơ quan, đơn vị thuộc UBND
huyện, Chủ tịch UBND các xã, thị trấn chịu trách nhiệm thi hành Quyết định này./.
QUY CHẾ
Điều 3. Trách nhiệm của Sở Tư pháp và Công an huyện
"""


def test_a_decision_as_article_3_and_the_office_copy(office: Directory) -> None:
    resolution = resolve(["Như Điều 3", "TT. HĐND, UBND huyện", "Lưu: VT, VP"], [], BODY, office)
    assert names(resolution) == [
        "Văn phòng HĐND và UBND huyện",
        "UBND xã Sơn Bình",
        "UBND xã Sơn Hiệp",
        "UBND thị trấn Tô Hạp",
        "HĐND huyện",
        "UBND huyện",
    ]
    assert resolution.recipients[0].line == "Như Điều 3"
    assert resolution.own_copy == ("Lưu: VT, VP",)
    # The article also names the units of the UBND, which the directory cannot list.
    assert resolution.unmatched == ("Như Điều 3: Thủ trưởng các cơ quan, đơn vị thuộc UBND huyện",)


def test_an_article_ending_with_everyone_concerned(office: Directory) -> None:
    body = (
        "Điều 3. Chánh văn phòng HĐND-UBND huyện, Giám đốc Sở Tài chính; Chủ tịch UBND các xã,"
        "\nthị trấn và các cơ quan, đơn vị, cá nhân có liên quan căn cứ Quyết định thi hành./."
    )
    resolution = resolve(["- Như Điều 3;"], [], body, office)
    assert names(resolution) == [
        "Văn phòng HĐND và UBND huyện",
        "Sở Tài chính",
        "UBND xã Sơn Bình",
        "UBND xã Sơn Hiệp",
        "UBND thị trấn Tô Hạp",
    ]
    assert resolution.unmatched == ()  # "everyone concerned" names no one to send to


def test_an_article_of_the_appended_regulation_is_not_the_decisions(office: Directory) -> None:
    body = BODY.replace("Điều 3. Chánh", "Chánh")  # the decision has two articles only
    assert resolve(["Như Điều 3"], [], body, office).unmatched == ("Như Điều 3",)


def test_an_article_the_body_lacks_is_reported(office: Directory) -> None:
    resolution = resolve(["Như Điều 5", "Lưu: VT"], [], BODY, office)
    assert (resolution.recipients, resolution.unmatched) == ((), ("Như Điều 5",))


def test_as_above_means_the_kinh_gui_addressees(office: Directory) -> None:
    resolution = resolve(
        ["Như trên;", "Sở Nội vụ (b/c);", "Lưu: VT, TCKH."],
        ["UBND các xã, thị trấn", "Sở Tài chính"],
        "",
        office,
    )
    assert names(resolution) == [
        "UBND xã Sơn Bình",
        "UBND xã Sơn Hiệp",
        "UBND thị trấn Tô Hạp",
        "Sở Tài chính",
        "Sở Nội vụ",
    ]
    assert [r.line for r in resolution.recipients][3:] == ["Sở Tài chính", "Sở Nội vụ (b/c);"]
    assert resolution.own_copy == ("Lưu: VT, TCKH",)


def test_addressees_come_first_when_no_line_places_them(office: Directory) -> None:
    resolution = resolve(["Công an huyện", "Lưu: VT"], ["Sở Tư pháp"], "", office)
    assert names(resolution) == ["Sở Tư pháp", "Công an huyện"]


def test_as_above_without_addressees_is_reported(office: Directory) -> None:
    assert resolve(["Như trên", "Lưu: VT"], [], "", office).unmatched == ("Như trên",)


def test_each_agency_once_in_document_order(office: Directory) -> None:
    resolution = resolve(
        ["Như trên", "UBND xã Sơn Bình (b/c)", "Chủ tịch UBND các xã, thị trấn", "Lưu: VT"],
        ["UBND xã Sơn Hiệp"],
        "",
        office,
    )
    assert names(resolution) == ["UBND xã Sơn Hiệp", "UBND xã Sơn Bình", "UBND thị trấn Tô Hạp"]


def test_an_unknown_line_is_reported_verbatim_and_the_rest_still_sent(office: Directory) -> None:
    lines = [
        "- Sở Tài chính;",
        "- Báo Khánh Hòa (đăng tải);",
        "- TT. UBNDTTQVN, các đoàn thể huyện;",
    ]
    resolution = resolve(lines, [], "", office)
    assert names(resolution) == ["Sở Tài chính", "Ủy ban MTTQ Việt Nam huyện", "Huyện đoàn"]
    assert resolution.unmatched == (lines[1], lines[2])  # the second only in part


def test_a_shared_thuong_truc_and_locality_are_lent_to_the_parts(tmp_path: Path) -> None:
    standing = directory(
        "[[agency]]\nname = 'Thường trực HĐND huyện'\neoffice = true\n"
        "[[agency]]\nname = 'Thường trực UBND huyện'\neoffice = true\n"
        "[[agency]]\nname = 'Công an huyện'\neoffice = true\n",
        tmp_path,
    )
    resolution = resolve(
        ["TT. HĐND, UBND huyện", "Thường trực HĐND, Công an huyện"], [], "", standing
    )
    assert names(resolution) == [
        "Thường trực HĐND huyện",
        "Thường trực UBND huyện",
        "Công an huyện",
    ]
    assert resolution.unmatched == ()


def test_archive_lines_are_never_sent_even_as_ocr_reads_them(office: Directory) -> None:
    lines = ["Lưu: VT, VP", "Luu VT", "Lưu VT.", "Lưu: Văn thư", "Lưu hồ sơ", "Tưu: VF, KT"]
    resolution = resolve(lines, [], "", office)
    assert resolution.recipients == () and resolution.unmatched == ()
    assert len(resolution.own_copy) == len(lines)
    archives = resolve(["Lưu trữ lịch sử tỉnh"], [], "", office)  # an agency, not a file copy
    assert (archives.own_copy, archives.unmatched) == ((), ("Lưu trữ lịch sử tỉnh",))


def test_names_the_clerk_adds_are_matched_the_same_way(office: Directory) -> None:
    added = resolve(["Sở Tài chính"], [], "", office, extra=["Sở Tư pháp", "Báo Khánh Hòa"])
    assert names(added) == ["Sở Tài chính", "Sở Tư pháp"]
    assert added.unmatched == ("Báo Khánh Hòa",)
    only = resolve(
        ["Sở Tài chính", "Lưu: VT"],
        ["Sở Nội vụ"],
        "",
        office,
        extra=["Công an huyện"],
        replace=True,
    )
    assert names(only) == ["Công an huyện"]
    assert only.own_copy == ("Lưu: VT",)  # the office still files its copy


def test_e_office_agencies_are_recipients_marked_as_such(office: Directory) -> None:
    resolution = resolve(["Sở Nội vụ", "Sở Tài chính"], [], "", office)
    assert [(r.agency.eoffice, r.agency.email) for r in resolution.recipients] == [
        (True, None),
        (False, "stc@example.gov.vn"),
    ]


# --- the real blocks of shared/seeds --------------------------------------------------------

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seed documents at {SEEDS}")

# The offices the seeds come from, each with the directory it would keep (fictional addresses).
SEED_OFFICES = {
    "000": KHANH_SON,
    "003": """
[[agency]]
name = "Văn phòng HĐND và UBND huyện"
eoffice = true
[[agency]]
name = "Phòng Nội vụ"
eoffice = true
[[agency]]
name = "Phòng Tài chính - Kế hoạch"
eoffice = true
[[agency]]
name = "UBND xã Tây Xuân"
email = "tayxuan@example.gov.vn"
[[agency]]
name = "UBND thị trấn Phú Phong"
eoffice = true
[[group]]
name = "Các phòng, ban, ngành huyện"
members = ["Phòng Nội vụ", "Phòng Tài chính - Kế hoạch"]
[[group]]
name = "UBND các xã, thị trấn"
members = ["UBND xã Tây Xuân", "UBND thị trấn Phú Phong"]
""",
    "002": """
[[agency]]
name = "Văn phòng HĐND và UBND huyện"
eoffice = true
[[agency]]
name = "UBND xã Bắc Lý"
email = "bacly@example.gov.vn"
[[agency]]
name = "UBND thị trấn Thắng"
eoffice = true
[[group]]
name = "UBND các xã, thị trấn"
members = ["UBND xã Bắc Lý", "UBND thị trấn Thắng"]
""",
    "004": """
[[agency]]
name = "UBND thị xã Bỉm Sơn"
aliases = ["UBND thị xã"]
eoffice = true
[[agency]]
name = "Phòng Nội vụ thị xã"
eoffice = true
[[agency]]
name = "UBND phường Ba Đình"
email = "badinh@example.gov.vn"
[[agency]]
name = "UBND xã Quang Trung"
email = "quangtrung@example.gov.vn"
[[group]]
name = "Các phòng, ban UBND thị xã"
members = ["Phòng Nội vụ thị xã"]
[[group]]
name = "UBND các xã, phường"
members = ["UBND phường Ba Đình", "UBND xã Quang Trung"]
""",
}
# What each seed's Nơi nhận resolves to: (agencies, own copies, unmatched).
SEED_EXPECTED: dict[str, tuple[list[str], tuple[str, ...], tuple[str, ...]]] = {
    "000": (
        [
            "Văn phòng HĐND và UBND huyện",
            "UBND xã Sơn Bình",
            "UBND xã Sơn Hiệp",
            "UBND thị trấn Tô Hạp",
            "HĐND huyện",
            "UBND huyện",
            "Ủy ban MTTQ Việt Nam huyện",
            "Huyện đoàn",
        ],
        ("Lưu: VT",),
        (
            "Như Điều 3: Thủ trưởng các cơ quan, đơn vị thuộc UBND huyện",
            "- TT. UBNDTTQVN, các đoàn thể huyện;",  # the seed's own misprint of UBMTTQVN
        ),
    ),
    "003": (
        [
            "Văn phòng HĐND và UBND huyện",
            "Phòng Nội vụ",
            "Phòng Tài chính - Kế hoạch",
            "UBND xã Tây Xuân",
            "UBND thị trấn Phú Phong",
        ],
        ("Lưu: VT",),
        (),
    ),
    "004": (
        [
            "UBND thị xã Bỉm Sơn",
            "Phòng Nội vụ thị xã",
            "UBND phường Ba Đình",
            "UBND xã Quang Trung",
        ],
        ("Lưu: VT",),
        (),
    ),
}


def seed_text(prefix: str) -> str:
    [path] = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").replace("**", "")


def noi_nhan(text: str) -> list[str]:
    """The "- ..." lines under the first "Nơi nhận:" of a seed, as printed."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("Nơi nhận"))
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line.strip().startswith("-"):
            block.append(line.strip())
        elif block and line.strip():
            break
    return block


def ocr_slips(line: str) -> str:
    """How OCR misreads a line: UBND as UBNĐ, Sở as Sớ, tones shifted, some marks lost."""
    line = line.replace("UBND", "UBNĐ").replace("Sở", "Sớ").replace("Lưu", "Luu")
    line = line.replace("ệ", "ê").replace("ị", "i").replace("ò", "ó").replace("ả", "á")
    return unicodedata.normalize("NFC", line)


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_blocks_resolve(tmp_path: Path, prefix: str) -> None:
    text = seed_text(prefix)
    resolution = resolve(noi_nhan(text), [], text, directory(SEED_OFFICES[prefix], tmp_path))
    assert (names(resolution), resolution.own_copy, resolution.unmatched) == SEED_EXPECTED[prefix]


@needs_seeds
def test_a_seed_article_without_a_noi_nhan_block(tmp_path: Path) -> None:
    """Seed 002 prints no Nơi nhận; its Điều 3 is still a real list of agencies to read."""
    resolution = resolve(
        ["Như Điều 3"], [], seed_text("002"), directory(SEED_OFFICES["002"], tmp_path)
    )
    assert names(resolution) == [
        "Văn phòng HĐND và UBND huyện",
        "UBND xã Bắc Lý",
        "UBND thị trấn Thắng",
    ]
    assert resolution.unmatched == ("Như Điều 3: Thủ trưởng các cơ quan, đơn vị thuộc UBND huyện",)


@needs_seeds
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_blocks_resolve_the_same_through_ocr_slips(tmp_path: Path, prefix: str) -> None:
    text = seed_text(prefix)
    lines = [ocr_slips(line) for line in noi_nhan(text)]
    assert lines != noi_nhan(text)
    resolution = resolve(lines, [], ocr_slips(text), directory(SEED_OFFICES[prefix], tmp_path))
    agencies, own, unmatched = SEED_EXPECTED[prefix]
    assert names(resolution) == agencies
    assert len(resolution.own_copy) == len(own) and len(resolution.unmatched) == len(unmatched)


@needs_seeds
@pytest.mark.parametrize("positioned", [True, False], ids=["laid-out", "plain-text"])
@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_documents_read_then_resolved(tmp_path: Path, prefix: str, positioned: bool) -> None:
    """End to end: the fields read from the seed's page, its text as the body."""
    from daemon.ocr.doctypes import DocTypes
    from daemon.ocr.fields import extract_fields
    from tests.unit.test_fields_seeds import TODAY, plain_reading, positioned_reading

    [path] = SEEDS.glob(f"{prefix}_*.txt")
    reading = positioned_reading(path) if positioned else plain_reading(path)
    fields = extract_fields(reading, DocTypes.load(ROOT / "rules" / "doc_types.toml"), today=TODAY)
    office = directory(SEED_OFFICES[prefix], tmp_path)
    resolution = resolve(fields.recipients, fields.addressees, reading.text, office)
    assert names(resolution) == SEED_EXPECTED[prefix][0]
