"""Parser benchmark (issue 4) against ../shared/gold/extract/*.json.

Rows: clean seeds 002 and 004, seed 001 raw and restored (restoration model built
without 001), and scans rendered from the clean seeds and OCRed. Run alone:
`python -m bench.parse_bench`.
"""

from __future__ import annotations

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
    return "\n".join(lines + ["", external()])


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


if __name__ == "__main__":
    print(run())
