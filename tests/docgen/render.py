"""DocSpec -> born-digital PDF bytes, laid out per ND30 Phụ lục I (A4 portrait).

The header, title and signature blocks are fixed sketches (blocks.py); the body is justified
platypus paragraphs that flow onto a second page when there are enough of them. Output is
byte-for-byte reproducible (reportlab's invariant mode: fixed dates and document id).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from tests.docgen import blocks
from tests.docgen.blocks import Look
from tests.docgen.sketch import Sketch, SketchFlowable
from tests.docgen.spec import BodyPara, DocSpec

PAGE_WIDTH, PAGE_HEIGHT = A4


class LayoutError(ValueError):
    """The spec does not lay out as it claims (e.g. 3 pages where it says 2)."""


def render_pdf(spec: DocSpec) -> bytes:
    """The document as a PDF with a real Unicode text layer; its page count is `spec.pages`."""
    data, pages = _build(spec)
    if pages != spec.pages:
        raise LayoutError(
            f"{spec.number or spec.doc_type}: laid out on {pages} pages, spec says {spec.pages}"
        )
    return data


def page_count(spec: DocSpec) -> int:
    """How many pages the spec's content fills (whatever `spec.pages` says)."""
    return _build(spec)[1]


def heights(spec: DocSpec) -> tuple[float, list[float], float]:
    """(header + title + end block, each body paragraph with its spacing, usable page height).

    Cheap (no PDF is written): lets a caller choose how much body text fills N pages.
    """
    top, right, bottom, left = (v * mm for v in spec.margins_mm)
    width, frame_h = PAGE_WIDTH - left - right, PAGE_HEIGHT - top - bottom
    look = Look.of(spec)
    fixed = sum(
        block(spec, look, width).height
        for block in (_head_block(spec), blocks.title, blocks.end_block)
    )
    styles = _styles(look)
    body = []
    for para in spec.body:
        p = _paragraph(para, styles)
        body.append(p.wrap(width, frame_h)[1] + p.getSpaceBefore() + p.getSpaceAfter())
    return fixed, body, frame_h


def _head_block(spec: DocSpec) -> Callable[[DocSpec, Look, float], Sketch]:
    return blocks.letter_header if spec.kind == "letter" else blocks.header


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Write streams Flate-only: reportlab's default ASCII85 layer makes files 25% larger."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _build(spec: DocSpec) -> tuple[bytes, int]:
    top, right, bottom, left = (v * mm for v in spec.margins_mm)
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        invariant=1,
        title=spec.doc_type,
        author=spec.issuer or "",
        creator="vanthu tests.docgen",
        pageCompression=1,
    )
    frame = Frame(
        left,
        bottom,
        PAGE_WIDTH - left - right,
        PAGE_HEIGHT - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    look = Look.of(spec)

    def number_pages(canv: Canvas, _doc: BaseDocTemplate) -> None:
        # ND30: pages from the second on are numbered, centred in the top margin.
        if canv.getPageNumber() > 1:
            canv.setFont(look.faces.regular, look.body - 1)
            canv.drawCentredString(
                left + frame._width / 2, PAGE_HEIGHT - top / 2 - 4, str(canv.getPageNumber())
            )

    doc.addPageTemplates([PageTemplate(id="nd30", frames=[frame], onPage=number_pages)])
    with _binary_streams():
        doc.build(story(spec, look, frame._width))
    return out.getvalue(), doc.page


def story(spec: DocSpec, look: Look, width: float) -> list[Flowable]:
    """Header, title, body, end block, in reading order."""
    flow: list[Flowable] = [
        SketchFlowable(_head_block(spec)(spec, look, width)),
        SketchFlowable(blocks.title(spec, look, width)),
    ]
    styles = _styles(look)
    flow.extend(_paragraph(para, styles) for para in spec.body)
    flow.append(SketchFlowable(blocks.end_block(spec, look, width)))
    return flow


def _styles(look: Look) -> dict[str, ParagraphStyle]:
    size = look.body
    # ND30: justified, first line indented 1-1.27 cm, >= 6 pt between paragraphs.
    text = ParagraphStyle(
        "text",
        fontName=look.faces.regular,
        fontSize=size,
        leading=size * 1.25,
        alignment=TA_JUSTIFY,
        firstLineIndent=10 * mm,
        spaceAfter=6,
    )
    return {
        "text": text,
        "article": text,
        "section": ParagraphStyle("section", parent=text, fontName=look.faces.bold),
        "heading": ParagraphStyle(
            "heading",
            parent=text,
            fontName=look.faces.bold,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceBefore=4,
        ),
    }


def _paragraph(para: BodyPara, styles: dict[str, ParagraphStyle]) -> Paragraph:
    markup = escape(para.text)
    if para.kind == "article":
        lead, _, rest = para.text.partition(". ")
        markup = f"<b>{escape(lead)}.</b> {escape(rest)}"
    return Paragraph(markup, styles[para.kind])


def header_bottom_mm(spec: DocSpec) -> float:
    """How far from the top of the first page the header block ends: where the title starts,
    and where a clerk's stamp under the number or the date begins."""
    top, right, _bottom, left = spec.margins_mm
    width = PAGE_WIDTH - (left + right) * mm
    return top + _head_block(spec)(spec, Look.of(spec), width).height / mm
