"""The accuracy benchmark's scoring: exact match, character error rate, recipients F1."""

from __future__ import annotations

from bench.accuracy import Miss, Tally, edit_distance, norm_recipient, recipient_counts, verdicts


def test_edit_distance() -> None:
    assert edit_distance("", "") == 0
    assert edit_distance("hòa", "hoà") == 2  # NFC letters differ, the accent moved
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("Sở Y tế", "") == 7


def test_recipients_match_after_normalising_dashes_and_punctuation() -> None:
    assert norm_recipient("– Lưu: VT,VP.") == norm_recipient("Lưu: VT, VP")
    assert norm_recipient("Sở Tài chính;") == "sở tài chính"
    assert recipient_counts(["Như trên", "Lưu: VT"], ["Như trên.", "Lưu VT", "UBND"]) == (1, 3, 2)


def _truth(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "number": "15/KH-UBND",
        "date": "2024-03-05",
        "doc_type": "Kế hoạch",
        "subject": "Về việc A",
        "issuer": "SỞ Y TẾ",
        "signer": "Lê Văn An",
        "recipients": ["Như trên", "Lưu: VT"],
    }
    return base | kw


def test_tally_scores_and_flags_confident_errors() -> None:
    tally, misses = Tally(), []  # type: ignore[var-annotated]
    conf = {"number": 0.9, "date": 0.9, "doc_type": 0.9, "subject": 0.3, "issuer": 0.9}
    tally.add("a", _truth(), _truth(confidence=conf), 0.6, misses)
    got = _truth(number="15/KH-UBNO", subject="Về viec A", recipients=["Như trên"], confidence=conf)
    tally.add("b", _truth(), got, 0.6, misses)
    figures = tally.figures()
    assert figures["number"] == 0.5 and figures["date"] == 1.0
    assert figures["cer:subject"] == 1 / 18
    assert figures["recipients_f1"] == 2 * 3 / (3 + 4)
    assert tally.wrong_but_sure == 1  # the number, read wrong at 0.9
    assert tally.right_but_unsure == 1  # document a's subject, right at 0.3
    assert tally.review_docs == 2
    assert {m.field for m in misses} == {"number", "subject", "recipients"}
    assert all(isinstance(m, Miss) and m.file == "b" for m in misses)


def test_verdicts_against_targets() -> None:
    scan = verdicts("scan", {"number": 0.97, "place": 0.5, "cer:subject": 0.01})
    assert scan["number"]["pass"] is False
    assert scan["place"]["pass"] is None  # no target: information only
    assert scan["cer:subject"]["pass"] is True
    digital = verdicts("digital", {"place": 0.99, "cer:issuer": 0.0})
    assert digital["place"]["pass"] is False and digital["cer:issuer"]["pass"] is True


def test_silent_errors_and_zero_touch() -> None:
    tally, sure = Tally(), {k: 0.9 for k in ("number", "date", "doc_type", "subject", "issuer")}
    sure["secrecy"] = 0.9
    tally.add("right", _truth(), _truth(confidence=sure), 0.6, [])
    tally.add("wrong-sure", _truth(), _truth(issuer="SỞ Y TÊ", confidence=sure), 0.6, [])
    unsure = sure | {"issuer": 0.4}
    tally.add("wrong-flagged", _truth(), _truth(issuer="SỞ Y TÊ", confidence=unsure), 0.6, [])
    held = sure | {"secrecy": 0.5}  # secrecy unread: held for the clerk, not registered
    tally.add("held", _truth(), _truth(subject="x", confidence=held), 0.6, [])
    tally.add("unreadable", _truth(), {}, 0.6, [])
    tally.add("alarm", _truth(), _truth(confidence=sure | {"subject": 0.5}), 0.6, [])
    figures = tally.figures()
    assert figures["silent_errors"] == 1 and tally.silent == 1
    assert figures["zero_touch"] == 1 / 6
    # Right on every key field, yet flagged: what asked, and nothing for the wrong or unread.
    assert tally.false_alarms == [("alarm", {"subject": 0.5})]


def test_old_copier_targets_follow_the_office_figures() -> None:
    office = {"number": 0.99, "subject": 0.9, "cer:subject": 0.02, "zero_touch": 0.95}
    copier = verdicts("copier", {"number": 0.90, "subject": 0.79, "zero_touch": 0.71}, office)
    assert copier["number"]["pass"] is True and copier["subject"]["pass"] is False
    assert copier["zero_touch"]["pass"] is True  # its own target: 70%
    assert verdicts("stamp=stamp", {"number": 0.5})["number"]["target"] is None
