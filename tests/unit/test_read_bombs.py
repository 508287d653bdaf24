"""Pages that would take the machine: refused with a reason, or read within bounded memory.

Made by the test (no committed binaries, tests/docgen/hostile.py): a 16-bit TIFF whose 8-bit
conversion used to need a float64 copy of the page, a PDF image nested deeper in form XObjects
than the size check used to look, and content streams that inflate to hundreds of MB.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from daemon.config import ReadingSettings
from daemon.ocr.images import to_grey
from daemon.ocr.inflation import check_inflation
from daemon.ocr.model import UnreadableDocument
from daemon.ocr.reader import Reader
from tests.docgen.hostile import deep_tiff, flate_bomb_pdf, nested_image_pdf
from tests.docgen.random_docs import make_specs
from tests.docgen.render import render_pdf


@pytest.fixture(scope="module")
def reader() -> Iterator[Reader]:
    with Reader(ReadingSettings(workers=1, max_memory_mb=1000)) as reader:
        yield reader


@pytest.mark.parametrize("depth", [1, 5, 12])
def test_an_image_nested_deep_in_forms_is_counted_and_refused(
    reader: Reader, tmp_path: Path, depth: int
) -> None:
    path = tmp_path / "nested.pdf"
    path.write_bytes(nested_image_pdf(depth, 30_000, 30_000))
    with pytest.raises(UnreadableDocument, match="embedded image too large: 30000x30000"):
        reader.read(path)


def test_a_deep_16_bit_scan_is_read_within_its_process_memory(
    reader: Reader, tmp_path: Path
) -> None:
    path = tmp_path / "deep16.tif"
    deep_tiff().save(path, compression="tiff_deflate")
    assert path.stat().st_size < 1_000_000
    reading = reader.read(path)  # 81 megapixels under a 1 GB address-space limit
    assert reading.media_type == "image/tiff" and len(reading.pages) == 1


def test_16_bit_grey_is_scaled_not_clipped() -> None:
    values = np.array([[0, 257, 32_896, 65_535]], dtype=np.uint16)
    grey = np.asarray(to_grey(Image.fromarray(values)))
    assert grey.tolist() == [[0, 1, 128, 255]]


def test_a_page_that_needs_more_memory_than_its_reader_may_use_is_refused(
    tmp_path: Path,
) -> None:
    values = np.zeros((9000, 9000), dtype=np.uint16)
    path = tmp_path / "deep16.tif"
    Image.fromarray(values).save(path, compression="tiff_deflate")
    small = Reader(ReadingSettings(workers=1, max_memory_mb=400))
    try:
        with pytest.raises(UnreadableDocument, match="needs more memory than a reading process"):
            small.read(path)
    finally:
        small.close()


@pytest.mark.parametrize(("inflated", "layers"), [(200_000_000, 1), (300_000_000, 2)])
def test_a_flate_bomb_is_refused_before_any_parser_inflates_it(
    reader: Reader, tmp_path: Path, inflated: int, layers: int
) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(inflated, layers))
    assert path.stat().st_size < inflated / 1000
    with pytest.raises(UnreadableDocument, match="decompression bomb"):
        reader.read(path)


def test_content_streams_within_the_limit_pass(tmp_path: Path) -> None:
    path = tmp_path / "ok.pdf"
    path.write_bytes(render_pdf(make_specs(1, seed=5)[0]))
    check_inflation(path)
    path.write_bytes(flate_bomb_pdf(3_000_000, layers=2))
    check_inflation(path)  # 3 MB is a large but possible page
    with pytest.raises(UnreadableDocument, match="beyond 2 MB"):
        check_inflation(path, max_stream_bytes=2_000_000)
