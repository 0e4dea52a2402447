"""Benchmarks that print figures (`make bench`); never assertions in the test suite."""
