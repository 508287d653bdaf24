"""Make the pictures under docs/ from a realistic generated register (fixed seed, fixed
clock: the same files every run).

    .venv/bin/python scripts/make_docs_pictures.py [OUT_DIR]   (default: docs/)

A district office's first quarter of 2026 is registered into a throwaway SQLite register:
incoming documents from the province, its departments and the ministries on working days,
with due dates of 5 working days (Khẩn: 2) on Vietnam's calendar, assigned to the district's
units, most closed in time, some late, some still open; outgoing documents beside them. Then:

    report-chart.png      the chart of `vanthu report --period month 2026-03-15`
    report-quarter.png    the chart of `vanthu report --period quarter 2026-03-15`
    register-print.png    the first page of entries of `vanthu register print --year 2026`
    register-cover.png    its cover
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import pypdfium2
from sqlalchemy.orm import Session

from daemon.ocr.model import Fields
from daemon.register import follow, migrate
from daemon.register.db import make_engine, session_factory
from daemon.register.models import NEEDS_REVIEW, REGISTERED
from daemon.register.registry import register_document
from daemon.reports.outputs import write_register_print, write_report
from daemon.reports.period import Kind
from daemon.rules import load_rules, shipped_rules_dir

TZ = "Asia/Ho_Chi_Minh"
HCM = ZoneInfo(TZ)
AGENCY = "Ủy ban nhân dân huyện Khánh Sơn"
NOW = dt.datetime(2026, 4, 1, 8, 0, tzinfo=HCM)  # the reports are made the morning after
SEED = 2026

ISSUERS: tuple[tuple[tuple[str, str], int], ...] = (
    (("Ủy ban nhân dân tỉnh Khánh Hòa", "UBND"), 6),
    (("Sở Nội vụ tỉnh Khánh Hòa", "SNV"), 3),
    (("Sở Tài chính tỉnh Khánh Hòa", "STC"), 3),
    (("Sở Tài nguyên và Môi trường tỉnh Khánh Hòa", "STNMT"), 2),
    (("Sở Giáo dục và Đào tạo tỉnh Khánh Hòa", "SGDĐT"), 2),
    (("Bảo hiểm xã hội tỉnh Khánh Hòa", "BHXH"), 1),
    (("Bộ Nội vụ", "BNV"), 1),
    (("Ủy ban nhân dân xã Sơn Lâm", "UBND"), 2),
)

T = TypeVar("T")


class DocType(NamedTuple):
    name: str  # tên loại
    code: str | None  # in the số ký hiệu: 12/QĐ-UBND
    subjects: tuple[str, ...]  # trích yếu it comes with


# (type, how often)
DOC_TYPES: tuple[tuple[DocType, int], ...] = tuple((DocType(n, c, s), w) for n, c, s, w in (
    ("Công văn", None, (
        "V/v triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về "
        "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "V/v báo cáo tình hình thu, chi ngân sách nhà nước quý I năm 2026",
        "V/v đôn đốc rà soát thủ tục hành chính thuộc thẩm quyền giải quyết của cấp xã",
        "V/v góp ý dự thảo Quyết định quy định bảng giá đất trên địa bàn tỉnh",
        "V/v thực hiện chính sách bảo hiểm xã hội tự nguyện cho người lao động",
    ), 8),
    ("Quyết định", "QĐ", (
        "Ban hành Quy chế quản lý, sử dụng chữ ký số, chứng thư số chuyên dùng Chính phủ",
        "Giao chỉ tiêu tuyển sinh năm học 2026–2027",
        "Điều chỉnh kế hoạch đầu tư công trung hạn giai đoạn 2026–2030",
    ), 3),
    ("Kế hoạch", "KH", (
        "Phòng, chống thiên tai và tìm kiếm cứu nạn năm 2026",
        "Kiểm tra công tác văn thư, lưu trữ năm 2026",
    ), 2),
    ("Thông báo", "TB", (
        "Kết luận của Chủ tịch UBND tỉnh tại cuộc họp về giải phóng mặt bằng các dự án trọng điểm",
        "Lịch tiếp công dân định kỳ tháng 3 năm 2026",
    ), 2),
    ("Báo cáo", "BC", (
        "Kết quả thực hiện nhiệm vụ phát triển kinh tế – xã hội quý I năm 2026",
    ), 1),
    ("Giấy mời", "GM", (
        "Dự hội nghị tập huấn nghiệp vụ quản lý đất đai",
        "Dự lễ kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam",
    ), 2),
))  # fmt: skip
UNITS: tuple[tuple[str, int], ...] = (
    ("Văn phòng HĐND và UBND", 4),
    ("Phòng Tài chính – Kế hoạch", 4),
    ("Phòng Nội vụ", 3),
    ("Phòng Tài nguyên và Môi trường", 3),
    ("Phòng Giáo dục và Đào tạo", 2),
    ("Phòng Văn hóa, Khoa học và Thông tin", 2),
    ("Phòng Y tế", 1),
    ("Thanh tra huyện", 1),
)
PEOPLE = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Thu Hà")


def pick(rnd: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    """One of the choices, as often as its weight says."""
    return rnd.choices([c for c, _w in weighted], weights=[w for _c, w in weighted])[0]


def moments(rnd: random.Random, start: dt.date, end: dt.date) -> list[dt.datetime]:
    """Arrivals on working days between `start` and `end`, in office hours, in order."""
    calendar = load_rules(shipped_rules_dir()).calendar
    out, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            for _ in range(rnd.randint(1, 5)):
                hour = rnd.choice((7, 8, 9, 10, 13, 14, 15, 16))
                out.append(dt.datetime.combine(day, dt.time(hour, rnd.randint(0, 59)), HCM))
        day += dt.timedelta(days=1)
    return sorted(out)


def fields_for(rnd: random.Random, seq: int, when: dt.datetime, *, outgoing: bool) -> Fields:
    kind = pick(rnd, DOC_TYPES)
    issuer, short = (AGENCY, "UBND") if outgoing else pick(rnd, ISSUERS)
    code = f"{kind.code}-" if kind.code else ""
    number = f"{seq if outgoing else rnd.randint(12, 980)}/{code}{short}"
    return Fields(
        number=number,
        date=when.date() - dt.timedelta(days=0 if outgoing else rnd.randint(1, 4)),
        doc_type=kind.name,
        subject=rnd.choice(kind.subjects),
        issuer=str(issuer),
        urgency="Khẩn" if rnd.random() < 0.1 else None,
        signer=rnd.choice(("Nguyễn Văn Hùng", "Lê Thị Mai", "Võ Minh Tuấn")),
        recipients=("Như trên", "Lưu: VT") if outgoing else (),
    )


def build(session: Session, rnd: random.Random) -> None:
    calendar = load_rules(shipped_rules_dir()).calendar
    arrivals = moments(rnd, dt.date(2026, 1, 2), dt.date(2026, 3, 31))
    for n, when in enumerate(arrivals):
        fields = fields_for(rnd, n + 1, when, outgoing=False)
        due = calendar.add_working_days(when.date(), 2 if fields.urgency else 5)
        entry = register_document(
            session,
            sha256=hashlib.sha256(f"den-{n}".encode()).hexdigest(),
            original_name=f"scan-{n:04d}.pdf",
            media_type="application/pdf",
            size=150_000,
            pages=rnd.randint(1, 6),
            source=rnd.choice(("folder", "mail")),
            provenance={},
            text="",
            text_source="ocr",
            fields=fields,
            status=NEEDS_REVIEW if rnd.random() < 0.05 else REGISTERED,
            received_at=when,
            due_date=due,
            tz=TZ,
        )
        if rnd.random() < 0.97:
            unit = pick(rnd, UNITS)
            person = rnd.choice(PEOPLE) if rnd.random() < 0.3 else None
            follow.assign(session, entry, unit=unit, person=person, at=when + dt.timedelta(hours=1))
            # most are handled; what is still open is mostly recent
            if rnd.random() < (0.97 if NOW - when > dt.timedelta(days=20) else 0.75):
                took = calendar.add_working_days(when.date(), rnd.choice((1, 2, 3, 4, 5, 5, 6, 8)))
                closed = dt.datetime.combine(took, dt.time(16, 30), HCM)
                if closed < NOW:
                    follow.close(session, entry, note="Đã giải quyết", at=closed, actor="docs")
    for n, when in enumerate(moments(rnd, dt.date(2026, 1, 5), dt.date(2026, 3, 31))[::2]):
        register_document(
            session,
            sha256=hashlib.sha256(f"di-{n}".encode()).hexdigest(),
            original_name=f"di-{n:04d}.pdf",
            media_type="application/pdf",
            size=90_000,
            pages=2,
            source="outbox",
            provenance={},
            text="",
            text_source="text-layer",
            fields=fields_for(rnd, n + 1, when, outgoing=True),
            status=REGISTERED,
            book="di",
            received_at=when,
            tz=TZ,
        )


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vanthu-docs-") as tmp:
        engine = make_engine(f"sqlite:///{tmp}/register.db")
        migrate.upgrade(engine)
        sessions = session_factory(engine)
        with sessions() as session, session.begin():
            build(session, random.Random(SEED))
        with sessions() as session:
            charts: tuple[tuple[Kind, str], ...] = (
                ("month", "report-chart"),
                ("quarter", "report-quarter"),
            )
            for kind, name in charts:
                files = write_report(
                    session, kind, dt.date(2026, 3, 15), tz=TZ, now=NOW, folder=Path(tmp),
                    out=Path(tmp) / f"{name}.xlsx", agency=AGENCY,
                )  # fmt: skip
                (out_dir / f"{name}.png").write_bytes(files.chart.read_bytes())
            printed, pdf = write_register_print(
                session, "den", 2026, tz=TZ, folder=Path(tmp), agency=AGENCY
            )
        engine.dispose()
        document = pypdfium2.PdfDocument(pdf)
        try:
            for index, name in ((0, "register-cover"), (1, "register-print")):
                page = document[index]
                page.render(scale=1.5).to_pil().save(out_dir / f"{name}.png", optimize=True)
                page.close()
        finally:
            document.close()
    print(f"{printed.entries} entries, {printed.pages} pages; pictures in {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs")
