"""`make samples`: render the committed sample scans from the seed texts, with truth.

Why committed: `make run` must have real work on a fresh clone, and the renders of the
user's own seed documents are small. Re-running this rewrites them identically (renders
and degradations are deterministic). Truth: samples/truth/NAME.pageN.txt (the text of page
N as a perfect OCR would read it) and NAME.tables.json (the ruled tables of each page;
boxes are in the pixels of the undistorted render).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

from PIL import Image

from .degrade import degrade
from .render import RenderedPage, Style, render_document

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
EPOCH = time.gmtime(1767225600)  # 2026-01-01, fixed so reruns are byte-identical

# (output name, source text, style, condition, pages to keep or None for all, format)
PLAN: tuple[tuple[str, str, Style, str, tuple[int, ...] | None, str], ...] = (
    (
        "002_clean_liberation",
        "seeds/002_*.txt",
        Style("liberation", 13, 300),
        "clean",
        None,
        "pdf1",
    ),
    ("004_degraded_dejavu", "seeds/004_*.txt", Style("dejavu", 12.5, 200), "degraded", None, "pdf"),
    (
        "001_phone_freefont",
        "gold/text/001.txt",
        Style("freefont", 13, 300),
        "phone_photo",
        (0,),
        "jpg",
    ),
    (
        "001_seal_liberation",
        "gold/text/001.txt",
        Style("liberation", 14, 300, seal=True),
        "clean",
        (-1,),
        "png",
    ),
)


def _source(pattern: str) -> str:
    matches = sorted(SHARED.glob(pattern))
    if not matches:
        raise SystemExit(f"make_samples: {SHARED / pattern} not found (needs ../shared)")
    return matches[0].read_text(encoding="utf-8")


def _as_jpeg(im: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def _save(pages: list[RenderedPage], out: Path, fmt: str) -> None:
    """PDF pages bilevel (`pdf1`, as archive scanners often store them) or greyscale JPEG,
    photos as JPEG, PNG in 16 colours (keeps a red seal red at a tenth of the size)."""
    tmp = out.with_suffix(out.suffix + ".tmp")
    dpi = pages[0].dpi
    if fmt.startswith("pdf"):
        grey = [p.image.convert("L") for p in pages]
        ims = (
            [g.point(lambda v: 255 if v > 160 else 0).convert("1") for g in grey]
            if fmt == "pdf1"
            else [_as_jpeg(g, 55) for g in grey]
        )
        fixed = {"creationDate": EPOCH, "modDate": EPOCH}  # byte-identical reruns
        ims[0].save(tmp, "PDF", resolution=dpi, save_all=True, append_images=ims[1:], **fixed)
    elif fmt == "png":
        pages[0].image.quantize(16).save(tmp, "PNG", optimize=True, dpi=(dpi, dpi))
    else:
        pages[0].image.save(tmp, "JPEG", quality=80, dpi=(dpi, dpi))
    tmp.replace(out)


def _write_truth(pages: list[RenderedPage], name: str, truth_dir: Path) -> None:
    for i, p in enumerate(pages):
        (truth_dir / f"{name}.page{i + 1}.txt").write_text(p.truth + "\n", encoding="utf-8")
    tables = [
        {"page": i + 1, "dpi": p.dpi, **asdict(t)} for i, p in enumerate(pages) for t in p.tables
    ]
    if tables:
        text = json.dumps(tables, ensure_ascii=False, indent=1)
        (truth_dir / f"{name}.tables.json").write_text(text + "\n", encoding="utf-8")


def make(out_dir: Path = HERE / "inputs", truth_dir: Path = HERE / "truth") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, src, style, cond, keep, fmt in PLAN:
        pages = render_document(_source(src), style)
        if keep is not None:
            pages = [pages[i] for i in keep if -len(pages) <= i < len(pages)]
        pages = [degrade(p, cond, seed=i) for i, p in enumerate(pages)]
        path = out_dir / f"{name}.{fmt.rstrip('1')}"
        _save(pages, path, fmt)
        _write_truth(pages, name, truth_dir)
        written.append(path)
    legacy = sorted(SHARED.glob("seeds/001_*.txt"))[0]
    shutil.copyfile(legacy, out_dir / "001_legacy_ocr.txt")
    written.append(out_dir / "001_legacy_ocr.txt")
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m samples.make_samples", description=__doc__)
    ap.parse_args(argv)
    for p in make():
        print(f"{p} ({p.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
