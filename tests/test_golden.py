"""Every command in every format, compared whole with a golden file in tests/golden.

Regenerate after an intended change with `PAINREF_UPDATE_GOLDEN=1 pytest tests/test_golden.py`,
then read the diff: it is exactly what users will see change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import painref
from conftest import Invoke

GOLDEN = Path(__file__).parent / "golden"
# Where the package lives differs per checkout (and per install); golden files name it so.
PACKAGE_DIR = str(Path(painref.__file__).parent)
PACKAGE_PLACEHOLDER = "<painref package>"
UPDATE = os.environ.get("PAINREF_UPDATE_GOLDEN", "") not in ("", "0")

# (file stem, arguments): one case per command and per kind of entry a command shows differently.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("list", ("list",)),
    ("list-all", ("list", "all")),
    ("list-filtered", ("list", "all", "--region", "knee")),
    ("list-condition", ("list", "treatments", "--condition", "sciatica")),
    ("show-procedure", ("show", "epidural")),
    ("show-condition", ("show", "sciatica")),
    ("show-treatment", ("show", "nsaids")),
    ("search", ("search", "nerve", "burning", "knee")),
    ("compare", ("compare", "epidural", "rfa")),
    ("compare-kinds", ("compare", "epidural", "physical-therapy", "nsaids", "sciatica")),
    ("compare-for-condition", ("compare", "epidural", "physical-therapy", "gabapentinoids", "--condition", "sciatica")),
    ("condition", ("condition", "sciatica")),
    ("condition-family", ("condition", "osteoarthritis")),
    ("condition-knee", ("condition", "knee-osteoarthritis")),
    ("decide", ("decide", "sciatica", "--answers", "3,2,3,2,1,2")),
    ("guide", ("guide",)),
    ("guide-topic", ("guide", "procedure-day")),
    ("checklist", ("checklist", "--answers", "y,n,y,y,n,y")),
    # The same reference in Spanish.
    ("es-show-procedure", ("--lang", "es", "show", "epidural")),
    ("es-show-condition", ("--lang", "es", "show", "sciatica")),
    ("es-condition", ("--lang", "es", "condition", "sciatica")),
    ("es-compare", ("--lang", "es", "compare", "epidural", "physical-therapy", "--condition", "sciatica")),
    ("es-decide", ("--lang", "es", "decide", "sciatica", "--answers", "3,2,3,2,1,2")),
    ("es-guide-topic", ("--lang", "es", "guide", "procedure-day")),
    ("es-checklist", ("--lang", "es", "checklist", "--answers", "y,n,y,y,n,y")),
)
FORMATS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # (suffix, extra arguments, COLUMNS)
    ("80.txt", (), "80"),
    ("120.txt", (), "120"),
    ("json", ("-f", "json"), "100"),
    ("csv", ("-f", "csv"), "100"),
    ("md", ("-f", "markdown"), "100"),
    ("html", ("-f", "html"), "100"),
)
CASES = [
    pytest.param(stem, args, suffix, extra, columns, id=f"{stem}.{suffix}")
    for stem, args in COMMANDS
    for suffix, extra, columns in FORMATS
]


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME whole, or write it when PAINREF_UPDATE_GOLDEN is set."""
    actual = actual.replace(PACKAGE_DIR, PACKAGE_PLACEHOLDER)
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"no golden file {path.name}; create it with PAINREF_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs; if intended, regenerate with PAINREF_UPDATE_GOLDEN=1"


@pytest.mark.parametrize(("stem", "args", "suffix", "extra", "columns"), CASES)
def test_command_output_matches_golden(
    run: Invoke, stem: str, args: tuple[str, ...], suffix: str, extra: tuple[str, ...], columns: str
) -> None:
    result = run(*args, *extra, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    check_golden(f"{stem}.{suffix}", result.stdout)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_output_matches_golden(run: Invoke, fmt: str) -> None:
    result = run("validate", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    check_golden(f"validate.{fmt}", result.stdout)


def test_schema_matches_golden(run: Invoke) -> None:
    result = run("schema")
    assert result.exit_code == 0, result.stderr
    check_golden("schema.json", result.stdout)


# The interface in Spanish, chosen each of the three ways: help, errors, usage errors and validate's
# problems, compared whole (stdout for help, stderr for the rest). (golden file, arguments, env, exit)
SPANISH = {"PAINREF_LANG": "es"}
LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "es_ES.UTF-8"}
INTERFACE: tuple[tuple[str, tuple[str, ...], dict[str, str | None], int], ...] = (
    ("es-help.txt", ("--lang", "es", "--help"), {}, 0),
    ("es-help-compare.txt", ("compare", "--help"), SPANISH, 0),
    ("es-help-decide.txt", ("decide", "--help"), LOCALE, 0),
    ("es-error-name.txt", ("--lang", "es", "show", "xyzzy"), {}, 1),
    ("es-error-kind.txt", ("condition", "epidural"), SPANISH, 1),
    ("es-error-filter.txt", ("list", "--region", "elbow"), LOCALE, 2),
    ("es-error-answers.txt", ("--lang", "es", "decide", "sciatica", "--answers", "3,2,9"), {}, 2),
    ("es-usage-missing.txt", ("--lang", "es", "show"), {}, 2),
    ("es-usage-range.txt", ("search", "pain", "--limit", "0"), SPANISH, 2),
    ("es-usage-option.txt", ("list", "--bogus"), LOCALE, 2),
    ("es-usage-command.txt", ("--lang", "es", "lst"), {}, 2),
    ("es-validate-broken.txt", ("--lang", "es", "validate", "tests/data/broken-overlay.yaml"), {}, 1),
)


@pytest.mark.parametrize(("name", "args", "env", "status"), INTERFACE, ids=[case[0] for case in INTERFACE])
def test_spanish_interface_matches_golden(
    run: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    args: tuple[str, ...],
    env: dict[str, str | None],
    status: int,
) -> None:
    monkeypatch.chdir(GOLDEN.parent.parent)  # so the overlay is named by the same relative path everywhere
    result = run(*args, env={"COLUMNS": "100", **env})
    assert result.exit_code == status, result.output
    check_golden(name, result.stdout if status == 0 else result.stderr)


def test_no_stray_golden_files() -> None:
    """A golden file no case writes is a leftover that would hide a removed case."""
    expected = {f"{stem}.{suffix}" for stem, _ in COMMANDS for suffix, _, _ in FORMATS}
    expected |= {"validate.text", "validate.json", "schema.json"}
    expected |= {name for name, _, _, _ in INTERFACE}
    assert {p.name for p in GOLDEN.iterdir()} == expected
