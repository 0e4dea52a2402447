"""Read YAML while remembering the line of every field.

Staff edit YAML by hand, so an error must point at a line. PyYAML's node
tree knows where each value starts; we walk it once and keep a map from a
field's path (("sections", 0, "clauses", 3, "text")) to its line number.

Dates are kept as strings (no implicit timestamp conversion) so that an
impossible date such as 2025-02-30 becomes a clear validation error rather
than a crash, and so that content hashes do not depend on YAML's date type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from policybook.errors import DataProblem, PolicyDataError

Path_ = tuple[str | int, ...]


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without implicit dates: every date stays a string."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file plus the line of every field in it."""

    path: Path
    data: Any
    lines: dict[Path_, int]

    def line_of(self, field_path: Path_) -> int | None:
        """Line of a field, or of its nearest parent that has one."""
        probe = tuple(field_path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return 1

    def problem(self, field_path: Path_, message: str, fix: str) -> DataProblem:
        return DataProblem(self.path, self.line_of(field_path), dotted(field_path), message, fix)


def dotted(field_path: Path_) -> str:
    """("sections", 0, "title") -> "sections[0].title", the way staff read it."""
    out = ""
    for part in field_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, here: Path_, lines: dict[Path_, int]) -> None:
    lines[here] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _walk(value_node, here + (key,), lines)
            lines[here + (key,)] = key_node.start_mark.line + 1  # the key's line, not the value's
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, here + (index,), lines)


def _duplicate_keys(node: yaml.Node, here: Path_, doc_path: Path) -> list[DataProblem]:
    """YAML silently keeps the last of two equal keys; staff must hear about it."""
    problems: list[DataProblem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    DataProblem(
                        doc_path,
                        line,
                        dotted(here + (key,)),
                        f"the field '{key}' appears twice (first on line {seen[key]})",
                        "keep one of the two and delete the other",
                    )
                )
            seen.setdefault(key, line)
            problems += _duplicate_keys(value_node, here + (key,), doc_path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, here + (index,), doc_path)
    return problems


def read_yaml(path: Path) -> YamlDoc:
    """Parse one YAML file; raise PolicyDataError naming the line on bad syntax."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyDataError(
            [DataProblem(path, None, "", f"the file is not UTF-8 text ({exc})", "save it as UTF-8")]
        ) from exc
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> YamlDoc:
    """Parse YAML text that came from `path` (used for messages only)."""
    try:
        loader = _PlainLoader(text)
        try:
            node = loader.get_single_node()  # parsed once: the node tree gives lines and data
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise PolicyDataError([_syntax_problem(exc, text, path)]) from exc
    lines: dict[Path_, int] = {}
    if node is None:
        raise PolicyDataError(
            [
                DataProblem(
                    path,
                    1,
                    "",
                    "the file is empty",
                    "restore its content from git, or delete it; `policybook new-version` makes "
                    "a complete draft",
                )
            ]
        )
    duplicates = _duplicate_keys(node, (), path)
    if duplicates:
        raise PolicyDataError(duplicates)
    _walk(node, (), lines)
    return YamlDoc(path, data, lines)


#: PyYAML's wording for common mistakes, and what it means for someone editing by hand.
_SYNTAX_HINTS = (
    (
        "quoted scalar",
        "a quote is opened but never closed",
        "close the quote at the end of the text",
    ),
    (
        "mapping values are not allowed",
        "a ': ' appears inside a value, or a line is indented too far",
        "put the text in double quotes, or line it up with the fields above it",
    ),
    (
        "character '\\t'",
        "the line is indented with a tab",
        "indent with spaces only (two per level)",
    ),
    (
        "expected <block end>",
        "the indentation does not line up with the lines above",
        "indent this line by the same number of spaces as the other entries at its level",
    ),
    (
        "expected ',' or ']'",
        "a [ list ] is opened but never closed",
        "close it with ] or write the list one '- item' per line",
    ),
)
_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: Path) -> DataProblem:
    """A YAML syntax error in plain words, at the line where staff should look."""
    raw = " ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
    what, fix = (
        "the indentation or quoting is wrong",
        "check the indentation and quoting on this line and the one above; "
        "text containing ': ' or starting with a quote needs quotes around it",
    )
    for clue, meaning, remedy in _SYNTAX_HINTS:
        if clue in raw:
            what, fix = meaning, remedy
            break
    mark = exc.problem_mark
    if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
        mark = exc.context_mark  # where the unclosed quote starts, not the end of the file
    line = mark.line + 1 if mark else None
    return DataProblem(
        path,
        line,
        _nearest_key(text, line),
        f"this is not valid YAML: {what} (YAML says: {raw})",
        fix,
    )


def _nearest_key(text: str, line: int | None) -> str:
    """The field being written at `line`: the key on that line or the closest one above it."""
    if line is None:
        return ""
    for candidate in reversed(text.splitlines()[:line]):
        found = _KEY.match(candidate)
        if found:
            return found.group(1)
    return ""
