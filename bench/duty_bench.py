"""Responsibilities, audiences, unnumbered acts and issuers against hand annotations.

The dev set (`tests/devset/*.json`, conventions in `tests/devset/CONVENTIONS.md`) annotates
real documents of `../shared/external/texts/`; `split` tells the documents the parser's
authors read while writing it (dev) from those scored only (held). The seeds' gold
(`../shared/gold/extract/`) gives the seed rows. Run alone: `python -m bench.duty_bench`.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz

from parser import parse_text
from parser.models import PlanRecord

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEVSET = ROOT / "tests" / "devset"
_EQUIV = (("ủy ban nhân dân", "ubnd"), ("uỷ ban nhân dân", "ubnd"), ("hội đồng nhân dân", "hđnd"),
          ("uỷ", "ủy"), ("hoà", "hòa"), ("hoá", "hóa"), ("–", "-"))


def norm(v: object) -> str:
    s = unicodedata.normalize("NFC", str(v or "")).lower()
    for a, b in _EQUIV:
        s = s.replace(a, b)
    s = re.sub(r"\s*-\s*", " - ", s)
    return " ".join(s.split()).strip(" .;:,")


def prf(pred: set, gold: set) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fuzzy_prf(pred: list[str], gold: list[str], cutoff: int = 85) -> tuple[float, float, float]:
    """P / R / F1 with each gold item matched once by the best similar prediction (names
    cut a word early or late still count)."""
    left = [norm(g) for g in gold]
    tp = 0
    for p in (norm(x) for x in pred):
        best = max(range(len(left)), key=lambda i: fuzz.ratio(p, left[i]), default=None)
        if best is not None and fuzz.ratio(p, left[best]) >= cutoff:
            tp += 1
            left.pop(best)
    return _ratios(tp, len(pred), len(gold))


def _ratios(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


Scores = dict[str, tuple[float, float, float]]


def score(rec: PlanRecord, gold: dict) -> tuple[Scores, tuple[int, int]]:
    """Per field (P, R, F1), and the issuers (right, matched)."""
    units = prf({(norm(r.unit), r.role) for r in rec.responsibilities},
                {(norm(g["unit"]), g["role"]) for g in gold["responsibilities"]})
    names = prf({norm(r.unit) for r in rec.responsibilities},
                {norm(g["unit"]) for g in gold["responsibilities"]})
    tasks = _task_prf(rec, gold)
    aud_gold = [a if isinstance(a, str) else a["audience"] for a in gold["audiences"]]
    audiences = fuzzy_prf([a.name for a in rec.audiences], aud_gold)
    unnumbered = fuzzy_prf([u.text for u in rec.unnumbered_acts], gold["unnumbered_acts"], 80)
    issuers = gold.get("issuers") or [{"number": a["number"], "issuer": a["issuer"]}
                                      for a in gold.get("legal_acts", []) if a.get("issuer")]
    pred = {a.number: a.issuer for a in rec.legal_acts}
    matched = [g for g in issuers if g["number"] in pred]
    right = sum(norm(pred[g["number"]]) == norm(g["issuer"]) for g in matched)
    return ({"units": units, "names": names, "tasks": tasks, "audiences": audiences,
             "unnumbered": unnumbered}, (right, len(matched)))


def _task_prf(rec: PlanRecord, gold: dict) -> tuple[float, float, float]:
    """(unit, role) with the task: a prediction counts when its task starts like the
    annotated one (first 40 characters, fuzzy), so one entry per task is checked."""
    gold_t = [(norm(g["unit"]), g["role"], norm(g.get("task") or "")[:40]) for g in gold["responsibilities"]]
    if not any(t for _, _, t in gold_t):
        return prf(set(), set())
    left = list(gold_t)
    tp = 0
    pred = [(norm(r.unit), r.role, norm(r.task)[:40]) for r in rec.responsibilities]
    for u, role, t in pred:
        hit = next((g for g in left if g[0] == u and g[1] == role and fuzz.ratio(t, g[2]) >= 70), None)
        if hit is not None:
            tp += 1
            left.remove(hit)
    return _ratios(tp, len(pred), len(gold_t))


def cases() -> list[tuple[str, str, str, dict]]:
    """(label, split, text, annotation) for the seeds and the dev set."""
    out = []
    for n in ("002", "004", "001"):
        gold = json.loads((SHARED / f"gold/extract/{n}.json").read_text(encoding="utf-8"))
        text = next((SHARED / "gold" / "text").glob("001.txt")) if n == "001" else \
            next((SHARED / "seeds").glob(f"{n}_*.txt"))
        out.append((f"seed {n}" + (" (gold text)" if n == "001" else ""), "seed",
                    text.read_text(encoding="utf-8"), gold))
    for path in sorted(DEVSET.glob("*.json")):
        ann = json.loads(path.read_text(encoding="utf-8"))
        src = SHARED / "external" / ann["file"]
        if src.is_file():
            out.append((path.stem, ann["split"], src.read_text(encoding="utf-8"), ann))
    return out


def _f(x: tuple[float, float, float]) -> str:
    return f"{x[0]:.2f} / {x[1]:.2f} / {x[2]:.2f}"


def run() -> str:
    if not SHARED.is_dir():
        return "(../shared absent: duty benchmark skipped)"
    lines = ["command: `python -m bench.duty_bench` (part of `make bench`)", "",
             "| document | split | units+role P / R / F1 | unit names F1 | tasks F1 | audiences P / R / F1 "
             "| unnumbered acts P / R / F1 | issuers right / matched | ms/page |",
             "|---|---|---|---|---|---|---|---|---|"]
    means: dict[str, dict[str, list[float]]] = {}
    for label, split, text, gold in cases():
        t0 = time.perf_counter()
        rec = parse_text(text)
        ms = (time.perf_counter() - t0) * 1000 / max(1.0, text.count("\n") / 45)
        s, (right, matched) = score(rec, gold)
        lines.append(f"| {label} | {split} | {_f(s['units'])} | {s['names'][2]:.2f} | {s['tasks'][2]:.2f} | "
                     f"{_f(s['audiences'])} | {_f(s['unnumbered'])} | {right} / {matched} | {ms:.1f} |")
        m = means.setdefault(split, {})
        for k in ("units", "names", "tasks", "audiences", "unnumbered"):
            m.setdefault(k, []).append(s[k][2])
        m.setdefault("right", []).append(right)
        m.setdefault("matched", []).append(matched)
    lines += ["", "| split | documents | units+role F1 (mean) | unit names F1 | tasks F1 | audiences F1 | unnumbered acts F1 | issuers right |",
              "|---|---|---|---|---|---|---|---|"]
    for split, m in means.items():
        n = len(m["units"])
        lines.append(f"| {split} | {n} | " + " | ".join(f"{sum(m[k]) / n:.2f}" for k in
                     ("units", "names", "tasks", "audiences", "unnumbered"))
                     + f" | {int(sum(m['right']))} / {int(sum(m['matched']))} |")
    return "\n".join(lines + ["", long_lines()])


def long_lines() -> str:
    """Parse time and peak memory of one line of prose growing to 5 MB: both must grow
    linearly with the length (a quadratic step shows at once). Time is measured in a run
    of its own; tracemalloc, which slows Python down, in another."""
    import tracemalloc

    sentence = "Sở Tài chính chủ trì, phối hợp với Sở Nội vụ và UBND các xã triển khai thực hiện; "
    rows = ["| one line of | parse s | s per MB | peak MB (tracemalloc, parse + text page) |",
            "|---|---|---|---|"]
    for mb in (1, 2, 5):
        text = sentence * (mb * 1_000_000 // len(sentence.encode()))
        t0 = time.perf_counter()
        parse_text(text)
        dt = time.perf_counter() - t0
        tracemalloc.start()
        parse_text(text)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        rows.append(f"| {mb} MB | {dt:.1f} | {dt / mb:.1f} | {peak:.0f} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(run())
