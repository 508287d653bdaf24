"""Field extraction on the real documents in shared/seeds, laid out as ND30 pages and as plain text.

The seeds are markdown transcriptions of real decisions. Each is turned into a Reading twice:
with positions (left/right header columns, centred title, Nơi nhận bottom left and the
signature bottom right, pages of A4 height) and as plain text (every x0 = 0, file order),
and both must give the same fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from daemon.ocr.doctypes import DocTypes
from daemon.ocr.fields import extract_fields
from daemon.ocr.model import Fields, Line, Page, Reading

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"  # shared/ sits beside the checkout
TODAY = dt.date(2025, 6, 1)
PITCH = 0.022  # line pitch as a page fraction
TITLES = {"QUYẾT ĐỊNH", "QUY ĐỊNH"}


@pytest.fixture(scope="module")
def types() -> DocTypes:
    return DocTypes.load(ROOT / "rules" / "doc_types.toml")


def seed_text_lines(path: Path) -> list[str]:
    """The seed's markdown as printed lines: no **, *, # markers, no blank lines."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        text = re.sub(r"^#+\s*", "", raw.replace("**", "").replace("*", "")).strip()
        if text and text != "---":
            out.append(text)
    return out


class _Pager:
    """Hands out positions top to bottom, starting a new page when one is full."""

    def __init__(self) -> None:
        self.pages: list[list[Line]] = [[]]
        self.y = 0.06

    def need(self, rows: int) -> None:
        if self.y + rows * PITCH > 0.94:
            self.pages.append([])
            self.y = 0.06

    def put(self, text: str, x0: float, x1: float, y: float | None = None) -> None:
        top = self.y if y is None else y
        self.pages[-1].append(Line(text, x0, top, x1, top + PITCH * 0.7))
        if y is None:
            self.y += PITCH


def _width(text: str, size: float = 0.0085) -> float:
    return min(0.8, len(text) * size)


def _centred(text: str, centre: float) -> tuple[float, float]:
    half = _width(text) / 2
    return centre - half, centre + half


def _columns(pager: _Pager, left: list[str], right: list[str], left_centre: float) -> None:
    """Two blocks side by side from the current y; rows sorted top to bottom."""
    top = pager.y
    rows: list[tuple[float, int, str, float]] = []
    for n, text in enumerate(left):
        rows.append((top + n * PITCH, 0, text, left_centre))
    for n, text in enumerate(right):
        rows.append((top + n * PITCH, 1, text, 0.72))
    pager.need(max(len(left), len(right)))
    for y, _, text, centre in sorted(rows):
        x0, x1 = (0.12, 0.12 + _width(text)) if centre < 0 else _centred(text, centre)
        pager.put(text, x0, x1, y)
    pager.y = top + max(len(left), len(right)) * PITCH + PITCH


def _is_right_header(text: str) -> bool:
    return text.startswith(("CỘNG HÒA", "Độc lập")) or ", ngày " in text


def _closing_start(lines: list[str], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].startswith("Nơi nhận") or lines[i].endswith("./."):
            return i if lines[i].startswith("Nơi nhận") else i + 1
    return None


def _split_closing(lines: list[str], at: int) -> tuple[list[str], list[str], int]:
    """Lines of the closing as (bottom-left block, bottom-right block, index after it)."""
    left: list[str] = []
    right: list[str] = []
    i = at
    while i < len(lines):
        text = lines[i]
        i += 1
        if text.startswith(("Nơi nhận", "- ")) or text.islower():
            left.append(text)
            continue
        right.append(text)
        if not text.isupper() and not text.startswith("["):
            break  # the signer's name closes the block
    return left, right, i


def _title_block(lines: list[str], title: int) -> set[int]:
    """Indexes of the centred lines: type title, trích yếu, and the authority line under it."""
    block = {title}
    for i in range(title + 1, min(title + 6, len(lines))):
        if lines[i].startswith(("Căn cứ", "(")):
            break
        block.add(i)
        if lines[i].isupper() and not lines[title + 1].isupper():
            break  # the authority line ends the block
    return block


def positioned_reading(path: Path) -> Reading:
    lines = seed_text_lines(path)
    title = next((i for i, t in enumerate(lines) if t in TITLES), 0)
    pager = _Pager()
    header = lines[:title]
    _columns(
        pager,
        [t for t in header if not _is_right_header(t)],
        [t for t in header if _is_right_header(t)],
        0.27,
    )
    closing = _closing_start(lines, title)
    centred = _title_block(lines, title)
    i = title
    while i < len(lines):
        text = lines[i]
        if i == closing:
            left, right, i = _split_closing(lines, i)
            _columns(pager, left, right, -1.0)
            continue
        pager.need(1)
        x0, x1 = _centred(text, 0.55) if i in centred else (0.12, 0.12 + _width(text))
        pager.put(text, x0, x1)
        i += 1
    return Reading("application/pdf", tuple(Page(tuple(p), "text-layer") for p in pager.pages))


def plain_reading(path: Path) -> Reading:
    lines = seed_text_lines(path)
    page = tuple(Line(t, 0.0, n / len(lines), 0.0, n / len(lines)) for n, t in enumerate(lines))
    return Reading("application/pdf", (Page(page, "text-layer"),))


EXPECTED: dict[str, dict[str, object]] = {
    "000": {
        # Printed "68/6/QĐ-UBND" (the appendix cites 684/QĐ-UBND): what is printed is reported.
        "number": "68/6/QĐ-UBND",
        "date": dt.date(2016, 11, 4),
        "place": "Khánh Sơn",
        "doc_type": "Quyết định",
        "subject": "Ban hành Quy chế Quản lý và sử dụng Phần mềm E-office của UBND huyện Khánh Sơn",
        "issuer": "ỦY BAN NHÂN DÂN HUYỆN KHÁNH SƠN",
        "parent_issuer": None,
        "urgency": None,
        "secrecy": None,
        "recipients": (
            "Như Điều 3",
            "TT. HĐND, UBND huyện",
            "TT. UBNDTTQVN, các đoàn thể huyện",
            "Lưu: VT",
        ),
        "signer": "Bo Bo Thị Yến",
    },
    "001": {
        # Only the regulation issued by a decision: no header, no number of its own (the
        # decision it cites is another type), signed by the director at its end.
        "number": None,
        "date": None,
        "place": None,
        "doc_type": "Quy định",
        "subject": "QUẢN LÝ VÀ SỬ DỤNG PHẦN MỀM VĂN PHÒNG ĐIỆN TỬ E-OFFICE",
        "issuer": None,
        "parent_issuer": None,
        "urgency": None,
        "secrecy": None,
        "recipients": (),
        "signer": "Châu Ngô Anh Nhân",
    },
    "002": {
        # Printed "10/2014/UBND" without QĐ (the regulation cites 10/2014/QĐ-UBND).
        "number": "10/2014/UBND",
        "date": dt.date(2014, 8, 28),
        "place": "Hiệp Hòa",
        "doc_type": "Quyết định",
        "subject": "Ban hành Quy chế quản lý, sử dụng hệ thống phần mềm quản lý văn bản và "
        "điều hành công việc qua mạng tại UBND huyện Hiệp Hòa",
        "issuer": "ỦY BAN NHÂN DÂN HUYỆN HIỆP HÒA",
        "parent_issuer": None,
        "urgency": None,
        "secrecy": None,
        "recipients": (),
        "signer": "Nguyễn Thị Hoa",
    },
    "003": {
        "number": "2317/QĐ-UBND",
        "date": dt.date(2019, 6, 6),
        "place": "Tây Sơn",
        "doc_type": "Quyết định",
        "subject": "Ban hành Quy chế quản lý và sử dụng Hệ thống Văn phòng điện tử liên thông "
        "trong các cơ quan hành chính nhà nước trên địa bàn huyện Tây Sơn",
        "issuer": "ỦY BAN NHÂN DÂN HUYỆN TÂY SƠN",
        "parent_issuer": None,
        "urgency": None,
        "secrecy": None,
        "recipients": ("Như Điều 2", "Lưu: VT"),
        "signer": "Đỗ Văn Sy",  # the regulation's end prints "Sỹ": the decision's block wins
    },
    "004": {
        # The header is missing from the transcription; the appendix line "(Ban hành kèm
        # theo Quyết định số: 935/QĐ-UBND ngày 28/02/2018)" names this decision, so it is
        # offered with a low confidence for the clerk to confirm.
        "number": "935/QĐ-UBND",
        "date": dt.date(2018, 2, 28),
        "place": None,
        "doc_type": "Quyết định",
        "subject": "Về việc ban hành Quy chế quản lý, vận hành và khai thác sử dụng các phần "
        "mềm: Quản lý văn bản & Hồ sơ công việc, Theo dõi nhiệm vụ và Thư điện tử công vụ "
        "tại thị xã Bỉm Sơn",
        "issuer": None,
        "parent_issuer": None,
        "urgency": None,
        "secrecy": None,
        "recipients": (
            "Chủ tịch, các PCT UBND Thị xã (B/c)",
            "Trưởng các phòng, ban UBND Thị xã (T/h)",
            "UBND các xã phường (T/h)",
            "Lưu: VT",
        ),
        "signer": "Bùi Huy Hùng",
    },
}


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _values(fields: Fields) -> dict[str, object]:
    return {name: getattr(fields, name) for name in EXPECTED["000"]}


pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not present")


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
@pytest.mark.parametrize("build", [positioned_reading, plain_reading], ids=["layout", "plain"])
def test_seed_fields(prefix: str, build: Callable[[Path], Reading], types: DocTypes) -> None:
    fields = extract_fields(build(_seed(prefix)), types, today=TODAY)
    assert _values(fields) == EXPECTED[prefix]


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_seed_confidence_is_high_where_the_header_checks_out(prefix: str, types: DocTypes) -> None:
    fields = extract_fields(positioned_reading(_seed(prefix)), types, today=TODAY)
    for name in ("number", "date", "doc_type", "subject", "issuer", "signer"):
        assert fields.confidence[name] >= 0.9, name


def test_seed_number_without_type_abbreviation_is_less_sure(types: DocTypes) -> None:
    """002 prints 10/2014/UBND for a Quyết định: the ký hiệu does not confirm the type."""
    fields = extract_fields(positioned_reading(_seed("002")), types, today=TODAY)
    assert 0.5 <= fields.confidence["number"] < 0.9


def test_seed_number_from_appendix_reference_needs_review(types: DocTypes) -> None:
    fields = extract_fields(plain_reading(_seed("004")), types, today=TODAY)
    assert fields.confidence["number"] < 0.5
    assert fields.confidence["date"] < 0.5
    assert fields.confidence["issuer"] == 0.0


def test_seed_body_citations_are_not_the_number(types: DocTypes) -> None:
    """Every seed cites "Căn cứ ... số 64/2007/NĐ-CP ngày ..." in its body: never reported."""
    for prefix in EXPECTED:
        fields = extract_fields(plain_reading(_seed(prefix)), types, today=TODAY)
        assert fields.number is None or "NĐ-CP" not in fields.number
