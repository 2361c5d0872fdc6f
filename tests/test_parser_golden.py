"""Golden file: the whole PlanRecord of seed 002 (clean text) as JSON.

Why a golden file: the record is rich (spans, mentions, outline parents), and a silent
change anywhere in it should show as a diff. Regenerate after an intended change with
`VNPLANS_REGEN_GOLDEN=1 python -m pytest tests/test_parser_golden.py`.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from parser import parse_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLDEN = Path(__file__).resolve().parent / "golden" / "parser"


def _as_json(rec) -> str:
    return json.dumps(dataclasses.asdict(rec), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("seed", ["002"])
def test_golden_record(seed: str) -> None:
    found = sorted(SHARED.glob(f"seeds/{seed}_*.txt"))
    if not found:
        pytest.skip("../shared seeds absent")
    got = _as_json(parse_text(found[0].read_text(encoding="utf-8"), doc_id=seed.rjust(64, "0")))
    path = GOLDEN / f"{seed}.json"
    if os.environ.get("VNPLANS_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"{path} is missing: VNPLANS_REGEN_GOLDEN=1 regenerates it"
    want = path.read_text(encoding="utf-8")
    assert json.loads(got) == json.loads(want), f"{path} differs: regenerate if intended"
    acts = {a["number"] for a in json.loads(want)["legal_acts"]}
    assert {"45/2020/NĐ-CP", "116/KH-UBND", "116/KH-SCT", "17-NQ/TW"} <= acts  # golden is sane
