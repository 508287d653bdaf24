"""A block of page furniture measured from its top, drawn as one platypus flowable.

Headers, title blocks and signature blocks are fixed arrangements of lines, rules and boxes,
not flowing text: builders place each item by its distance from the block's top (how ND30's
figures are described), and `SketchFlowable` turns that into reportlab's bottom-up canvas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from tests.docgen import fonts
from tests.docgen.seal import draw_signature

Align = Literal["left", "centre", "right"]
RGB = tuple[float, float, float]
BLACK: RGB = (0.0, 0.0, 0.0)
STAMP_RED: RGB = (0.82, 0.08, 0.1)


@dataclass(frozen=True)
class TextOp:
    text: str
    font: str
    size: float
    x: float
    baseline: float  # distance from the block's top
    align: Align = "centre"
    color: RGB = BLACK


@dataclass(frozen=True)
class RuleOp:
    x0: float
    x1: float
    y: float
    line_width: float = 0.6


@dataclass(frozen=True)
class BoxOp:
    x: float
    top: float
    width: float
    height: float
    color: RGB = BLACK
    line_width: float = 1.0


@dataclass(frozen=True)
class ImageOp:
    image: Image.Image
    x: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class SignatureOp:
    x: float
    y: float
    width: float
    seed: int


Op = TextOp | RuleOp | BoxOp | ImageOp | SignatureOp


@dataclass
class Sketch:
    ops: list[Op] = field(default_factory=list)
    height: float = 0.0

    def text(
        self,
        text: str,
        font: str,
        size: float,
        x: float,
        baseline: float,
        align: Align = "centre",
        color: RGB = BLACK,
    ) -> float:
        """Place one line; returns its width."""
        self.ops.append(TextOp(text, font, size, x, baseline, align, color))
        self.height = max(self.height, baseline + size * 0.3)
        return fonts.width(text, font, size)

    def rule(self, x0: float, x1: float, y: float, line_width: float = 0.6) -> None:
        self.ops.append(RuleOp(x0, x1, y, line_width))
        self.height = max(self.height, y + line_width)

    def centred_rule(self, centre: float, length: float, y: float) -> None:
        self.rule(centre - length / 2, centre + length / 2, y)

    def add(self, op: Op) -> None:
        self.ops.append(op)


class SketchFlowable(Flowable):
    """Draws a Sketch; it never splits, so it moves whole to the next page if it must."""

    def __init__(self, sketch: Sketch) -> None:
        super().__init__()
        self.sketch = sketch

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return availWidth, self.sketch.height

    def draw(self) -> None:
        canv = self.canv
        top = self.sketch.height
        for op in self.sketch.ops:
            if isinstance(op, TextOp):
                canv.setFillColorRGB(*op.color)
                canv.setFont(op.font, op.size)
                y = top - op.baseline
                if op.align == "centre":
                    canv.drawCentredString(op.x, y, op.text)
                elif op.align == "right":
                    canv.drawRightString(op.x, y, op.text)
                else:
                    canv.drawString(op.x, y, op.text)
            elif isinstance(op, RuleOp):
                canv.setStrokeColorRGB(*BLACK)
                canv.setLineWidth(op.line_width)
                canv.line(op.x0, top - op.y, op.x1, top - op.y)
            elif isinstance(op, BoxOp):
                canv.setStrokeColorRGB(*op.color)
                canv.setLineWidth(op.line_width)
                canv.rect(op.x, top - op.top - op.height, op.width, op.height, stroke=1, fill=0)
            elif isinstance(op, ImageOp):
                canv.drawImage(
                    ImageReader(op.image),
                    op.x,
                    top - op.top - op.height,
                    op.width,
                    op.height,
                    mask="auto",
                )
            else:
                draw_signature(canv, op.x, top - op.y, op.width, seed=op.seed)
        canv.setFillColorRGB(*BLACK)
