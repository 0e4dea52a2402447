"""One module per `policybook` sub-command; see `policybook.cli`."""

from __future__ import annotations

import argparse
from pathlib import Path

from policybook.loader import DEFAULT_DATA_DIR


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """Every command takes `--data DIR`, so staff can work on a copy."""
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        metavar="DIR",
        help="policy data folder to use (default: policy_data/)",
    )
