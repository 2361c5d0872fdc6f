"""Restoration benchmark (issue 3), side by side with pyvi's ViUtils.add_accents.

Every model is built without the document it is scored on (leave one document out).
Run alone: `python -m bench.restore_bench`.
"""

from __future__ import annotations

import os
import sys
import time

from rapidfuzz.distance import Levenshtein

from diacritics.build import SHARED
from diacritics.decode import damaged_word
from diacritics.lexicon import fold_tone_placement
from diacritics.restore import Restorer
from ingest.orthography import strip_marks

_PUNCT = "\"'.,;:!?()[]{}“”‘’«»…-–*•/"


def tokens(text: str) -> list[str]:
    """Syllables for scoring: lower case, punctuation stripped, tone placement folded."""
    out = []
    for t in text.lower().split():
        t = t.strip(_PUNCT)
        if t:
            out.append(fold_tone_placement(t))
    return out


def ser(ref: str, hyp: str) -> float:
    """Syllable error rate, line by line when the line counts agree."""
    r, h = ref.split("\n"), hyp.split("\n")
    if len(r) != len(h):
        r, h = [ref], [hyp]
    errors = sum(Levenshtein.distance(tokens(a), tokens(b)) for a, b in zip(r, h, strict=True))
    return errors / max(1, sum(len(tokens(a)) for a in r))


def accuracy(ref: str, hyp: str) -> float:
    r, h = tokens(ref), tokens(hyp)
    if len(r) != len(h):
        return 1 - ser(ref, hyp)
    return sum(a == b for a, b in zip(r, h, strict=True)) / max(1, len(r))


def _unchanged(clean: str, restored: str) -> float:
    """Share of a clean text's syllables restoration left as they were; font artefacts
    (marked words that are no syllable) are not counted (diacritics.decode.damaged_word)."""
    c, r = tokens(clean), tokens(restored)
    if len(c) != len(r):
        return 1 - ser(clean, restored)
    pairs = [(a, b) for a, b in zip(c, r, strict=True) if not damaged_word(a)]
    return sum(a == b for a, b in pairs) / max(1, len(pairs))


_BASE = None


def restorer_without(doc: str) -> Restorer:
    """The shipped model's channel rules and an LM, both without `doc`."""
    global _BASE
    from diacritics.build import base_lm, clean_texts
    from diacritics.model import Model, lm_from_texts, load

    if _BASE is None:
        _BASE = base_lm(load().lm.corpus)  # the corpora hold none of the seeds (leakage check)
    lm = lm_from_texts(clean_texts(exclude={doc}).values(), _BASE)
    return Restorer(Model.create(lm, load().rule_counts, exclude={doc, f"render-{doc}"}))


def _restore(r: Restorer, text: str, ocr: bool = False) -> str:
    return "\n".join(x.text for x in r.restore(text.split("\n"), ocr))


def _pyvi(text: str) -> str:
    from pyvi import ViUtils

    def one(line: str) -> str:
        try:
            return str(ViUtils.add_accents(line)) if line.strip() else line
        except (KeyError, IndexError, ValueError):  # pyvi fails on some unusual tokens
            return line

    return "\n".join(one(line) for line in text.split("\n"))


def _seed(name: str) -> str:
    pattern = "gold/text/001.txt" if name == "gold001" else f"seeds/{name}_*.txt"
    return sorted(SHARED.glob(pattern))[0].read_text(encoding="utf-8")


def rows() -> list[tuple[str, str, str, str]]:
    out = []
    for doc in ("002", "004"):  # (a) mark-stripped clean text
        clean = _seed(doc)
        stripped = strip_marks(clean)
        r = restorer_without(doc)
        out.append((f"a. stripped {doc}: syllable accuracy", f"{accuracy(clean, stripped):.1%}",
                    f"{accuracy(clean, _restore(r, stripped)):.1%}", f"{accuracy(clean, _pyvi(stripped)):.1%}"))
    gold, raw = _seed("gold001"), _seed("001")  # (b) legacy OCR
    r001 = restorer_without("001")
    t0 = time.process_time()  # CPU time: the machine is shared, wall time measures the others
    hyp = _restore(r001, raw)
    secs = time.process_time() - t0
    out.append(("b. 001 garbled vs gold: syllable error rate", f"{ser(gold, raw):.1%}", f"{ser(gold, hyp):.1%}",
                f"{ser(gold, _pyvi(strip_marks(raw))):.1%}"))
    out += _rendered_rows()
    out += _real_rows() + _real_render_row() + _real_scan_rows()
    for doc in ("002", "004"):  # (d) clean text left alone
        clean = _seed(doc)
        out.append((f"d. clean {doc}: correct syllables left unchanged", "100.0%",
                    f"{accuracy(clean, _restore(restorer_without(doc), clean)):.2%}", "-"))
    n = len(tokens(raw))
    out.append(("e. syllables per CPU second: 001 first (cold caches)", "-", f"{n / secs:,.0f}", "-"))
    out.append(("e. syllables per CPU second: a batch from cold (001, 002, 004, 001)", "-", f"{_batch_speed(r001, raw):,.0f}", "-"))
    out += _load_rows()
    out += _long_line_rows(r001)
    return out


def _long_line_rows(r: Restorer) -> list[tuple[str, str, str, str]]:
    """One line of stripped text of 0.5 and 5 MB: CPU seconds per MB must not grow with
    the length (issue 20: a 5 MB line took 361 s and 2.1 GiB), and the peak RSS of a fresh
    process restoring it (VmHWM: ru_maxrss would carry over this process's own peak from
    the fork)."""
    import subprocess

    code = ("import sys, time; from bench.restore_bench import _seed; from diacritics.restore import Restorer;"
            "from ingest.orthography import strip_marks; n = int(sys.argv[1]); t = ' '.join(strip_marks(_seed('002')).split());"
            "line = (t * (n // len(t) + 1))[:n]; r = Restorer(); r.restore(['ke hoach']); c = time.process_time();"
            "r.restore([line]); hwm = [x for x in open('/proc/self/status') if x.startswith('VmHWM')][0].split()[1];"
            "print(time.process_time() - c, hwm)")
    out = []
    for mb in (0.5, 5):
        res = subprocess.run([sys.executable, "-c", code, str(int(mb * 1_000_000))], capture_output=True,
                             text=True, check=True).stdout.split()
        secs, rss = float(res[0]), int(res[1]) / 1024
        out.append((f"f. one line of {mb:g} MB (stripped 002 repeated): CPU s, s per MB, peak RSS",
                    "-", f"{secs:.1f} s, {secs / mb:.1f} s/MB, {rss:.0f} MB", "-"))
    return out


def _load_rows() -> list[tuple[str, str, str, str]]:
    """Model size on disk, and the load time of a fresh process (median of 3 runs)."""
    import subprocess

    from diacritics.model import MODEL_PATH

    code = ("import time; t = time.perf_counter(); from diacritics.model import load; load(); "
            "print(time.perf_counter() - t)")
    secs = sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout) for _ in range(3))[1]
    size = sum(f.stat().st_size for f in MODEL_PATH.parent.iterdir() if f.name.startswith(("model.", "corpus_lm.")))
    return [("e. model files on disk (model.json.gz + corpus_lm.bin)", "-", f"{size / 2**20:.1f} MB", "-"),
            ("e. model load, fresh process (import included, median of 3)", "-", f"{secs:.2f} s", "-")]


def _batch_speed(r: Restorer, raw: str) -> float:
    """Syllables per CPU second over a small batch from cold caches: 001, stripped 002 and
    004, then 001 again, as one worker meets a run of documents (caches warm up across
    documents, never on the one being timed first)."""
    from diacritics.decode import Decoder

    Decoder.clear_caches()
    r.model.lm.clear_caches()
    texts = [raw, strip_marks(_seed("002")), strip_marks(_seed("004")), raw]
    t0 = time.process_time()
    for text in texts:
        _restore(r, text)
    return sum(len(tokens(t)) for t in texts) / (time.process_time() - t0)


def _real_render_row() -> list[tuple[str, str, str, str]]:
    """(c) on real documents no model saw: the first page of every sixth real text,
    rendered and read by Tesseract `eng`, scored from the document-type line on (the
    renderer's header columns come out in another order than the text's)."""
    import pytesseract

    from bench.real_bench import body
    from diacritics.model import load
    from samples.render import Style, render_document

    files = sorted((SHARED / "external" / "texts").glob("*.txt"))[0::6][:8]
    if not files:
        return []
    truth = hyp = ""
    for f in files:
        page = render_document(f.read_text(encoding="utf-8"), Style("liberation", 13, 300))[0]
        truth += body(page.truth) + "\n"
        hyp += body(pytesseract.image_to_string(page.image, lang="eng", config="--dpi 300")) + "\n"
    fixed = _restore(Restorer(load()), hyp, ocr=True)
    return [(f"c. {len(files)} real texts no model saw, rendered, Tesseract eng: syllable error rate",
             f"{ser(truth, hyp):.1%}", f"{ser(truth, fixed):.1%}", f"{ser(truth, _pyvi(strip_marks(hyp))):.1%}")]


def _real_scan_rows() -> list[tuple[str, str, str, str]]:
    """(d) on real documents no model saw: the first page of every sixth real text,
    rendered, scanned at 120 DPI (`samples.degrade.low_dpi_scan`) and read by the vnplans
    OCR (Tesseract `vie` with its doubts), restored as `vnplans run` restores OCR pages."""
    import numpy as np

    from bench.real_bench import body
    from diacritics import restore_page
    from diacritics.model import load
    from ocr import OcrOptions, ocr_image
    from samples.degrade import low_dpi_scan
    from samples.render import Style, render_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    files = sorted((SHARED / "external" / "texts").glob("*.txt"))[3::6][:8]
    if not files:
        return []
    r = Restorer(load())
    truth = hyp = fixed = ""
    for k, f in enumerate(files):
        page = low_dpi_scan(render_document(f.read_text(encoding="utf-8"), Style("liberation", 13, 300))[0], seed=k)
        read = ocr_image(np.asarray(page.image), OcrOptions(), page.dpi)
        truth += body(page.truth) + "\n"
        hyp += body(read.text) + "\n"
        fixed += body(restore_page(read, r).text) + "\n"
    label = f"d. {len(files)} real texts no model saw, rendered, scanned at 120 DPI, vnplans OCR (vie)"
    return [(f"{label}: syllable error rate", f"{ser(truth, hyp):.1%}", f"{ser(truth, fixed):.1%}", "-"),
            (f"{label}: correct syllables left unchanged", "100.0%", f"{_kept(truth, hyp, fixed):.2%}", "-")]


def _real_rows() -> list[tuple[str, str, str, str]]:
    """(a) on real documents no model saw: every other text of ../shared/external/texts,
    mark-stripped, restored by the shipped model, then by the shipped model extended with
    the other half (what `vnplans train --corpus` does for a user's archive)."""
    from diacritics.model import Model, lm_from_texts, load

    files = sorted((SHARED / "external" / "texts").glob("*.txt"))
    if not files:
        return []
    test = [f.read_text(encoding="utf-8") for f in files[0::2]]
    train = [f.read_text(encoding="utf-8") for f in files[1::2]]
    base = load()
    trained = Model.create(lm_from_texts(train, base.lm), base.rule_counts)
    label = f"a. stripped real texts ({len(test)} files no model saw)"
    joined = "\n".join(test)
    stripped = strip_marks(joined)
    kept = [_unchanged(t, _restore(Restorer(base), t)) for t in test + train]

    def each(r: Restorer) -> str:  # one call per document, as `vnplans run` restores them
        return "\n".join(_restore(r, strip_marks(t)) for t in test)

    return [
        (f"d. {len(kept)} real clean texts: correct syllables left unchanged (worst file / all)", "100.0%",
         f"{min(kept):.2%} / {sum(kept) / len(kept):.3%}", "-"),
        (f"{label}: syllable accuracy", f"{accuracy(joined, stripped):.1%}",
         f"{accuracy(joined, each(Restorer(base))):.1%}", f"{accuracy(joined, _pyvi(stripped)):.1%}"),
        (f"{label}, after `vnplans train` on the other {len(train)}", "-",
         f"{accuracy(joined, each(Restorer(trained))):.1%}", "-"),
    ]


def _rendered_rows() -> list[tuple[str, str, str, str]]:
    """(c) pages rendered from 002 read by Tesseract eng; (d) the same read by vie."""
    import pytesseract

    from samples.render import Style, render_document

    os.environ["OMP_THREAD_LIMIT"] = "1"
    r = restorer_without("002")
    out = []
    pages = render_document(_seed("002"), Style("dejavu", 13, 300))[:2]
    for lang in ("eng", "vie"):
        truth = "\n".join(p.truth for p in pages)
        hyp = "\n".join(pytesseract.image_to_string(p.image, lang=lang, config="--dpi 300") for p in pages)
        fixed = _restore(r, hyp, ocr=True)  # as the pipeline restores OCR pages
        label = ("c. 002 rendered, Tesseract eng: syllable error rate" if lang == "eng"
                 else "d. 002 rendered, Tesseract vie: syllable error rate")
        out.append((label, f"{ser(truth, hyp):.1%}", f"{ser(truth, fixed):.1%}",
                    f"{ser(truth, _pyvi(strip_marks(hyp))):.1%}"))
        if lang == "vie":
            out.append(("d. vie OCR: correct syllables left unchanged", "100.0%",
                        f"{_kept(truth, hyp, fixed):.2%}", "-"))
    return out


def _kept(truth: str, hyp: str, fixed: str) -> float:
    """Share of OCR syllables that were right and are still right after restoration. A
    marked word that is no syllable is not right even where the truth has it: the real
    texts carry font artefacts (`phƣơng` with ƣ for ư, a Cyrillic а in `củа`)."""
    t, h, f = tokens(truth), tokens(hyp), tokens(fixed)
    if len(h) != len(f):
        return float("nan")
    right = [i for i, op in enumerate(_aligned(h, t)) if op and not damaged_word(h[i])]
    return sum(h[i] == f[i] for i in right) / max(1, len(right))


def _aligned(h: list[str], t: list[str]) -> list[bool]:
    ok = [False] * len(h)
    for op in Levenshtein.opcodes(h, t):
        if op.tag == "equal":
            for i in range(op.src_start, op.src_end):
                ok[i] = True
    return ok


def run() -> str:
    if not SHARED.is_dir():
        return "(../shared absent: restoration benchmark skipped)"
    lines = ["command: `python -m bench.restore_bench` (part of `make bench`)", "",
             "| measure | before | vnplans | pyvi add_accents |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
    sys.exit(0)
