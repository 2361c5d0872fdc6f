"""Table benchmark (issue 6): ruled tables on rendered pages, read cell by cell.

A cell is right when it sits in the right row and column and its text's CER against the
truth is at most 2 %; a truth cell with no cell at its place counts wrong. Tables: seed
004's task table as `render_document` lays it out (three pages of it), and two made-up
tables drawn by `render_table` (other column widths, group rows, empty cells), in three
fonts, clean and degraded. Time: vnplans' whole OCR stage on a table page against plain
`tesseract IMG - -l vie --dpi D` on the same image. Run alone: `python -m bench.table_bench`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import ocr
from bench.ocr_bench import plain
from samples.degrade import degrade
from samples.render import RenderedPage, Style, TableTruth, render_document, render_table
from samples.truth import cer

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = Path(__file__).resolve().parents[1] / "samples"
EXTRA = ("lowres200", "uneven_light", "bleed_through")  # liberation only, for information
FONTS = ("liberation", "dejavu", "freefont")
CONDITIONS = ("clean", "degraded")
CER_OK = 0.02

MADE_UP = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Ghi chú"],
    ["A", "Công tác chỉ đạo, điều hành"],
    ["1", "Ban hành kế hoạch triển khai nhiệm vụ chuyển đổi số năm 2025", "Sở Thông tin và Truyền thông", "Tháng 3/2025", ""],
    ["2", "Tổ chức hội nghị sơ kết 6 tháng, đánh giá kết quả thực hiện", "Văn phòng UBND tỉnh", "Tháng 7/2025", "Định kỳ"],
    ["B", "Công tác kiểm tra, giám sát"],
    ["3", "Kiểm tra việc thực hiện thủ tục hành chính tại các huyện, thị xã, thành phố", "Sở Nội vụ; Thanh tra tỉnh", "Quý III", ""],
    ["4", "Tổng hợp, báo cáo kết quả về Bộ Nội vụ", "Sở Nội vụ", "Trước 15/12/2025", "Báo cáo năm"],
]
MADE_UP_WIDTHS = [0.07, 0.43, 0.22, 0.15, 0.13]


@dataclass(frozen=True, slots=True)
class Score:
    right: int
    total: int
    seconds: float
    plain_seconds: float


def score_tables(truths: tuple[TableTruth, ...], tables: tuple[ocr.Table, ...]) -> tuple[int, int]:
    """(cells right, truth cells) of a page: the k-th table against the k-th truth."""
    right = total = 0
    for k, truth in enumerate(truths):
        got = {(c.row, c.col): c.text for c in tables[k].cells} if k < len(tables) else {}
        for c in truth.cells:
            total += 1
            hyp = got.get((c.row, c.col))
            right += hyp is not None and (cer(c.text, hyp) <= CER_OK if c.text else not hyp.strip())
    return right, total


def table_pages(font: str) -> list[tuple[str, RenderedPage]]:
    """(name, page) of every rendered page holding a table."""
    out: list[tuple[str, RenderedPage]] = []
    seeds = sorted(SHARED.glob("seeds/004_*.txt"))
    if seeds:
        doc = render_document(seeds[0].read_text(encoding="utf-8"), Style(font, 13, 300))
        out += [(f"004 p{i + 1}", p) for i, p in enumerate(doc) if p.tables]
    made = render_table(MADE_UP, Style(font, 12, 300), MADE_UP_WIDTHS, group_rows={1, 4})
    out += [(f"made-up p{i + 1}", p) for i, p in enumerate(made)]
    return out


def sample_pdf() -> tuple[int, int, float]:
    """(cells right, cells, seconds per table page) on samples/inputs' degraded 004 PDF,
    read as `vnplans run` reads it (ingest, then the OCR stage)."""
    import json

    from ingest import load
    from samples.grid import CellTruth

    truth = json.loads((SAMPLE / "truth" / "004_degraded_dejavu.tables.json").read_text("utf-8"))
    doc = load(SAMPLE / "inputs" / "004_degraded_dejavu.pdf")
    right = total = 0
    t0 = time.perf_counter()
    for t in truth:
        page = ocr.ocr_page(doc.pages[t["page"] - 1])
        cells = tuple(CellTruth(**c) for c in t["cells"])
        r, n = score_tables((TableTruth(t["n_rows"], t["n_cols"], cells, tuple(t["box"])),),
                            page.tables)
        right, total = right + r, total + n
    return right, total, (time.perf_counter() - t0) / max(1, len(truth))


def measure(page: RenderedPage, with_plain: bool = True) -> Score:
    t0 = time.perf_counter()
    result = ocr.ocr_image(np.asarray(page.image.convert("RGB")), ocr.OcrOptions(), page.dpi)
    seconds = time.perf_counter() - t0
    right, total = score_tables(page.tables, result.tables)
    plain_s = plain(page)[1] if with_plain else 0.0
    return Score(right, total, seconds, plain_s)


def run() -> str:
    lines = ["command: `python -m bench.table_bench` (part of `make bench`); 300 DPI renders, "
             "a cell right = right row and column and CER <= 2 %", "",
             "| font | condition | pages | cells right | % | s/page vnplans | s/page plain | ratio |",
             "|---|---|---|---|---|---|---|---|"]
    sums: dict[str, list[float]] = {c: [0, 0, 0.0, 0.0] for c in CONDITIONS}
    for font in FONTS:
        pages = table_pages(font)
        for k, cond in enumerate(CONDITIONS):
            scores = [measure(degrade(p, cond, seed=7 + k + i)) for i, (_, p) in enumerate(pages)]
            r, t = sum(s.right for s in scores), sum(s.total for s in scores)
            ours, base = sum(s.seconds for s in scores), sum(s.plain_seconds for s in scores)
            for j, v in enumerate((r, t, ours, base)):
                sums[cond][j] += v
            lines.append(f"| {font} | {cond} | {len(pages)} | {r}/{t} | {r / max(1, t):.1%} | "
                         f"{ours / len(pages):.2f} | {base / len(pages):.2f} | {ours / base:.2f} |")
    lines += _extra()
    for cond, (n_right, n_cells, t_ours, t_plain) in sums.items():
        lines.append(f"| all | {cond} | | {n_right:.0f}/{n_cells:.0f} | "
                     f"**{n_right / max(1, n_cells):.1%}** | | | **{t_ours / t_plain:.2f}** |")
    r, t, sec = sample_pdf()
    lines.append(f"| dejavu 200 DPI | samples/inputs/004_degraded_dejavu.pdf | 4 | {r}/{t} | "
                 f"{r / max(1, t):.1%} | {sec:.2f} | | |")
    return "\n".join(lines)


def _extra() -> list[str]:
    """More conditions, liberation only (not in the totals)."""
    pages = table_pages("liberation")
    out = []
    for k, cond in enumerate(EXTRA):
        scores = [measure(degrade(p, cond, seed=20 + k + i)) for i, (_, p) in enumerate(pages)]
        r, t = sum(s.right for s in scores), sum(s.total for s in scores)
        ours, base = sum(s.seconds for s in scores), sum(s.plain_seconds for s in scores)
        out.append(f"| liberation | {cond} | {len(pages)} | {r}/{t} | {r / max(1, t):.1%} | "
                   f"{ours / len(pages):.2f} | {base / len(pages):.2f} | {ours / base:.2f} |")
    return out


if __name__ == "__main__":
    print(run())
