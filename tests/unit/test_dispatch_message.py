"""The email of one delivery: subject, file name, body, and encoding that survives a round trip."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import re
import unicodedata
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from daemon.dispatch.message import (
    MAX_NAME_BYTES,
    Letter,
    attachment_name,
    build_message,
    new_message_id,
    subject_line,
)

CONG_VAN = Letter(
    number="27/UBND-VP",
    date=dt.date(2021, 3, 15),
    doc_type="Công văn",
    subject="V/v đăng ký nhu cầu mua sắm tài sản năm 2021",
    sender_office="Ủy ban nhân dân huyện Khánh Sơn",
    recipient="Sở Tài chính tỉnh Khánh Hòa",
)
QUYET_DINH = Letter(
    number="68/QĐ-UBND",
    date=dt.date(2021, 4, 2),
    doc_type="Quyết định",
    subject="Ban hành Quy chế làm việc của Ủy ban nhân dân huyện",
    sender_office="Ủy ban nhân dân huyện Khánh Sơn",
    recipient="Sở Nội vụ tỉnh Khánh Hòa",
)
HANOI = dt.timezone(dt.timedelta(hours=7))
PDF = b"%PDF-1.7\n%signed\n" + bytes(range(256)) * 20 + b"\n%%EOF\n"


def letter(**changes: object) -> Letter:
    values = {**CONG_VAN.__dict__, **changes}
    return Letter(**values)  # type: ignore[arg-type]


def mail(item: Letter = CONG_VAN, **overrides: object) -> EmailMessage:
    arguments: dict[str, object] = {
        "from_address": "vanthu@khanhson.khanhhoa.gov.vn",
        "from_name": "Văn thư UBND huyện Khánh Sơn",
        "to_address": "vanthu@stc.khanhhoa.gov.vn",
        "to_name": "Văn thư Sở Tài chính tỉnh Khánh Hòa",
        "message_id": "<abc123@khanhson.khanhhoa.gov.vn>",
        "when": dt.datetime(2021, 3, 15, 9, 30, tzinfo=HANOI),
        **overrides,
    }
    return build_message(item, PDF, **arguments)  # type: ignore[arg-type]


def parse(message: EmailMessage) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert isinstance(parsed, EmailMessage)
    return parsed


# -- subject line ---------------------------------------------------------------------------------


def test_a_cong_van_subject_is_its_number_in_brackets_and_its_summary() -> None:
    assert subject_line(CONG_VAN) == "[27/UBND-VP] V/v đăng ký nhu cầu mua sắm tài sản năm 2021"


def test_other_types_are_named_before_their_summary() -> None:
    assert subject_line(QUYET_DINH) == (
        "[68/QĐ-UBND] Quyết định ban hành Quy chế làm việc của Ủy ban nhân dân huyện"
    )


def test_a_summary_that_already_names_its_type_is_not_named_twice() -> None:
    item = letter(doc_type="Kế hoạch", subject="Kế hoạch phòng chống thiên tai năm 2024")

    assert subject_line(item) == "[27/UBND-VP] Kế hoạch phòng chống thiên tai năm 2024"


def test_an_abbreviation_after_the_type_keeps_its_capitals() -> None:
    item = letter(doc_type="Tờ trình", subject="UBND huyện đề nghị bổ sung kinh phí")

    assert subject_line(item) == "[27/UBND-VP] Tờ trình UBND huyện đề nghị bổ sung kinh phí"


def test_without_a_number_there_are_no_brackets() -> None:
    assert subject_line(letter(number=None)) == "V/v đăng ký nhu cầu mua sắm tài sản năm 2021"


def test_without_a_summary_the_type_names_the_document() -> None:
    assert subject_line(letter(subject=None)) == "[27/UBND-VP] Công văn"
    assert subject_line(letter(subject=None, doc_type=None, number=None)) == "Văn bản"


def test_the_subject_is_one_line_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "V/v  đăng ký\nnhu cầu\tmua sắm")

    line = subject_line(letter(subject=decomposed))

    assert line == "[27/UBND-VP] V/v đăng ký nhu cầu mua sắm"
    assert unicodedata.is_normalized("NFC", line)


# -- attachment name ------------------------------------------------------------------------------


def test_the_attachment_is_named_by_number_and_summary_without_slashes() -> None:
    assert (
        attachment_name(CONG_VAN) == "27-UBND-VP V-v đăng ký nhu cầu mua sắm tài sản năm 2021.pdf"
    )
    assert attachment_name(QUYET_DINH) == (
        "68-QĐ-UBND Quyết định ban hành Quy chế làm việc của Ủy ban nhân dân huyện.pdf"
    )


@pytest.mark.parametrize(
    "summary",
    [
        'V/v "khẩn": kiểm tra <nội dung> | báo cáo? * \\ hạn',
        "V/v\x00 ký tự\x07 điều khiển\u200b ẩn",
        "../../etc/passwd",
        "V/v báo cáo. . .",
    ],
)
def test_the_attachment_name_has_no_character_windows_refuses(summary: str) -> None:
    name = attachment_name(letter(subject=summary))

    assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name)
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)
    assert name.endswith(".pdf") and not name[:-4].endswith((" ", "."))


def test_a_long_summary_is_cut_at_a_word_to_a_safe_length() -> None:
    long_summary = "V/v " + " ".join(["triển khai thực hiện nghị quyết của Hội đồng nhân dân"] * 9)

    name = attachment_name(letter(subject=long_summary))

    full = "27-UBND-VP " + long_summary.replace("/", "-")
    stem = name.removesuffix(".pdf")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.endswith(".pdf") and full.startswith(stem)
    assert full[len(stem)] == " "  # cut between two words
    assert len(stem) > 40


def test_the_attachment_name_is_nfc() -> None:
    name = attachment_name(letter(subject=unicodedata.normalize("NFD", "V/v kiểm định")))

    assert unicodedata.is_normalized("NFC", name)


def test_a_windows_device_name_is_not_used_as_a_file_name() -> None:
    assert attachment_name(letter(number=None, doc_type=None, subject="NUL")) == "Văn bản NUL.pdf"


# -- message id -----------------------------------------------------------------------------------


def test_message_ids_are_unique_and_on_the_office_domain() -> None:
    ids = {new_message_id("KhanhSon.KhanhHoa.gov.vn") for _ in range(1000)}

    assert len(ids) == 1000
    assert all(re.fullmatch(r"<[0-9a-f]{32}@khanhson\.khanhhoa\.gov\.vn>", i) for i in ids)


@pytest.mark.parametrize("domain", ["", "not a domain", "a..b", "<x>@y"])
def test_a_message_id_needs_a_real_domain(domain: str) -> None:
    with pytest.raises(ValueError):
        new_message_id(domain)


# -- the message ----------------------------------------------------------------------------------


def test_the_message_carries_addresses_date_id_and_subject() -> None:
    parsed = parse(mail())

    assert parsed["Subject"] == subject_line(CONG_VAN)
    assert parsed["To"].addresses[0].addr_spec == "vanthu@stc.khanhhoa.gov.vn"
    assert parsed["From"].addresses[0].addr_spec == "vanthu@khanhson.khanhhoa.gov.vn"
    assert parsed["Date"] == "Mon, 15 Mar 2021 09:30:00 +0700"
    assert parsed["Message-ID"] == "<abc123@khanhson.khanhhoa.gov.vn>"


def test_the_body_names_the_document_and_says_the_attachment_is_the_signed_original() -> None:
    body = parse(mail()).get_body(("plain",))
    assert body is not None
    text = body.get_content()

    assert text.startswith("Kính gửi: Sở Tài chính tỉnh Khánh Hòa.")
    for expected in (
        "Số và ký hiệu: 27/UBND-VP",
        "Ngày ban hành: 15/03/2021",
        "Trích yếu: V/v đăng ký nhu cầu mua sắm tài sản năm 2021",
        "Ủy ban nhân dân huyện Khánh Sơn gửi văn bản",
        "văn bản điện tử có chữ ký số",
    ):
        assert expected in text


def test_the_pdf_is_attached_intact_under_its_readable_name() -> None:
    (attachment,) = parse(mail()).iter_attachments()

    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == attachment_name(CONG_VAN)
    assert attachment.get_content() == PDF


def test_the_message_is_7bit_with_encoded_headers_and_an_rfc2231_file_name() -> None:
    raw = mail().as_bytes()

    assert raw.isascii()
    assert b"Subject: =?utf-8?" in raw
    assert b"filename*0*=utf-8''27-UBND-VP" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_a_date_without_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        mail(when=dt.datetime(2021, 3, 15, 9, 30))


def test_an_ascii_sender_name_is_quoted_when_needed() -> None:
    parsed = parse(mail(from_name="Van thu, UBND"))

    assert parsed["From"].addresses[0].display_name == "Van thu, UBND"


# -- encoding round trip (CPython gh-92081) -------------------------------------------------------

_TEXT = (
    "của Ủy ban nhân dân tỉnh Khánh Hòa về việc đăng ký nhu cầu mua sắm tài sản năm 2021 "
    "triển khai thực hiện Nghị quyết số 27/NQ-HĐND ban hành Quy chế phối hợp quản lý nhà nước "
    "đối với hoạt động xuất nhập khẩu “hàng hóa” trên địa bàn (huyện) Khánh Sơn; các cơ quan, "
    "đơn vị Ủy Ấp Đắk Lắk Thừa Thiên Huế ĐỀ NGHỊ KHẨN 100% kinh phí năm 2024-2025 Sở Tài chính"
)
_WORDS = _TEXT.split()


def random_subject(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 70))]
    return "V/v " + " ".join(words)


def test_hundreds_of_long_vietnamese_subjects_survive_a_round_trip_exactly() -> None:
    rng = random.Random(92081)
    for _ in range(300):
        item = letter(subject=random_subject(rng), doc_type=rng.choice(["Công văn", "Tờ trình"]))

        parsed = parse(mail(item))

        assert parsed["Subject"] == subject_line(item)
        assert [a.get_filename() for a in parsed.iter_attachments()] == [attachment_name(item)]


def test_long_vietnamese_sender_names_survive_a_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(50):
        name = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 20)))

        parsed = parse(mail(from_name=name))

        raw_from = next(value for key, value in parsed.raw_items() if key == "From")
        display_name = email.utils.getaddresses([str(raw_from)])[0][0]
        assert str(make_header(decode_header(display_name))) == name
