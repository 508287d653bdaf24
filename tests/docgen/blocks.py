"""The fixed parts of an ND30 page (Phụ lục I): header, title, signature block.

Each builder returns a Sketch for one block, measured from its top. Sizes follow ND30: agency
and national title 12-13 pt, motto 13-14 pt bold, date line italic, type name 13-14 pt bold
caps, "Nơi nhận:" 12 pt bold italic with 11 pt lines, signer's titles bold caps.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.docgen import fonts
from tests.docgen.fonts import Faces
from tests.docgen.seal import seal_image, stable_seed
from tests.docgen.sketch import STAMP_RED, BoxOp, ImageOp, SignatureOp, Sketch
from tests.docgen.spec import DocSpec, date_line

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LEFT_SHARE = 0.44  # of the text width: the agency column; the rest is the national column
SEAL_DIAMETER = 100.0  # points, about 35 mm
SIGNATURE_GAP = 66.0  # points between the signer's title and name, for pen and seal


@dataclass(frozen=True)
class Look:
    faces: Faces
    body: float  # body text size
    header: float  # agency lines, national title, "Số:"

    @classmethod
    def of(cls, spec: DocSpec) -> Look:
        # DejaVu runs about 15% wider than Times: one point smaller keeps the columns.
        header = 13.0 if spec.font == "liberation" else 12.0
        return cls(fonts.faces(spec.font), spec.font_size, header)

    @property
    def motto(self) -> float:
        return self.header + 1


def header(spec: DocSpec, look: Look, width: float) -> Sketch:
    """Agency column (left) and national column (right), "Số:" and date on one baseline."""
    sk = Sketch()
    left_w = width * LEFT_SHARE
    left_c, right_c = left_w / 2, left_w + (width - left_w) / 2
    hs, lead = look.header, look.header * 1.22
    y = hs
    for line in spec.parent_lines:
        _fit_text(sk, line, look.faces.regular, hs, left_c, y, left_w)
        y += lead
    widest = 0.0
    for line in spec.issuer_lines:
        widest = max(widest, _fit_text(sk, line, look.faces.bold, hs, left_c, y, left_w))
        y += lead
    rule_left = y - lead + hs * 0.5
    sk.centred_rule(left_c, widest * 0.4, rule_left)
    right_bottom = _national(sk, look, right_c, width - left_w)
    baseline = max(rule_left + 8 + hs, right_bottom + 8 + look.motto)
    sk.text(f"Số: {spec.number}", look.faces.regular, hs, left_c, baseline)
    _fit_text(
        sk,
        date_line(spec.place, spec.date),
        look.faces.italic,
        look.motto,
        right_c,
        baseline,
        width - left_w,
    )
    y = baseline
    if spec.is_cong_van and spec.subject:
        for line in fonts.balanced_wrap(
            f"V/v {spec.subject}", look.faces.regular, hs - 1, left_w * 0.92
        ):
            y += (hs - 1) * 1.2
            sk.text(line, look.faces.regular, hs - 1, left_c, y)
    _marks(sk, spec, look, left_c, y + 8)
    sk.height += 6
    return sk


def letter_header(spec: DocSpec, look: Look, width: float) -> Sketch:
    """A citizen's letter: the national title centred on the page, the date line at the right."""
    sk = Sketch()
    bottom = _national(sk, look, width / 2, width)
    sk.text(
        date_line(spec.place, spec.date),
        look.faces.italic,
        look.motto,
        width,
        bottom + 14 + look.motto,
        align="right",
    )
    sk.height += 8
    return sk


def _national(sk: Sketch, look: Look, centre: float, column: float) -> float:
    """Quốc hiệu and tiêu ngữ with the rule under the motto; returns the rule's depth."""
    size = look.header
    while fonts.width(NATIONAL_TITLE, look.faces.bold, size) > column - 4 and size > 10:
        size -= 0.5
    sk.text(NATIONAL_TITLE, look.faces.bold, size, centre, size)
    motto_base = size + look.motto * 1.22
    motto_w = sk.text(MOTTO, look.faces.bold, look.motto, centre, motto_base)
    rule_y = motto_base + look.motto * 0.45
    sk.centred_rule(centre, motto_w, rule_y)
    return rule_y


def _fit_text(
    sk: Sketch, text: str, font: str, size: float, centre: float, baseline: float, column: float
) -> float:
    """A centred line, shrunk (never below 11 pt) if it would overflow its column."""
    while fonts.width(text, font, size) > column - 4 and size > 11:
        size -= 0.5
    return sk.text(text, font, size, centre, baseline)


def _marks(sk: Sketch, spec: DocSpec, look: Look, centre: float, top: float) -> None:
    """Độ mật then độ khẩn, each a red stamp: bold capitals in a rectangle."""
    size, pad = look.header, 3.0
    for mark in (spec.secrecy, spec.urgency):
        if mark is None:
            continue
        label = mark.upper()
        w = fonts.width(label, look.faces.bold, size) + 2 * pad + 4
        h = size + 2 * pad
        sk.add(BoxOp(centre - w / 2, top, w, h, STAMP_RED, 1.2))
        sk.text(label, look.faces.bold, size, centre, top + pad + size * 0.8, color=STAMP_RED)
        sk.height = max(sk.height, top + h)
        top += h + 5


def title(spec: DocSpec, look: Look, width: float) -> Sketch:
    """Type name, trích yếu and its short rule; then "Kính gửi:" when there is one."""
    sk = Sketch()
    size = 14.0 if spec.font == "liberation" else 13.0
    y = 10.0
    if spec.title:
        y += size
        sk.text(spec.title, look.faces.bold, size, width / 2, y)
    if spec.subject and not spec.is_cong_van:
        lines = fonts.balanced_wrap(spec.subject, look.faces.bold, size, width * 0.86)
        for line in lines:
            y += size * 1.2
            sk.text(line, look.faces.bold, size, width / 2, y)
        longest = max(fonts.width(line, look.faces.bold, size) for line in lines)
        sk.centred_rule(width / 2, longest / 3, y + size * 0.45)
        y += size * 0.45
    if spec.kinh_gui:
        y = _kinh_gui(sk, spec.kinh_gui, look, width, y + 10)
    sk.height = y + 8
    return sk


def _kinh_gui(sk: Sketch, names: tuple[str, ...], look: Look, width: float, y: float) -> float:
    """ "Kính gửi: X." on one line, or "Kính gửi:" followed by "- X;" lines."""
    font, size = look.faces.regular, look.body
    label = "Kính gửi: "
    label_w = fonts.width(label, font, size)
    if len(names) == 1:
        text = f"{label}{names[0]}."
        lines = fonts.wrap(text, font, size, width * 0.8)
        x0 = (width - fonts.width(lines[0], font, size)) / 2
        for line in lines:
            y += size * 1.25
            sk.text(line, font, size, x0, y, align="left")
        return y
    x0 = width * 0.16
    y += size * 1.25
    sk.text(label.strip(), font, size, x0, y, align="left")
    for i, name in enumerate(names):
        end = "." if i == len(names) - 1 else ";"
        for j, line in enumerate(fonts.wrap(f"- {name}{end}", font, size, width - x0 - label_w)):
            if i or j:
                y += size * 1.25
            sk.text(line, font, size, x0 + label_w, y, align="left")
    return y


def end_block(spec: DocSpec, look: Look, width: float) -> Sketch:
    """ "Nơi nhận:" at the bottom left, the signature block at the right, seal over it."""
    sk = Sketch()
    left_w = width * 0.46
    if spec.recipients:
        _recipients(sk, spec.recipients, look, left_w)
    centre = left_w + (width - left_w) / 2
    size = look.body
    y = size
    for line in spec.signature_lines:
        if line.startswith("("):  # "(Ký và ghi rõ họ tên)"
            sk.text(line, look.faces.italic, size - 1, centre, y)
        else:
            _fit_text(sk, line, look.faces.bold, size, centre, y, width - left_w)
        y += size * 1.2
    seed = stable_seed(spec.signer or "", spec.number or "", spec.date.isoformat())
    sig_y = y + SIGNATURE_GAP * 0.45
    sk.add(SignatureOp(centre - 50, sig_y, 100, seed))
    y += SIGNATURE_GAP
    if spec.signer:
        sk.text(spec.signer, look.faces.bold, size, centre, y)
    if spec.seal and spec.issuer:
        d = SEAL_DIAMETER
        image = seal_image(spec.issuer, seed=seed)
        sk.add(ImageOp(image, centre - 50 - d * 0.55, sig_y - d * 0.6, d, d))
    sk.height = max(sk.height, y + 6)
    return sk


def _recipients(sk: Sketch, recipients: tuple[str, ...], look: Look, column: float) -> None:
    y = 12.0
    sk.text("Nơi nhận:", look.faces.bold_italic, 12, 0, y, align="left")
    dash_w = fonts.width("- ", look.faces.regular, 11)
    for i, name in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        lines = fonts.wrap(f"{name}{end}", look.faces.regular, 11, column - dash_w - 6)
        for j, line in enumerate(lines):
            y += 13.0
            sk.text(
                ("- " if j == 0 else "") + line,
                look.faces.regular,
                11,
                0 if j == 0 else dash_w,
                y,
                align="left",
            )
