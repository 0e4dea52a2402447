"""Turn widgets/self_check.js and the modules it imports into ONE module string.

anywidget loads `_esm` from a blob: URL, where a relative import such as
"./engine.js" cannot resolve. Rather than a JavaScript build step, each relative
import is replaced by a `data:` URL holding that module (itself bundled the same
way), so every module keeps its own scope and no names can collide.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

#: The repository's widgets/ folder (the package is installed editable from the repo).
WIDGETS_DIR = Path(__file__).resolve().parents[2] / "widgets"
ENTRY_MODULE = "self_check.js"

# `import x from "./a.js"`, `import { a } from './a.js'`, `export { a } from "./a.js"`
_RELATIVE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*)(["'])(\.\.?/[^"']+)\2""")


class WidgetBundleError(RuntimeError):
    """A widget module is missing or imports itself in a loop."""


def _data_url(source: str) -> str:
    encoded = base64.b64encode(source.encode("utf-8")).decode("ascii")
    return f"data:text/javascript;base64,{encoded}"


def bundle_module(path: Path, _seen: tuple[Path, ...] = ()) -> str:
    """Source of the module at `path` with every relative import inlined as a data: URL."""
    path = path.resolve()
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        raise WidgetBundleError(f"widget modules import each other in a loop: {chain}")
    if not path.is_file():
        importer = f" (imported by {_seen[-1]})" if _seen else ""
        raise WidgetBundleError(
            f"widget module not found: {path}{importer}. "
            "Run from a checkout of the repository, where widgets/ holds the JavaScript."
        )
    source = path.read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        keyword, quote, specifier = match.groups()
        inner = bundle_module(path.parent / specifier, (*_seen, path))
        return f"{keyword}{quote}{_data_url(inner)}{quote}"

    return _RELATIVE_IMPORT.sub(inline, source)


def widget_esm(widgets_dir: Path = WIDGETS_DIR) -> str:
    """The self-check front end as one self-contained ES module."""
    return bundle_module(widgets_dir / ENTRY_MODULE)
