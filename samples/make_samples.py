"""`make samples`: render the committed sample scans from the seed texts, with truth.

Why committed: `make run` must have real work on a fresh clone, and the renders of the
user's own seed documents are small. Re-running this rewrites them identically.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from PIL import Image

from .degrade import degrade
from .render import RenderedPage, Style, render_document

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"

# (output name, source text, style, condition, pages to keep or None for all, format)
PLAN = (
    ("002_clean_liberation", "seeds/002_*.txt", Style("liberation", 13, 200), "clean", (0, 1, 2), "pdf"),
    ("004_degraded_dejavu", "seeds/004_*.txt", Style("dejavu", 13, 300), "degraded", (0, 1), "pdf"),
    ("001_phone_freefont", "gold/text/001.txt", Style("freefont", 13, 300), "phone_photo", (0,), "jpg"),
    ("001_seal_liberation", "gold/text/001.txt", Style("liberation", 14, 300, seal=True), "clean",
     (-1,), "jpg"),
)


def _source(pattern: str) -> str:
    matches = sorted(SHARED.glob(pattern))
    if not matches:
        raise SystemExit(f"make_samples: {SHARED / pattern} not found (needs ../shared)")
    return matches[0].read_text(encoding="utf-8")


def _save(pages: list[RenderedPage], out: Path, fmt: str) -> None:
    images = [p.image.convert("L") for p in pages]
    tmp = out.with_suffix(out.suffix + ".tmp")
    if fmt == "pdf":
        jpeg = [Image.open(_as_jpeg(im)) for im in images]
        jpeg[0].save(tmp, "PDF", resolution=pages[0].dpi, save_all=True, append_images=jpeg[1:])
    else:
        images[0].save(tmp, "JPEG", quality=80, dpi=(pages[0].dpi, pages[0].dpi))
    tmp.replace(out)


def _as_jpeg(im: Image.Image) -> object:
    import io

    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=70)
    buf.seek(0)
    return buf


def make(out_dir: Path = HERE / "inputs", truth_dir: Path = HERE / "truth") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, src, style, cond, keep, fmt in PLAN:
        pages = render_document(_source(src), style)
        if keep is not None:
            pages = [pages[i] for i in keep if i < len(pages)]
        pages = [degrade(p, cond, seed=i) for i, p in enumerate(pages)]
        path = out_dir / f"{name}.{fmt}"
        _save(pages, path, fmt)
        for i, p in enumerate(pages):
            (truth_dir / f"{name}.p{i + 1}.txt").write_text(p.truth + "\n", encoding="utf-8")
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
