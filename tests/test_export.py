"""Export: JSON schema validation, Parquet schemas, idempotent database load, notebook."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest

from diacritics import restore_page
from export import (
    SCHEMAS,
    DocumentResult,
    load_db,
    load_results,
    show,
    write_document,
    write_tables,
)
from ingest import load
from ocr import ocr_page
from parser import parse
from vnplans import PIPELINE_VERSION
from vnplans.exceptions import OutputError

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "export/schema/document.v2.json").read_text())
TEXT = """UBND TỈNH ĐỒNG NAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc
Số: 12/KH-SCT Đồng Nai, ngày 28 tháng 02 năm 2025
KẾ HOẠCH
Tuyen truyen cai cach hanh chinh nam 2025
Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;
I. TỔ CHỨC THỰC HIỆN
1. Văn phòng Sở chủ trì, phối hợp với các phòng, đơn vị triển khai.
"""


def _result(path: Path) -> DocumentResult:
    doc = load(path)
    pages = tuple(ocr_page(p) for p in doc.pages)
    restored = tuple(restore_page(p) for p in pages)
    return DocumentResult(doc, pages, restored, parse(restored), PIPELINE_VERSION)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("export")
    src = base / "plan.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = base / "out"
    write_document(out, _result(src))
    write_tables(out)
    return out


def test_document_json_valid(out: Path) -> None:
    for f in (out / "documents").glob("*.json"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        jsonschema.validate(doc, SCHEMA)
        assert doc["record"]["header"]["symbol"]["value"] == "KH-SCT"
        assert any(t["restored"] == "Tuyên" for t in doc["pages"][0]["tokens"])


def test_schema_rejects_bad_document(out: Path) -> None:
    doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
    doc["doc_id"] = "not-a-hash"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_parquet_schemas(out: Path, name: str) -> None:
    table = pq.read_table(out / "tables" / f"{name}.parquet")
    assert table.schema.equals(SCHEMAS[name], check_metadata=False)
    assert table.schema.metadata[b"vnplans_schema_version"] == b"2"


def test_dates_are_dates_and_keys_join(out: Path) -> None:
    r = load_results(out)
    assert str(r.documents.date.iloc[0]) == "2025-02-28"
    assert set(r.legal_acts.doc_id) <= set(r.documents.doc_id)
    assert list(r.legal_acts.number) == ["63/2010/NĐ-CP"]


def test_tables_rebuilt_without_duplicates(out: Path) -> None:
    write_tables(out)
    write_tables(out)
    assert pq.read_table(out / "tables" / "documents.parquet").num_rows == 1


def test_database_load_idempotent(out: Path) -> None:
    first = load_db(out)
    second = load_db(out)
    assert first == second and first["documents"] == 1
    con = sqlite3.connect(out / "vnplans.sqlite")
    assert con.execute("select count(*) from legal_acts").fetchone()[0] == first["legal_acts"]
    fks = con.execute("pragma foreign_key_list(legal_acts)").fetchall()
    assert fks and fks[0][2] == "documents"


def test_unwritable_out_is_clear(tmp_path: Path, out: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/vnplans-out")  # even root cannot write here
    else:
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o500)
    result = _result(next(iter([(out.parent / "plan.txt")])))
    with pytest.raises(OutputError):
        write_document(target, result)


def test_show_html(out: Path) -> None:
    doc_id = load_results(out).documents.doc_id.iloc[0]
    html = show(doc_id, out)._repr_html_()
    assert "<ins>Tuyên" in html and "<del>Tuyen" in html and "KH-SCT" in html


def test_assignments_table(out: Path) -> None:
    """A document's assignments with their evidence, as the notebook shows them."""
    from export import assignments

    doc_id = load_results(out).documents.doc_id.iloc[0]
    table = assignments(doc_id, out)
    rows = {(r.unit, r.role, r.section) for r in table.itertuples()}
    assert rows == {("Văn phòng Sở", "lead", "I.1"), ("Các phòng, đơn vị", "support", "I.1")}
    assert all(r.evidence and r.page == 1 for r in table.itertuples())
    parquet = load_results(out).responsibilities
    assert {"task", "person", "deadline", "cadence", "section"} <= set(parquet.columns)
    assert set(parquet.task) == {"chủ trì, phối hợp với các phòng, đơn vị triển khai"}


def test_notebook_runs(out: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(REPO / "samples" / "spot_check.ipynb", as_version=4)
    os.environ["VNPLANS_OUT"] = str(out)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}).execute()
    finally:
        os.environ.pop("VNPLANS_OUT", None)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "raw → restored" in html and "Văn phòng Sở" in html
