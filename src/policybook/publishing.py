"""The staff workflow: make next year's draft, then publish it.

Both steps write exactly one file, and only after checking the result:
the new text is parsed and validated in memory, written to a temporary file
beside the target and renamed over it, so a failure never leaves a half
-written version behind and no earlier version is ever touched.
"""

from __future__ import annotations

import calendar
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from policybook.checks import content_hash, current_problems, publication_problems
from policybook.errors import CommandError, DataProblem
from policybook.loader import check_version
from policybook.model import Policy, Version
from policybook.selfcheck.rules import load_rules
from policybook.yaml_edit import drop_leading_comments, remove_field, set_field
from policybook.yaml_source import parse_yaml, read_yaml

VERSION_ID = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")

#: Details reset in a new draft, with the hint staff see beside each empty field.
RESET_FIELDS = {
    "effective": "# fill in: the date this version takes effect, YYYY-MM-DD",
    "approved_by": "# fill in: who approved it, e.g. Headteacher, on behalf of the Governing Board",
    "approved_on": "# fill in: the date it was approved, YYYY-MM-DD",
    "next_review": "# fill in: the next review date, YYYY-MM-DD, after the effective date",
    "summary_of_changes": "# fill in: a sentence or two telling parents what changed",
}

DRAFT_HEADER = """\
# DRAFT of version {id} of the policy, copied from {source}.
# 1. Edit the wording below. Keep each clause's id when you reword it (the
#    "what changed" page matches clauses by id); give a new clause a new id.
# 2. Fill in the details marked "fill in" just below.
# 3. Check with `policybook validate` and `policybook diff {source} {id}`.
# 4. Publish with `policybook publish {id}`: it records a content hash, and
#    from then on this file must not be edited.
"""

PUBLISHED_HEADER = """\
# Version {id} of the policy, PUBLISHED (effective {effective}).
# Its content hash is recorded below and `policybook validate` fails if any of
# it is edited. To change the policy, make a new draft with
# `policybook new-version YYYY-MM`.
"""


def date_label(version_id: str) -> str:
    """'2026-09' -> 'September 2026', the date shown under the policy's title."""
    year, month = version_id.split("-")
    return f"{calendar.month_name[int(month)]} {year}"


def new_version(policy: Policy, version_id: str) -> tuple[Path, Version]:
    """Copy the latest version into a draft `version_id`; return its path and its source."""
    _check_new_id(policy, version_id)
    source = policy.latest()
    target = policy.data_dir / "versions" / f"{version_id}.yaml"
    text = drop_leading_comments(source.path.read_text(encoding="utf-8"))
    text = set_field(text, "id", f'"{version_id}"')
    text = set_field(text, "date_label", date_label(version_id))
    text = set_field(text, "status", "draft")
    text = remove_field(text, "content_hash")
    for field, hint in RESET_FIELDS.items():
        text = set_field(text, field, hint)
    text = DRAFT_HEADER.format(id=version_id, source=source.id) + text
    check_version(parse_yaml(text, target))
    atomic_write(target, text)
    return target, source


def _check_new_id(policy: Policy, version_id: str) -> None:
    if not VERSION_ID.match(version_id):
        raise CommandError(
            f"'{version_id}' is not a version id. Version ids are the year and month the "
            "version starts, written YYYY-MM, e.g. 2026-09."
        )
    known = {v.id for v in policy.versions}
    if version_id in known:
        raise CommandError(
            f"version {version_id} already exists ({policy.data_dir / 'versions'}/"
            f"{version_id}.yaml). Edit that file, or choose a later id."
        )
    latest = policy.latest()
    if version_id < latest.id:
        raise CommandError(
            f"version {version_id} would be older than the latest version, {latest.id}. "
            f"A new version must come after it, e.g. {int(latest.id[:4]) + 1}{latest.id[4:]}."
        )


def publish(policy: Policy, version_id: str) -> Version:
    """Mark a complete draft published, record its hash, and make it the current version."""
    try:
        draft = policy.version(version_id)
    except KeyError as exc:
        raise CommandError(f"{exc.args[0]}. Make it first with `policybook new-version`.") from exc
    if draft.is_published:
        raise CommandError(
            f"version {version_id} is already published (effective {draft.effective}); a "
            "published version never changes. To change the policy, make a new draft with "
            "`policybook new-version YYYY-MM`."
        )
    missing = _incomplete(policy, draft)
    if missing:
        listed = "\n".join(f"  {problem}" for problem in missing)
        raise CommandError(
            f"version {version_id} is not ready to publish; nothing was changed.\n{listed}"
        )
    text = _published_text(draft)
    published = check_version(parse_yaml(text, draft.path))
    others = [v for v in policy.versions if v.id != version_id]
    clash = current_problems([*others, published])
    if clash:
        raise CommandError("\n".join(str(problem) for problem in clash))
    # The self-check's rules must still find every clause they cite once this version is current.
    load_rules(replace(policy, versions=tuple(sorted([*others, published], key=lambda v: v.id))))
    atomic_write(draft.path, text)
    return published


def _incomplete(policy: Policy, draft: Version) -> list[DataProblem]:
    """Every reason `draft` cannot be published yet, each with its line and a fix."""
    doc = read_yaml(draft.path)
    problems = publication_problems(doc)
    if policy.published and draft.effective:
        current = policy.current
        if current.effective and draft.effective <= current.effective:
            problems.append(
                doc.problem(
                    ("effective",),
                    f"the effective date ({draft.effective}) is not after that of the current "
                    f"version {current.id} ({current.effective})",
                    f"set effective to a date after {current.effective}: a new version "
                    "replaces the current one from that date",
                )
            )
    return problems


def _published_text(draft: Version) -> str:
    """The draft's file text with status: published and its hash; every other line kept."""
    text = draft.path.read_text(encoding="utf-8")
    if text.startswith("# DRAFT of version"):
        text = PUBLISHED_HEADER.format(id=draft.id, effective=draft.effective) + (
            drop_leading_comments(text)
        )
    text = set_field(text, "status", "published")
    text = remove_field(text, "content_hash")
    digest = content_hash(parse_yaml(text, draft.path).data)
    return set_field(text, "content_hash", digest, after="status")


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and a rename: all or nothing.

    The file keeps its permissions (a new file gets the usual ones), since a
    temporary file is created readable by its owner only.
    """
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def would_be_current(policy: Policy, version: Version) -> bool:
    """True if, once `version` is in the data, the handbook shows it as the current version."""
    others = tuple(v for v in policy.versions if v.id != version.id)
    return replace(policy, versions=(*others, version)).current.id == version.id
