"""The periodic report as a Vietnamese-labelled workbook: a summary sheet (Tổng hợp) with the
period's figures and its weeks or months, then one sheet per breakdown (by tên loại, by cơ
quan ban hành, by đơn vị nhận). Same look as the register exports (daemon/register/xlsx.py)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from daemon.register.xlsx import Sheet, sheets_bytes
from daemon.reports.counts import Outcome, Report, Tally

# (heading, width) of the columns every breakdown shares, after the group's name.
FIGURES: tuple[tuple[str, float], ...] = (
    ("Văn bản đến", 11),
    ("Văn bản đi", 11),
    ("Đã giải quyết đúng hạn", 13),
    ("Đã giải quyết quá hạn", 13),
    ("Đang giải quyết, trong hạn", 13),
    ("Đang giải quyết, quá hạn", 13),
    ("Đang giải quyết, không có hạn", 14),
    ("Tỷ lệ giải quyết đúng hạn", 13),
)
TOTAL = "Tổng cộng"
BREAKDOWNS = (
    ("Theo loại văn bản", "Tên loại văn bản", "by_type"),
    ("Theo cơ quan ban hành", "Cơ quan ban hành", "by_issuer"),
    ("Theo đơn vị nhận", "Đơn vị nhận", "by_unit"),
)


def title(report: Report) -> str:
    """BÁO CÁO TÌNH HÌNH VĂN BẢN THÁNG 3/2026"""
    return f"BÁO CÁO TÌNH HÌNH VĂN BẢN {report.period.label.upper()}"


def report_workbook(report: Report, *, agency: str | None = None) -> bytes:
    """The report as .xlsx bytes."""
    sheets = [_summary(report, agency), _steps(report)]
    for sheet_name, heading, attribute in BREAKDOWNS:
        groups: dict[str, Tally] = getattr(report, attribute)
        sheets.append(
            Sheet(
                sheet_name,
                f"{title(report)}: {sheet_name.lower()}",
                [(heading, 40), *FIGURES],
                [
                    *([name, *figures(t)] for name, t in groups.items()),
                    [TOTAL, *figures(report.total)],
                ],
            )
        )
    return sheets_bytes(sheets)


def figures(tally: Tally) -> list[int | str]:
    """The FIGURES of one group, in order; the on-time share as "85,7%" (Vietnamese comma)."""
    share = tally.on_time_share
    return [
        tally.received,
        tally.sent,
        tally[Outcome.ON_TIME],
        tally[Outcome.LATE],
        tally[Outcome.OPEN_NOT_DUE],
        tally[Outcome.OPEN_OVERDUE],
        tally[Outcome.OPEN_NO_DEADLINE],
        "" if share is None else f"{share * 100:.1f}%".replace(".", ","),
    ]


def summary_lines(report: Report) -> list[tuple[str, int | str]]:
    """The summary's (label, value) lines, as a leader reads them top to bottom."""
    t, zone = report.total, ZoneInfo(report.tz)
    as_of = report.as_of.astimezone(zone)
    period = report.period
    return [
        ("Kỳ báo cáo", f"{period.label} ({period.start:%d/%m/%Y} – {period.last_day:%d/%m/%Y})"),
        ("Số liệu tính đến", f"{as_of:%H:%M} ngày {as_of:%d/%m/%Y}"),
        ("Văn bản đến (sổ đến)", t.received),
        ("Văn bản đi (sổ đi)", t.sent),
        ("Văn bản đến đã giải quyết", t.handled),
        ("   trong đó: đúng hạn", t[Outcome.ON_TIME]),
        ("   trong đó: quá hạn", t[Outcome.LATE]),
        ("Văn bản đến đang giải quyết", t.open),
        ("   trong đó: chưa đến hạn", t[Outcome.OPEN_NOT_DUE]),
        ("   trong đó: đã quá hạn", t[Outcome.OPEN_OVERDUE]),
        ("   trong đó: không có hạn giải quyết", t[Outcome.OPEN_NO_DEADLINE]),
        ("Tỷ lệ giải quyết đúng hạn", figures(t)[-1] or "–"),
    ]


def _summary(report: Report, agency: str | None) -> Sheet:
    heading = title(report) + (f" – {agency}" if agency else "")
    return Sheet("Tổng hợp", heading, [("Chỉ tiêu", 44), ("Số lượng", 30)], summary_lines(report))


def _steps(report: Report) -> Sheet:
    unit = "Tuần" if report.period.kind == "month" else "Tháng"
    table: Sequence[Sequence[int | str]] = [
        [span.label, *figures(tally)] for span, tally in report.steps
    ]
    return Sheet(
        f"Theo {unit.lower()}",
        f"{title(report)}: theo {unit.lower()}",
        [(unit, 14), *FIGURES],
        [*table, [TOTAL, *figures(report.total)]],
    )
