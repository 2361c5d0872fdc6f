"""Stage glue (vnplans.pipeline) and batch bookkeeping (manifest, report) on real artefacts."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.models import Document, ImageRef, Page
from vnplans import PIPELINE_VERSION
from vnplans.batch import BatchReport, sha256_file
from vnplans.exceptions import ExitCode
from vnplans.manifest import MANIFEST, Entry, Manifest
from vnplans.pipeline import (
    PipelineOptions,
    already_vietnamese,
    chunks,
    process_document,
    process_page,
)

TEXTS = ("ỦY BAN NHÂN DÂN\nKẾ HOẠCH\nTuyên truyền pháp luật\n", "Nơi nhận:\n- Như trên;\n")


def text_doc(texts: tuple[str, ...] = TEXTS) -> Document:
    doc_id = hashlib.sha256("\f".join(texts).encode()).hexdigest()
    pages = tuple(Page(doc_id, i, "text", text=t) for i, t in enumerate(texts))
    return Document(doc_id, "mem.txt", "text", pages)


@pytest.mark.parametrize("restore,parse", [(True, True), (False, True), (True, False), (False, False)])
def test_process_document_runs_each_stage(restore: bool, parse: bool) -> None:
    doc = text_doc()
    result = process_document(doc, PipelineOptions(restore=restore, parse=parse))
    assert [p.text for p in result.pages] == list(TEXTS)
    assert len(result.restored) == 2
    assert all(r.text.count("\n") == p.text.count("\n") for r, p in zip(result.restored, result.pages, strict=True))
    if not restore:
        assert not any(r.restored for r in result.restored)
    if not parse:
        assert result.record is None
    assert result.pipeline_version == PIPELINE_VERSION
    assert {"ocr", "restore", "parse"} <= set(result.timings)


@pytest.mark.parametrize("text,good", [
    ("ỦY BAN NHÂN DÂN TỈNH\nKẾ HOẠCH triển khai công tác phổ biến pháp luật năm 2025\n", True),
    ("UY BAN NHAN DAN TINH\nKE HOACH trien khai cong tac pho bien phap luat nam 2025\n", False),
    ("Ke hoach trien khai cong tac pho bien, giao duc phap luat\n", False),
    ("KÕ ho¹ch triÓn khai c«ng t¸c phæ biÕn ph¸p luËt\n", False),  # TCVN3 mojibake
    ("   \n12/2025\n", True),  # nothing to restore
    ("UBND TỈNH LÀO CAI\nSố: 12/KH-UBND\nKẾ HOẠCH triển khai công tác năm 2025\n", True),  # acronyms
    ("QUYÉT ĐINH về viêc ban hành quy chê phôi hop\n", False),  # OCR damage
])
def test_already_vietnamese(text: str, good: bool) -> None:
    assert already_vietnamese(text) is good


@pytest.mark.parametrize("text,restore_all,restored", [
    ("KẾ HOẠCH triển khai công tác phổ biến pháp luật\n", False, False),
    ("KẾ HOẠCH triển khai công tác phổ biến pháp luật\n", True, True),
    ("Ke hoach trien khai cong tac pho bien phap luat\n", False, True),
])
def test_text_pages_are_restored_only_when_needed(text: str, restore_all: bool, restored: bool) -> None:
    result = process_document(text_doc((text,)), PipelineOptions(parse=False, restore_all=restore_all))
    assert result.restored[0].restored is restored
    assert result.restored[0].text.count("\n") == text.count("\n")


def test_text_pages_never_go_to_the_pool_map() -> None:
    calls: list[int] = []

    def pool_map(fn, items):  # type: ignore[no-untyped-def]
        items = list(items)
        calls.append(len(items))
        return map(fn, items)

    process_document(text_doc(), PipelineOptions(), map_pages=pool_map)
    assert calls == []


def test_image_pages_go_through_the_given_map(tmp_path: Path) -> None:
    from tests.test_batch import render_page

    png = render_page(tmp_path / "p.png", lines=("KẾ HOẠCH",))
    doc_id = sha256_file(png)
    page = Page(doc_id, 1, "image", image=ImageRef(str(png), "image", 1, 200))
    doc = Document(doc_id, str(png), "image", (Page(doc_id, 0, "text", text="bìa\n"), page))
    calls: list[int] = []

    def pool_map(fn, items):  # type: ignore[no-untyped-def]
        items = list(items)
        calls.append(len(items))
        return map(fn, items)

    result = process_document(doc, PipelineOptions(parse=False), map_pages=pool_map)
    assert calls == [1]
    assert result.pages[0].text == "bìa\n" and result.pages[1].source == "ocr"
    assert "HOẠCH" in result.pages[1].text or result.pages[1].words


def test_process_page_pickles_with_its_options() -> None:
    import pickle

    page = text_doc().pages[0]
    options = PipelineOptions(restore=False, dpi=300)
    assert pickle.loads(pickle.dumps(options)) == options
    assert process_page(pickle.loads(pickle.dumps(page)), options).text == TEXTS[0]


@pytest.mark.parametrize("dpi", [0, 5, 9999])
def test_options_reject_implausible_dpi(dpi: int) -> None:
    with pytest.raises(ValueError):
        PipelineOptions(dpi=dpi)


def test_options_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        PipelineOptions().restore = False  # type: ignore[misc]


@given(st.lists(st.integers(), max_size=50), st.integers(1, 10))
def test_chunks_keep_order_and_size(items: list[int], size: int) -> None:
    parts = list(chunks(items, size))
    assert [x for part in parts for x in part] == items
    assert all(1 <= len(p) <= size for p in parts)


def test_manifest_round_trip_and_done(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "x.json").write_text("{}")
    m = Manifest(tmp_path)
    m.record(Entry("a.txt", "ok", doc_id="ab" * 32, pages=2, output="documents/x.json"))
    m.record(Entry("b.txt", "ok", doc_id="cd" * 32, pages=1, output="documents/gone.json"))
    m.record(Entry("c.txt", "failed", error_kind="BadInputError", error="empty file", exit_code=4))
    m.save()
    again = Manifest.load(tmp_path)
    assert again.entries == m.entries
    assert again.done("ab" * 32) is not None
    assert again.done("cd" * 32) is None  # its output was removed: redo it
    assert json.loads((tmp_path / MANIFEST).read_text())["counts"] == {"ok": 2, "failed": 1, "skipped": 0}
    assert not list(tmp_path.glob("*.tmp"))


def test_an_older_pipeline_version_is_not_done(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{}")
    m = Manifest(tmp_path, {"a": Entry("a", "ok", doc_id="ab" * 32, output="x.json", pipeline_version="0")})
    assert m.done("ab" * 32) is None


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"documents": [{"nope": 1}]}'])
def test_a_damaged_manifest_starts_afresh(tmp_path: Path, damage: str) -> None:
    (tmp_path / MANIFEST).write_text(damage)
    assert Manifest.load(tmp_path).entries == {}


def test_a_failed_entry_says_why() -> None:
    with pytest.raises(ValueError):
        Entry("a", "failed")


def _e(status: str, code: int = 0) -> Entry:
    return Entry("p", status, error="x" if status == "failed" else "", exit_code=code)  # type: ignore[arg-type]


@pytest.mark.parametrize("entries,expected", [
    ((), ExitCode.OK),
    ((_e("ok"), _e("skipped")), ExitCode.OK),
    ((_e("failed", 4),), ExitCode.BAD_INPUT),
    ((_e("failed", 3),), ExitCode.INPUT_NOT_FOUND),
    ((_e("failed", 5),), ExitCode.MISSING_DEPENDENCY),
    ((_e("ok"), _e("failed", 4)), ExitCode.SOME_INPUTS_FAILED),
    ((_e("failed", 4), _e("failed", 4)), ExitCode.SOME_INPUTS_FAILED),
])
def test_exit_code_of_a_batch(entries: tuple[Entry, ...], expected: ExitCode) -> None:
    assert BatchReport(entries, Path(".")).exit_code == expected
