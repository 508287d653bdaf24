"""The search's fold and its queries: what a word without marks, or with them, is to match."""

from __future__ import annotations

import pytest

from daemon.register.search import (
    GROUP_MARK,
    GROUP_WEIGHTS,
    QueryError,
    Term,
    fold,
    marked,
    parse,
    rank,
    snippet,
    words,
)

# Every Vietnamese vowel with every tone, both cases, and đ/Đ.
VOWELS = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0309\u0303\u0323"


def _alphabet() -> list[tuple[str, str]]:
    import unicodedata

    pairs = [("đ", "d"), ("Đ", "d")]
    for vowel in VOWELS:
        for tone in ("", *TONES):
            for letter in (vowel, vowel.upper()):
                composed = unicodedata.normalize("NFC", letter + tone)
                pairs.append((composed, unicodedata.normalize("NFD", letter)[0].lower()))
    return pairs


@pytest.mark.parametrize(("letter", "base"), _alphabet())
def test_every_vietnamese_letter_folds_to_its_base_letter(letter: str, base: str) -> None:
    assert fold(letter) == base


def test_d_with_stroke_is_folded_explicitly_though_unicode_does_not_decompose_it() -> None:
    assert fold("ĐĂNG KÝ đăng ký") == "dang ky dang ky"


def test_the_fold_keeps_length_so_a_match_in_it_is_a_match_in_the_text() -> None:
    text = "Quyết định số 123/QĐ-UBND về việc đăng ký"
    assert len(fold(text)) == len(text)
    assert fold(text) == "quyet dinh so 123/qd-ubnd ve viec dang ky"


def test_decomposed_input_folds_like_composed_input() -> None:
    assert fold("Quye\u0302\u0301t") == fold("Quyết") == "quyet"


def test_marked_form_is_lower_case_with_the_tone_on_the_new_place() -> None:
    assert marked("HOÀ BÌNH, Thuỷ lợi, khoẻ") == "hòa bình, thủy lợi, khỏe"
    assert marked("Quý") == "quý"  # qu + y: no diphthong to move


def test_words_are_runs_of_letters_and_digits() -> None:
    assert words("Số: 123/QĐ-UBND; ngày 05/3/2026 (v/v đăng_ký)") == [
        "số",
        "123",
        "qđ",
        "ubnd",
        "ngày",
        "05",
        "3",
        "2026",
        "v",
        "v",
        "đăng",
        "ký",
    ]


def test_a_query_word_without_marks_is_loose_and_one_with_marks_is_exact() -> None:
    assert parse("quyet định") == [Term(("quyet",), exact=False), Term(("định",), exact=True)]


def test_d_alone_makes_a_word_exact() -> None:
    (term,) = parse("Đan")
    assert term.exact and term.words == ("đan",) and term.folded == ("dan",)


def test_a_number_with_slashes_and_dashes_is_one_phrase() -> None:
    assert parse("123/QĐ-UBND") == [Term(("123", "qđ", "ubnd"), exact=True)]
    assert parse("123/qd-ubnd") == [Term(("123", "qd", "ubnd"), exact=False)]


def test_double_quotes_make_a_phrase() -> None:
    assert parse('"dang ky" ho') == [Term(("dang", "ky"), exact=False), Term(("ho",), False)]


@pytest.mark.parametrize("query", ["", "   ", "-- / ;", '""'])
def test_a_query_without_a_word_is_refused_saying_why(query: str) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        parse(query)


def test_the_snippet_shows_the_first_match_where_the_index_would_find_it() -> None:
    text = "Căn cứ Luật Tổ chức chính quyền địa phương; xét đề nghị về việc ĐĂNG KÝ hộ kinh doanh"
    shown = snippet([None, "không có", text], parse("dang ky"), width=10)
    assert shown == "…nghị về việc ĐĂNG KÝ hộ kinh…"  # whole words, on one line


def test_the_snippet_of_an_exact_word_skips_the_same_word_without_marks() -> None:
    text = "OCR đọc ra dang ky ở đây, còn ở đây là đăng ký thật"
    assert snippet([text], parse("dang ky"), width=5) == "…đọc ra dang ky ở…"
    assert snippet([text], parse("đăng ký"), width=5) == "…đây là đăng ký thật"


def test_no_snippet_when_no_text_matches() -> None:
    assert snippet(["một", None, ""], parse("hai")) == ""


# --- the ranking of the fields ----------------------------------------------------------


def _kept(*groups: str) -> tuple[str, str]:
    """Fields as the index keeps them (GROUPS in order), and their fold."""
    fields = GROUP_MARK.join(" ".join(words(g)) for g in groups)
    return fields, fold(fields)


def test_the_number_that_is_the_query_ranks_above_any_other_place() -> None:
    terms = parse("12/QĐ-UBND")
    assert rank(terms, *_kept("12/QĐ-UBND", "", "", "")) == (1, 4, 4)
    assert rank(terms, *_kept("5/TTr", "Sửa đổi 12/QĐ-UBND", "", "")) == (0, 4, 4)
    assert rank(terms, *_kept("112/QĐ-UBND", "", "", "")) == (0, 0, 0), "whole words only"
    assert rank(parse("QĐ-UBND"), *_kept("12/QĐ-UBND", "", "", "")) == (0, 4, 4)


def test_the_query_as_typed_counts_the_weight_of_the_best_group_holding_it_whole() -> None:
    scattered = _kept("7/STNMT", "Về chính sách đất đai", "Sở Tài nguyên và Môi trường", "")
    together = _kept("8/STC", "Về thuế", "Sở Tài chính", "")
    assert rank(parse("Sở Tài chính"), *scattered) == (0, 0, 4 + 2 + 2)
    assert rank(parse("Sở Tài chính"), *together) == (0, 2, 3 * 2)
    assert rank(parse("so tai chinh"), *together) > rank(parse("so tai chinh"), *scattered)


def test_each_term_counts_the_weight_of_the_best_group_holding_it() -> None:
    fields = _kept("7/CV", "Công văn về thuế", "Sở Tài chính", "UBND huyện, Sở Tài chính")
    assert rank(parse("so tai chinh"), *fields) == (0, 2, 3 * GROUP_WEIGHTS[2])
    assert rank(parse("cong van tai chinh"), *fields) == (0, 0, 2 * 4 + 2 * 2)
    assert rank(parse("ubnd huyen"), *fields) == (0, 1, 2 * GROUP_WEIGHTS[3])
    assert rank(parse("kryptonite"), *fields) == (0, 0, 0)


def test_a_term_with_marks_counts_only_where_it_has_them() -> None:
    fields = _kept("3/GM", "Giấy mời họp dòng họ", "", "UBND tỉnh Lâm Đồng")
    assert rank(parse("Đồng"), *fields) == (0, 1, 1), "not 'dòng' in the subject"
    assert rank(parse("dong"), *fields) == (0, 4, 4), "any 'dong' will do"
