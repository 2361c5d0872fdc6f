"""A Decree-30 plan written as a Word file by python-docx, with the parts Word files have
that a stream of runs gets wrong: a borderless header table with a merged cell, automatic
list numbering (I., 1., a), -), a task table with merged cells, a text box, a page header
and footer, a tracked insertion and deletion, a comment. Made here, so tests need no real
document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W_NS = nsdecls("w")
# one list: I. / 1. / a) / - (a symbol-font bullet), as Vietnamese plans number their parts
ABSTRACT = f"""<w:abstractNum {W_NS} w:abstractNumId="90">
<w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/><w:suff w:val="space"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/><w:suff w:val="space"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf02d"/><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr></w:lvl>
</w:abstractNum>"""
NUM = f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
_BOX_NS = (nsdecls("w", "wp", "a")
           + ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
           + ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
           + ' xmlns:v="urn:schemas-microsoft-com:vml"')
TEXT_BOX = f"""<w:r {_BOX_NS}><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"
relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="914400" cy="300000"/><wp:wrapNone/><wp:docPr id="5" name="Box"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></wps:txbx>
<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:rect><v:textbox><w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""

HEADER_LEFT = ("ỦY BAN NHÂN DÂN", "XÃ AN BÌNH")
HEADER_RIGHT = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TASKS = (  # STT, task, lead, support, time
    ("1", "Tuyên truyền Luật Phòng cháy, chữa cháy tới các thôn", "Công an xã", "Các thôn", "Quý I/2025"),
    ("2", "Kiểm tra an toàn phòng cháy tại chợ An Bình", "Công an xã", "Ban quản lý chợ", "Quý II/2025"),
)


def _numbered(d: Any, text: str, level: int) -> None:
    p = d.add_paragraph(text)
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def _header_table(d: Any) -> None:
    """2 columns x 3 rows, borderless in Word; the agency's cell spans two rows."""
    t = d.add_table(rows=3, cols=2)
    agency = t.cell(0, 0).merge(t.cell(1, 0))
    agency.paragraphs[0].text = HEADER_LEFT[0]
    agency.add_paragraph(HEADER_LEFT[1])
    t.cell(0, 1).text, t.cell(1, 1).text = HEADER_RIGHT
    t.cell(2, 0).text = "Số: 12/KH-UBND"
    t.cell(2, 1).text = "An Bình, ngày 03 tháng 02 năm 2025"


def _task_table(d: Any) -> None:
    """STT | Nội dung | Chủ trì | Phối hợp | Thời gian; a group row spanning the four
    columns after its label; the lead's cell merged over the two task rows."""
    t = d.add_table(rows=4, cols=5)
    for c, title in enumerate(("STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian")):
        t.cell(0, c).text = title
    t.cell(1, 0).text = "I"
    t.cell(1, 1).merge(t.cell(1, 4)).text = "Công tác tuyên truyền"
    for r, row in enumerate(TASKS, start=2):
        for c, value in enumerate(row):
            if c != 2:
                t.cell(r, c).text = value
    t.cell(2, 2).merge(t.cell(3, 2)).text = TASKS[0][2]


def _tracked(d: Any) -> None:
    """`Giao Công an xã [xã cũ →] chủ trì`: a deletion and an insertion, by an author."""
    p = d.add_paragraph("Giao Công an ")
    p._p.append(parse_xml(f'<w:del {W_NS} w:id="101" w:author="A" w:date="2025-01-01T00:00:00Z">'
                          '<w:r><w:delText>huyện </w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {W_NS} w:id="102" w:author="A" w:date="2025-01-01T00:00:00Z">'
                          '<w:r><w:t xml:space="preserve">xã </w:t></w:r></w:ins>'))
    p.add_run("chủ trì thực hiện Kế hoạch.")


def make_plan(path: Path) -> Path:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(ABSTRACT))
    numbering.append(parse_xml(NUM))
    d.sections[0].header.paragraphs[0].text = "Mẫu số 01"
    d.sections[0].footer.paragraphs[0].text = "Lưu hành nội bộ"
    _header_table(d)
    d.add_paragraph("KẾ HOẠCH")
    title = d.add_paragraph("Thực hiện công tác phòng cháy, chữa cháy năm 2025")
    title._p.append(parse_xml(TEXT_BOX))
    basis = d.add_paragraph("Căn cứ Luật Phòng cháy và chữa cháy ngày 29 tháng 6 năm 2001;")
    d.add_comment(basis.runs, text="Xem lại căn cứ này", author="B")
    _numbered(d, "MỤC ĐÍCH, YÊU CẦU", 0)
    _numbered(d, "Mục đích", 1)
    _numbered(d, "Nâng cao ý thức phòng cháy của Nhân dân;", 2)
    _numbered(d, "Bảo đảm an toàn tại khu dân cư.", 2)
    _numbered(d, "Yêu cầu", 1)
    _numbered(d, "Đúng quy định của pháp luật.", 3)
    _numbered(d, "NHIỆM VỤ CỤ THỂ", 0)
    _task_table(d)
    _numbered(d, "TỔ CHỨC THỰC HIỆN", 0)
    _tracked(d)
    last = d.add_table(rows=1, cols=2)  # the signature block, borderless
    last.cell(0, 0).text = "Nơi nhận:"
    last.cell(0, 0).add_paragraph("- UBND huyện;")
    last.cell(0, 0).add_paragraph("- Lưu: VT.")
    last.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN"
    for line in ("CHỦ TỊCH", "", "Nguyễn Văn An"):
        last.cell(0, 1).add_paragraph(line)
    body = d.element.body
    assert body.find(qn("w:tbl")) is not None
    d.save(str(path))
    return path
