"""OCR benchmark (issue 2): rendered pages, clean and degraded, in three fonts.

For each condition: CER and WER of plain `tesseract IMG - -l vie --dpi D` and of vnplans'
OCR stage, seconds per page of each and their ratio; then each clean-up step switched off
in turn, and Tesseract's `vie` model beside the `Vietnamese` script model. CER is given on
the whole page and from the title on (the plain reading interleaves the two header
columns, which vnplans keeps apart). Run alone: `python -m bench.ocr_bench`.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

import ocr
from bench.real_bench import body
from samples.degrade import CONDITIONS, degrade
from samples.render import RenderedPage, Style, render_document
from samples.truth import cer, wer

SHARED = Path(__file__).resolve().parents[2] / "shared"
FONTS = ("liberation", "dejavu", "freefont")
ABLATE = ("deskew", "sauvola", "seal_removal", "border_crop", "upscale", "columns")
HARD = ("degraded", "uneven_light", "phone_photo", "seal", "lowres200")


def plain(page: RenderedPage) -> tuple[str, float]:
    """Plain Tesseract on the same image (PNG through stdin), one thread."""
    import io

    buf = io.BytesIO()
    page.image.save(buf, "PNG")
    t0 = time.perf_counter()
    out = subprocess.run(["tesseract", "-", "-", "-l", "vie", "--dpi", str(page.dpi)],
                         input=buf.getvalue(), capture_output=True, check=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout.decode()
    return out, time.perf_counter() - t0


def ours(page: RenderedPage, options: ocr.OcrOptions) -> tuple[str, float]:
    t0 = time.perf_counter()
    text = ocr.ocr_image(np.asarray(page.image.convert("RGB")), options, page.dpi).text
    return text, time.perf_counter() - t0


def _scores(truth: str, hyp: str) -> str:
    return f"{cer(truth, hyp):.2%} / {cer(body(truth), body(hyp)):.2%} | {wer(truth, hyp):.2%}"


def _page(font: str) -> RenderedPage:
    text = sorted(SHARED.glob("seeds/002_*.txt"))[0].read_text(encoding="utf-8")
    return render_document(text, Style(font, 13, 300))[0]


def run() -> str:
    if not SHARED.is_dir():
        return "(../shared absent: OCR benchmark skipped)"
    lines = ["command: `python -m bench.ocr_bench` (part of `make bench`); page 1 of seed 002 rendered at 300 DPI",
             "CER: whole page / from the title on · WER on the whole page", "",
             "| font | condition | plain tesseract CER / body \\| WER | vnplans CER / body \\| WER | s/page plain | s/page vnplans | ratio |",
             "|---|---|---|---|---|---|---|"]
    pages = {f: _page(f) for f in FONTS}
    total_plain = total_ours = 0.0
    for font, clean in pages.items():
        for k, cond in enumerate(CONDITIONS):
            page = degrade(clean, cond, seed=k)
            p_txt, p_s = plain(page)
            o_txt, o_s = ours(page, ocr.OcrOptions())
            total_plain, total_ours = total_plain + p_s, total_ours + o_s
            lines.append(f"| {font} | {cond} | {_scores(page.truth, p_txt)} | {_scores(page.truth, o_txt)} | "
                         f"{p_s:.1f} | {o_s:.1f} | {o_s / p_s:.2f} |")
    lines.append(f"| all | all | | | {total_plain:.0f} s | {total_ours:.0f} s | **{total_ours / total_plain:.2f}** |")
    lines += ["", "Each clean-up step switched off (liberation; CER whole / body):", "",
              "| condition | default | " + " | ".join(f"no {s}" for s in ABLATE) + " |",
              "|---|---|" + "---|" * len(ABLATE)]
    for cond in HARD:
        page = degrade(pages["liberation"], cond, seed=CONDITIONS.index(cond))
        cells = [_cer2(page, ocr.OcrOptions())]
        cells += [_cer2(page, replace(ocr.OcrOptions(), **{s: False})) for s in ABLATE]
        lines.append(f"| {cond} | " + " | ".join(cells) + " |")
    lines += ["", "Tesseract model (liberation; CER whole / body):", "", "| condition | vie | Vietnamese |", "|---|---|---|"]
    for cond in ("clean", "degraded", "uneven_light"):
        page = degrade(pages["liberation"], cond, seed=CONDITIONS.index(cond))
        lines.append(f"| {cond} | {_cer2(page, ocr.OcrOptions(lang='vie'))} | "
                     f"{_cer2(page, ocr.OcrOptions(lang='Vietnamese'))} |")
    return "\n".join(lines)


def _cer2(page: RenderedPage, options: ocr.OcrOptions) -> str:
    text, _ = ours(page, options)
    return f"{cer(page.truth, text):.2%} / {cer(body(page.truth), body(text)):.2%}"


if __name__ == "__main__":
    print(run())
