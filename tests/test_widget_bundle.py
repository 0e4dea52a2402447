"""The widget's ES module is bundled into one string that runs with no relative imports."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.cli import POLICY_DATA

from policybook.widget_bundle import WidgetBundleError, bundle_module, widget_esm

NODE = "/usr/bin/node"


def _run_module_in_node(module_source: str, tmp_path: Path, script: str) -> str:
    """Import the bundled source from a file (no siblings next to it) and run `script`."""
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "bundle.mjs").write_text(module_source, encoding="utf-8")
    runner = alone / "run.mjs"
    runner.write_text(f'import * as bundle from "./bundle.mjs";\n{script}\n', encoding="utf-8")
    done = subprocess.run([NODE, str(runner)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_relative_imports_are_inlined_and_still_work(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "entry.js").write_text(
        'import { twice } from "./engine.js";\n'
        "const helper = 1;\n"
        "export default { run: (x) => twice(x) + helper };\n"
    )
    (src / "engine.js").write_text(
        "import { one } from './tables.js';\n"
        "const helper = 100; // same name as in entry.js: each module keeps its scope\n"
        "export function twice(x) { return 2 * x + one - 1 + helper - 100; }\n"
    )
    (src / "tables.js").write_text("export const one = 1;\n")

    bundled = bundle_module(src / "entry.js")

    assert "./engine.js" not in bundled and "./tables.js" not in bundled
    out = _run_module_in_node(bundled, tmp_path, "console.log(bundle.default.run(20));")
    assert out.strip() == "41"


def test_missing_module_names_the_file_and_its_importer(tmp_path: Path) -> None:
    (tmp_path / "entry.js").write_text('import { x } from "./gone.js";\n')
    with pytest.raises(WidgetBundleError, match=r"gone\.js.*imported by .*entry\.js"):
        bundle_module(tmp_path / "entry.js")


def test_import_loop_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text('import "./b.js";\n')
    (tmp_path / "b.js").write_text('import "./a.js";\n')
    with pytest.raises(WidgetBundleError, match=r"loop: a\.js -> b\.js -> a\.js"):
        bundle_module(tmp_path / "a.js")


def test_the_real_widget_bundle_exports_render_and_checks_messages(tmp_path: Path) -> None:
    """The module anywidget receives imports nothing relative and its engine works."""
    from policybook.loader import load_policy
    from policybook.selfcheck.compile import compile_rule_pack

    esm = widget_esm()
    assert 'from "./' not in esm and "from './" not in esm
    pack = compile_rule_pack(load_policy(POLICY_DATA))
    (tmp_path / "pack.json").write_text(json.dumps(pack), encoding="utf-8")
    engine_url = esm.split('from "', 1)[1].split('"', 1)[0]
    script = (
        'import { readFileSync } from "node:fs";\n'
        f'const {{ checkMessage }} = await import("{engine_url}");\n'
        f"const pack = JSON.parse(readFileSync({json.dumps(str(tmp_path / 'pack.json'))}));\n"
        'console.log(typeof bundle.default.render, checkMessage(pack, "See you at 3pm!").verdict,\n'
        '  checkMessage(pack, "the new TA is f*cking useless").verdict);'
    )
    out = _run_module_in_node(esm, tmp_path, script)
    assert out.split() == ["function", "ok", "stop"]
