"""Shared fixtures. Tests never touch the real policy_data/: they copy it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
POLICY_DATA = REPO / "policy_data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A throw-away copy of policy_data/ for commands that write."""
    target = tmp_path / "policy_data"
    shutil.copytree(POLICY_DATA, target)
    return target
