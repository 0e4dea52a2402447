"""Build the handbook: policy data -> MyST pages -> Jupyter Book -> a static site.

Steps, each small: render the pages from the policy model; stage them with
the book settings and assets in a source folder; run `jupyter-book build`;
copy the HTML to the output folder; add the self-check's scripts and rule
pack; print the current policy to PDF.

The staging folder is a fresh temporary folder unless one is given, so
builds of different data copies (tests, benchmarks) never touch the
repository or each other. Files are only rewritten when their text changes,
so a second build with the same data is a quick incremental one and gives
the same pages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from policybook.errors import CommandError
from policybook.loader import load_policy
from policybook.model import Policy
from policybook.render import names
from policybook.render.book_config import book_config, read_base_config
from policybook.render.html_fixes import fix_site
from policybook.render.page import Page
from policybook.render.pages import render_pages, toc_yaml
from policybook.selfcheck.compile import compile_rule_pack

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE_CONFIG = PROJECT_ROOT / "_config.yml"
BOOK_DIR = PROJECT_ROOT / "book"
#: Hand-written parts of the book copied into every build: static files and theme templates.
BOOK_PARTS = ("assets", "templates")
WIDGETS = PROJECT_ROOT / "widgets"
SELF_CHECK_SNIPPET = WIDGETS / "static_page.html"
DEFAULT_STAGE = PROJECT_ROOT / "book" / "generated"
DEFAULT_OUT = Path("_build/html")
#: Left in every output folder so a later build knows it may replace that folder.
BUILD_MARK = ".policybook-build"


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    pages: tuple[str, ...]
    pdf: Path | None
    seconds: float


def build_site(
    data_dir: Path,
    out_dir: Path = DEFAULT_OUT,
    *,
    stage_dir: Path | None = None,
    pdf: bool = True,
    log=print,
) -> BuildResult:
    """Build the handbook for `data_dir` into `out_dir`; raise on any problem."""
    started = time.perf_counter()
    policy = load_policy(data_dir)
    check_out_dir(out_dir)
    root = render_pages(policy, SELF_CHECK_SNIPPET.read_text(encoding="utf-8"))
    pack = compile_pack(policy)  # before building, so bad rules leave nothing half-written
    with staging(stage_dir) as stage:
        stage_book(policy, root, stage)
        run_jupyter_book(stage)
        fresh = copy_beside(stage / "_build" / "html", out_dir)
    pdf_name = names.pdf_file(policy.current) if pdf else None
    try:  # finish the site beside the old one, so a failure leaves the old site as it was
        fix_site(fresh)
        add_self_check_assets(fresh, pack)
        if pdf_name:
            from policybook.render.pdf import print_to_pdf

            print_to_pdf(fresh / f"{names.POLICY}.html", fresh / pdf_name, policy.current)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    replace_output(fresh, out_dir)
    pages = tuple(page.html_name for page in root.walk())
    pdf_path = out_dir / pdf_name if pdf_name else None
    return BuildResult(out_dir, pages, pdf_path, time.perf_counter() - started)


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace a folder that is not an earlier handbook build."""
    if out_dir.exists() and not out_dir.is_dir():
        raise CommandError(f"the output path {out_dir} is a file; give a folder with --out DIR")
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / BUILD_MARK).exists():
        raise CommandError(
            f"the output folder {out_dir} already holds files that are not a handbook build; "
            "choose a new or empty folder with --out DIR (the build replaces its contents)"
        )


class staging:  # noqa: N801 - used like contextlib's lower-case context managers
    """The given staging folder, or a temporary one removed afterwards."""

    def __init__(self, stage_dir: Path | None):
        self.given = stage_dir
        self.temp: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Path:
        if self.given is not None:
            self.given.mkdir(parents=True, exist_ok=True)
            return self.given
        self.temp = tempfile.TemporaryDirectory(prefix="policybook-stage-")
        return Path(self.temp.name)

    def __exit__(self, *exc_info: object) -> None:
        if self.temp is not None:
            self.temp.cleanup()


def stage_book(policy: Policy, root: Page, stage: Path) -> None:
    """Write pages, _toc.yml, _config.yml and assets into `stage`, touching only changes."""
    wanted = {f"{page.name}.md": page.markdown for page in root.walk()}
    removed = [p for p in stage.glob("*.md") if p.name not in wanted]
    for path in removed:
        path.unlink()
    if removed:
        # Sphinx keeps the HTML of deleted pages; start clean so none is published.
        shutil.rmtree(stage / "_build", ignore_errors=True)
    for name, text in wanted.items():
        write_if_changed(stage / name, text)
    write_if_changed(stage / "_toc.yml", toc_yaml(root))
    for part in BOOK_PARTS:
        sync_folder(BOOK_DIR / part, stage / part)
    config = book_config(read_base_config(BASE_CONFIG), policy.school, digest(BOOK_DIR, BOOK_PARTS))
    if write_if_changed(stage / "_config.yml", config):
        # New settings or assets: Sphinx would keep stale static files, so start clean.
        shutil.rmtree(stage / "_build" / "html", ignore_errors=True)


def sync_folder(source: Path, target: Path) -> None:
    """Make `target` a copy of `source`, leaving unchanged files (and their times) alone."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    if target.exists():
        for path in [p for p in target.rglob("*") if p.is_file()]:
            if path.relative_to(target) not in wanted:
                path.unlink()
    for relative in sorted(wanted):
        copy = target / relative
        if not copy.exists() or copy.read_bytes() != (source / relative).read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, copy)


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` unless the file already holds it (keeping its time stamp, so Sphinx
    skips it); say whether it was written."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def digest(folder: Path, parts: tuple[str, ...]) -> str:
    """A short hash of every file under `folder`'s `parts`, names and bytes."""
    sha = hashlib.sha256()
    files = sorted(p for part in parts for p in (folder / part).rglob("*") if p.is_file())
    for path in files:
        sha.update(path.relative_to(folder).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def run_jupyter_book(stage: Path) -> None:
    """`jupyter-book build` on the staged book; any Sphinx warning fails the build."""
    command = [
        sys.executable,
        "-c",
        "from jupyter_book.cli.main import main; main()",
        "build",
        str(stage),
        "--config",
        str(stage / "_config.yml"),
        "--toc",
        str(stage / "_toc.yml"),
        "--builder",
        "html",
        "--warningiserror",
        "--keep-going",
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=stage)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        problems = [line for line in output if "WARNING" in line or "ERROR" in line]
        detail = "\n".join(problems or output[-25:])
        raise CommandError(
            f"Jupyter Book could not build the handbook (staged in {stage}):\n{detail}\n"
            "Check the policy text for Markdown the pages cannot show, or run "
            "`policybook validate` first."
        )


def copy_beside(built: Path, out_dir: Path) -> Path:
    """A copy of Jupyter Book's output next to `out_dir`, to finish before it replaces it."""
    fresh = out_dir.parent / f".{out_dir.name}.new"
    if fresh.exists():
        shutil.rmtree(fresh)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(built, fresh)
    return fresh


def replace_output(fresh: Path, out_dir: Path) -> None:
    """Put the finished site in place of the old one (no pages left from older builds)."""
    (fresh / BUILD_MARK).write_text("Made by `policybook build`; replaced by the next build.\n")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    fresh.rename(out_dir)


def add_self_check_assets(out_dir: Path, pack: str) -> None:
    """The self-check's scripts and compiled rule pack, in `selfcheck/` next to the pages."""
    target = out_dir / names.SELF_CHECK_ASSETS
    target.mkdir(exist_ok=True)
    for script in sorted(WIDGETS.glob("*.js")):
        shutil.copy2(script, target / script.name)
    (target / "rulepack.json").write_text(pack, encoding="utf-8")
    (target / "rulepack.json.gz").write_bytes(gzip_bytes(pack.encode("utf-8")))


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp or file name, so two builds give the same bytes.

    The static page downloads this copy (about a third of the size) and unzips it
    in the browser; rulepack.json stays for browsers that cannot.
    """
    return gzip.compress(data, compresslevel=9, mtime=0)


def compile_pack(policy: Policy) -> str:
    """The rule pack as compact JSON text: every parent's phone downloads it."""
    pack = compile_rule_pack(policy)
    return json.dumps(pack, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
