"""`policybook validate` on the repository's own data."""

from support.cli import run_cli, run_cli_in_process


def test_repository_data_is_valid():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "current: 2025-09" in result.stdout


def test_data_with_only_a_draft_is_valid_but_says_nothing_is_published(data_copy):
    path = data_copy / "versions" / "2025-09.yaml"
    text = path.read_text().replace("status: published", "status: draft")
    path.write_text(text)
    result = run_cli_in_process("validate", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert "none published yet" in result.stdout


def test_missing_data_folder_is_reported(tmp_path):
    result = run_cli_in_process("validate", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "the policy data folder does not exist" in result.stderr
