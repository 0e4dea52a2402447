"""The school's name and email live in policy_data/ only.

Another school adopts the handbook by editing policy_data/; a name or
address copied into code, pages or tests would go on showing the wrong
school. Files are those git tracks or would track (build output is ignored).
"""

from __future__ import annotations

import subprocess

import yaml
from support.cli import POLICY_DATA, REPO

#: Where the school's details may appear: the data itself and the seed copy the text test uses.
ALLOWED = ("policy_data/", "tests/fixtures/")


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [name for name in listed if not name.startswith(ALLOWED) and (REPO / name).is_file()]


def test_school_name_and_email_appear_only_in_policy_data():
    school = yaml.safe_load((POLICY_DATA / "school.yaml").read_text(encoding="utf-8"))
    needles = {school["name"], school["office_email"], school["office_email"].split("@")[1]}
    needles.add(school.get("short_name") or school["name"])
    found = []
    for name in project_files():
        try:
            text = (REPO / name).read_text(encoding="utf-8").lower()
        except UnicodeDecodeError:
            continue  # images and other binary files
        found += [f"{name}: {needle}" for needle in needles if needle.lower() in text]
    assert not found, "school details hard-coded outside policy_data/:\n" + "\n".join(found)
