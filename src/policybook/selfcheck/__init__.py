"""The self-check: rules as data, compiled to one pack, run by a small engine."""
