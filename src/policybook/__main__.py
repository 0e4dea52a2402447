"""Lets the command run as `python -m policybook`."""

from policybook.cli import main

raise SystemExit(main())
