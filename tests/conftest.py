"""Shared fixtures. Tests never touch the real policy_data/: they copy it."""

from __future__ import annotations

import shutil
import subprocess
import sys
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


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m policybook ARGS` as a user would, capturing output."""
    return subprocess.run(
        [sys.executable, "-m", "policybook", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
        timeout=300,
    )
