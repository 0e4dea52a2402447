"""Errors in staff-edited data, reported so that staff can fix them.

Every problem names the file, the line and the field, says what is wrong and
how to fix it. The loader collects all problems before it gives up, so staff
see every mistake in one run rather than one per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataProblem:
    """One thing wrong in one place of one file."""

    file: Path
    line: int | None
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else f"{self.file}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}\n    how to fix: {self.fix}"


class PolicyDataError(Exception):
    """Raised when policy data cannot be used; carries every problem found."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class CommandError(Exception):
    """A staff command refused to act; the message says why and what to do."""
