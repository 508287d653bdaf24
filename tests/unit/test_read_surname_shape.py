"""The surname under a black seal ring, told by its shape among the Vietnamese surnames."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from daemon.ocr import pageocr, seal_ring, surname_shape
from daemon.ocr.model import Line

DPI = 200
LIBERATION = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
# The seal's outer ring, 38 mm across, its centre up and left of the name: the ring's
# lower right arc runs down through the surname, as on a signed page.
RING = seal_ring.Ring(x=40.0, y=-60.0, rings=((150.0, 7.0),), level=0)


def _strip(
    name: str, face: str = LIBERATION, points: float = 13.6, *, whiten: bool = True
) -> Image.Image:
    """One row of a signer's name as an old copier scans it, the seal's ring crossing the
    surname: set, blurred, binarised and speckled, then the ring whitened as the reader
    does (the strokes under it go with it)."""
    strip = Image.new("L", (640, 70), 255)
    font = ImageFont.truetype(face, round(points / 72 * DPI))
    ImageDraw.Draw(strip).text((120, 52), name, font=font, fill=0, anchor="ls")
    radius, width = RING.rings[0]
    box = (RING.x - radius, RING.y - radius, RING.x + radius, RING.y + radius)
    ImageDraw.Draw(strip).ellipse(box, outline=0, width=round(width))
    strip = strip.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: 0 if v < 150 else 255)
    pixels = np.array(strip)
    rng = np.random.default_rng(7)
    pixels[rng.random(pixels.shape) < 0.004] = 0  # the copier's specks
    strip = Image.fromarray(pixels)
    return seal_ring.whitened(strip, RING) if whiten else strip


def _strokes_lost(name: str, face: str) -> int:
    """Pixels of print the whitening took from the name's first word (the test's premise)."""
    font = ImageFont.truetype(face, round(13.6 / 72 * DPI))
    end = 120 + round(font.getlength(name.split()[0]))
    before = np.asarray(_strip(name, face, whiten=False))[:, :end] < 128
    after = np.asarray(_strip(name, face))[:, :end] < 128
    ring = np.asarray(_strip("", face, whiten=False))[:, :end] < 128
    return int((before & ~after & ~ring).sum())


@pytest.mark.parametrize(
    ("name", "face"),
    [
        ("Trịnh Thị Hạnh", LIBERATION),
        ("Đỗ Ngọc Lộc", LIBERATION),
        ("Nguyễn Công Hiếu", LIBERATION),
        ("Huỳnh Đức Nghĩa", LIBERATION),
        ("Võ Minh Hùng", DEJAVU),
        ("Lê Thu Liên", DEJAVU),
    ],
)
def test_the_surname_under_the_ring_is_told_by_its_shape(name: str, face: str) -> None:
    surname, given = name.split(" ", 1)
    strip = _strip(name, face)
    assert _strokes_lost(name, face) > 20
    match = surname_shape.surname(strip, DPI, RING, (0, 0), [given])
    assert match is not None and match.head == surname
    assert match.margin > 0


def test_given_names_the_row_does_not_hold_give_no_surname() -> None:
    """The face is fitted to the given names as read: when they are not what the row holds
    (a misread), nothing fits, and no surname is made up."""
    assert surname_shape.surname(_strip("Trịnh Thị Hạnh"), DPI, RING, (0, 0), ["Văn Long"]) is None


def test_a_surname_the_ring_hides_whole_is_not_guessed() -> None:
    """With the whole first word under a wide band, no surname fits better than the rest."""
    wide = seal_ring.Ring(x=RING.x, y=RING.y, rings=((170.0, 90.0),), level=0)
    strip = _strip("Trịnh Thị Hạnh")
    assert surname_shape.surname(strip, DPI, wide, (0, 0), ["Thị Hạnh"]) is None


def _name(text: str) -> Line:
    return Line(text, 0.5, 0.7, 0.8, 0.72, conf=0.3)


@pytest.mark.parametrize(
    ("read", "right"),
    [
        ("ì 1ö Ngọc Lộc", "Đỗ Ngọc Lộc"),  # garbage, then the given names
        ("Bài Xuân Phúc", "Bùi Xuân Phúc"),  # a surname read as another word
        ("Thị Hạnh", "Trịnh Thị Hạnh"),  # the surname lost
        ("Tê Ằài Minh Hằng", "Lê Thị Minh Hằng"),  # the middle name with it
        ("HỘ Nø»yến Xuân Hiếu", "Nguyễn Xuân Hiếu"),  # a word in capitals that folds to Hồ
        ("##Minh An", "Lê Minh An"),  # the ring's marks glued to the middle name
    ],
)
def test_the_reader_puts_the_surname_before_the_given_names_read(read: str, right: str) -> None:
    column = _strip(right)
    named = pageocr._surname_by_shape(_name(read), column, 0, RING, DPI)
    assert named.text == right
    assert 0 < named.conf <= 0.9


def test_a_name_read_with_a_surname_is_left_alone() -> None:
    """A name read with a surname first is not second-guessed, though the ring crosses it."""
    line = _name("Đinh Ngọc Lộc")
    assert pageocr._surname_by_shape(line, _strip("Đỗ Ngọc Lộc"), 0, RING, DPI) is line


def test_doctor_names_the_faces_found_and_the_package_when_there_are_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from daemon import doctor

    found = doctor.check_name_faces()
    assert found.ok and "LiberationSerif-Bold" in found.detail
    monkeypatch.setattr(surname_shape, "FACES", (("/nonexistent/Times.ttf",),))
    surname_shape.faces.cache_clear()
    try:
        missing = doctor.check_name_faces()
        assert not missing.ok and "fonts-liberation2" in missing.fix
        assert surname_shape.surname(_strip("Đỗ Ngọc Lộc"), DPI, RING, (0, 0), ["Ngọc Lộc"]) is None
    finally:
        surname_shape.faces.cache_clear()
