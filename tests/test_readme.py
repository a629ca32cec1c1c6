"""The README's first commands stay true: CI runs the second one verbatim."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("```sh")
    return lines[start + 1 : start + 3]


def test_readme_opens_with_install_and_test_commands():
    install, test = _readme_commands()
    assert install.endswith("painref list")
    assert "'.[test]'" in test
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    _, test = _readme_commands()
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_examples_show_current_output():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_examples.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_clinic_overlay_works_as_shown(run, tmp_path):
    """The README's clinic.yaml adds a procedure and patches one; it validates and prints a handout."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n# clinic\.yaml\n(.*?)```", text, re.S)
    assert block, "the README shows clinic.yaml"
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(block.group(1), encoding="utf-8")
    checked = run("validate", str(clinic))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.strip() in text, "the README shows validate's real answer"
    patched = run("--catalog", str(clinic), "show", "rfa", "-f", "json")
    assert '"summary": "Our clinic:' in patched.stdout
    handout = run("--catalog", str(clinic), "show", "dry needling", "-f", "html")
    assert handout.exit_code == 0, handout.stderr
    assert "<h1>Dry needling</h1>" in handout.stdout
