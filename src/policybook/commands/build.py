"""`policybook build`: make the handbook website (and its PDF) from the policy data."""

from __future__ import annotations

import argparse
from pathlib import Path

from policybook.build import DEFAULT_OUT, DEFAULT_STAGE, build_site
from policybook.commands import add_data_option
from policybook.loader import DEFAULT_DATA_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "build",
        help="build the handbook website from the policy data",
        description=(
            "Turn the policy data into the handbook's pages and build them with Jupyter Book "
            "into a static website, with a PDF of the current policy."
        ),
    )
    add_data_option(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"folder for the website; its contents are replaced (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip printing the policy to PDF (which needs Chromium)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The project's own data and output build incrementally in book/generated/; any other
    # data or output folder gets a fresh staging folder, so builds never share state.
    default = Path(args.data) == DEFAULT_DATA_DIR and Path(args.out) == DEFAULT_OUT
    stage = DEFAULT_STAGE if default else None
    result = build_site(args.data, args.out, stage_dir=stage, pdf=not args.no_pdf)
    print(f"Built {len(result.pages)} pages into {result.out_dir} in {result.seconds:.1f} s.")
    if result.pdf:
        print(f"PDF of the current policy: {result.pdf}")
    print(f"To view it: python -m http.server 8000 --bind 127.0.0.1 --directory {result.out_dir}")
    return 0
