"""`policybook validate` on the repository's own data."""

from conftest import run_cli


def test_repository_data_is_valid():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "current: 2025-09" in result.stdout
