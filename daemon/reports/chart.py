"""The report's chart: one PNG a leader reads at a glance. Left, documents received and sent in
each week (of a month) or month (of a quarter or year); right, for the units that receive the
most, how their documents stand: handled on time, late, open within the deadline, overdue.

matplotlib without pyplot (no global state, no display), text in DejaVu Sans, which has every
Vietnamese letter; fonts-dejavu-core provides it (matplotlib also ships a copy).
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from daemon.reports.counts import Outcome, Report, Tally

FONT = "DejaVu Sans"
TOP_UNITS = 8  # more bars than this stop being read at a glance: the rest go to "Khác"
OTHERS = "Các đơn vị khác"
RECEIVED, SENT = "#1f5fa8", "#8fb8e8"
# Outcome -> (legend, colour): greens done, blues waiting, reds late or overdue, grey no deadline.
SEGMENTS: tuple[tuple[Outcome, str, str], ...] = (
    (Outcome.ON_TIME, "Đã giải quyết đúng hạn", "#2e8b57"),
    (Outcome.LATE, "Đã giải quyết quá hạn", "#e3a33b"),
    (Outcome.OPEN_NOT_DUE, "Đang giải quyết, trong hạn", "#7aa6d6"),
    (Outcome.OPEN_OVERDUE, "Đang giải quyết, quá hạn", "#c0392b"),
    (Outcome.OPEN_NO_DEADLINE, "Đang giải quyết, không có hạn", "#b0b0b0"),
)
WIDTH_IN, HEIGHT_IN, DPI = 13.0, 6.5, 110
_DARK = (Outcome.ON_TIME, Outcome.OPEN_OVERDUE)  # white numbers on these


def report_chart(report: Report, *, agency: str | None = None) -> bytes:
    """The chart as PNG bytes (1430 x 715 pixels)."""
    with matplotlib.rc_context({"font.family": FONT, "font.size": 10, "svg.hashsalt": "vanthu"}):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        figure.suptitle(_headline(report, agency), fontsize=14, fontweight="bold")
        left, right = figure.subplots(1, 2, width_ratios=[1, 1.25])
        _flow(left, report)
        _units(right, report)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _headline(report: Report, agency: str | None) -> str:
    t = report.total
    who = f"{agency}: " if agency else ""
    return (
        f"{who}Văn bản {report.period.label}\n"
        f"đến {t.received} · đi {t.sent} · đã giải quyết {t.handled} "
        f"({t[Outcome.ON_TIME]} đúng hạn, {t[Outcome.LATE]} quá hạn) · "
        f"đang giải quyết {t.open} ({t[Outcome.OPEN_OVERDUE]} quá hạn)"
    )


def _flow(ax: Any, report: Report) -> None:
    labels = [span.label for span, _t in report.steps]
    received = [t.received for _s, t in report.steps]
    sent = [t.sent for _s, t in report.steps]
    xs = range(len(labels))
    width = 0.4
    bars_in = ax.bar([x - width / 2 for x in xs], received, width, label="Đến", color=RECEIVED)
    bars_out = ax.bar([x + width / 2 for x in xs], sent, width, label="Đi", color=SENT)
    for bars in (bars_in, bars_out):
        ax.bar_label(bars, labels=[str(v) if v else "" for v in bars.datavalues], fontsize=8)
    step = "tuần" if report.period.kind == "month" else "tháng"
    ax.set_title(f"Văn bản đến và đi theo {step}", fontsize=12)
    ax.set_xticks(list(xs), labels, rotation=0 if len(labels) <= 6 else 45)
    ax.set_ylabel("Số văn bản")
    ax.yaxis.get_major_locator().set_params(integer=True)
    # Counts start at 0; an empty period still gets a sensible scale, not ±0.06.
    ax.set_ylim(0, max([5, *received, *sent]) * 1.15)
    ax.legend(loc="upper left", frameon=False)
    _plain(ax)


def _units(ax: Any, report: Report) -> None:
    groups = _top_units(report.by_unit)
    names = [_short(name) for name in groups][::-1]  # the largest on top
    tallies = list(groups.values())[::-1]
    left = [0] * len(tallies)
    for result, label, colour in SEGMENTS:
        values = [t[result] for t in tallies]
        bars = ax.barh(names, values, left=left, label=label, color=colour, height=0.6)
        ax.bar_label(
            bars,
            labels=[str(v) if v else "" for v in values],
            label_type="center",
            fontsize=8,
            color="white" if result in _DARK else "black",
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title("Tình hình giải quyết văn bản đến theo đơn vị", fontsize=12)
    ax.set_xlabel("Số văn bản đến")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max([5, *left]) * 1.02)
    # Handles of their own: with no bars drawn the legend would lose its colours.
    handles = [Patch(color=colour, label=label) for _r, label, colour in SEGMENTS]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=3,
        frameon=False,
        fontsize=9,
    )
    if not tallies:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "Không có văn bản đến", ha="center", va="center", transform=ax.transAxes)
    _plain(ax)


def _top_units(by_unit: dict[str, Tally]) -> dict[str, Tally]:
    """The units with most documents received, the rest summed into one bar."""
    receiving = {name: t for name, t in by_unit.items() if t.received}
    ranked = sorted(receiving.items(), key=lambda kv: -kv[1].received)
    if len(ranked) <= TOP_UNITS:
        return dict(ranked)
    top, rest = ranked[: TOP_UNITS - 1], ranked[TOP_UNITS - 1 :]
    others = Tally()
    for _name, tally in rest:
        others.received += tally.received
        for result in Outcome:
            others.outcomes[result] += tally[result]
    return {**dict(top), OTHERS: others}


def _short(name: str, limit: int = 38) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _plain(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
