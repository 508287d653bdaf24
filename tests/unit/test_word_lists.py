"""The word lists the reading judges by (rules/syllables.tsv, common_pairs.tsv) and the
scripts that make them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from daemon.ocr.syllables import foreign_or_invalid

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_keeps_valid_syllables_with_their_highest_frequency() -> None:
    buckets = [["và", "online"], ["hoà", "2019"], [], ["hòa", "nhiễm", "ubnd"]]
    table = _script("make_syllables").syllables(buckets)
    assert table == {"và": 9.0, "hòa": 8.99, "nhiễm": 8.97}  # one tone placement, no English


def test_the_shipped_table_holds_syllables_in_use_only() -> None:
    lines = (ROOT / "rules" / "syllables.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "syllable\tzipf"
    rows = [line.split("\t") for line in lines[1:]]
    words = {word for word, _ in rows}
    assert len(words) == len(rows) > 4000
    assert {"nhiễm", "nhiệm", "kiện", "số", "hòa"} <= words
    assert not {"nhiềm", "hoà", "ubnd"} & words
    assert not [word for word in words if foreign_or_invalid(word)]
    zipf = [float(z) for _, z in rows]
    assert zipf == sorted(zipf, reverse=True) and min(zipf) >= 3.0


def test_the_seed_lexicon_counts_words_and_pairs_written_side_by_side() -> None:
    count = _script("make_seed_lexicon").count
    words, pairs = count(["Thủ trưởng các cơ quan, UBND huyện.\nThủ trưởng đơn vị"])
    assert words["thủ"] == 2 and "ubnd" not in words  # no abbreviation
    assert pairs["thủ trưởng"] == 2 and pairs["cơ quan"] == 1
    assert "quan ubnd" not in pairs and "huyện thủ" not in pairs  # a comma, a line between
    shipped = (ROOT / "rules" / "common_pairs.tsv").read_text(encoding="utf-8").splitlines()
    assert shipped[0] == "pair\tcount" and "thủ trưởng\t" in "\n".join(shipped)


def test_the_seed_lexicon_counts_pairs_written_as_a_list() -> None:
    listed = _script("make_seed_lexicon").listed
    pairs = listed(["gửi, nhận văn bản; cán bộ, công chức, UBND huyện.\nGửi, nhận"])
    assert pairs["gửi nhận"] == 2 and pairs["bộ công"] == 1
    assert "chức ubnd" not in pairs  # no abbreviation
    shipped = (ROOT / "rules" / "listed_pairs.tsv").read_text(encoding="utf-8").splitlines()
    assert shipped[0] == "pair\tcount" and "gửi nhận\t" in "\n".join(shipped)
