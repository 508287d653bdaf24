"""Register exports: Phụ lục IV headings, CSV for Excel, xlsx layout (pure, no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from daemon.ocr.model import FIELD_NAMES, Fields
from daemon.register.export import export, headings, type_and_subject
from daemon.register.queries import EntryRow

DEN_HEADINGS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
    "Độ khẩn",
    "Độ mật",
    "Số trang",
    "Hạn giải quyết",
    "Trạng thái",
    "SHA-256",
)
DI_HEADINGS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)


def _row(**changes: Any) -> EntryRow:
    values: dict[str, Any] = {
        "book": "den",
        "year": 2026,
        "seq": 17,
        # 18:30 UTC on 1 January is 01:30 on 2 January in Hồ Chí Minh City.
        "received_at": dt.datetime(2026, 1, 1, 18, 30, tzinfo=dt.UTC),
        "sha256": "a" * 64,
        "source": "mail",
        "status": "needs_review",
        "original_name": "68-QD-UBND.pdf",
        "pages": 3,
        "media_type": "application/pdf",
        "text_source": "ocr",
        "number": "68/QĐ-UBND",
        "date": dt.date(2025, 12, 30),
        "doc_type": "Quyết định",
        "subject": "Ban hành Quy chế quản lý văn bản",
        "issuer": "Ủy ban nhân dân huyện Khánh Sơn",
        "urgency": "Hỏa tốc",
        "due_date": dt.date(2026, 1, 9),
        "recipients": ("Như trên", "Lưu: VT"),
        "signer": "Nguyễn Văn A",
    }
    values.update(changes)
    fields = {name: values.pop(name) for name in FIELD_NAMES if name in values}
    return EntryRow(**values, fields=Fields(**fields))


def test_headings_follow_phu_luc_iv_then_the_extras() -> None:
    assert headings("den") == DEN_HEADINGS
    assert headings("di")[: len(DI_HEADINGS)] == DI_HEADINGS
    with pytest.raises(ValueError, match="unknown register book"):
        headings("xyz")


def test_type_and_subject_reads_as_one_phrase() -> None:
    assert type_and_subject(_row()) == "Quyết định ban hành Quy chế quản lý văn bản"
    assert type_and_subject(_row(doc_type="Công văn", subject="V/v báo cáo")) == (
        "Công văn V/v báo cáo"
    )
    assert type_and_subject(_row(doc_type="Tờ trình", subject="UBND xin ý kiến")) == (
        "Tờ trình UBND xin ý kiến"
    )
    assert type_and_subject(_row(doc_type=None)) == "Ban hành Quy chế quản lý văn bản"
    assert type_and_subject(_row(subject=None)) == "Quyết định"


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_bom_headings_local_dates_and_values() -> None:
    out = io.BytesIO()
    assert export([_row()], "csv", out) == 1
    head, line = _csv_rows(out.getvalue())
    assert tuple(head) == DEN_HEADINGS
    cells = dict(zip(head, line, strict=True))
    assert cells["Ngày đến"] == "02/01/2026"  # local date, not the UTC one
    assert cells["Số đến"] == "17"
    assert cells["Số, ký hiệu"] == "68/QĐ-UBND"
    assert cells["Ngày tháng"] == "30/12/2025"
    assert cells["Tác giả"] == "Ủy ban nhân dân huyện Khánh Sơn"
    assert cells["Độ khẩn"] == "Hỏa tốc"
    assert cells["Hạn giải quyết"] == "09/01/2026"
    assert cells["Trạng thái"] == "Cần kiểm tra"
    assert cells["SHA-256"] == "a" * 64
    assert cells["Ngày chuyển"] == cells["Ký nhận"] == cells["Ghi chú"] == ""


def test_csv_defuses_formula_like_text() -> None:
    out = io.BytesIO()
    export([_row(issuer='=HYPERLINK("http://x")', number="+1", note="@SUM(A1)")], "csv", out)
    head, line = _csv_rows(out.getvalue())
    cells = dict(zip(head, line, strict=True))
    assert cells["Tác giả"] == '\'=HYPERLINK("http://x")'
    assert cells["Số, ký hiệu"] == "'+1"
    assert cells["Ghi chú"] == "'@SUM(A1)"


def test_outgoing_book_lists_recipients_and_signer() -> None:
    out = io.BytesIO()
    export([_row(book="di", received_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))], "csv", out)
    head, line = _csv_rows(out.getvalue())
    assert tuple(head[: len(DI_HEADINGS)]) == DI_HEADINGS
    cells = dict(zip(head, line, strict=True))
    assert cells["Nơi nhận văn bản"] == "Như trên; Lưu: VT"
    assert cells["Người ký"] == "Nguyễn Văn A"


def test_rows_of_two_books_are_refused() -> None:
    with pytest.raises(ValueError, match="one book"):
        export([_row(), _row(book="di")], "csv", io.BytesIO())
    with pytest.raises(ValueError, match="one book"):
        export([_row()], "csv", io.BytesIO(), book="di")


def test_empty_export_still_has_headings() -> None:
    out = io.BytesIO()
    assert export([], "csv", out, book="di") == 0
    assert tuple(_csv_rows(out.getvalue())[0][: len(DI_HEADINGS)]) == DI_HEADINGS


def test_xlsx_layout_types_and_formula_safety(tmp_path: Path) -> None:
    target = tmp_path / "so-den.xlsx"
    rows = [_row(), _row(seq=18, note="=1+1", due_date=None)]
    assert export(rows, "xlsx", target) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["so-den.xlsx"]  # no temp file left behind
    ws = openpyxl.load_workbook(target).active
    assert ws.title == "Sổ đến"
    assert ws["A1"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM 2026"
    assert ws["A1"].font.bold
    assert "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    assert tuple(c.value for c in ws[2]) == DEN_HEADINGS
    assert all(c.font.bold for c in ws[2])
    first = {h: c for h, c in zip(DEN_HEADINGS, ws[3], strict=True)}
    assert first["Ngày đến"].value == dt.datetime(2026, 1, 2)  # Excel dates come back as datetimes
    assert first["Ngày đến"].number_format == "DD/MM/YYYY"
    assert first["Số đến"].value == 17
    assert first["Tên loại và trích yếu nội dung"].alignment.wrap_text
    second = {h: c for h, c in zip(DEN_HEADINGS, ws[4], strict=True)}
    assert second["Ghi chú"].value == "=1+1"
    assert second["Ghi chú"].data_type == "s"  # text, not a formula
    assert second["Hạn giải quyết"].value is None
    assert ws.column_dimensions["F"].width >= 40
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"


def test_xlsx_to_a_stream_and_unknown_format() -> None:
    out = io.BytesIO()
    export([_row(book="di")], "xlsx", out, title="Sổ đi quý I")
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert ws["A1"].value == "Sổ đi quý I"
    assert ws["E3"].value == "Như trên\nLưu: VT"
    with pytest.raises(ValueError, match="csv or xlsx"):
        export([], "pdf", io.BytesIO())  # type: ignore[arg-type]
