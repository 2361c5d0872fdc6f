"""Closed vocabularies of Vietnamese administration: unit heads, officials, collectives,
cue verbs. One place for each, all in folded form (lower case, no marks, đ → d), because
every matcher runs on the folded shadow of the text (OCR and restoration slips in marks
do not hide a head word).

Why closed lists: the heads of administrative bodies are a small, stable set fixed by law
(Decree 30/2020 and the laws on local government); the names after them are open and are
read by grammar (`parser.units`), never listed.
"""

from __future__ import annotations

# Words that begin the name of a body. The name that follows is read by capitalisation
# and grammar; a head alone (`Sở`) is no unit.
UNIT_HEADS: tuple[str, ...] = (
    "uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd", "uy ban mat tran to quoc", "uy ban",
    "kiem toan nha nuoc", "kiem toan",
    "uy ban mttq", "ubmttq", "mat tran to quoc", "so", "phong", "ban", "van phong", "thanh tra",
    "chi cuc", "cuc", "vu", "tong cuc", "trung tam", "cong an", "bo chi huy quan su",
    "bo chi huy bo doi bien phong", "bo doi bien phong", "bo chi huy", "kho bac nha nuoc", "kho bac",
    "thue", "chi cuc thue", "bao hiem xa hoi", "dai phat thanh va truyen hinh", "dai",
    "bao", "hoi", "lien doan lao dong", "lien doan", "doan thanh nien", "tinh doan", "doan",
    "to", "to cong tac", "doan kiem tra", "doan thanh tra", "bo", "chi nhanh", "cong ty",
    "tinh uy", "huyen uy", "thanh uy", "dang uy", "ban quan ly", "ban chi dao", "hoi dong",
    "vien", "truong", "benh vien", "quy", "ngan hang", "tong cong ty", "tap doan",
    "hop tac xa", "ban chi huy quan su", "ban giam doc", "lanh dao", "ban quan ly du an",
    "doi", "doi quan ly thi truong", "co quan", "chi bo", "mat tran", "hoi dong thanh vien",
)
# heads that are units even without a capitalised name after them when a place word
# follows (`Công an tỉnh`, `Thuế tỉnh`, `UBND xã`)
PLACE_WORDS: tuple[str, ...] = (
    "tinh", "huyen", "xa", "phuong", "thi tran", "thanh pho", "thi xa", "quan", "cap tinh",
    "cap huyen", "cap xa", "trung uong", "dia phuong",
)
# Officials: a title that makes its holder a responsible person (`Giám đốc Sở X`,
# `Chủ tịch UBND các xã`); a unit may follow.
OFFICIALS: tuple[str, ...] = (
    "giam doc", "pho giam doc", "chu tich", "pho chu tich", "thu truong", "truong phong",
    "pho truong phong", "truong ban", "pho truong ban", "truong doan", "pho truong doan",
    "to truong", "to pho", "thu ky", "thu ky doan", "thanh vien", "thanh vien doan",
    "chanh van phong", "pho chanh van phong", "chanh thanh tra", "pho chanh thanh tra",
    "cuc truong", "chi cuc truong", "vu truong", "bo truong", "thu truong co quan",
    "nguoi dung dau", "lanh dao", "lanh dao phu trach", "bi thu", "truong cong an", "chi huy truong",
    "giam doc so", "tong giam doc",
)
# Plural quantifiers before a collective (`các sở, ban, ngành`, `tất cả các đơn vị`)
PLURALS: tuple[str, ...] = ("tat ca cac", "cac", "nhung", "toan the", "moi")
# Collectives named by what happens to them, with no plural (`đơn vị được kiểm tra`)
GROUPS: tuple[str, ...] = (
    "don vi duoc kiem tra", "don vi duoc thanh tra", "co so duoc kiem tra",
    "doi tuong duoc kiem tra", "to chuc, ca nhan", "co quan lien quan", "co quan, don vi lien quan",
    "co quan, to chuc lien quan", "luc luong chuc nang", "chinh quyen dia phuong", "chinh quyen co so",
    "ca nhan co lien quan", "ca nhan lien quan", "to chuc co lien quan", "to chuc lien quan",
)
# Words that open a modifier of a collective (`các tổ chức, cá nhân hoạt động khoáng sản`,
# `... được cấp giấy phép khai thác`, `... có liên quan đến ...`): the modifier runs to the
# next punctuation or duty verb.
MODIFIERS: tuple[str, ...] = (
    "hoat dong", "duoc cap", "co lien quan den", "lien quan den", "co ten", "tham gia", "khai thac",
    "tham do", "kinh doanh", "san xuat", "su dung", "tren dia ban", "tai cac", "tai",
)
# Nouns a collective is made of (after a plural): `các sở, ban, ngành, địa phương`
COLLECTIVE_NOUNS: tuple[str, ...] = (
    "so", "ban", "nganh", "don vi", "co quan", "dia phuong", "phong", "xa", "phuong",
    "thi tran", "huyen", "thi xa", "thanh pho", "to chuc", "ca nhan", "doanh nghiep", "hoi",
    "doan the", "to chuc chinh tri xa hoi", "to chuc chinh tri - xa hoi", "cap", "luc luong",
    "chu dau tu", "don vi thanh vien", "thanh vien", "phong ban", "bo", "tinh", "chi cuc",
    "cuc", "trung tam", "truong", "doan", "chu mo", "co so", "cong ty", "hop tac xa",
    "chinh quyen dia phuong", "chinh quyen", "nganh chuc nang", "cap uy", "dang vien",
    "co quan chuc nang", "nha thau", "nha dau tu", "bo phan", "ong/ba", "ong, ba",
)
# Words that may close a collective or a name (`... liên quan`, `... thuộc Sở`)
QUALIFIERS: tuple[str, ...] = (
    "lien quan", "co lien quan", "chuyen mon", "chuc nang", "truc thuoc", "thuoc so",
    "thuoc ubnd", "duoc kiem tra", "duoc thanh tra", "tren dia ban", "tinh", "huyen", "xa",
    "cap tinh", "cap huyen", "cap xa", "dia phuong", "thanh vien", "trung uong", "so",
    "thuoc tinh", "thuoc huyen", "thuoc xa", "cua tinh", "cua huyen", "cua xa", "truc thuoc tinh",
)

# Cue verbs of an assignment, by the role they give the unit before them.
LEAD_CUES: tuple[str, ...] = (
    "chu tri", "lam dau moi", "la dau moi", "la co quan dau moi", "la co quan thuong truc",
    "la co quan chu tri", "chiu trach nhiem", "co trach nhiem", "co nhiem vu", "thuc hien",
    "trien khai", "to chuc", "tham muu", "chu dong", "khan truong", "tiep tuc", "huong dan",
    "theo doi", "kiem tra", "ra soat", "xay dung", "bao cao", "chi dao", "don doc",
    "tang cuong", "day manh", "nghien cuu", "de xuat", "tong hop", "cung cap", "bo tri",
    "quan triet", "tuyen truyen", "can cu", "nghiem tuc", "phu trach", "giam sat",
    "tham dinh", "cap nhat", "xu ly", "gui", "cu", "lap", "phoi hop", "tao dieu kien",
    "quan ly", "ban hanh", "thong bao", "tiep nhan", "giai quyet", "dam bao", "bao dam",
    "chuan bi", "kip thoi", "thuong xuyen", "tap trung", "nang cao", "phan cong", "chap hanh",
    "thi hanh", "niem yet", "phat hien", "ngan chan", "dieu hanh",
)
# Words before a unit that make it the doer of what follows (`giao Sở X ...`)
ASSIGN_INTRO: tuple[str, ...] = (
    "giao", "giao cho", "de nghi", "yeu cau", "chi dao", "dong y giao", "doi voi", "uy quyen",
    "uy quyen cho", "phan cong",
)
# Words before a unit that make it a partner (`phối hợp với X`)
SUPPORT_INTRO: tuple[str, ...] = (
    "phoi hop voi", "phoi hop chat che voi", "phoi hop cung", "phoi hop", "cung voi", "phoi hop giua",
    "voi su phoi hop cua", "va su phoi hop cua", "phoi hop chat che",
)
# Verbs that stop a name: a lower-case syllable that begins one of these ends the name
# before it (`Sở Công Thương rà soát` is Sở Công Thương). Cue verbs count too.
STOP_WORDS: tuple[str, ...] = LEAD_CUES + (
    "va", "voi", "cua", "de", "ve", "theo", "tai", "trong", "tren", "duoi", "cho", "la",
    "co", "duoc", "da", "se", "can", "phai", "neu", "khi", "nham", "bang", "tu", "den",
    "nhu", "thi", "ma", "hoac", "hay", "vao", "ra", "do", "ky", "ngay", "nam", "thang",
    "cac", "moi", "nhung", "sau", "truoc", "len", "qua", "vi", "boi", "dong thoi",
    "danh gia", "tiep", "lam", "dua", "trinh", "hoan thanh", "xac dinh", "van dong",
    "pho bien", "thuc", "dat", "mua", "ban giao", "thu", "bao ve", "su dung", "khai thac",
    "kinh doanh", "van chuyen", "chap thuan", "phe duyet", "cap phep", "cap", "xem xet",
    "lay y kien", "tong ket", "so ket", "nop", "tien hanh", "ton tai", "tham gia", "gop y",
    "dang ky", "phan anh", "quyet dinh", "nhan", "nhan duoc", "yeu cau", "de nghi", "giao",
)
# Fields of work that close or continue a unit's name in lower case (`Phòng Quản lý công
# nghiệp`, `Sở Nông nghiệp và Phát triển nông thôn`, `Trung tâm Phục vụ hành chính công`):
# a lower-case word is part of a name only when it names such a field.
DOMAINS: tuple[str, ...] = (
    "cong nghiep", "nong thon", "thuong mai", "xay dung", "moi truong", "hanh chinh cong",
    "hanh chinh", "khoang san", "ky thuat", "an toan", "thi truong", "chat luong", "tong hop",
    "du lich", "dau tu", "phat trien", "kinh te", "tai chinh", "ke hoach", "nong nghiep",
    "lao dong", "xa hoi", "giao thong", "van tai", "do thi", "dat dai", "tai nguyen", "thuy loi",
    "lam nghiep", "thuy san", "y te", "giao duc", "dao tao", "van hoa", "the thao", "khoa hoc",
    "cong nghe", "thong tin", "truyen thong", "noi vu", "tu phap", "nang luong",
    "hoa chat", "vat lieu no", "phong chay", "chua chay", "cuu nan", "cuu ho", "dan toc", "ton giao",
    "quoc phong", "an ninh", "bien gioi", "cua khau", "khu cong nghiep", "khu kinh te", "quy hoach",
    "ha tang", "nha o", "cong so", "du an", "thi dua", "khen thuong", "thanh nien", "tre em",
    "gia dinh", "binh dang gioi", "dan so", "ngan sach", "thue", "hai quan", "kiem lam",
    "quan ly thi truong", "doanh nghiep", "hop tac xa", "dien luc", "cap nuoc", "thoat nuoc",
)
# Heads that name a unit on their own when capitalised (`Văn phòng`, `Đoàn kiểm tra`)
STANDALONE: tuple[str, ...] = (
    "van phong", "thanh tra", "cong an", "thue", "kho bac", "doan kiem tra", "doan thanh tra",
    "to cong tac", "ban giam doc", "ban chi dao", "hoi dong", "to kiem tra", "lanh dao",
)
# Words before a person's name (`Ông Hoàng Văn Thuân - Trưởng đoàn`)
PERSON_TITLES: tuple[str, ...] = ("ong", "ba", "dong chi", "d/c")

# Heads of groups of people a plan may be aimed at (`Đối với cán bộ, công chức`)
PEOPLE: tuple[str, ...] = (
    "can bo", "cong chuc", "vien chuc", "nguoi", "nhan dan", "hoc sinh", "sinh vien", "doanh nghiep",
    "ho gia dinh", "ho dan", "doan vien", "hoi vien", "thanh nien", "phu nu", "nong dan", "lao dong",
    "cong nhan", "dang vien", "chien si", "to chuc, ca nhan", "cong dong", "du khach", "thi sinh",
    "hoc vien", "giao vien", "nha dau tu", "chu ho", "tho", "chi huy",
)

# How each one-syllable word of the lists above is spelt: its folded form is shared by
# other syllables (`cổ` folds like `có`, `số` like `sở`, `quan` like `quận`), so a match
# of one syllable needs one of these spellings (lower case, marks kept).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "ba": ("bà",), "ong": ("ông",), "ban": ("ban",), "bang": ("bằng",), "bao": ("báo",), "bo": ("bộ",), "boi": ("bởi",),
    "can": ("cần",), "cap": ("cấp",), "cho": ("cho",), "co": ("có",), "cu": ("cử",),
    "cua": ("của",), "cuc": ("cục",), "da": ("đã",), "dai": ("đài",), "dat": ("đạt", "đặt"),
    "de": ("để",), "den": ("đến",), "do": ("do",), "doan": ("đoàn",), "doi": ("đội",),
    "dua": ("đưa",), "duoc": ("được",), "duoi": ("dưới",), "gui": ("gửi",), "hay": ("hay",),
    "hoac": ("hoặc",), "hoi": ("hội",), "huyen": ("huyện",), "khi": ("khi",),
    "ky": ("ký", "kỳ", "kỷ"), "la": ("là",), "lam": ("làm",), "lap": ("lập",), "len": ("lên",),
    "ma": ("mà",), "moi": ("mọi", "mỗi"), "mua": ("mua",), "nam": ("năm",), "neu": ("nếu",),
    "ngay": ("ngày",), "nhan": ("nhận",), "nhu": ("như",), "nop": ("nộp",), "phai": ("phải",),
    "phong": ("phòng",), "phuong": ("phường",), "qua": ("qua",), "quan": ("quận",), "quy": ("quỹ",),
    "ra": ("ra",), "sau": ("sau",), "se": ("sẽ",), "so": ("sở",), "tai": ("tại",),
    "thang": ("tháng",), "theo": ("theo",), "thi": ("thì",), "thu": ("thu",), "thue": ("thuế",),
    "tiep": ("tiếp",), "tinh": ("tỉnh",), "to": ("tổ",), "tren": ("trên",), "trinh": ("trình",),
    "trong": ("trong",), "truong": ("trường",), "tu": ("từ",), "vao": ("vào",),
    "ve": ("về",), "vi": ("vì",), "vien": ("viện",), "voi": ("với",), "vu": ("vụ",), "xa": ("xã",),
}

# Doers named by what they are, with no unit's head: an item `Trách nhiệm của X`,
# `Yêu cầu đối với X` or `Đối với X:` assigns its points to them
DOERS: tuple[str, ...] = (
    "chu dau tu", "nha dau tu", "doanh nghiep", "don vi", "to chuc", "ca nhan", "nha thau",
    "chu mo", "chu co so", "co so", "don vi thi cong", "don vi tu van", "don vi khai thac",
    "cong ty", "chu du an", "chu phuong tien", "nguoi su dung", "ho gia dinh",
)
