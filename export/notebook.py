"""The spot-check API for notebooks: results as DataFrames, one document as HTML.

Why HTML with an SVG overlay: a reviewer sees the page image, every word box coloured by
OCR confidence, the evidence box of each extracted field, and raw vs restored text with
the changes marked, in one cell, without extra notebook extensions.
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .jsondoc import DOCS_DIR
from .tables import SCHEMAS, TABLES_DIR, write_tables


@dataclass(frozen=True)
class Results:
    """One DataFrame per table, read from OUT/tables."""

    out_dir: Path
    tables: dict[str, pd.DataFrame]

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.tables[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def load_results(out_dir: str | Path) -> Results:
    out = Path(out_dir)
    if not (out / TABLES_DIR / "documents.parquet").exists():
        write_tables(out)
    return Results(out, {n: pd.read_parquet(out / TABLES_DIR / f"{n}.parquet") for n in SCHEMAS})


@dataclass(frozen=True)
class Html:
    markup: str

    def _repr_html_(self) -> str:
        return self.markup


def _colour(conf: float) -> str:
    return "#2a9d3a" if conf >= 85 else "#e0a800" if conf >= 60 else "#d62828"


def _page_image(path: str, kind: str, index: int, dpi: int | None) -> tuple[str, int, int] | None:
    """The page as a small base64 JPEG and its full-size dimensions, when it is a scan."""
    try:
        from ingest import load_image
        from ingest.models import ImageRef

        ref = ImageRef(path, "pdf" if kind == "pdf" else "image", index + 1, dpi or 300)
        from PIL import Image

        img = Image.fromarray(load_image(ref))
    except Exception:  # the source may have moved: the text view still works
        return None
    w, h = img.size
    img.thumbnail((900, 1300))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=70)
    return base64.b64encode(buf.getvalue()).decode(), w, h


def _fields(doc: dict, page: int) -> list[tuple[str, str, dict | None]]:
    header = (doc.get("record") or {}).get("header") or {}
    out = []
    for name, f in header.items():
        if isinstance(f, dict) and f.get("value") is not None:
            out.append((name, f["value"], f.get("span")))
    for a in (doc.get("record") or {}).get("legal_acts", []):
        out.append(("legal act", a["number"], a["mentions"][0]["span"]))
    for r in (doc.get("record") or {}).get("responsibilities", []):
        out.append((f"{r['role']} ({r['source']})", r["unit"], r["span"]))
    return [(n, v, s) for n, v, s in out if s is None or s["page"] == page]


def _diff(raw: str, text: str) -> str:
    import difflib

    out = []
    sm = difflib.SequenceMatcher(a=raw.split(" "), b=text.split(" "), autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        a, b = " ".join(raw.split(" ")[i1:i2]), " ".join(text.split(" ")[j1:j2])
        if tag == "equal":
            out.append(html.escape(a))
        else:
            out.append(f"<del>{html.escape(a)}</del><ins>{html.escape(b)}</ins>")
    return " ".join(out)


def assignments(doc_id: str, out_dir: str | Path = "out") -> pd.DataFrame:
    """Who must do what, with whom, by when, in one document: one row per unit and task,
    with the page, the outline path and the evidence (the printed words under the span,
    and its box on a scan), so each row can be checked against the page."""
    doc = json.loads((Path(out_dir) / DOCS_DIR / f"{doc_id}.json").read_text(encoding="utf-8"))
    pages = {p["index"]: p for p in doc["pages"]}
    rows = []
    for r in (doc.get("record") or {}).get("responsibilities", []):
        span = r["span"]
        text = pages.get(span["page"], {}).get("text", "")
        rows.append({"unit": r["unit"], "role": r["role"], "person": r["person"], "task": r["task"],
                     "deadline": r["deadline"], "cadence": r["cadence"], "section": r["section"],
                     "source": r["source"], "page": span["page"] + 1,
                     "evidence": " ".join(text[span["start"]:span["end"]].split()), "box": span.get("box")})
    columns = ["unit", "role", "person", "task", "deadline", "cadence", "section", "source", "page",
               "evidence", "box"]
    return pd.DataFrame(rows, columns=columns)


def show(doc_id: str, out_dir: str | Path = "out", page: int = 0) -> Html:
    """One page of one document: image with word boxes and field evidence, the fields,
    and raw vs restored text with the changes marked."""
    doc = json.loads((Path(out_dir) / DOCS_DIR / f"{doc_id}.json").read_text(encoding="utf-8"))
    p = doc["pages"][page]
    parts = [f"<h3>{html.escape(Path(doc['source']['path']).name)} — page {page + 1}/{len(doc['pages'])}</h3>"]
    fields = _fields(doc, page)
    img = _page_image(doc["source"]["path"], doc["source"]["kind"], page, p["dpi"]) if p["source"] == "ocr" else None
    if img:
        data, w, h = img
        boxes = "".join(
            f'<rect x="{b[0]}" y="{b[1]}" width="{b[2]-b[0]}" height="{b[3]-b[1]}" fill="none" '
            f'stroke="{_colour(wd["conf"])}" stroke-width="{max(1, w // 600)}"/>'
            for wd in p["words"] if (b := wd["box"]))
        boxes += "".join(
            f'<rect x="{s["box"][0]}" y="{s["box"][1]}" width="{s["box"][2]-s["box"][0]}" '
            f'height="{s["box"][3]-s["box"][1]}" fill="rgba(0,120,255,0.18)" stroke="#0050c8">'
            f'<title>{html.escape(n)}: {html.escape(str(v))}</title></rect>'
            for n, v, s in fields if s and s.get("box"))
        parts.append(f'<svg viewBox="0 0 {w} {h}" style="max-width:700px;border:1px solid #ccc">'
                     f'<image href="data:image/jpeg;base64,{data}" width="{w}" height="{h}"/>{boxes}</svg>')
    rows = "".join(f"<tr><td>{html.escape(n)}</td><td>{html.escape(str(v))}</td>"
                   f"<td>{html.escape(p['text'][s['start']:s['end']]) if s else ''}</td></tr>"
                   for n, v, s in fields)
    parts.append(f"<table><tr><th>field</th><th>value</th><th>evidence</th></tr>{rows}</table>")
    diff = "<br>".join(_diff(r, t) for r, t in zip(p["raw_text"].split("\n"), p["text"].split("\n"), strict=False))
    parts.append(f"<h4>raw → restored</h4><div style='font-family:serif'>{diff}</div>")
    return Html("\n".join(parts))
