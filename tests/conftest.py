"""Shared fixtures: the sibling ../shared data (skipped cleanly when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture(scope="session")
def external(shared: Path) -> Path:
    ext = shared / "external"
    if not ext.is_dir():
        pytest.skip("../shared/external is absent")
    return ext


@pytest.fixture(scope="session")
def gold_001(shared: Path) -> str:
    return (shared / "gold" / "text" / "001.txt").read_text(encoding="utf-8")
