"""Random but reproducible ND30 documents: `make_specs(n, seed)`, and two special letters.

Every choice comes from a `random.Random` seeded from the caller's seed, and today's date only
caps the range of dates (documents are never dated in the future), so a seed gives the same
documents on every machine whose clock is past LATEST_DATE.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from tests.docgen import render, vocab
from tests.docgen.agencies import Agency, random_agency, signature_lines
from tests.docgen.bodies import Body, Context, make_body
from tests.docgen.spec import BodyPara, DocSpec, FontName

EARLIEST_DATE = dt.date(2015, 1, 1)
LATEST_DATE = dt.date(2026, 9, 30)
NO_MARK = ""  # a `marks` override meaning "no mark" (None means "choose at random")


def make_specs(n: int, seed: int) -> list[DocSpec]:
    """`n` varied documents; the same `seed` always gives the same list."""
    rng = random.Random(seed)
    return [random_spec(random.Random(rng.getrandbits(64))) for _ in range(n)]


def random_spec(
    rng: random.Random,
    *,
    secrecy: str | None = None,
    urgency: str | None = None,
    pages: int | None = None,
) -> DocSpec:
    """One document; `secrecy`/`urgency`/`pages` force a choice (NO_MARK for no mark)."""
    agency = random_agency(rng)
    types = vocab.TYPES_BY_KIND[agency.kind]
    doc_type = rng.choices([t for t, _ in types], [w for _, w in types])[0]
    date = _date(rng, agency.latest)
    topic = rng.choice(vocab.TOPICS)
    subject = _subject(rng, doc_type, topic, agency, date)
    body = make_body(rng, Context(agency, doc_type, topic, subject, date))
    secrecy = _pick(secrecy, _secrecy(rng, doc_type))
    urgency = _pick(urgency, _urgency(rng, doc_type))
    cong_van = doc_type == "Công văn"
    unit = rng.choice(agency.units)  # the drafting unit: in a công văn's number and "Lưu"
    spec = DocSpec(
        number=_number(rng, agency, doc_type, date, unit, subject),
        date=date,
        place=agency.place,
        doc_type=doc_type,
        subject=subject,
        issuer=" ".join(agency.issuer_lines),
        parent_issuer=" ".join(agency.parent_lines) or None,
        urgency=urgency,
        secrecy=secrecy,
        recipients=_recipients(rng, agency, doc_type, unit),
        signer=person_name(rng),
        issuer_lines=agency.issuer_lines,
        parent_lines=agency.parent_lines,
        title=None if cong_van else doc_type.upper(),
        kinh_gui=_kinh_gui(rng, agency, doc_type),
        signature_lines=signature_lines(agency, doc_type, rng),
    )
    spec = _look(rng, spec)
    target = pages if pages is not None else rng.choices((1, 2), (7, 3))[0]
    return fit_pages(spec, body, target, rng)


def _pick(forced: str | None, chosen: str | None) -> str | None:
    if forced is None:
        return chosen
    return forced or None


def _date(rng: random.Random, latest: dt.date | None) -> dt.date:
    last = min(LATEST_DATE, dt.date.today(), latest or LATEST_DATE)
    return EARLIEST_DATE + dt.timedelta(days=rng.randint(0, (last - EARLIEST_DATE).days))


def _subject(rng: random.Random, doc_type: str, topic: str, agency: Agency, date: dt.date) -> str:
    template = rng.choice(vocab.SUBJECTS[doc_type])
    return template.format(
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        year=date.year,
        next=date.year + 1,
        end=date.year + rng.choice((2, 4, 5)),
        locality=agency.locality,
        short=agency.short,
        chief=agency.chief,
        quarter=rng.choice(("I", "II", "III", "IV")),
    )


def _number(
    rng: random.Random, agency: Agency, doc_type: str, date: dt.date, unit: str, subject: str
) -> str:
    """Số và ký hiệu: 15/KH-UBND, 245/UBND-VP (công văn), 10/2014/QĐ-UBND (quy phạm).

    The year goes in the number of legal-normative documents only: Thông tư, and the
    Quyết định / Nghị quyết of a province or district that lay down rules.
    """
    ceiling = {"central": 9000, "province": 5000, "district": 3000, "commune": 400}[agency.level]
    if agency.kind == "school":
        ceiling = 150
    n = rng.randint(1, int(ceiling * rng.choice((0.1, 0.4, 1.0))) + 1)
    serial = f"{n:02d}" if n < 10 else str(n)
    if doc_type == "Công văn":
        return f"{serial}/{agency.code}-{unit}"
    code = vocab.TYPE_CODES[doc_type]
    normative = doc_type == "Thông tư" or (
        doc_type in ("Quyết định", "Nghị quyết")
        and agency.kind in ("ubnd", "hdnd")
        and agency.level != "commune"
        and subject.startswith(("Ban hành Quy chế", "Quy định"))
        and rng.random() < 0.7
    )
    year = f"{date.year}/" if normative else ""
    return f"{serial}/{year}{code}-{agency.code}"


def _secrecy(rng: random.Random, doc_type: str) -> str | None:
    if doc_type in ("Giấy mời", "Thông tư", "Nghị quyết") or rng.random() > 0.03:
        return None
    return rng.choices(("Mật", "Tối mật", "Tuyệt mật"), (8, 2, 0.5))[0]


def _urgency(rng: random.Random, doc_type: str) -> str | None:
    chance = 0.7 if doc_type == "Công điện" else 0.1
    if doc_type in ("Thông tư", "Nghị quyết") or rng.random() > chance:
        return None
    return rng.choices(("Khẩn", "Thượng khẩn", "Hỏa tốc"), (6, 3, 1.5))[0]


def _recipients(rng: random.Random, agency: Agency, doc_type: str, unit: str) -> tuple[str, ...]:
    """2-6 "Nơi nhận" lines, always ending with "Lưu: VT" (and often the drafting unit)."""
    first = {"Quyết định": "Như Điều 3", "Công văn": "Như trên", "Tờ trình": "Như trên"}
    pool = {
        "central": vocab.RECIPIENTS_CENTRAL,
        "province": vocab.RECIPIENTS_PROVINCE,
        "district": vocab.RECIPIENTS_DISTRICT,
        "commune": vocab.RECIPIENTS_COMMUNE,
    }
    lead = [first[doc_type]] if doc_type in first else []
    others = rng.sample(pool[agency.level], k=rng.randint(1, 5 - len(lead)))
    archive = "Lưu: VT" if rng.random() < 0.35 else f"Lưu: VT, {unit}"
    return tuple(lead + [o.format(p=agency.province) for o in others] + [archive])


def _kinh_gui(rng: random.Random, agency: Agency, doc_type: str) -> tuple[str, ...]:
    if doc_type == "Tờ trình":
        return (agency.superior,)
    if doc_type not in ("Công văn", "Công điện"):
        return ()
    pool = vocab.ADDRESSEES[agency.level]
    return tuple(rng.sample(pool, k=rng.randint(1, min(3, len(pool)))))


def _look(rng: random.Random, spec: DocSpec) -> DocSpec:
    """Font, size, margins (within ND30's ranges) and whether a seal is stamped."""
    font: FontName = rng.choices(("liberation", "dejavu"), (3, 1))[0]
    size = 13.0 if font == "dejavu" else rng.choice((13.0, 14.0, 14.0))
    top, right, bottom, left = (round(rng.uniform(lo, lo + 5), 1) for lo in (20, 15, 20, 30))
    return replace(
        spec,
        font=font,
        font_size=size,
        seal=rng.random() < 0.6,
        margins_mm=(top, right, bottom, left),
    )


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.6:
        middle, given = rng.choice(vocab.MALE_MIDDLE), rng.choice(vocab.MALE_GIVEN)
    else:
        middle, given = rng.choice(vocab.FEMALE_MIDDLE), rng.choice(vocab.FEMALE_GIVEN)
    return f"{rng.choice(vocab.SURNAMES)} {middle} {given}"


def fit_pages(spec: DocSpec, body: Body, pages: int, rng: random.Random) -> DocSpec:
    """Take as many optional body paragraphs as fill `pages` pages, ending part-way down.

    Paragraph heights give a first guess without writing a PDF; a real layout confirms it.
    """
    full = replace(spec, body=body.take(len(body.extra)))
    fixed, heights, frame_h = render.heights(full)
    n_head, n_extra = len(body.head), len(body.extra)
    total = fixed + sum(heights[:n_head]) + sum(heights[n_head + n_extra :])
    target = (pages - 1 + rng.uniform(0.5, 0.92)) * frame_h
    k = 0
    while k < n_extra and total + heights[n_head + k] <= target:
        total += heights[n_head + k]
        k += 1
    for _ in range(n_extra + 2):
        candidate = replace(spec, body=body.take(k), pages=1)
        got = render.page_count(replace(candidate, seal=False))
        if got == pages or (got == 2 and k == 0):
            return replace(candidate, pages=got)
        k += 1 if got < pages else -1
        if k > n_extra:
            break
    raise render.LayoutError(f"cannot fill {pages} pages with {spec.doc_type} {spec.number}")


def secret_spec(seed: int = 30, secrecy: str = "Mật") -> DocSpec:
    """A document stamped with a secrecy mark (Mật by default): it must never be registered."""
    return random_spec(random.Random(seed), secrecy=secrecy, urgency=NO_MARK, pages=1)


def complaint_spec(seed: int = 124) -> DocSpec:
    """A citizen's "ĐƠN KHIẾU NẠI" (form 01, ND124/2020): national title, no agency, no Số."""
    rng = random.Random(seed)
    province = rng.choice(sorted(vocab.PROVINCES))
    kind, district = rng.choice(vocab.PROVINCES[province])
    ckind, commune = rng.choice(vocab.COMMUNES)
    name = person_name(rng)
    date = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1600))
    decision = f"{rng.randint(100, 3999)}/QĐ-UBND"
    reason = rng.choice(vocab.COMPLAINTS)
    body = (
        BodyPara(f"Họ và tên người khiếu nại: {name}."),
        BodyPara(
            f"Địa chỉ: thôn {rng.randint(1, 9)}, {ckind} {commune}, {kind} {district}, "
            f"tỉnh {province}."
        ),
        BodyPara(
            f"Số Căn cước công dân: 0{rng.randint(10**10, 10**11 - 1)}, cấp ngày "
            f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{date.year - 3}."
        ),
        BodyPara(
            f"Khiếu nại Quyết định số {decision} ngày {rng.randint(1, 28)}/"
            f"{rng.randint(1, 12)}/{date.year} của Chủ tịch Ủy ban nhân dân {kind} "
            f"{district} về việc {reason}."
        ),
        BodyPara(
            "Nội dung khiếu nại: Quyết định nêu trên chưa đúng quy định của pháp luật, làm "
            "ảnh hưởng trực tiếp đến quyền và lợi ích hợp pháp của gia đình tôi. Đề nghị "
            "xem xét, giải quyết lại theo đúng quy định."
        ),
        BodyPara(
            "Tôi xin cam đoan những nội dung trình bày trên là đúng sự thật và xin chịu "
            "trách nhiệm trước pháp luật./."
        ),
    )
    return DocSpec(
        number=None,
        date=date,
        place=district,
        doc_type="Đơn khiếu nại",
        subject=None,
        issuer=None,
        parent_issuer=None,
        urgency=None,
        secrecy=None,
        recipients=(),
        signer=name,
        title="ĐƠN KHIẾU NẠI",
        kinh_gui=(f"Chủ tịch Ủy ban nhân dân {kind} {district}",),
        body=body,
        signature_lines=("NGƯỜI KHIẾU NẠI", "(Ký và ghi rõ họ tên)"),
        kind="letter",
    )
