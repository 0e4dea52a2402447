"""Run every benchmark in turn and print its table (`make bench`).

Each benchmark module has `main() -> None` and prints its own table. The
handbook benchmark builds the site that the browser benchmark then measures.
"""

from __future__ import annotations

import sys
from importlib import import_module

BENCHMARKS = ("handbook", "selfcheck", "browser")


def main(names: list[str]) -> int:
    for name in names or BENCHMARKS:
        module = import_module(f"benchmarks.{name}")
        print(f"\n== {name} ==", flush=True)
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
