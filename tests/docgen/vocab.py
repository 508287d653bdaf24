"""Word lists for generated documents: places, agencies, types, topics, people.

Plain data, no logic. Names are real Vietnamese administrative units (as they were before the
2025 reorganisation, which the generator respects by dating district documents before July
2025); ký hiệu abbreviations follow ND30 Phụ lục III.
"""

from __future__ import annotations

# Province -> its districts as (kind, name); kind is huyện / thị xã / thành phố.
PROVINCES: dict[str, tuple[tuple[str, str], ...]] = {
    "Khánh Hòa": (
        ("huyện", "Khánh Sơn"),
        ("huyện", "Khánh Vĩnh"),
        ("huyện", "Diên Khánh"),
        ("huyện", "Cam Lâm"),
        ("thành phố", "Nha Trang"),
        ("thị xã", "Ninh Hòa"),
    ),
    "Bình Định": (
        ("huyện", "Tây Sơn"),
        ("huyện", "Phù Cát"),
        ("huyện", "An Lão"),
        ("thị xã", "Hoài Nhơn"),
        ("thành phố", "Quy Nhơn"),
    ),
    "Thanh Hóa": (
        ("thị xã", "Bỉm Sơn"),
        ("huyện", "Nga Sơn"),
        ("huyện", "Thọ Xuân"),
        ("huyện", "Quảng Xương"),
        ("huyện", "Cẩm Thủy"),
    ),
    "Bắc Giang": (
        ("huyện", "Hiệp Hòa"),
        ("huyện", "Lục Nam"),
        ("huyện", "Yên Thế"),
        ("huyện", "Lạng Giang"),
    ),
    "Nghệ An": (
        ("huyện", "Diễn Châu"),
        ("huyện", "Quỳnh Lưu"),
        ("huyện", "Nghi Lộc"),
        ("thị xã", "Cửa Lò"),
        ("huyện", "Thanh Chương"),
    ),
    "Quảng Nam": (
        ("huyện", "Duy Xuyên"),
        ("huyện", "Thăng Bình"),
        ("huyện", "Núi Thành"),
        ("thị xã", "Điện Bàn"),
        ("thành phố", "Hội An"),
    ),
    "Lâm Đồng": (
        ("huyện", "Đức Trọng"),
        ("huyện", "Di Linh"),
        ("huyện", "Lâm Hà"),
        ("thành phố", "Bảo Lộc"),
    ),
    "Đồng Tháp": (
        ("huyện", "Tháp Mười"),
        ("huyện", "Lai Vung"),
        ("huyện", "Tam Nông"),
        ("thành phố", "Sa Đéc"),
    ),
    "Thái Bình": (
        ("huyện", "Kiến Xương"),
        ("huyện", "Tiền Hải"),
        ("huyện", "Vũ Thư"),
        ("huyện", "Quỳnh Phụ"),
    ),
    "Hà Tĩnh": (
        ("huyện", "Cẩm Xuyên"),
        ("thị xã", "Kỳ Anh"),
        ("huyện", "Hương Khê"),
        ("huyện", "Đức Thọ"),
    ),
    "Phú Thọ": (
        ("huyện", "Lâm Thao"),
        ("huyện", "Thanh Sơn"),
        ("huyện", "Phù Ninh"),
        ("huyện", "Hạ Hòa"),
    ),
    "Tuyên Quang": (("huyện", "Sơn Dương"), ("huyện", "Yên Sơn"), ("huyện", "Hàm Yên")),
    "Sóc Trăng": (("huyện", "Mỹ Tú"), ("huyện", "Kế Sách"), ("thị xã", "Vĩnh Châu")),
}

# Communes (xã / phường / thị trấn) for commune-level issuers.
COMMUNES: tuple[tuple[str, str], ...] = (
    ("xã", "Sơn Bình"),
    ("xã", "Sơn Hiệp"),
    ("xã", "Ba Cụm Bắc"),
    ("xã", "Bình Tường"),
    ("xã", "Tây Giang"),
    ("xã", "Cát Hanh"),
    ("xã", "Quảng Lợi"),
    ("xã", "Xuân Lập"),
    ("xã", "Đông Lỗ"),
    ("xã", "Hoàng Vân"),
    ("xã", "Diễn Thịnh"),
    ("xã", "Quỳnh Đôi"),
    ("xã", "Duy Trung"),
    ("xã", "Bình Dương"),
    ("xã", "Hiệp Thạnh"),
    ("xã", "Tân Thanh"),
    ("xã", "Mỹ Hương"),
    ("xã", "Thanh Tân"),
    ("phường", "Phước Hải"),
    ("phường", "Điện Nam Bắc"),
    ("phường", "Vĩnh Phước"),
    ("thị trấn", "Phú Phong"),
    ("thị trấn", "Tô Hạp"),
    ("thị trấn", "Thắng"),
    ("thị trấn", "Liên Nghĩa"),
    ("xã", "Kỳ Tân"),
    ("xã", "Hà Lộc"),
)

# Ministries in Hà Nội: (name, ký hiệu, a department under it, its ký hiệu).
MINISTRIES: tuple[tuple[str, str, str, str], ...] = (
    ("Bộ Tài chính", "BTC", "Cục Quản lý công sản", "QLCS"),
    ("Bộ Nội vụ", "BNV", "Cục Văn thư và Lưu trữ nhà nước", "VTLTNN"),
    ("Bộ Y tế", "BYT", "Cục Quản lý Khám, chữa bệnh", "KCB"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT", "Cục Quản lý chất lượng", "QLCL"),
    ("Bộ Tài nguyên và Môi trường", "BTNMT", "Cục Biến đổi khí hậu", "BĐKH"),
    ("Bộ Thông tin và Truyền thông", "BTTTT", "Cục An toàn thông tin", "CATTT"),
    ("Bộ Kế hoạch và Đầu tư", "BKHĐT", "Cục Quản lý đấu thầu", "QLĐT"),
    ("Bộ Tư pháp", "BTP", "Cục Kiểm tra văn bản quy phạm pháp luật", "KTrVB"),
    ("Bộ Xây dựng", "BXD", "Cục Quản lý hoạt động xây dựng", "HĐXD"),
    ("Bộ Công Thương", "BCT", "Cục Xúc tiến thương mại", "XTTM"),
    ("Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH", "Cục Việc làm", "VL"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "BNN", "Cục Thủy lợi", "TL"),
)

# Provincial departments: (name, ký hiệu).
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("Sở Tài chính", "STC"),
    ("Sở Nội vụ", "SNV"),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("Sở Tài nguyên và Môi trường", "STNMT"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("Sở Y tế", "SYT"),
    ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Tư pháp", "STP"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "SNN"),
    ("Sở Xây dựng", "SXD"),
    ("Sở Công Thương", "SCT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
    ("Sở Giao thông vận tải", "SGTVT"),
)

# District offices: (name, ký hiệu).
DISTRICT_OFFICES: tuple[tuple[str, str], ...] = (
    ("Phòng Tài chính - Kế hoạch", "TCKH"),
    ("Phòng Nội vụ", "NV"),
    ("Phòng Giáo dục và Đào tạo", "GDĐT"),
    ("Phòng Tài nguyên và Môi trường", "TNMT"),
    ("Phòng Văn hóa và Thông tin", "VHTT"),
    ("Phòng Kinh tế và Hạ tầng", "KTHT"),
    ("Phòng Lao động - Thương binh và Xã hội", "LĐTBXH"),
    ("Phòng Tư pháp", "TP"),
    ("Phòng Nông nghiệp và Phát triển nông thôn", "NN"),
    ("Phòng Y tế", "YT"),
)

# Schools under a district: (name, ký hiệu).
SCHOOLS: tuple[tuple[str, str], ...] = (
    ("Trường THCS Nguyễn Huệ", "THCSNH"),
    ("Trường Tiểu học Kim Đồng", "THKĐ"),
    ("Trường THCS Lê Quý Đôn", "THCSLQĐ"),
    ("Trường Mầm non Hoa Sen", "MNHS"),
    ("Trường Tiểu học Trần Quốc Toản", "THTQT"),
    ("Trường THCS Chu Văn An", "THCSCVA"),
)

# Units that draft công văn: the part after the issuer in "245/UBND-VP".
UNITS_PROVINCE = ("KT", "TH", "KGVX", "NC", "XDNĐ", "HCTC")
UNITS_DISTRICT = ("VP", "TCKH", "NV", "TNMT", "KTHT")
UNITS_DEPARTMENT = ("VP", "KHTC", "TCCB", "QLNS", "TTr", "NVD")
UNITS_MINISTRY = ("VP", "PC", "TCCB", "KHTC", "HTQT")

# Tên loại (sentence case, as Fields.doc_type) -> ký hiệu abbreviation (ND30 Phụ lục III).
TYPE_CODES: dict[str, str] = {
    "Nghị quyết": "NQ",
    "Quyết định": "QĐ",
    "Chỉ thị": "CT",
    "Thông báo": "TB",
    "Hướng dẫn": "HD",
    "Chương trình": "CTr",
    "Kế hoạch": "KH",
    "Phương án": "PA",
    "Đề án": "ĐA",
    "Báo cáo": "BC",
    "Tờ trình": "TTr",
    "Giấy mời": "GM",
    "Công điện": "CĐ",
    "Thông tư": "TT",
    "Công văn": "",
}

# Which types each kind of issuer sends, with weights (công văn and quyết định dominate).
TYPES_BY_KIND: dict[str, tuple[tuple[str, int], ...]] = {
    "ubnd": (
        ("Công văn", 8),
        ("Quyết định", 6),
        ("Kế hoạch", 4),
        ("Thông báo", 3),
        ("Báo cáo", 3),
        ("Tờ trình", 2),
        ("Giấy mời", 2),
        ("Chỉ thị", 1),
        ("Công điện", 1),
        ("Chương trình", 1),
        ("Phương án", 1),
    ),
    "hdnd": (
        ("Nghị quyết", 5),
        ("Báo cáo", 2),
        ("Thông báo", 2),
        ("Công văn", 3),
        ("Giấy mời", 1),
        ("Kế hoạch", 1),
    ),
    "department": (
        ("Công văn", 8),
        ("Quyết định", 3),
        ("Kế hoạch", 3),
        ("Hướng dẫn", 2),
        ("Thông báo", 2),
        ("Báo cáo", 2),
        ("Tờ trình", 2),
        ("Giấy mời", 2),
        ("Đề án", 1),
    ),
    "office": (
        ("Công văn", 6),
        ("Kế hoạch", 3),
        ("Báo cáo", 3),
        ("Hướng dẫn", 2),
        ("Tờ trình", 2),
        ("Thông báo", 2),
        ("Giấy mời", 1),
    ),
    "ministry": (
        ("Công văn", 8),
        ("Quyết định", 3),
        ("Thông tư", 2),
        ("Chỉ thị", 1),
        ("Hướng dẫn", 2),
        ("Thông báo", 2),
        ("Kế hoạch", 1),
        ("Báo cáo", 1),
    ),
    "school": (
        ("Kế hoạch", 4),
        ("Báo cáo", 3),
        ("Công văn", 2),
        ("Quyết định", 2),
        ("Tờ trình", 2),
        ("Thông báo", 2),
        ("Giấy mời", 1),
    ),
}

TOPICS: tuple[str, ...] = (
    "cải cách hành chính",
    "chuyển đổi số",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "phòng cháy, chữa cháy rừng mùa khô",
    "xây dựng nông thôn mới",
    "quản lý, sử dụng phần mềm quản lý văn bản và điều hành",
    "thu ngân sách nhà nước",
    "giải ngân vốn đầu tư công",
    "tiêm chủng mở rộng",
    "phòng, chống dịch bệnh truyền nhiễm",
    "bảo đảm trật tự an toàn giao thông",
    "công tác văn thư, lưu trữ",
    "kiểm soát thủ tục hành chính",
    "phổ biến, giáo dục pháp luật",
    "giảm nghèo bền vững",
    "bảo vệ môi trường",
    "quản lý đất đai",
    "tuyển sinh vào lớp 10",
    "thi đua, khen thưởng",
    "bảo đảm an toàn thông tin mạng",
    "bồi dưỡng cán bộ, công chức",
    "phòng, chống tham nhũng, tiêu cực",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "bảo đảm an toàn thực phẩm",
    "phát triển du lịch cộng đồng",
    "hỗ trợ doanh nghiệp nhỏ và vừa",
    "chỉnh lý tài liệu lưu trữ tồn đọng",
    "thực hiện chính sách bảo hiểm xã hội, bảo hiểm y tế",
    "cấp nước sạch nông thôn",
    "chi trả trợ cấp cho người có công",
    "sắp xếp, tinh gọn tổ chức bộ máy",
    "ứng dụng chữ ký số trong gửi, nhận văn bản điện tử",
)

SURNAMES: tuple[str, ...] = (
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trịnh",
    "Đinh",
)
MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Xuân", "Công", "Đình")
FEMALE_MIDDLE = ("Thị", "Thị Thu", "Thị Thanh", "Ngọc", "Thị Kim", "Thị Minh", "Thu", "Mỹ")
MALE_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hùng",
    "Hải",
    "Long",
    "Phúc",
    "Quang",
    "Sơn",
    "Tuấn",
    "Thắng",
    "Vinh",
    "Khánh",
    "Trung",
    "Nghĩa",
    "Tiến",
    "Đạt",
    "Hiếu",
    "Sỹ",
    "Lộc",
    "Thịnh",
)
FEMALE_GIVEN = (
    "Hương",
    "Lan",
    "Thảo",
    "Yến",
    "Hà",
    "Trang",
    "Nhung",
    "Hạnh",
    "Ngân",
    "Thủy",
    "Liên",
    "Phượng",
    "Hằng",
    "Duyên",
    "Oanh",
    "Mai",
)

# "Nơi nhận" lines by level; "{d}" is the district, "{p}" the province.
RECIPIENTS_DISTRICT: tuple[str, ...] = (
    "UBND tỉnh (b/c)",
    "Sở Nội vụ",
    "TT. Huyện ủy",
    "TT. HĐND huyện",
    "Chủ tịch, các PCT UBND huyện",
    "Các phòng, ban, ngành huyện",
    "UBND các xã, thị trấn",
    "Cổng thông tin điện tử huyện",
    "Công an huyện",
    "Ban Chỉ huy Quân sự huyện",
    "Trung tâm VH-TT&TT huyện",
    "Ủy ban MTTQVN huyện",
)
RECIPIENTS_PROVINCE: tuple[str, ...] = (
    "Văn phòng Chính phủ",
    "Bộ Nội vụ",
    "TT. Tỉnh ủy",
    "TT. HĐND tỉnh",
    "Chủ tịch, các PCT UBND tỉnh",
    "Các sở, ban, ngành tỉnh",
    "UBND các huyện, thị xã, thành phố",
    "Cổng thông tin điện tử tỉnh",
    "Báo {p}",
    "Đài PT-TH {p}",
    "Lãnh đạo VP UBND tỉnh",
    "Sở Tài chính",
    "Kho bạc Nhà nước tỉnh",
)
RECIPIENTS_COMMUNE: tuple[str, ...] = (
    "UBND huyện (b/c)",
    "TT. Đảng ủy",
    "TT. HĐND xã",
    "Chủ tịch, các PCT UBND xã",
    "Các ban, ngành, đoàn thể xã",
    "Các thôn, tổ dân phố",
    "Công chức chuyên môn",
)
RECIPIENTS_CENTRAL: tuple[str, ...] = (
    "Thủ tướng Chính phủ (để b/c)",
    "Các Phó Thủ tướng Chính phủ",
    "Văn phòng Chính phủ",
    "Các Bộ, cơ quan ngang Bộ",
    "UBND các tỉnh, thành phố trực thuộc TW",
    "Lãnh đạo Bộ",
    "Công báo",
    "Cổng thông tin điện tử Bộ",
    "Các đơn vị thuộc Bộ",
)

# Reasons a citizen complains, for complaint letters.
COMPLAINTS: tuple[str, ...] = (
    "thu hồi đất và bồi thường, hỗ trợ khi Nhà nước thu hồi đất",
    "xử phạt vi phạm hành chính trong lĩnh vực xây dựng",
    "từ chối cấp Giấy chứng nhận quyền sử dụng đất",
    "không giải quyết chế độ trợ cấp xã hội hằng tháng",
)

# Trích yếu by type; {topic} lower case, {Topic} capitalised, {year}, {end} (a later year),
# {locality} ("huyện Tây Sơn"), {short} (the issuer, short form), {chief} (its head).
SUBJECTS: dict[str, tuple[str, ...]] = {
    "Quyết định": (
        "Ban hành Quy chế về {topic} của {short}",
        "Về việc thành lập Tổ công tác triển khai {topic} năm {year}",
        "Về việc phê duyệt Kế hoạch {topic} giai đoạn {year}-{end} trên địa bàn {locality}",
        "Về việc kiện toàn Ban Chỉ đạo {topic} {locality}",
        "Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong {topic}",
        "Ban hành Kế hoạch {topic} năm {year}",
    ),
    "Nghị quyết": (
        "Quy định mức chi hỗ trợ thực hiện {topic} trên địa bàn {locality}",
        "Về việc thông qua Đề án {topic} giai đoạn {year}-{end}",
    ),
    "Thông tư": (
        "Quy định chi tiết một số nội dung về {topic}",
        "Hướng dẫn thực hiện {topic} trong các cơ quan, đơn vị",
    ),
    "Kế hoạch": (
        "{Topic} năm {year}",
        "Triển khai thực hiện {topic} trên địa bàn {locality} năm {year}",
        "Kiểm tra công tác {topic} năm {year}",
        "Tuyên truyền về {topic} giai đoạn {year}-{end}",
    ),
    "Báo cáo": (
        "Kết quả thực hiện {topic} 6 tháng đầu năm {year}",
        "Tình hình thực hiện {topic} năm {year} và phương hướng, nhiệm vụ năm {next}",
        "Kết quả công tác {topic} quý {quarter} năm {year}",
    ),
    "Tờ trình": (
        "Về việc đề nghị phê duyệt kinh phí thực hiện {topic} năm {year}",
        "Về việc đề nghị ban hành Kế hoạch {topic} giai đoạn {year}-{end}",
    ),
    "Thông báo": (
        "Kết luận của {chief} tại cuộc họp về {topic}",
        "Về việc tổ chức kiểm tra {topic} năm {year}",
    ),
    "Giấy mời": (
        "Dự hội nghị sơ kết công tác {topic} 6 tháng đầu năm {year}",
        "Dự họp triển khai {topic}",
    ),
    "Chỉ thị": (
        "Về việc tăng cường {topic}",
        "Về việc đẩy mạnh {topic} trên địa bàn {locality}",
    ),
    "Hướng dẫn": (
        "Thực hiện {topic} năm {year}",
        "Triển khai {topic} trong các cơ quan, đơn vị",
    ),
    "Chương trình": ("Công tác {topic} năm {year}",),
    "Phương án": ("Bảo đảm {topic} trong dịp Tết Nguyên đán năm {next}",),
    "Đề án": ("Nâng cao hiệu quả {topic} giai đoạn {year}-{end}",),
    "Công điện": (
        "Về việc tập trung chỉ đạo {topic}",
        "Về việc chủ động ứng phó với bão số {quarter} năm {year}",
    ),
    # Công văn: the text after "V/v".
    "Công văn": (
        "đôn đốc báo cáo kết quả {topic}",
        "triển khai {topic}",
        "tăng cường {topic} trên địa bàn {locality}",
        "góp ý dự thảo Kế hoạch {topic} năm {next}",
        "cung cấp thông tin phục vụ {topic}",
        "hướng dẫn thực hiện {topic} năm {year}",
        "báo cáo số liệu {topic}",
    ),
}

# "Kính gửi:" addressees of a công văn, by the issuer's level.
ADDRESSEES: dict[str, tuple[str, ...]] = {
    "central": (
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Các đơn vị thuộc Bộ",
    ),
    "province": (
        "Các sở, ban, ngành tỉnh",
        "UBND các huyện, thị xã, thành phố",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Kho bạc Nhà nước tỉnh",
    ),
    "district": (
        "Các phòng, ban, ngành huyện",
        "Ủy ban nhân dân các xã, thị trấn",
        "Phòng Tài chính - Kế hoạch",
        "Trung tâm Y tế huyện",
    ),
    "commune": ("Các ban, ngành, đoàn thể xã", "Trưởng các thôn, tổ dân phố"),
}
