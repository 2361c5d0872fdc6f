"""Parser benchmark (issue 4) against ../shared/gold/extract/*.json.

Rows: clean seeds 002 and 004, seed 001 raw and restored (restoration model built
without 001), and scans rendered from the clean seeds and OCRed. Run alone:
`python -m bench.parse_bench`.
"""

from __future__ import annotations

import dataclasses
import json
import time
import unicodedata
from pathlib import Path

from parser import parse, parse_text
from parser.models import PlanRecord

SHARED = Path(__file__).resolve().parents[2] / "shared"
HEADER_FIELDS = ("parent_agency", "agency", "number", "symbol", "place", "date", "doc_type",
                 "title", "signer_title", "signer_name")


def norm(v: object) -> str:
    s = unicodedata.normalize("NFC", str(v or "")).lower()
    return " ".join(s.replace("–", "-").replace("hoà", "hòa").split()).strip(" .;:")


def f1(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(rec: PlanRecord, gold: dict) -> dict[str, float]:
    h = rec.header
    g = gold["header"]
    fields = [f for f in HEADER_FIELDS if f in g]
    header = sum(norm(getattr(h, f).value) == norm(g[f]) for f in fields) / len(fields)
    pred_acts = {a.number: a for a in rec.legal_acts}
    gold_acts = {a["number"]: a for a in gold["legal_acts"]}
    acts_p, acts_r, acts_f1 = f1(set(pred_acts), set(gold_acts))
    matched = set(pred_acts) & set(gold_acts)
    dates = sum(pred_acts[n].date == gold_acts[n]["date"] for n in matched) / max(1, len(matched))
    issuers = sum(norm(pred_acts[n].issuer) == norm(gold_acts[n]["issuer"]) for n in matched
                  if gold_acts[n]["issuer"]) / max(1, sum(1 for n in matched if gold_acts[n]["issuer"]))
    aud = f1({norm(a.name) for a in rec.audiences}, {norm(a["audience"]) for a in gold["audiences"]})[2]
    units = f1({(norm(r.unit), r.role) for r in rec.responsibilities},
               {(norm(r["unit"]), r["role"]) for r in gold["responsibilities"]})[2]
    return {"header": header, "acts_p": acts_p, "acts_r": acts_r, "acts_f1": acts_f1, "dates": dates, "issuers": issuers,
            "audiences_f1": aud, "units_f1": units}


def _text(name: str) -> str:
    pattern = "gold/text/001.txt" if name == "gold001" else f"seeds/{name}_*.txt"
    return sorted(SHARED.glob(pattern))[0].read_text(encoding="utf-8")


def _restored_001() -> str:
    from bench.restore_bench import restorer_without

    r = restorer_without("001")
    return "\n".join(x.text for x in r.restore(_text("001").split("\n")))


def _rendered(name: str, condition: str = "clean") -> PlanRecord:
    import numpy as np

    import ocr
    from diacritics import restore_page
    from samples.degrade import degrade
    from samples.render import Style, render_document

    pages = []
    for i, p in enumerate(render_document(_text(name), Style("liberation", 13, 300))):
        p = degrade(p, condition, seed=i) if condition != "clean" else p
        page = ocr.ocr_image(np.asarray(p.image), ocr.OcrOptions(), p.dpi, "0" * 64, i)
        pages.append(restore_page(page))
    return parse(pages)


def run() -> str:
    if not SHARED.is_dir():
        return "(../shared absent: parser benchmark skipped)"
    gold = {n: json.loads((SHARED / f"gold/extract/{n}.json").read_text()) for n in ("001", "002", "004")}
    cases = [("002 clean text", "002", lambda: parse_text(_text("002"))),
             ("004 clean text", "004", lambda: parse_text(_text("004"))),
             ("001 raw legacy OCR", "001", lambda: parse_text(_text("001"))),
             ("001 restored (model without 001)", "001", lambda: parse_text(_restored_001())),
             ("002 rendered scan → OCR → restore", "002", lambda: _rendered("002")),
             ("004 rendered scan (ruled table) → OCR → restore", "004", lambda: _rendered("004")),
             ("004 rendered, degraded → OCR → restore", "004", lambda: _rendered("004", "degraded"))]
    lines = ["command: `python -m bench.parse_bench` (part of `make bench`)", "",
             "| input | header fields exact | legal acts P / R / F1 | dates of matched acts | issuers of matched acts | audiences F1 | responsibility units F1 | ms/page |",
             "|---|---|---|---|---|---|---|---|"]
    for label, name, make in cases:
        rec = make()
        t0 = time.perf_counter()
        parse_text(_text(name))
        ms = (time.perf_counter() - t0) * 1000 / max(1, _text(name).count("\n") / 45)
        s = score(rec, gold[name])
        lines.append(f"| {label} | {s['header']:.0%} | {s['acts_p']:.2f} / {s['acts_r']:.2f} / {s['acts_f1']:.2f} | {s['dates']:.0%} | "
                     f"{s['issuers']:.0%} | {s['audiences_f1']:.2f} | {s['units_f1']:.2f} | {ms:.1f} |")
    return "\n".join(lines + ["", external(), "", word_files(), "", long_docx()])


COVERAGE = ("doc_type", "number", "symbol", "place", "date", "title")


def external() -> str:
    """Coverage over the real texts (no gold there): share of documents where each
    header field was found at all, by document type, and parse time per page."""
    files = sorted((SHARED / "external" / "texts").glob("*.txt"))
    if not files:
        return "(../shared/external/texts absent: coverage skipped)"
    found = {f: 0 for f in COVERAGE}
    types: dict[str, int] = {}
    pages = ms = 0.0
    parse_text(files[0].read_text(encoding="utf-8", errors="replace"))  # warm-up: build nlp once
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        t0 = time.perf_counter()
        h = parse_text(text).header
        ms += (time.perf_counter() - t0) * 1000
        pages += max(1.0, text.count("\n") / 45)
        for f in COVERAGE:
            v = getattr(h, f).value or (h.date_partial.value if f == "date" else None)
            found[f] += v is not None
        types[h.doc_type.value or "(none)"] = types.get(h.doc_type.value or "(none)", 0) + 1
    n = len(files)
    head = "| real texts | " + " | ".join(COVERAGE) + " | ms/page |"
    row = f"| {n} files | " + " | ".join(f"{found[f] / n:.0%}" for f in COVERAGE) + f" | {ms / pages:.1f} |"
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(types.items(), key=lambda kv: -kv[1]))
    return "\n".join([head, "|" + "---|" * (len(COVERAGE) + 2), row, "", f"types found: {kinds}"])


WORD_FIELDS = ("doc_type", "number", "symbol", "agency", "place", "date", "title")
WORD_GOLD = Path(__file__).resolve().parent / "annotations" / "word_headers.json"


def _word_record(path: Path) -> PlanRecord:
    """A Word file through ingest (LibreOffice for .doc) and the parser, as `vnplans run`."""
    import ingest
    from diacritics.passthrough import passthrough
    from ocr.text import page_from_text

    return parse([passthrough(page_from_text(p)) for p in ingest.load(path).pages])


def word_files() -> str:
    """Header fields right on the Word files of ../shared/external/word, against the hand
    annotation in bench/annotations/word_headers.json (conventions written there)."""
    from ingest.convert import soffice
    from vnplans.exceptions import MissingDependencyError

    gold = {k: v for k, v in json.loads(WORD_GOLD.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    files = [SHARED / "external" / "word" / name for name in gold]
    files = [f for f in files if f.is_file()]
    if not files:
        return "(../shared/external/word absent: Word header row skipped)"
    try:
        soffice()
    except MissingDependencyError:
        files = [f for f in files if f.suffix == ".docx"]  # .doc needs LibreOffice
    right = {f: 0 for f in WORD_FIELDS}
    for path in files:
        h = _word_record(path).header
        for f in WORD_FIELDS:
            got = getattr(h, f).value or (h.date_partial.value if f == "date" else None)
            right[f] += norm(got) == norm(gold[path.name][f])
    head = "| Word files (hand-annotated) | " + " | ".join(WORD_FIELDS) + " |"
    row = f"| {len(files)} files ({sum(f.suffix == '.doc' for f in files)} .doc) | " + \
        " | ".join(f"{right[f]}/{len(files)}" for f in WORD_FIELDS) + " |"
    return "\n".join([head, "|" + "---|" * (len(WORD_FIELDS) + 1), row, "", _round_trip(files)])


def _key(rec: PlanRecord) -> tuple:
    """What a .doc must give as its .docx does: header values, recipients, acts, duties."""
    h = rec.header
    values = tuple(getattr(h, f.name).value for f in dataclasses.fields(h) if f.name != "recipients")
    return (values, tuple(r.value for r in h.recipients), tuple(a.number for a in rec.legal_acts),
            tuple((r.unit, r.role) for r in rec.responsibilities))


def _round_trip(files: list[Path]) -> str:
    """Each .docx saved as .doc by LibreOffice and read back: same record or not."""
    import shutil
    import subprocess
    import tempfile

    exe = shutil.which("soffice")
    docx_files = [f for f in files if f.suffix == ".docx"]
    if exe is None or not docx_files:
        return "(LibreOffice absent: .doc round trip skipped)"
    same = 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in docx_files:
            subprocess.run([exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                            "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(f)],
                           capture_output=True, timeout=300, check=True)
            same += _key(_word_record(f)) == _key(_word_record(Path(tmp) / f"{f.stem}.doc"))
    return (f".docx saved as .doc by LibreOffice and read back: same record (header, recipients, "
            f"acts, duties) on {same}/{len(docx_files)}")


def long_docx(n_pages: int = 200) -> str:
    """Seconds to read a DOCX of about `n_pages` pages (made here: per page a heading, a
    numbered list, prose and a task table), and to parse it."""
    import tempfile

    import docx

    import ingest

    d = docx.Document()
    for k in range(n_pages):
        d.add_paragraph(f"{k + 1}. Nhiệm vụ trọng tâm của giai đoạn {k + 1}")
        for i in range(16):  # with the heading and the table, about one printed A4 page
            d.add_paragraph(f"Triển khai nội dung {i} của phần {k + 1}: các sở, ngành, địa phương "
                            "phối hợp thực hiện, báo cáo kết quả về Sở trước ngày 30 hằng tháng.",
                            style="List Number")
        t = d.add_table(rows=3, cols=4)
        for r in range(3):
            for c in range(4):
                t.cell(r, c).text = ("STT", "Nội dung", "Chủ trì", "Phối hợp")[c] if r == 0 else f"ô {r} {c}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.docx"
        d.save(str(path))
        t0 = time.perf_counter()
        ingest.load(path)
        t1 = time.perf_counter()
        _word_record(path)
        t2 = time.perf_counter()
    return (f"{n_pages}-page DOCX (made by the bench): read {t1 - t0:.2f} s, "
            f"read + parse {t2 - t1:.2f} s")


if __name__ == "__main__":
    print(run())
