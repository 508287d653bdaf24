"""The "ĐẾN" stamp (dấu đến, Nghị định 30/2020 Phụ lục IV) on a received paper document.

The clerk stamps every paper document received with a rectangle of 35 x 50 mm holding the
receiving agency's name, "ĐẾN", "Số:", "Ngày:", "Chuyển:" and often "Lưu hồ sơ số:", fills the
fields in by hand, and puts it in the free space under the number or the date, where it often
runs over the title and the trích yếu. Its ink is red or violet (grey in a grey scan), never
quite even, and the stamp is never quite straight. Hand-written fields are drawn letter by
letter, slanted and jittered, in ballpoint blue: there is no handwriting font on the machine.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tests.docgen.seal import stable_seed

StampLayout = Literal["nd30", "nd30-luu", "cong-van-den"]
StampInk = Literal["red", "violet", "black"]
StampPlace = Literal["number", "date"]
LAYOUTS: tuple[StampLayout, ...] = ("nd30", "nd30-luu", "cong-van-den")
INKS: dict[StampInk, tuple[int, int, int]] = {
    "red": (205, 35, 45),
    "violet": (110, 55, 170),
    "black": (60, 60, 70),  # a worn pad, or a stamp already photocopied once
}
PEN = (25, 45, 150)  # blue ballpoint
SIZE_MM = (50.0, 35.0)  # width, height (Phụ lục IV)
_SANS_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
_HAND = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"
UNITS = ("Phòng TC-KH", "Phòng Nội vụ", "VP", "Phòng TN-MT", "đ/c Chủ tịch", "Phòng GD-ĐT")


@dataclass(frozen=True)
class Stamp:
    """Where and what: the truth of a stamp, recorded with the scan."""

    layout: StampLayout
    ink: StampInk
    place: StampPlace  # under the number (left column) or under the date (right column)
    agency: str  # the receiving agency, as engraved (capitals)
    number: int  # số đến, written by hand
    received: dt.date
    unit: str  # "Chuyển:", by hand
    dx_mm: float  # offset inside the band where clerks put it
    dy_mm: float
    angle: float  # degrees, counter-clockwise
    seed: int


def random_stamp(rng: random.Random, agency: str, issued: dt.date) -> Stamp:
    return Stamp(
        layout=rng.choice(LAYOUTS),
        ink=rng.choices(("red", "violet", "black"), (6, 3, 1))[0],
        place=rng.choice(("number", "date")),
        agency=agency.upper(),
        number=rng.randint(1, 2400),
        received=issued + dt.timedelta(days=rng.randint(1, 9)),
        unit=rng.choice(UNITS),
        dx_mm=round(rng.uniform(-4.0, 14.0), 1),
        dy_mm=round(rng.uniform(-3.0, 14.0), 1),
        angle=round(rng.uniform(-5.0, 5.0), 1),
        seed=rng.getrandbits(31),
    )


def stamp_on(page: Image.Image, stamp: Stamp, dpi: int, header_bottom_mm: float) -> Image.Image:
    """`page` (RGB, at `dpi`) with the stamp pressed on it in the band below the header:
    ink multiplies with what is printed, as on paper."""
    ink = stamp_image(stamp, dpi)
    width_mm = page.width / dpi * 25.4
    if stamp.place == "number":
        left_mm = 22.0 + stamp.dx_mm
    else:
        left_mm = width_mm - 20.0 - SIZE_MM[0] - 12.0 + stamp.dx_mm
    top_mm = header_bottom_mm + stamp.dy_mm
    x, y = round(left_mm / 25.4 * dpi), round(top_mm / 25.4 * dpi)
    paper = np.asarray(page.convert("RGB"), dtype=np.float32)
    layer = np.asarray(ink, dtype=np.float32)
    h = min(layer.shape[0], paper.shape[0] - y)
    w = min(layer.shape[1], paper.shape[1] - x)
    alpha = layer[:h, :w, 3:4] / 255.0
    region = paper[y : y + h, x : x + w]
    pressed = region * (1 - alpha) + region * (layer[:h, :w, :3] / 255.0) * alpha
    paper[y : y + h, x : x + w] = pressed
    return Image.fromarray(np.clip(paper, 0, 255).astype(np.uint8), "RGB")


def stamp_image(stamp: Stamp, dpi: int) -> Image.Image:
    """The stamp alone, RGBA, turned by its angle (transparent around it)."""
    px = dpi / 25.4
    width, height = round(SIZE_MM[0] * px), round(SIZE_MM[1] * px)
    engraved = Image.new("L", (width, height), 0)
    hand = Image.new("L", (width, height), 0)
    rng = random.Random(stamp.seed)
    _engrave(ImageDraw.Draw(engraved), stamp, width, height, px, rng)
    _fill_in(hand, stamp, width, height, px, rng)
    engraved = _uneven(engraved, stamp.seed)
    colour = np.zeros((height, width, 4), dtype=np.uint8)
    colour[..., :3] = INKS[stamp.ink]
    colour[..., 3] = np.asarray(engraved)
    pen = np.asarray(hand) > 0
    colour[pen, :3] = PEN
    colour[pen, 3] = np.maximum(colour[pen, 3], np.asarray(hand)[pen])
    image = Image.fromarray(colour, "RGBA")
    return image.rotate(stamp.angle, resample=Image.Resampling.BICUBIC, expand=True)


def _lines(stamp: Stamp) -> list[tuple[str, str]]:
    """(engraved label, hand-written value) per line below the agency name."""
    day = stamp.received
    if stamp.layout == "cong-van-den":
        return [
            ("CÔNG VĂN ĐẾN", ""),
            ("Số:", str(stamp.number)),
            ("Ngày:", f"{day.day}/{day.month}/{day.year}"),
            ("Chuyển:", stamp.unit),
        ]
    lines = [
        ("ĐẾN  Số:", str(stamp.number)),
        ("       Ngày:", f"{day.day:02d}/{day.month:02d}/{day.year}"),
        ("Chuyển:", stamp.unit),
    ]
    if stamp.layout == "nd30-luu":
        lines.append(("Lưu hồ sơ số:", str(stamp.number % 40 + 1)))
    return lines


def _engrave(
    draw: ImageDraw.ImageDraw, stamp: Stamp, width: int, height: int, px: float, rng: random.Random
) -> None:
    border = max(2, round(0.6 * px))
    draw.rectangle((0, 0, width - 1, height - 1), outline=255, width=border)
    pad = round(2.0 * px)
    name = _font(_SANS_BOLD, round(2.6 * px))
    y = pad
    for part in _wrap(stamp.agency, name, width - 2 * pad):
        text_w = draw.textlength(part, font=name)
        draw.text(((width - text_w) / 2, y), part, font=name, fill=255)
        y += round(3.3 * px)
    rows = _lines(stamp)
    step = (height - y - pad) / len(rows)
    label_font = _font(_SANS_BOLD, round(3.0 * px))
    big = _font(_SANS_BOLD, round(5.0 * px))
    for i, (label, _value) in enumerate(rows):
        row_y = y + i * step
        if label.startswith("ĐẾN"):
            draw.text((pad, row_y - 0.5 * px), "ĐẾN", font=big, fill=255)
            draw.text((pad + 15 * px, row_y + 0.6 * px), "Số:", font=label_font, fill=255)
        else:
            draw.text(
                (pad + (15 * px if label.startswith(" ") else 0), row_y + 0.6 * px),
                label.strip(),
                font=label_font,
                fill=255,
            )
        dotted = row_y + 0.6 * px + 3.0 * px
        x = _field_start(label, pad, px)
        while x < width - pad:
            draw.point((x, dotted), fill=200 + rng.randint(0, 55))
            x += 0.9 * px


def _fill_in(
    hand: Image.Image, stamp: Stamp, width: int, height: int, px: float, rng: random.Random
) -> None:
    """The clerk's writing on the dotted lines: each letter slanted, tilted and jittered."""
    font = _font(_HAND, round(3.6 * px))
    pad = round(2.0 * px)
    name_lines = len(_wrap(stamp.agency, _font(_SANS_BOLD, round(2.6 * px)), width - 2 * pad))
    y0 = pad + name_lines * round(3.3 * px)
    rows = _lines(stamp)
    step = (height - y0 - pad) / len(rows)
    for i, (label, value) in enumerate(rows):
        if not value:
            continue
        x = _field_start(label, pad, px) + 0.5 * px
        base = y0 + i * step - 0.4 * px
        for ch in value:
            glyph = Image.new("L", (round(5 * px), round(6 * px)), 0)
            ImageDraw.Draw(glyph).text((0.5 * px, 0.5 * px), ch, font=font, fill=255)
            glyph = glyph.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BILINEAR)
            hand.paste(255, (round(x), round(base + rng.uniform(-0.5, 0.5) * px)), glyph)
            x += font.getlength(ch) * rng.uniform(0.95, 1.15)
            if x > width - pad:
                break


def _field_start(label: str, pad: int, px: float) -> float:
    """Where the dotted line (and the clerk's writing) of a row begins: after its label."""
    indented = label.startswith(("ĐẾN", " "))
    printed = "Số:" if label.startswith("ĐẾN") else label.strip()
    start = pad + (15 * px if indented else 0)
    return start + _font(_SANS_BOLD, round(3.0 * px)).getlength(printed) + 0.8 * px


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line][:2]


def _uneven(ink: Image.Image, seed: int) -> Image.Image:
    """Stamp ink is never even: patchy pressure, a little bleed."""
    rng = np.random.default_rng(stable_seed("stamp", str(seed)))
    small = rng.uniform(0.45, 1.0, (max(2, ink.height // 40), max(2, ink.width // 40)))
    patch = Image.fromarray((small * 255).astype(np.uint8)).resize(
        ink.size, Image.Resampling.BICUBIC
    )
    mixed = np.asarray(ink, dtype=np.float32) * np.asarray(patch, dtype=np.float32) / 255
    return Image.fromarray(mixed.astype(np.uint8), "L")


@lru_cache(maxsize=16)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)
