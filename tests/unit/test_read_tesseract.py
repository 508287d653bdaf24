"""The Tesseract wrapper's own logic, on recorded `image_to_data` output (no OCR runs)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import pytesseract
import pytest
from PIL import Image

from daemon.ocr import tesseract


def data(*words: tuple[int, int, int, int, int, int, int, float, str]) -> dict[str, list[Any]]:
    """image_to_data's DICT for words (block, par, line, left, top, width, height, conf, text)."""
    keys = ("block_num", "par_num", "line_num", "left", "top", "width", "height", "conf", "text")
    out: dict[str, list[Any]] = {k: [] for k in (*keys, "level")}
    out["level"].append(1)  # a page row, as Tesseract prints it: conf -1, no text
    for key, value in zip(keys, (0, 0, 0, 0, 0, 1000, 1000, -1, ""), strict=True):
        out[key].append(value)
    for word in words:
        out["level"].append(5)
        for key, value in zip(keys, word, strict=True):
            out[key].append(value)
    return out


NO_INVERT = " -c tessedit_do_invert=0"  # ND30 prints no white on black: no second read


@dataclass
class Replay:
    """Recordings pytesseract returns in turn, and the arguments it was called with."""

    outputs: list[dict[str, list[Any]]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Replay:
    recorded = Replay()

    def fake(image: Image.Image, **kwargs: Any) -> dict[str, list[Any]]:
        recorded.calls.append({"size": image.size, "format": image.format, **kwargs})
        return recorded.outputs.pop(0)

    monkeypatch.setattr(pytesseract, "image_to_data", fake)
    monkeypatch.setattr(tesseract, "_engine", lambda lang: None)  # the pytesseract path
    return recorded


def test_merged_header_line_is_split_at_the_gap(replay: Replay) -> None:
    replay.outputs.append(
        data(
            (1, 1, 1, 200, 100, 120, 30, 96, "ỦY"),
            (1, 1, 1, 330, 100, 150, 30, 94, "BAN"),
            (1, 1, 1, 560, 100, 160, 30, 90, "CỘNG"),  # 80 px gap: 8% of 1000
            (1, 1, 1, 730, 100, 120, 30, 92, "HÒA"),
        )
    )
    lines = tesseract.ocr_lines(Image.new("L", (1000, 2000), 255), lang="vie", psm=3, timeout=5)
    assert [ln.text for ln in lines] == ["ỦY BAN", "CỘNG HÒA"]
    assert lines[0].x0 == 0.2 and lines[0].y0 == 0.05 and lines[0].conf == 0.95
    assert replay.calls[0]["format"] == "PPM" and replay.calls[0]["config"] == f"--psm 3{NO_INVERT}"


def test_box_offsets_and_dpi(replay: Replay) -> None:
    replay.outputs.append(data((1, 1, 1, 10, 20, 100, 30, 90, "Số:")))
    image = Image.new("L", (1000, 2000), 255)
    lines = tesseract.ocr_lines(
        image, lang="vie", psm=4, timeout=5, dpi=200, box=(500, 1000, 1000, 2000)
    )
    assert (lines[0].x0, lines[0].y0, lines[0].x1) == (0.51, 0.51, 0.61)
    assert replay.calls[0]["size"] == (500, 1000)
    assert replay.calls[0]["config"] == f"--psm 4 --dpi 200{NO_INVERT}"


def test_a_finer_scan_is_read_at_200_dpi_and_boxed_in_its_own_pixels(replay: Replay) -> None:
    replay.outputs.append(data((1, 1, 1, 10, 20, 100, 30, 90, "Số:")))
    image = Image.new("L", (1200, 1800), 255)
    (line,) = tesseract.ocr_lines(image, lang="vie", psm=4, timeout=5, dpi=300)
    assert replay.calls[0]["size"] == (800, 1200)
    assert replay.calls[0]["config"] == f"--psm 4 --dpi 200{NO_INVERT}"
    box = (15 / 1200, 30 / 1800, 165 / 1200, 75 / 1800)  # Tesseract's, scaled back by 1.5
    assert (line.x0, line.y0, line.x1, line.y1) == pytest.approx(box, abs=1e-4)
    replay.outputs.append(data((1, 1, 1, 10, 20, 100, 30, 90, "Số:")))
    tesseract.ocr_lines(image, lang="vie", psm=4, timeout=5, dpi=300, finest=300)
    assert replay.calls[1]["size"] == (1200, 1800)  # the title block: as scanned


def test_rules_and_specks_are_dropped(replay: Replay) -> None:
    replay.outputs.append(
        data(
            (1, 1, 1, 100, 100, 300, 5, 30, "———"),
            (1, 1, 2, 100, 200, 50, 30, 80, "Lưu:"),
            (1, 1, 2, 160, 200, 50, 30, 80, "VT."),
            (1, 1, 3, 100, 300, 50, 30, 80, " "),
        )
    )
    lines = tesseract.ocr_lines(Image.new("L", (1000, 1000), 255), lang="vie", psm=3, timeout=5)
    assert [ln.text for ln in lines] == ["Lưu: VT."]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("12/QĐÐ-UBND", "12/QĐ-UBND"),
        ("ÐƯỜNG", "ĐƯỜNG"),
        ("ðông", "đông"),
        ("ĐĐBQH", "ĐĐBQH"),  # Đoàn đại biểu Quốc hội: a real double Đ stays
        ("Ho\u0300a", "Hòa"),
    ],
)
def test_clean(raw: str, clean: str) -> None:
    assert tesseract._clean(raw) == clean


@pytest.fixture
def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tesseract, "_engine", lambda lang: None)


@pytest.mark.usefixtures("no_engine")
def test_timeout_is_reported_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*_: Any, **__: Any) -> None:
        raise RuntimeError("Tesseract process timeout")

    monkeypatch.setattr(pytesseract, "image_to_data", slow)
    with pytest.raises(tesseract.TesseractTimeout, match="longer than 7 s") as caught:
        tesseract.ocr_lines(Image.new("L", (10, 10)), lang="vie", psm=3, timeout=7)
    assert isinstance(caught.value, TimeoutError)


@pytest.mark.usefixtures("no_engine")
def test_failure_names_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise pytesseract.TesseractError(1, "Failed loading language 'vie'")

    monkeypatch.setattr(pytesseract, "image_to_data", broken)
    with pytest.raises(tesseract.TesseractError, match="Tesseract OCR failed: Failed loading"):
        tesseract.ocr_lines(Image.new("L", (10, 10)), lang="vie", psm=3, timeout=7)


# What Tesseract prints for `tsv` (the CLI) or GetTSVText (tesserocr, without the header).
TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t1000\t2000\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t100\t100\t400\t30\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t100\t100\t60\t30\t95.5\tSố:\n"
    "5\t1\t1\t1\t1\t2\t170\t100\t200\t30\t90.25\t12/QĐÐ-UBND\n"
    "5\t1\t2\t1\t1\t1\t600\t100\t100\t30\t-1\t \n"
)


def test_tsv_becomes_lines() -> None:
    data = tesseract.parse_tsv(TSV)
    assert data["level"] == [1, 4, 5, 5, 5] and data["conf"][2] == 95.5
    lines = tesseract.lines_from_data(data, (1000, 2000), (0, 1000))
    assert [ln.text for ln in lines] == ["Số: 12/QĐ-UBND"]
    line = lines[0]
    assert (line.x0, line.y0, line.x1, line.y1) == (0.1, 0.55, 0.37, 0.565)
    assert line.conf == pytest.approx(0.92875, abs=1e-4)


@dataclass
class FakeApi:
    """tesserocr's PyTessBaseAPI as the engine uses it, answering with a recording."""

    finishes: bool = True
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def SetPageSegMode(self, psm: int) -> None:  # noqa: N802 - tesserocr's names
        self.calls.append(("psm", psm))

    def SetVariable(self, name: str, value: str) -> bool:  # noqa: N802
        self.calls.append((name, value))
        return True

    def SetImage(self, image: Image.Image) -> None:  # noqa: N802
        self.calls.append(("image", image.size))

    def SetImageBytes(  # noqa: N802
        self, data: bytes, width: int, height: int, depth: int, stride: int
    ) -> None:
        assert len(data) == stride * height and depth == 1
        self.calls.append(("image", (width, height)))

    def SetSourceResolution(self, dpi: int) -> None:  # noqa: N802
        self.calls.append(("dpi", dpi))

    def Recognize(self, timeout: int = 0) -> bool:  # noqa: N802
        self.calls.append(("timeout", timeout))
        return self.finishes

    def GetTSVText(self, page: int) -> str:  # noqa: N802
        return TSV.split("\n", 1)[1]

    def Clear(self) -> None:  # noqa: N802
        self.calls.append(("clear", None))


def engine_with(monkeypatch: pytest.MonkeyPatch, api: FakeApi) -> None:
    engine = object.__new__(tesseract._Engine)
    engine._api = api
    monkeypatch.setattr(tesseract, "_engine", lambda lang: engine)


def test_engine_reads_a_box(monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeApi()
    engine_with(monkeypatch, api)
    image = Image.new("L", (1000, 2000), 255)
    lines = tesseract.ocr_lines(image, lang="vie", psm=4, timeout=5, dpi=200, box=(0, 0, 500, 500))
    assert [ln.text for ln in lines] == ["Số: 12/QĐ-UBND"]
    assert api.calls == [
        ("psm", 4),
        ("tessedit_do_invert", "0"),
        ("image", (500, 500)),
        ("dpi", 200),
        ("timeout", 5000),
        ("clear", None),
    ]


def test_engine_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    api = FakeApi(finishes=False)
    engine_with(monkeypatch, api)
    with pytest.raises(tesseract.TesseractTimeout, match="longer than 7 s"):
        tesseract.ocr_lines(Image.new("L", (10, 10)), lang="vie", psm=3, timeout=7)
    assert api.calls[-1] == ("clear", None)  # the engine is ready for the next page


def test_engine_that_cannot_load_falls_back_to_the_program(
    monkeypatch: pytest.MonkeyPatch, replay: Replay
) -> None:
    class Broken:
        def PyTessBaseAPI(self, **_: Any) -> None:  # noqa: N802 - tesserocr's name
            raise RuntimeError("Failed to init API, possibly an invalid tessdata path")

    monkeypatch.setitem(sys.modules, "tesserocr", Broken())
    monkeypatch.setattr(tesseract, "_engines", {})
    monkeypatch.setattr(tesseract, "tessdata_dir", lambda: "/nowhere/")
    replay.outputs.append(data((1, 1, 1, 10, 20, 100, 30, 90, "Số:")))
    lines = tesseract.ocr_lines(Image.new("L", (1000, 2000), 255), lang="vie", psm=4, timeout=5)
    assert [ln.text for ln in lines] == ["Số:"] and len(replay.calls) == 1


@pytest.mark.parametrize(("psm", "invert"), [(3, "0"), (4, "0"), (6, "0"), (7, "1")])
def test_only_a_line_read_alone_is_tried_again_inverted(psm: int, invert: str) -> None:
    """In a block of text the second, inverted read of a doubtful line costs 3% of the time
    and finds nothing ND30 prints; a name read alone under the seal gains from it."""
    engine = tesseract._engine("vie")
    assert engine is not None
    engine.data(Image.new("L", (200, 40), 255), psm=psm, dpi=300, timeout=5)
    assert engine._api.GetVariableAsString("tessedit_do_invert") == invert


def test_words_read_twice_over_one_ink_are_read_once() -> None:
    # Tesseract's word table for two old-copier title lines (7171 c0160, 1919 c0190): its
    # LSTM read stretches of them twice, the twins' boxes over one ink.
    table = data(
        (1, 1, 2, 459, 75, 90, 30, 96.6, "tăng"),
        (1, 1, 2, 566, 69, 112, 30, 96.3, "cường"),
        (1, 1, 2, 696, 69, 90, 30, 96.0, "giảm"),
        (1, 1, 2, 808, 69, 52, 30, 95.7, "ng"),
        (1, 1, 2, 700, 72, 98, 30, 96.8, "giảm"),
        (1, 1, 2, 813, 74, 122, 30, 95.8, "nghèo"),
        (1, 1, 2, 950, 71, 73, 30, 96.2, "bền"),
        (2, 1, 2, 453, 124, 41, 30, 96.7, "tại"),
        (2, 1, 2, 506, 124, 73, 30, 96.9, "cuộc"),
        (2, 1, 2, 542, 119, 37, 30, 92.6, "ộc"),
        (2, 1, 2, 592, 124, 51, 30, 96.8, "họp"),
        (2, 1, 2, 661, 119, 33, 30, 97.0, "về"),
        (2, 1, 2, 711, 119, 56, 30, 94.8, "quả"),
        (2, 1, 2, 663, 123, 35, 30, 93.3, "về"),
        (2, 1, 2, 710, 125, 60, 30, 27.9, "quải"),
    )
    lines = tesseract.lines_from_data(table, (1200, 1700))
    assert [ln.text for ln in lines] == ["tăng cường giảm nghèo bền", "tại cuộc họp về quả"]


def test_neighbours_whose_boxes_touch_or_a_seal_widened_are_both_kept() -> None:
    table = data(
        (1, 1, 1, 100, 100, 60, 30, 96, "giai"),
        (1, 1, 1, 152, 100, 80, 30, 95, "đoạn"),  # italics: 8 px under "giai"
        (1, 1, 1, 240, 100, 10, 30, 90, "-"),
        # 1919 c0195, a signer under the seal: its ink widened the surname's box over "Thị"
        (2, 1, 1, 106, 300, 267, 30, 85.7, "Trinh"),
        (2, 1, 1, 308, 300, 65, 30, 92.3, "Thị"),
        (2, 1, 1, 387, 317, 78, 30, 96.2, "Thu"),
        # 3737 s0115, an office scan: "PHÒNG" boxed over "NÔNG", which rhymes with it
        (3, 1, 1, 331, 500, 400, 30, 93.2, "PHÒNG"),
        (3, 1, 1, 475, 497, 92, 30, 91.2, "NÔNG"),
        (3, 1, 1, 580, 500, 150, 30, 96.2, "NGHIỆP"),
    )
    assert [ln.text for ln in tesseract.lines_from_data(table, (1000, 1000))] == [
        "giai đoạn -",
        "Trinh Thị Thu",
        "PHÒNG NÔNG NGHIỆP",
    ]


def test_a_word_a_box_widened_back_over_stays_where_tesseract_read_it() -> None:
    # 7302 c0151, an old copier's trích yếu: the rule under it (or a streak) widened the
    # box of "tháng" back over the "6" before it.
    table = data(
        (1, 1, 1, 436, 209, 71, 16, 97.0, "thông"),
        (1, 1, 1, 513, 206, 12, 24, 97.0, "6"),
        (1, 1, 1, 508, 208, 100, 21, 97.0, "tháng"),
        (1, 1, 1, 617, 207, 44, 14, 96.0, "đầu"),
        (1, 1, 1, 670, 209, 52, 13, 97.0, "năm"),
    )
    assert [ln.text for ln in tesseract.lines_from_data(table, (1000, 1000))] == [
        "thông 6 tháng đầu năm"
    ]


def test_a_piece_of_a_word_read_again_inside_it_is_left_after_it() -> None:
    # 4721 c0153, an old copier's agency line: "Yˆ", read first, is the start of "YTẾ"
    # read again (the speck after it then goes with the line's end), not a word before it.
    table = data(
        (1, 1, 1, 270, 89, 26, 15, 92.0, "SỞ"),
        (1, 1, 1, 308, 87, 26, 27, 29.0, "Yˆ"),
        (1, 1, 1, 307, 88, 52, 16, 92.0, "YTẾ"),
    )
    assert [ln.text for ln in tesseract.lines_from_data(table, (1000, 1000))] == ["SỞ YTẾ Yˆ"]
