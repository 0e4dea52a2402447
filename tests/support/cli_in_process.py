"""Run `policybook` inside the test process: same parser, same output, no interpreter start-up.

A fresh Python process costs about 0.3 s (more on a busy machine); the data
error and publishing tests run the command dozens of times. The result has
the same fields as `subprocess.CompletedProcess`, so a test can switch
between this and `conftest.run_cli` freely; the end-to-end tests keep the
real process.
"""

from __future__ import annotations

import contextlib
import io
import subprocess

from policybook.cli import main


def run_cli_in_process(*args: str) -> subprocess.CompletedProcess[str]:
    """`policybook ARGS` as a user would run it, with its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse: --help, or a usage error
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["policybook", *args], code, out.getvalue(), err.getvalue())
