"""Reports from a real register, on SQLite and PostgreSQL, through the command line: the
period report's workbook and chart, the printed register checked page by page with
pdfplumber, and the weekly export of both books."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo

import openpyxl
import pdfplumber
import pytest
from PIL import Image
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from daemon.cli import main
from daemon.ocr.model import Fields
from daemon.register import follow, migrate
from daemon.register.db import make_engine, session_factory
from daemon.register.export import headings, type_and_subject
from daemon.register.models import NEEDS_REVIEW, REGISTERED, Entry
from daemon.register.queries import EntryRow
from daemon.register.registry import register_document
from daemon.reports.printed import REVIEW_MARK
from daemon.reports.weekly import export_week

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
A4_LONG, A4_SHORT = 841.89, 595.28  # points


@dataclass
class Office:
    """A vanthu install (`vanthu init`) whose register is on the test's database."""

    root: Path
    engine: Engine

    @property
    def config(self) -> str:
        return str(self.root / "vanthu.toml")

    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    def vanthu(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--config", self.config])
        out, err = capsys.readouterr()
        return code, out, err


@pytest.fixture
def office(db_url: str, tmp_path: Path) -> Iterator[Office]:
    root = tmp_path / "office"
    assert main(["init", str(root)]) == 0
    config = root / "vanthu.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('url = "sqlite:///var/vanthu.db"', f'url = "{db_url}"'), encoding="utf-8"
    )
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    yield Office(root, engine)
    engine.dispose()


def at(y: int, m: int, d: int, h: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=HCM)


def file_in(
    session: Session,
    key: str,
    received: dt.datetime,
    *,
    book: str = "den",
    doc_type: str = "Công văn",
    subject: str = "V/v báo cáo tình hình thu ngân sách",
    issuer: str = "Ủy ban nhân dân tỉnh Khánh Hòa",
    due: dt.date | None = None,
    status: str = REGISTERED,
    secrecy: str | None = None,
) -> Entry:
    fields = Fields(
        number=f"{len(key) + 10}/{key}",
        date=received.date() - dt.timedelta(days=2),
        doc_type=doc_type,
        subject=subject,
        issuer=issuer,
        secrecy=secrecy,
        signer="Nguyễn Thị Hồng Nhung",
    )
    return register_document(
        session,
        sha256=hashlib.sha256(key.encode()).hexdigest(),
        original_name=f"{key}.pdf",
        media_type="application/pdf",
        size=1000,
        pages=2,
        source="folder",
        provenance={},
        text="",
        text_source="text-layer",
        fields=fields,
        status=status,
        book=book,
        received_at=received,
        due_date=due,
        tz=TZ,
    )


# --- the period report -----------------------------------------------------------------------


def march_register(office: Office) -> None:
    """Six incoming documents in March 2026 with every outcome, two outgoing, and one
    incoming on each side of the month's bounds (local midnight)."""
    nv, tc = "Phòng Nội vụ", "Phòng Tài chính – Kế hoạch"
    with office.sessions()() as s, s.begin():
        file_in(s, "feb", at(2026, 2, 28, 23, 50))  # 16:50 UTC on 28/2: February
        on_time = file_in(s, "a", at(2026, 3, 2), due=dt.date(2026, 3, 9))
        late = file_in(s, "b", at(2026, 3, 3), due=dt.date(2026, 3, 10), doc_type="Quyết định")
        overdue = file_in(s, "c", at(2026, 3, 16), due=dt.date(2026, 3, 23), issuer="Sở Nội vụ")
        file_in(s, "d", at(2026, 3, 31, 22), due=dt.date(2026, 4, 7), status=NEEDS_REVIEW)
        file_in(s, "e", at(2026, 3, 20))  # no deadline, open
        no_due_closed = file_in(s, "f", at(2026, 3, 5))
        file_in(s, "apr", at(2026, 4, 1, 0, 30))  # 17:30 UTC on 31/3: April
        file_in(s, "out1", at(2026, 3, 4, 15), book="di", doc_type="Tờ trình")
        file_in(s, "out2", at(2026, 3, 25, 15), book="di")
        follow.assign(s, on_time, unit=nv, at=at(2026, 3, 2, 10))
        follow.assign(s, late, unit=nv, at=at(2026, 3, 3, 10))
        follow.assign(s, overdue, unit=tc, at=at(2026, 3, 16, 10))
        follow.close(s, on_time, note="Đã trả lời", at=at(2026, 3, 9, 16))
        follow.close(s, late, at=at(2026, 3, 12, 8))
        follow.close(s, no_due_closed, at=at(2026, 3, 6))
        follow.close(s, overdue, at=at(2026, 4, 3))  # after the month: open in March's report


def sheet_rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]


def test_the_month_report_counts_every_outcome_into_a_workbook_and_a_chart(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    march_register(office)
    code, out, err = office.vanthu(
        capsys, "report", "--period", "month", "2026-03-15", "--json", "--agency", "UBND huyện"
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["received"], data["sent"]) == (6, 2)
    assert (data["on_time"], data["late"]) == (2, 1)
    assert (data["open_not_due"], data["open_overdue"], data["open_no_deadline"]) == (1, 1, 1)
    workbook = office.root / "exports" / "bao-cao-2026-03.xlsx"
    assert Path(data["workbook"]) == workbook

    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo tuần",
        "Theo loại văn bản",
        "Theo cơ quan ban hành",
        "Theo đơn vị nhận",
    ]
    summary = dict((r[0], r[1]) for r in sheet_rows(book["Tổng hợp"]))
    assert book["Tổng hợp"]["A1"].value == "BÁO CÁO TÌNH HÌNH VĂN BẢN THÁNG 3/2026 – UBND huyện"
    assert summary["Kỳ báo cáo"] == "tháng 3/2026 (01/03/2026 – 31/03/2026)"
    assert summary["Số liệu tính đến"] == "00:00 ngày 01/04/2026"
    assert summary["Văn bản đến (sổ đến)"] == 6 and summary["Văn bản đi (sổ đi)"] == 2
    assert summary["Văn bản đến đã giải quyết"] == 3
    assert summary["   trong đó: đã quá hạn"] == 1
    assert summary["Tỷ lệ giải quyết đúng hạn"] == "66,7%"

    units = book["Theo đơn vị nhận"]
    assert [c.value for c in units[2]][:4] == [
        "Đơn vị nhận",
        "Văn bản đến",
        "Văn bản đi",
        "Đã giải quyết đúng hạn",
    ]
    by_unit = {r[0]: r[1:8] for r in sheet_rows(units)}
    assert by_unit["Phòng Nội vụ"] == [2, 0, 1, 1, 0, 0, 0]
    assert by_unit["Phòng Tài chính – Kế hoạch"] == [1, 0, 0, 0, 0, 1, 0]
    assert by_unit["(chưa giao đơn vị)"] == [3, 2, 1, 0, 1, 0, 1]
    assert by_unit["Tổng cộng"] == [6, 2, 2, 1, 1, 1, 1]
    by_type = {r[0]: r[1:3] for r in sheet_rows(book["Theo loại văn bản"])}
    assert by_type == {"Công văn": [5, 1], "Quyết định": [1, 0], "Tờ trình": [0, 1],
                       "Tổng cộng": [6, 2]}  # fmt: skip
    by_issuer = {r[0]: r[1] for r in sheet_rows(book["Theo cơ quan ban hành"])}
    assert by_issuer["Sở Nội vụ"] == 1
    weeks = {r[0]: r[1:3] for r in sheet_rows(book["Theo tuần"])}
    assert weeks["2–8/3"] == [3, 1] and weeks["30–31/3"] == [1, 0]

    chart = Path(data["chart"])
    assert chart == workbook.with_suffix(".png")
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.size == (1430, 715)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        assert len(colours) > 50  # bars, text and anti-aliasing: not a blank canvas


def test_a_quarter_report_goes_where_out_says_and_counts_by_month(
    office: Office, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    march_register(office)
    out = tmp_path / "quý 1.xlsx"
    code, _out, err = office.vanthu(capsys, "report", "--period", "quarter", "2026-02-01",
                                    "--out", str(out))  # fmt: skip
    assert code == 0, err
    months = {r[0]: r[1] for r in sheet_rows(openpyxl.load_workbook(out)["Theo tháng"])}
    assert months == {"1/2026": 0, "2/2026": 1, "3/2026": 6, "Tổng cộng": 7}
    assert out.with_suffix(".png").stat().st_size > 10_000


def test_a_month_without_documents_still_gives_a_workbook_and_a_chart(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = office.vanthu(capsys, "report", "--period", "month", "2026-02-10", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["received"] == data["sent"] == 0
    summary = dict(
        (r[0], r[1]) for r in sheet_rows(openpyxl.load_workbook(data["workbook"])["Tổng hợp"])
    )
    assert summary["Văn bản đến (sổ đến)"] == 0 and summary["Tỷ lệ giải quyết đúng hạn"] == "–"
    with Image.open(data["chart"]) as image:
        assert image.format == "PNG" and image.size == (1430, 715)


def test_a_bad_date_is_a_usage_error(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        office.vanthu(capsys, "report", "--period", "month", "31/03/2026")
    assert exit_.value.code == 2
    assert "not a date (YYYY-MM-DD)" in capsys.readouterr().err


# --- the printed register --------------------------------------------------------------------

SUBJECTS = (
    "Về việc triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về "
    "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên "
    "địa bàn huyện, giai đoạn 2026–2030, tầm nhìn đến năm 2045",
    "Ban hành Quy chế quản lý, sử dụng chữ ký số, chứng thư số chuyên dùng Chính phủ",
    "V/v đôn đốc báo cáo kết quả rà soát thủ tục hành chính thuộc thẩm quyền giải quyết của "
    "Ủy ban nhân dân cấp xã sau khi sắp xếp đơn vị hành chính",
    "Kế hoạch phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026",
)
ISSUERS = ("Ủy ban nhân dân tỉnh Khánh Hòa", "Sở Tài chính tỉnh Khánh Hòa", "Bộ Nội vụ")


def year_register(office: Office, count: int = 120) -> set[int]:
    """`count` incoming documents through 2026; every thirteenth needs review. Also one in
    2025 and one outgoing: neither belongs in the 2026 sổ đến."""
    review: set[int] = set()
    with office.sessions()() as s, s.begin():
        file_in(s, "old", at(2025, 12, 31, 16))
        file_in(s, "out", at(2026, 3, 1), book="di")
        for n in range(1, count + 1):
            status = NEEDS_REVIEW if n % 13 == 0 else REGISTERED
            entry = file_in(
                s,
                f"y{n}",
                at(2026, 1, 2, 8) + dt.timedelta(hours=70 * n),
                subject=SUBJECTS[n % len(SUBJECTS)],
                issuer=ISSUERS[n % len(ISSUERS)],
                doc_type=("Công văn", "Quyết định", "Kế hoạch")[n % 3],
                status=status,
            )
            assert entry.seq == n
            if status == NEEDS_REVIEW:
                review.add(n)
            if n % 4 == 0:
                follow.assign(s, entry, unit="Phòng Văn hóa và Thông tin", person="Trần Văn Bình")
    return review


class Row(NamedTuple):
    """What `type_and_subject` reads of an entry."""

    fields: Fields


def one_line(cell: str | None) -> str:
    """A wrapped cell read back as one line."""
    return " ".join((cell or "").split())


def embedded_fonts(pdf: Any) -> dict[str, bool]:
    """Each font of the document: whether its program is embedded (FontFile2 for TrueType)."""
    from pdfminer.pdftypes import resolve1

    found: dict[str, bool] = {}
    for page in pdf.pages:
        fonts = resolve1(resolve1(page.page_obj.resources).get("Font", {}))
        for ref in fonts.values():
            font = resolve1(ref)
            descendants = resolve1(font.get("DescendantFonts")) or [font]
            for inner in descendants:
                descriptor = resolve1(resolve1(inner).get("FontDescriptor")) or {}
                name = resolve1(font.get("BaseFont"))
                found[str(getattr(name, "name", name))] = "FontFile2" in descriptor
    return found


def test_the_printed_register_reads_like_the_paper_book(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    review = year_register(office)
    code, out, err = office.vanthu(
        capsys, "register", "print", "--book", "den", "--year", "2026", "--json",
        "--agency", "Ủy ban nhân dân huyện Khánh Sơn",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert (result["entries"], result["first"], result["last"]) == (120, 1, 120)
    path = office.root / "exports" / "so-den-2026.pdf"
    assert Path(result["file"]) == path

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        assert result["pages"] == pages > 3
        texts = [page.extract_text() or "" for page in pdf.pages]
        for page in pdf.pages:
            assert (page.width, page.height) == pytest.approx((A4_LONG, A4_SHORT), abs=1)
        fonts = embedded_fonts(pdf)
        assert fonts and all(fonts.values()), fonts
        assert all("DejaVuSans" in name for name in fonts)
        # the table of each page, read back cell by cell along its ruled lines
        tables = [page.extract_tables() for page in pdf.pages[1:]]

    cover, last = texts[0], texts[-1]
    assert "ỦY BAN NHÂN DÂN HUYỆN KHÁNH SƠN" in cover
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in cover and "Năm 2026" in cover
    assert "Từ số 1 đến số 120" in cover
    for i, text in enumerate(texts, start=1):
        assert f"Trang {i}/{pages}" in text
        if i > 1:
            assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2026" in text  # the running header
    rows: list[list[str]] = []
    for page_tables in tables:
        assert len(page_tables) == 1
        heading, numbered, *lines = page_tables[0]
        # the Phụ lục IV headings and their column numbers repeated on every page
        assert [one_line(h) for h in heading] == list(headings("den")[:10])
        assert numbered == [f"({n})" for n in range(1, 11)]
        rows += [[one_line(c) for c in line] for line in lines]
    # every số đến once, in order, and nothing from 2025 or from the sổ đi
    assert [int(r[1]) for r in rows] == list(range(1, 121))
    for n, row in enumerate(rows, start=1):
        subject = SUBJECTS[n % len(SUBJECTS)]
        doc_type = ("Công văn", "Quyết định", "Kế hoạch")[n % 3]
        # Vietnamese marks intact, long subjects whole across their wrapped lines
        printed = type_and_subject(cast(EntryRow, Row(Fields(doc_type=doc_type, subject=subject))))
        assert unicodedata.normalize("NFC", row[5]) == printed

        assert row[2] == ISSUERS[n % len(ISSUERS)]
        assert row[6] == ("Phòng Văn hóa và Thông tin" if n % 4 == 0 else "")
        assert (row[9] == REVIEW_MARK) == (n in review), row
    assert len(review) == 9
    assert "Sổ này có 120 văn bản, từ số 1 đến số 120." in last
    assert "NGƯỜI LẬP SỔ" in last and "THỦ TRƯỞNG CƠ QUAN" in last


def test_a_secret_document_in_the_register_stops_the_printing(
    office: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    with office.sessions()() as s, s.begin():
        file_in(s, "ok", at(2026, 5, 4))
        file_in(s, "secret", at(2026, 5, 5), secrecy="Tối mật")  # as if it had slipped in
    code, _out, err = office.vanthu(capsys, "register", "print", "--year", "2026")
    assert code == 1
    assert "den/2026/2 cannot be printed in the register: secret document" in err
    assert not (office.root / "exports" / "so-den-2026.pdf").exists()


def test_an_empty_outgoing_book_prints_with_its_closing_line(
    office: Office, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sổ đi.pdf"
    code, _out, err = office.vanthu(capsys, "register", "print", "--book", "di", "--year",
                                    "2027", "--out", str(out))  # fmt: skip
    assert code == 0, err
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        (heading, numbered), *_ = pdf.pages[1].extract_tables()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "Sổ này không có văn bản nào." in text
    assert [one_line(h) for h in heading] == list(headings("di")[:10])


# --- the weekly export -----------------------------------------------------------------------


def test_the_weekly_export_holds_both_books_of_one_iso_week_and_is_idempotent(
    office: Office,
) -> None:
    with office.sessions()() as s, s.begin():
        file_in(s, "sun-before", at(2026, 3, 8, 23, 59))  # Sunday: the week before
        file_in(s, "mon", at(2026, 3, 9, 0, 1))  # Monday 00:01 (Sunday 17:01 UTC)
        file_in(s, "fri", at(2026, 3, 13, 16), subject='=HYPERLINK("x")')
        file_in(s, "out", at(2026, 3, 11, 10), book="di")
        file_in(s, "next-mon", at(2026, 3, 16, 7))
    folder = office.root / "exports"
    with office.sessions()() as s:
        first = export_week(s, folder, dt.date(2026, 3, 12), tz=TZ)
    assert first.path == folder / "so-dang-ky-2026-W11.xlsx"
    assert first.entries == {"den": 2, "di": 1}

    def content(path: Path) -> dict[str, list[list[Any]]]:
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
        return {name: [list(r) for r in book[name].iter_rows(values_only=True)]
                for name in book.sheetnames}  # fmt: skip

    sheets = content(first.path)
    assert list(sheets) == ["Sổ đến", "Sổ đi"]
    assert tuple(sheets["Sổ đến"][1]) == headings("den")
    assert tuple(sheets["Sổ đi"][1]) == headings("di")
    assert "TUẦN 2026-W11 (09/03/2026 – 15/03/2026)" in sheets["Sổ đến"][0][0]
    received = [(r[0], r[1]) for r in sheets["Sổ đến"][2:]]
    assert received == [(dt.datetime(2026, 3, 9), 2), (dt.datetime(2026, 3, 13), 3)]
    assert len(sheets["Sổ đi"]) == 3

    with office.sessions()() as s:
        again = export_week(s, folder, dt.date(2026, 3, 15), tz=TZ)  # the Sunday: same week
    assert again.path == first.path
    assert sorted(p.name for p in folder.iterdir()) == ["so-dang-ky-2026-W11.xlsx"]
    assert content(again.path) == sheets
