"""The corpus language model: leakage check, bad corpus files, the compact store."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from diacritics import build
from diacritics.corpus import (
    SHINGLE,
    CorpusError,
    Shingles,
    corpus_files,
    count,
    leak_texts,
    paragraphs,
)
from diacritics.lm import BOS, TrigramLM
from diacritics.model import MODEL_PATH, Model
from diacritics.store import NgramCounter, NgramStore, kn_arrays, write_store

TEST_DOC = ("ủy ban nhân dân tỉnh lào cai ban hành kế hoạch triển khai thực hiện chương trình "
            "chuyển đổi số quốc gia năm hai nghìn không trăm hai mươi sáu")
WORDS = TEST_DOC.split()
LEAK = "Nội dung: " + " ".join(WORDS[3:3 + SHINGLE]) + " và các việc khác."
NEAR = "Nội dung: " + " ".join(WORDS[3:3 + SHINGLE - 1]) + " xong rồi."
CLEAN = "Sở Tài chính chủ trì phối hợp với các sở ngành liên quan."


def _shared(tmp: Path, corpus: dict[str, bytes]) -> Path:
    """A tiny ../shared: one test text in each test directory, and the corpus files."""
    for sub in ("external/texts", "seeds", "gold/text"):
        (tmp / sub).mkdir(parents=True)
    (tmp / "external/texts/t.txt").write_text(TEST_DOC + "\n", encoding="utf-8")
    (tmp / "seeds/001_x.txt").write_text("một văn bản khác\n", encoding="utf-8")
    (tmp / "gold/text/001.txt").write_text("một văn bản khác\n", encoding="utf-8")
    (tmp / "corpora").mkdir()
    for name, data in corpus.items():
        (tmp / "corpora" / name).write_bytes(data)
    return tmp


def _xz(*lines: str) -> bytes:
    return lzma.compress(("\n".join(lines) + "\n").encode("utf-8"))


@pytest.mark.parametrize(("paragraph", "dropped"), [
    (LEAK, True),  # a 12-syllable run of the test text
    (LEAK.upper(), True),  # case does not hide it
    (NEAR, False),  # 11 syllables in common: kept
    (CLEAN, False),
])
def test_leakage_check_drops_paragraphs_sharing_a_run(tmp_path: Path, paragraph: str, dropped: bool) -> None:
    shared = _shared(tmp_path, {"c.txt.xz": _xz(CLEAN, paragraph)})
    counts = count(corpus_files(shared / "corpora"), Shingles(leak_texts(shared)), 1, log=False)
    assert counts.meta["dropped"] == {"c.txt.xz": int(dropped)}
    ids = {t: i for i, t in enumerate(counts.vocab)}
    a, b, c = (ids[w] for w in WORDS[5:8])  # a trigram only the leaking paragraph holds
    keys = set(counts.arrays["tri_keys"].tolist())
    assert ((a << 32 | b << 16 | c) in keys) == (not dropped and paragraph != CLEAN)


def test_leak_check_spans_lines_of_a_test_text(tmp_path: Path) -> None:
    """A test document is one token stream: a run broken over two of its lines counts."""
    shingles = Shingles([" ".join(WORDS[:8]) + "\n" + " ".join(WORDS[8:])])
    assert shingles.leaks(LEAK) and not shingles.leaks(NEAR)


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("c.txt.xz", None, "missing"),
    ("c.txt.xz", _xz(CLEAN, CLEAN)[:-30], "truncated"),
    ("c.txt.xz", lzma.compress("Sở Tài chính\n".encode("utf-16")), "not UTF-8"),
    ("c.txt.xz", b"plain text, not xz", "not a valid xz"),
])
def test_bad_corpus_file_is_one_line_naming_it(tmp_path: Path, name: str, data: bytes | None, reason: str) -> None:
    shared = _shared(tmp_path / "shared", {} if data is None else {name: data})
    (shared / "corpora/INDEX.tsv").write_text(f"corpus_file\tdoc\n{name}\t1\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=reason) as err:
        list(paragraphs(corpus_files(shared / "corpora")[0]))
    assert name in str(err.value) and "\n" not in str(err.value)


def test_bad_corpus_leaves_the_model_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture) -> None:
    shared = _shared(tmp_path / "shared", {"a.txt.xz": _xz(CLEAN), "b.txt.xz": _xz(CLEAN)[:-30]})
    out = tmp_path / "data" / "model.json.gz"
    out.parent.mkdir()
    out.write_bytes(b"the committed model")
    monkeypatch.setattr(build, "SHARED", shared)
    assert build.main(["--out", str(out), "--no-renders"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert [line for line in err if "b.txt.xz" in line and "truncated" in line] == [err[-1]]
    assert out.read_bytes() == b"the committed model"
    assert sorted(p.name for p in out.parent.iterdir()) == ["model.json.gz"]


def test_no_corpora_keeps_the_committed_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "model.json.gz"
    out.write_bytes(b"the committed model")
    monkeypatch.setattr(build, "SHARED", tmp_path / "absent")
    assert build.main(["--out", str(out)]) == 0
    assert "keeping the committed model" in capsys.readouterr().err
    assert out.read_bytes() == b"the committed model"


SENTS = [["bộ", "tài", "chính"], ["bộ", "tài", "nguyên"], ["sở", "tài", "chính"], ["bộ", "tài", "chính"]]


@pytest.mark.parametrize(("u", "v", "w"), [
    ("bộ", "tài", "chính"), ("bộ", "tài", "nguyên"), ("sở", "tài", "nguyên"), (BOS, "bộ", "tài"),
    (BOS, BOS, "sở"), ("tài", "chính", "bộ"),
])
def test_store_gives_the_kneser_ney_of_the_counters(tmp_path: Path, u: str, v: str, w: str) -> None:
    """The memory-mapped store computes what lm.TrigramLM computes from Counters."""
    vocab = [BOS, *sorted({s for sent in SENTS for s in sent})]
    ids = {t: i for i, t in enumerate(vocab)}
    counter = NgramCounter(ids[BOS], batch=5)
    for sent in SENTS:
        counter.add(ids[s] for s in sent)
    arrays = kn_arrays(*counter.counts(), len(vocab), min_count=1)
    write_store(tmp_path / "s.bin", vocab, arrays, {"cont1_total": int(arrays["cont1"].sum())})
    store = NgramStore(tmp_path / "s.bin")
    lm = TrigramLM()
    lm.add_sentences(SENTS)
    p1 = 0.01
    n2 = lm.ctx2.get(v, 0)
    want2 = max(lm.cont2.get((v, w), 0) - 0.75, 0) / n2 + 0.75 * lm.types2[v] / n2 * p1 if n2 else p1
    assert store.p2(v, w, p1) == pytest.approx(want2)
    ctx = store.context(u, v)
    assert ctx == (lm.ctx3.get((u, v), 0), lm.types3.get((u, v), 0))
    if ctx[0]:
        want3 = max(lm.tri.get((u, v, w), 0) - 0.75, 0) / ctx[0] + 0.75 * ctx[1] / ctx[0] * want2
        assert store.p3(u, v, w, want2, ctx) == pytest.approx(want3)
    assert store.p1(w) == pytest.approx(lm.cont1[w] / lm.cont1_total)


def test_shipped_model_records_the_corpora_it_was_built_from() -> None:
    import gzip

    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        ref = json.load(fh)["lm"]["corpus"]
    assert ref["store"] == build.STORE_NAME and 0 < ref["weight"] < 1
    assert all(len(digest) == 64 for digest in ref["corpora"].values()) and ref["corpora"]
    model = Model.read(MODEL_PATH)
    assert model.lm.corpus is not None and model.lm.corpus.meta["corpora"] == ref["corpora"]
    assert MODEL_PATH.stat().st_size + model.lm.corpus.size() <= 40 * 2**20


def test_train_on_a_missing_path_exits_3(tmp_path: Path) -> None:
    from vnplans.cli import main
    from vnplans.exceptions import ExitCode

    empty = tmp_path / "empty"
    empty.mkdir()
    for corpus in (tmp_path / "absent", empty):
        assert main(["train", "--corpus", str(corpus), "--model", str(tmp_path / "m.json.gz")]) \
            == ExitCode.INPUT_NOT_FOUND


@pytest.mark.parametrize(("line", "fixed"), [
    # the corpus LM knows the phrase, in capitals too (GP 2507's title, vie OCR)
    ("GIẦY PHÉP SỬ DỤNG VẬT LIỆU NÓ CÔNG NGHIỆP", "GIẤY PHÉP SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP"),
    ("sử dụng vật liệu nô công nghiệp", "sử dụng vật liệu nổ công nghiệp"),
])
def test_corpus_lm_restores_ocr_slips_the_seeds_could_not(line: str, fixed: str) -> None:
    from diacritics.restore import Restorer

    assert Restorer().restore([line], True)[0].text == fixed
