"""Change top-level fields of a YAML file's text, leaving every other line as it was.

Staff read and edit the version files by hand, and git shows their history:
re-dumping the YAML would re-wrap every folded paragraph and drop every
comment. So the publishing commands edit only the lines of the fields they
own (status, content_hash, the approval details) and nothing else.
"""

from __future__ import annotations

import re

_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:")


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """[start, end) line indexes of a top-level field, including its indented continuation."""
    for start, line in enumerate(lines):
        found = _TOP_LEVEL_KEY.match(line)
        if found and found.group(1) == key:
            end = start + 1
            while end < len(lines) and _continues(lines, end):
                end += 1
            return start, end
    return None


def _continues(lines: list[str], index: int) -> bool:
    """Indented lines, and blank lines before more indented ones, belong to the field above."""
    line = lines[index]
    if line.startswith((" ", "\t")):
        return True
    if line.strip():
        return False
    rest = [later for later in lines[index + 1 :] if later.strip()]
    return bool(rest) and rest[0].startswith((" ", "\t"))


def set_field(text: str, key: str, value: str, *, after: str | None = None) -> str:
    """Set top-level `key` to the single line `key: value` (value already YAML-formatted).

    If the key is absent it is added after the field `after` (or at the end).
    """
    lines = text.splitlines(keepends=True)
    new_line = f"{key}: {value}".rstrip() + "\n"
    place = _block(lines, key)
    if place is not None:
        start, end = place
        lines[start:end] = [new_line]
        return "".join(lines)
    anchor = _block(lines, after) if after else None
    index = anchor[1] if anchor else len(lines)
    if index == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.insert(index, new_line)
    return "".join(lines)


def remove_field(text: str, key: str) -> str:
    """Drop a top-level field and its continuation lines, if present."""
    lines = text.splitlines(keepends=True)
    place = _block(lines, key)
    if place is None:
        return text
    start, end = place
    del lines[start:end]
    return "".join(lines)


def drop_leading_comments(text: str) -> str:
    """Remove the comment block at the top of a file (it describes the file it came from)."""
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines) and (lines[index].startswith("#") or not lines[index].strip()):
        index += 1
    return "".join(lines[index:])
