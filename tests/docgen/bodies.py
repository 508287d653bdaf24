"""Body text for each type of document, as an ND30 office would write it.

A body is `head + extra[:k] + tail`: the caller picks k so the document fills the page count it
wants. Bodies deliberately carry the traps of real ones: "Căn cứ Nghị định số 30/2020/NĐ-CP
ngày 05 tháng 3 năm 2020" and "Công văn số 1234/UBND-KT ngày 15/3/2021" are numbers and dates
that are not the document's own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from tests.docgen.agencies import Agency
from tests.docgen.spec import BodyPara

# (in force from, text) for "Căn cứ" lines; only laws older than the document are cited.
LEGAL_BASES: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2005, 11, 29), "Luật Giao dịch điện tử ngày 29 tháng 11 năm 2005"),
    (dt.date(2006, 6, 29), "Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006"),
    (dt.date(2011, 11, 11), "Luật Lưu trữ ngày 11 tháng 11 năm 2011"),
    (dt.date(2013, 11, 29), "Luật Đất đai ngày 29 tháng 11 năm 2013"),
    (dt.date(2015, 6, 25), "Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015"),
    (dt.date(2015, 6, 22), "Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015"),
    (
        dt.date(2018, 4, 23),
        "Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ "
        "về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết "
        "thủ tục hành chính",
    ),
    (
        dt.date(2019, 11, 22),
        "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và "
        "Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
    ),
    (
        dt.date(2020, 3, 5),
        "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
    ),
    (
        dt.date(2020, 4, 8),
        "Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về "
        "thực hiện thủ tục hành chính trên môi trường điện tử",
    ),
    (dt.date(2022, 6, 15), "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"),
)
LOCAL_GOVERNMENT_LAW = "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
GOVERNMENT_LAW = "Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015"

SENTENCES: tuple[str, ...] = (
    "Tiếp tục quán triệt, triển khai thực hiện nghiêm túc các văn bản chỉ đạo của cấp trên "
    "về {topic}.",
    "Tăng cường công tác tuyên truyền, nâng cao nhận thức của cán bộ, công chức và Nhân dân "
    "về {topic}.",
    "Rà soát, đánh giá kết quả thực hiện {topic} trong thời gian qua, chỉ rõ những tồn tại, "
    "hạn chế và nguyên nhân.",
    "Phân công cụ thể nhiệm vụ cho từng cơ quan, đơn vị, cá nhân, gắn với trách nhiệm của "
    "người đứng đầu.",
    "Định kỳ hằng quý, tổng hợp kết quả thực hiện, báo cáo {superior} trước ngày 20 của tháng "
    "cuối quý.",
    "Bố trí kinh phí từ nguồn ngân sách nhà nước năm {year} và các nguồn huy động hợp pháp "
    "khác để thực hiện.",
    "Kịp thời phát hiện, xử lý nghiêm các trường hợp vi phạm theo quy định của pháp luật.",
    "Phối hợp chặt chẽ với các cơ quan, đơn vị liên quan trong quá trình tổ chức thực hiện.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh kịp "
    "thời về {short} để xem xét, giải quyết.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong quản lý, điều hành và giải "
    "quyết thủ tục hành chính.",
    "Năm {year}, phấn đấu hoàn thành {pct}% chỉ tiêu được giao về {topic} trên địa bàn {locality}.",
    "Kết quả cụ thể: đã tổ chức {pct} hội nghị, lớp tập huấn với trên {n2} lượt người tham gia.",
    "Tuy nhiên, việc triển khai ở một số cơ quan, đơn vị còn chậm, chất lượng chưa cao, chưa "
    "đáp ứng yêu cầu đề ra.",
    "Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm về kết quả thực hiện nhiệm vụ được giao.",
    "Kiểm tra, đôn đốc việc thực hiện; đề xuất khen thưởng các tập thể, cá nhân có thành tích "
    "xuất sắc.",
    "Bảo đảm chế độ thông tin, báo cáo đúng thời gian và đầy đủ nội dung theo yêu cầu.",
    "Chủ động xây dựng kế hoạch chi tiết, xác định rõ lộ trình, thời gian hoàn thành và sản "
    "phẩm cụ thể.",
    "Đến nay đã tiếp nhận {n2} hồ sơ, giải quyết đúng hạn {n1} hồ sơ, đạt tỷ lệ {pct}%.",
    "Người đứng đầu cơ quan, đơn vị trực tiếp chỉ đạo và chịu trách nhiệm về kết quả {topic} "
    "tại cơ quan, đơn vị mình.",
    "Công khai kết quả thực hiện trên Cổng thông tin điện tử để các tổ chức, cá nhân biết, "
    "giám sát.",
    "Lồng ghép việc thực hiện {topic} với các chương trình, đề án khác đang triển khai trên "
    "địa bàn {locality}.",
    "Nguyên nhân chủ yếu là do một số cơ quan, đơn vị chưa quan tâm đúng mức; công tác phối "
    "hợp có lúc chưa chặt chẽ.",
    "Tổng kinh phí thực hiện năm {year} là {n2} triệu đồng, từ nguồn ngân sách tỉnh và ngân "
    "sách địa phương.",
    "Tổ chức sơ kết 6 tháng, tổng kết năm để đánh giá kết quả, rút kinh nghiệm và đề ra "
    "nhiệm vụ cho thời gian tiếp theo.",
    "Hướng dẫn, hỗ trợ các cơ quan, đơn vị tháo gỡ khó khăn, vướng mắc phát sinh trong quá "
    "trình thực hiện.",
    "Rà soát, kiện toàn đội ngũ cán bộ, công chức làm công tác {topic}, bảo đảm đủ số lượng "
    "và chất lượng.",
)


@dataclass(frozen=True)
class Body:
    head: tuple[BodyPara, ...]
    extra: tuple[BodyPara, ...]  # optional middle paragraphs, used in order
    tail: tuple[BodyPara, ...]

    def take(self, k: int) -> tuple[BodyPara, ...]:
        return self.head + self.extra[:k] + self.tail


@dataclass(frozen=True)
class Context:
    agency: Agency
    doc_type: str
    topic: str
    subject: str
    date: dt.date


def short_date(d: dt.date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def earlier(rng: random.Random, d: dt.date, max_days: int = 200) -> dt.date:
    return d - dt.timedelta(days=rng.randint(3, max_days))


def reference(rng: random.Random, ctx: Context) -> str:
    """A superior's document this one answers: a number and a date that are not ours."""
    kind = rng.choice(("Công văn", "Kế hoạch", "Quyết định"))
    code = {"Công văn": "", "Kế hoạch": "KH-", "Quyết định": "QĐ-"}[kind]
    issuer = ctx.agency.superior_code
    unit = "-" + rng.choice(("KT", "TH", "VX", "NC")) if kind == "Công văn" else ""
    when = earlier(rng, ctx.date)
    return (
        f"{kind} số {rng.randint(11, 4999)}/{code}{issuer}{unit} ngày {short_date(when)} "
        f"của {ctx.agency.superior} về {ctx.topic}"
    )


def sentence(rng: random.Random, ctx: Context, index: int | None = None) -> str:
    n2 = rng.randint(120, 4800)
    template = SENTENCES[rng.randrange(len(SENTENCES)) if index is None else index]
    return template.format(
        topic=ctx.topic,
        superior=ctx.agency.superior,
        short=ctx.agency.short,
        year=ctx.date.year,
        locality=ctx.agency.locality,
        pct=rng.randint(85, 100),
        n1=rng.randint(n2 // 2, n2),
        n2=n2,
    )


def fillers(
    rng: random.Random, ctx: Context, count: int, style: str = "num", start: int = 1
) -> tuple[BodyPara, ...]:
    """`count` paragraphs of 2-4 sentences, numbered from `start` ("1." / "-" by `style`)."""
    sizes = [rng.randint(2, 4) for _ in range(count)]
    deck: list[int] = []  # deal sentences from reshuffled decks: few repeats, none adjacent-ish
    while len(deck) < sum(sizes):
        deck += rng.sample(range(len(SENTENCES)), len(SENTENCES))
    out = []
    for i, size in enumerate(sizes):
        text = " ".join(sentence(rng, ctx, deck.pop()) for _ in range(size))
        mark = f"{start + i}. " if style == "num" else "- "
        out.append(BodyPara(mark + text))
    return tuple(out)


def legal_bases(rng: random.Random, ctx: Context) -> list[BodyPara]:
    first = GOVERNMENT_LAW if ctx.agency.level == "central" else LOCAL_GOVERNMENT_LAW
    known = [text for since, text in LEGAL_BASES if since < ctx.date]
    cited = [first, *rng.sample(known, k=min(len(known), rng.randint(1, 3)))]
    return [BodyPara(f"Căn cứ {text};") for text in cited]


def _decision(rng: random.Random, ctx: Context) -> Body:
    a = ctx.agency
    authority = (f"{a.head} {a.name}" if rng.random() < 0.4 else a.name).upper()
    head = [
        BodyPara(authority, "heading"),
        *legal_bases(rng, ctx),
        BodyPara(
            f"Theo đề nghị của Chánh Văn phòng tại Tờ trình số {rng.randint(5, 480)}/"
            f"TTr-VP ngày {short_date(earlier(rng, ctx.date, 30))}."
        ),
    ]
    head += [
        BodyPara("QUYẾT ĐỊNH:", "heading"),
        BodyPara(f"Điều 1. {_action(ctx.subject)}, với các nội dung chủ yếu sau:", "article"),
        *fillers(rng, ctx, 1),
    ]
    tail = (
        BodyPara("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "article"),
        BodyPara(
            "Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và cá nhân có liên "
            "quan chịu trách nhiệm thi hành Quyết định này./.",
            "article",
        ),
    )
    return Body(tuple(head), fillers(rng, ctx, 14, start=2), tail)


def _action(subject: str) -> str:
    """ "Về việc phê duyệt X" -> "Phê duyệt X" for the first article."""
    action = subject.removeprefix("Về việc ")
    return action[0].upper() + action[1:]


def _resolution(rng: random.Random, ctx: Context) -> Body:
    term = rng.choice(("KHÓA XVII", "KHÓA XVIII", "KHÓA X", "KHÓA XI"))
    head = [
        BodyPara(ctx.agency.name.upper(), "heading"),
        BodyPara(f"{term}, KỲ HỌP THỨ {rng.randint(2, 25)}", "heading"),
        *legal_bases(rng, ctx),
        BodyPara(
            f"Xét Tờ trình số {rng.randint(10, 300)}/TTr-UBND ngày "
            f"{short_date(earlier(rng, ctx.date, 40))} của Ủy ban nhân dân tỉnh; Báo "
            f"cáo thẩm tra của Ban Kinh tế - Ngân sách; ý kiến thảo luận của đại biểu "
            f"Hội đồng nhân dân tỉnh tại kỳ họp."
        ),
        BodyPara("QUYẾT NGHỊ:", "heading"),
        BodyPara(f"Điều 1. {_action(ctx.subject)}, cụ thể như sau:", "article"),
        *fillers(rng, ctx, 1),
    ]
    tail = (
        BodyPara("Điều 2. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.", "article"),
        BodyPara(
            f"Điều 3. Nghị quyết này có hiệu lực từ ngày {short_date(ctx.date)}./.", "article"
        ),
    )
    return Body(tuple(head), fillers(rng, ctx, 14, start=2), tail)


def _circular(rng: random.Random, ctx: Context) -> Body:
    head = [
        *legal_bases(rng, ctx),
        BodyPara("Theo đề nghị của Vụ trưởng Vụ Pháp chế;"),
        BodyPara(
            f"Bộ trưởng {ctx.agency.name} ban hành Thông tư {ctx.subject[0].lower()}"
            f"{ctx.subject[1:]}."
        ),
        BodyPara("Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng", "article"),
        *fillers(rng, ctx, 1),
    ]
    tail = (
        BodyPara(
            f"Điều 2. Thông tư này có hiệu lực thi hành kể từ ngày "
            f"{short_date(ctx.date + dt.timedelta(days=45))}./.",
            "article",
        ),
    )
    return Body(tuple(head), fillers(rng, ctx, 14, start=2), tail)


def _plan(rng: random.Random, ctx: Context) -> Body:
    first, second, third = {
        "Báo cáo": ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ THỜI GIAN TỚI"),
        "Hướng dẫn": ("I. YÊU CẦU CHUNG", "II. NỘI DUNG HƯỚNG DẪN", "III. TỔ CHỨC THỰC HIỆN"),
    }.get(ctx.doc_type, ("I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN"))
    verb = "báo cáo" if ctx.doc_type == "Báo cáo" else f"ban hành {ctx.doc_type} {ctx.topic}"
    head = (
        BodyPara(f"Thực hiện {reference(rng, ctx)}, {ctx.agency.short} {verb} như sau:"),
        BodyPara(first, "section"),
        *fillers(rng, ctx, 1, "dash"),
        BodyPara(second, "section"),
        *fillers(rng, ctx, 1),
    )
    closing = (
        f"Trên đây là {ctx.doc_type.lower()} của {ctx.agency.short}./."
        if ctx.doc_type == "Báo cáo"
        else f"Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện "
        f"{ctx.doc_type.lower()} này./."
    )
    tail = (BodyPara(third, "section"), BodyPara(sentence(rng, ctx)), BodyPara(closing))
    return Body(head, fillers(rng, ctx, 14, start=2), tail)


def _letter(rng: random.Random, ctx: Context) -> Body:
    """Công văn, Tờ trình, Thông báo, Chỉ thị, Công điện: prose between an opening and a close."""
    opening = f"Thực hiện {reference(rng, ctx)}, {ctx.agency.short} "
    opening += {
        "Tờ trình": "kính trình xem xét một số nội dung sau:",
        "Thông báo": "thông báo như sau:",
        "Chỉ thị": "yêu cầu các cơ quan, đơn vị thực hiện tốt các nhiệm vụ sau:",
    }.get(ctx.doc_type, "đề nghị các cơ quan, đơn vị triển khai thực hiện một số nội dung sau:")
    closing = {
        "Tờ trình": f"{ctx.agency.short} kính trình {ctx.agency.superior} xem xét, quyết định./.",
        "Thông báo": f"{ctx.agency.short} thông báo để các cơ quan, đơn vị biết, thực hiện./.",
    }.get(ctx.doc_type, "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.")
    head = (BodyPara(opening), *fillers(rng, ctx, 1))
    return Body(head, fillers(rng, ctx, 14, start=2), (BodyPara(closing),))


def _invitation(rng: random.Random, ctx: Context) -> Body:
    when = ctx.date + dt.timedelta(days=rng.randint(2, 10))
    head = (
        BodyPara(
            f"{ctx.agency.short} trân trọng kính mời đại diện lãnh đạo các cơ quan, đơn "
            f"vị có liên quan {ctx.subject[0].lower()}{ctx.subject[1:]}."
        ),
        BodyPara(
            f"Thời gian: {rng.choice(('07 giờ 30', '08 giờ 00', '14 giờ 00'))}, ngày "
            f"{short_date(when)}."
        ),
        BodyPara(f"Địa điểm: Hội trường {ctx.agency.short}."),
    )
    tail = (
        BodyPara("Đề nghị các đại biểu chuẩn bị ý kiến phát biểu và tham dự đúng thời gian./."),
    )
    return Body(head, fillers(rng, ctx, 8, "dash"), tail)


BUILDERS: dict[str, Callable[[random.Random, Context], Body]] = {
    "Quyết định": _decision,
    "Nghị quyết": _resolution,
    "Thông tư": _circular,
    "Kế hoạch": _plan,
    "Báo cáo": _plan,
    "Hướng dẫn": _plan,
    "Chương trình": _plan,
    "Phương án": _plan,
    "Đề án": _plan,
    "Giấy mời": _invitation,
}


def make_body(rng: random.Random, ctx: Context) -> Body:
    return BUILDERS.get(ctx.doc_type, _letter)(rng, ctx)
