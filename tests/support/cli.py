"""Run `policybook` as staff do: in a real process, or in this one when speed matters.

Tests import these from here rather than from `conftest`: with a second
conftest.py under tests/ (tests/browser/), `from conftest import ...` can
resolve to the wrong one.

A fresh Python process costs about 0.3 s (more on a busy machine), and the
data-error and publishing tests run the command dozens of times, so most of
them use `run_cli_in_process`: the same parser, output and exit codes, with
no interpreter start-up. Both return a `subprocess.CompletedProcess`.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
POLICY_DATA = REPO / "policy_data"


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


def run_cli_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """`policybook ARGS` inside this process, with its exit code, stdout and stderr."""
    from policybook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: --help, or a usage error
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["policybook", *args], code, out.getvalue(), err.getvalue())
