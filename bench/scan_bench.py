"""Real scan pages against our own hand transcriptions (issue 19).

Per page of `bench/ground_truth/scans/<stem>.p<N>.txt` (conventions in its README): CER
and word-bag error of plain `tesseract -l vie` on the scan's own image at its own
resolution, of the vnplans OCR and of the vnplans text after restoration; the time of
the vnplans read over plain Tesseract's, measured in the same run (the machine is
shared: only the ratio means something). Run alone: `python -m bench.scan_bench [PART]`.
The PDFs stay in ../shared/external (never committed); without them the bench skips.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from samples.truth import cer, normalise

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
TRUTHS = Path(__file__).resolve().parent / "ground_truth" / "scans"
# Reserved for evaluation elsewhere: never transcribed, never scored here.
RESERVED = {("qn_ttr01_2025_ubnd", 1), ("lc_qd2338_2026_ubnd_ctdt", 1),
            ("lc_qd2338_2026_ubnd_ctdt", 3), ("qn_qd87_2025_ubnd", 2)}
RESERVED_FILES = {"qn_ct07_2018_ubnd", "qn_ct05_2020_ubnd_lowres", "bct_cv2265_2026_atmt",
                  "caobang_qd157_1999_ubnd_archival"}
_NAME = re.compile(r"^(?P<stem>.+)\.p(?P<page>\d+)\.txt$")
_HAND = re.compile(r"\{([^{}]*)\}")  # a handwritten field, {575}: scored as its text


@dataclass(frozen=True, slots=True)
class Truth:
    stem: str
    page: int
    text: str

    def __post_init__(self) -> None:
        if self.stem in RESERVED_FILES or (self.stem, self.page) in RESERVED:
            raise ValueError(f"{self.stem} p.{self.page} is reserved for evaluation elsewhere")


def truths(only: str = "") -> list[Truth]:
    out = []
    for f in sorted(TRUTHS.glob("*.p*.txt")):
        m = _NAME.match(f.name)
        if m and only in f.name:
            text = _HAND.sub(r"\1", f.read_text(encoding="utf-8"))
            out.append(Truth(m["stem"], int(m["page"]), text))
    return out


def bag(truth: str, hyp: str) -> float:
    """Word-bag error: words missing plus words extra, over the truth's words (order-free:
    a table read cell by cell, or a block read in another order, is not an error here)."""
    t, h = Counter(normalise(truth).split()), Counter(normalise(hyp).split())
    return (sum((t - h).values()) + sum((h - t).values())) / max(1, sum(t.values()))


def plain_tesseract(pdf: Path, page: int, dpi: int) -> tuple[str, float]:
    """The baseline: the page's scan image itself (`pdfimages`, the largest image on the
    page) read by plain `tesseract -l vie` at the scan's own resolution; its seconds."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="vnplans-scan-") as tmp:
        subprocess.run(["pdfimages", "-png", "-f", str(page), "-l", str(page), str(pdf),
                        f"{tmp}/im"], check=True, capture_output=True)
        image = max(Path(tmp).glob("im-*.png"), key=_pixels)
        t0 = time.perf_counter()
        txt = subprocess.run(["tesseract", str(image), "-", "-l", "vie", "--dpi", str(dpi)],
                             capture_output=True, check=True, env=env).stdout.decode()
        return txt, time.perf_counter() - t0


def _pixels(path: Path) -> int:
    """An image file's pixel count (the scan is the page's largest image; a 1-bit scan's
    file can be smaller than a logo's)."""
    from PIL import Image

    with Image.open(path) as im:
        return im.width * im.height


def vnplans_page(pdf: Path, page: int) -> tuple[object, object, float, object]:
    """(OcrPage, RestoredPage, OCR seconds, Document) as `vnplans run` reads that page."""
    from ingest import load
    from vnplans.pipeline import PipelineOptions, process_page, restore_pages

    doc = load(pdf)
    t0 = time.perf_counter()
    ocred = process_page(doc.pages[page - 1], PipelineOptions())
    secs = time.perf_counter() - t0
    return ocred, restore_pages([ocred], PipelineOptions())[0], secs, doc  # type: ignore[list-item]


def score(truth: str, hyp: str) -> str:
    if not normalise(truth):
        return f"{len(normalise(hyp))} chars" if normalise(hyp) else "empty ✓"
    return f"{cer(truth, hyp):.2%} / {bag(truth, hyp):.1%}"


def row(t: Truth) -> tuple[str, tuple[float, float, float] | None, float]:
    """A table row, the three CERs (None for a blank page) and the time ratio."""
    from ingest.pdf import native_dpi

    pdf = EXTERNAL / "scans" / f"{t.stem}.pdf"
    dpi = native_dpi(pdf, t.page)[t.page - 1] or 300
    plain, plain_s = plain_tesseract(pdf, t.page, dpi)
    ocred, restored, secs, doc = vnplans_page(pdf, t.page)
    raw, rest = ocred.text, restored.text  # type: ignore[attr-defined]
    ratio = secs / max(plain_s, 1e-6)
    steps = ",".join(s for s in ocred.steps if not s.startswith("specks"))  # type: ignore[attr-defined]
    cers = None if not normalise(t.text) else (cer(t.text, plain), cer(t.text, raw), cer(t.text, rest))
    worse = " **worse**" if cers and cers[2] > cers[0] + 1e-9 else ""
    found = [s for s in (*doc.signatures, *ocred.signatures) if s.page == t.page - 1]  # type: ignore[attr-defined]
    sigs = f"{sum(bool(s.organisation and s.timestamp) for s in found)}/{sig_widgets(pdf, t.page)}"
    head = header(t, restored) if t.page == 1 else "-"
    return (f"| {t.stem} p.{t.page} | {dpi} | {steps or '-'} | {score(t.text, plain)} | "
            f"{score(t.text, raw)} | {score(t.text, rest)}{worse} | {sigs} | {head} | {ratio:.2f} |",
            cers, ratio)


def sig_widgets(pdf: Path, page: int) -> int:
    """Signature widgets drawn on the page (what e-signature boxes there are to find)."""
    from pypdf import PdfReader

    annots = PdfReader(str(pdf)).pages[page - 1].get("/Annots") or []
    return sum(a.get_object().get("/FT") == "/Sig" and a.get_object().get("/Subtype") == "/Widget"
               for a in annots)


SIGN_TEXT = ("ttcbth", "ký bởi", "thời gian ký", "@", "trung tâm công báo", "đến")


def header(t: Truth, restored: object) -> str:
    """Header fields right against the manifest's description (right / flagged / WRONG),
    and any field holding e-signature or stamp text."""
    from bench.real_bench import truths as manifest
    from bench.real_bench import verdict
    from parser import parse

    rec = parse((restored,))  # type: ignore[arg-type]
    truth = manifest().get(f"scans/{t.stem}.pdf")
    fields = ("doc_type", "number", "symbol", "date")
    verdicts = [verdict(getattr(rec.header, f), truth[f]) for f in fields] if truth else []
    leaked = [f for f in ("doc_type", "number", "symbol", "place", "date", "title")
              if any(c in str(getattr(rec.header, f).value or "").lower() for c in SIGN_TEXT)]
    out = f"{verdicts.count('right')}/{len(verdicts)}" + (f" ({verdicts.count('WRONG')} wrong)"
                                                          if "WRONG" in verdicts else "")
    return out + (f" stamp text in {','.join(leaked)}" if leaked else "")


def run(only: str = "") -> str:
    if not (EXTERNAL / "scans").is_dir():
        return "(../shared/external absent: scan benchmark skipped)"
    lines = ["command: `python -m bench.scan_bench` (part of `make bench`); truths: "
             "bench/ground_truth/scans (our own transcriptions, conventions in its README)",
             "CER / word-bag error on whitespace-folded NFC text; plain = `tesseract -l vie` on "
             "the page's scan image at its own ppi; time = vnplans OCR seconds / plain seconds "
             "(same run, shared machine).", "",
             "| page | ppi | clean-up | plain tesseract | vnplans OCR | vnplans restored | "
             "e-signatures with organisation and time / widgets | header fields right | time ratio |",
             "|---|---|---|---|---|---|---|---|---|"]
    scored: list[tuple[float, float, float]] = []
    ratios = []
    for t in truths(only):
        if not (EXTERNAL / "scans" / f"{t.stem}.pdf").exists():
            continue
        text, cers, ratio = row(t)
        lines.append(text)
        ratios.append(ratio)
        if cers:
            scored.append(cers)
    if scored:
        means = [sum(c[i] for c in scored) / len(scored) for i in range(3)]
        worse = sum(c[2] > c[0] + 1e-9 for c in scored)
        lines.append(f"| **mean of {len(scored)}** | | | {means[0]:.2%} | {means[1]:.2%} | "
                     f"{means[2]:.2%} ({worse} worse than plain) | | | "
                     f"{sum(ratios) / len(ratios):.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(sys.argv[1] if len(sys.argv) > 1 else ""))
