"""Real documents (issue 7): every PDF in ../shared/external through the pipeline.

Per file: pages, seconds per page, mean word confidence, header fields found; CER before
and after restoration where a ground-truth text exists (plain `tesseract -l vie` beside
it). Run alone: `python -m bench.real_bench` (slow: every scanned page is OCRed).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from ingest import load
from parser import parse
from parser.models import Field, PlanRecord
from samples.truth import cer
from vnplans.pipeline import PipelineOptions, ocr_document, restore_pages

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
FIELDS = ("doc_type", "number", "symbol", "place", "date", "title")


def body(text: str) -> str:
    """The text from the document-type line on. Why: the ground truth is `pdftotext
    -layout` style, with the two header columns interleaved on one line, which vnplans
    deliberately does not reproduce; scoring from the title on compares recognition."""
    from parser.doc import fold
    from parser.header import TYPES

    lines = text.split("\n")
    for i, line in enumerate(lines[:40]):
        if any(fold(line).strip().startswith(t) for t in TYPES) and line.strip()[:1].isupper():
            return "\n".join(lines[i:])
    return text


_GUTTER = re.compile(r"\S(\s{6,})\S")  # a layout text's gap between two columns


def footer_order(truth: str) -> str:
    """The layout-style truth's footer in reading order: from `Nơi nhận` on, a line that
    holds both columns (`Nơi nhận:      KT. CHỦ TỊCH`) gives its left part to the
    recipients' list and its right part to the signer's block, which follows the list, as
    vnplans (and bench/ground_truth/scans) read it."""
    lines = truth.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("Nơi nhận")), None)
    if start is None:
        return truth
    left, right = [], []
    for ln in lines[start:]:
        m = _GUTTER.search(ln)
        if m:
            left.append(ln[:m.start(1)])
            right.append(ln[m.end(1):])
        elif ln.strip() and len(ln) - len(ln.lstrip()) > 30:  # indented: the signer's column
            right.append(ln)
        else:
            left.append(ln)
    return "\n".join(lines[:start] + left + right)


def rcer(truth: str, hyp: str) -> str:
    truth = footer_order(truth)
    return f"{cer(truth, hyp):.2%} / {cer(body(truth), body(hyp)):.2%} / {bag(truth, hyp):.1%}"


def bag(truth: str, hyp: str) -> float:
    """Word-bag error from the type line on: words missing plus words extra, over the
    truth's words. Why: the truths are layout text (tables and columns as spaced lines);
    a table read cell by cell is right in a different order, which CER punishes."""
    from collections import Counter

    t, h = Counter(body(truth).split()), Counter(body(hyp).split())
    return (sum((t - h).values()) + sum((h - t).values())) / max(1, sum(t.values()))


def _plain_tesseract(pdf: Path) -> str:
    """The baseline: pdftoppm at 300 DPI, then plain `tesseract - - -l vie`."""
    out = []
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    n = len(load(pdf).pages)
    for page in range(1, n + 1):
        ppm = subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                             capture_output=True, check=True).stdout
        txt = subprocess.run(["tesseract", "-", "-", "-l", "vie", "--dpi", "300"], input=ppm,
                             capture_output=True, check=True, env=env).stdout.decode()
        out.append(txt)
    return "\n".join(out)


_DESC = re.compile(r"^(?P<type>[^\d,;]+?) (?P<num>\d+)/(?P<sym>[^\s,;()]+)[\s,(].*?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
SURE = 0.8  # parser: a value under this confidence, or with a note, is flagged for a person


def truths() -> dict[str, dict[str, str]]:
    """Header fields of each scan from the manifest's hand-written description (`Tờ trình
    01/TTr-UBND, UBND tỉnh Quảng Ngãi, 06/01/2025; ...`), kept apart from the documents."""
    out: dict[str, dict[str, str]] = {}
    manifest = EXTERNAL / "manifest.tsv"
    if not manifest.exists():
        return out
    for row in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cells = row.split("\t")
        m = _DESC.match(cells[-1]) if len(cells) > 2 and cells[1] == "scan" else None
        if m:
            date = f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}"
            out[cells[0]] = {"doc_type": m["type"].upper(), "number": m["num"],
                             "symbol": m["sym"], "date": date}
    return out


def verdict(field: Field, truth: str) -> str:
    """right, flagged (a person is told to check; a blank counts here when flagged), or
    WRONG (a confident wrong value, which the issue forbids)."""
    if field.value == truth:
        return "right"
    return "flagged" if field.confidence < SURE or field.note else "WRONG"


def header_check(rows: list[tuple[str, PlanRecord]]) -> list[str]:
    """Per field over the scans the manifest describes: right / flagged / confident wrong."""
    known = truths()
    tally: dict[str, Counter] = {f: Counter() for f in ("doc_type", "symbol", "number", "date")}
    wrong = []
    for name, rec in rows:
        truth = known.get(name)
        if truth is None:
            continue
        for f, counts in tally.items():
            v = verdict(getattr(rec.header, f), truth[f])
            counts[v] += 1
            if v == "WRONG":
                wrong.append(f"{name} {f}: {getattr(rec.header, f).value!r}, truth {truth[f]!r}")
    n = sum(tally["doc_type"].values())
    out = ["", f"Header fields of the {n} scans against the manifest's descriptions (kept apart; "
           f"confident = confidence ≥ {SURE} and no note):", "",
           "| field | right | flagged for a person | confident and wrong |", "|---|---|---|---|"]
    out += [f"| {f} | {c['right']}/{n} | {c['flagged']} | **{c['WRONG']}** |" for f, c in tally.items()]
    return out + [f"- confident and wrong: {w}" for w in wrong]


NEAR_COPY = 0.8  # share of a text's 5-grams found in another: the same document


def _grams(text: str) -> set[tuple[str, ...]]:
    w = text.lower().split()
    return set(zip(w, w[1:], w[2:], w[3:], w[4:], strict=False))


def trained_model(truth: str, out_dir: Path) -> Path | None:
    """What a user gets from `vnplans train` on their archive: the shipped model plus the
    real texts of ../shared/external/texts, this document's own text and near copies of
    it left out (never score a model on text it was built from)."""
    from diacritics.model import Model, lm_from_texts, load

    own = _grams(truth)
    texts = [t for f in sorted((EXTERNAL / "texts").glob("*.txt"))
             if len(own & _grams(t := f.read_text(encoding="utf-8"))) < NEAR_COPY * max(1, len(own))]
    if not texts:
        return None
    base = load()
    path = out_dir / "trained.json.gz"
    Model.create(lm_from_texts(texts, base.lm), base.rule_counts).save(path)
    return path


def _after_training(truth: str, pages: list) -> str:  # type: ignore[type-arg]
    import tempfile

    with tempfile.TemporaryDirectory(prefix="vnplans-bench-") as tmp:
        model = trained_model(truth, Path(tmp))
        if model is None:
            return "-"
        return rcer(truth, "\n".join(r.text for r in restore_pages(pages, PipelineOptions(model=str(model)))))


def one(pdf: Path, with_baseline: bool, records: list[tuple[str, PlanRecord]] | None = None) -> str:
    t0 = time.perf_counter()
    doc = load(pdf)
    pages = list(ocr_document(doc, PipelineOptions()))  # as `vnplans run` does
    restored = list(restore_pages(pages, PipelineOptions()))  # as `vnplans run` does
    rec = parse(restored)
    if records is not None:
        records.append((f"{pdf.parent.name}/{pdf.name}", rec))
    secs = (time.perf_counter() - t0) / max(1, len(pages))
    read = [p for p in pages if p.text.strip()]  # a blank back page has no confidence to average
    conf = sum(p.mean_conf for p in read) / max(1, len(read))
    found = sum(getattr(rec.header, f).value is not None for f in FIELDS)
    head = f"{rec.header.doc_type.value or '-'} {rec.header.number.value or '?'}/{rec.header.symbol.value or '?'}"
    gt = pdf.with_suffix(".gt.txt")
    before = after = plain = trained = "-"
    if gt.exists():
        truth = gt.read_text(encoding="utf-8")
        before = rcer(truth, "\n".join(p.text for p in pages))
        after = rcer(truth, "\n".join(r.text for r in restored))
        trained = _after_training(truth, pages) if any(p.source == "ocr" for p in pages) else "="
        if with_baseline:
            plain = rcer(truth, _plain_tesseract(pdf))
    sources = "".join(p.source[0] for p in pages)
    return (f"| {pdf.parent.name}/{pdf.name} | {len(pages)} ({sources}) | {secs:.1f} | {conf:.0f} | "
            f"{found}/{len(FIELDS)} | {head} | {plain} | {before} | {after} | {trained} |")


def run(limit: int | None = None, only: str = "") -> str:
    if not EXTERNAL.is_dir():
        return "(../shared/external absent: real-document benchmark skipped)"
    pdfs = [p for p in sorted(EXTERNAL.glob("*/*.pdf")) if only in str(p)][:limit]
    lines = ["command: `python -m bench.real_bench` (part of `make bench`); pages: o = OCR, t = text layer",
             "CER: whole text / from the document-type line on (the truth interleaves the two header columns; see `body`; its footer is put in reading order, see `footer_order`) / word-bag error (order-free; see `bag`).", "",
             "Last column: restored with a model trained as `vnplans train` does on the 60 real texts, the document's own text left out ('=': text layers, not restored).", "",
             "| file | pages | s/page | mean conf | header fields | type number/symbol | CER plain tesseract | CER vnplans OCR | CER after restoration | after `vnplans train` on the other texts |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    records: list[tuple[str, PlanRecord]] = []
    for pdf in pdfs:
        try:
            lines.append(one(pdf, pdf.with_suffix(".gt.txt").exists(), records))
        except Exception as exc:  # report, go on with the other files
            lines.append(f"| {pdf.name} | failed: {type(exc).__name__}: {exc} |")
    return "\n".join(lines + header_check(records))


if __name__ == "__main__":
    args = sys.argv[1:]  # [LIMIT] [PART OF A PATH]
    print(run(int(args[0]) if args and args[0].isdigit() else None, args[-1] if args and not args[-1].isdigit() else ""))
