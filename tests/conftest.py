"""Shared fixtures: a CliRunner in a plain, colourless, cache-isolated environment."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from painref import cli, i18n

Invoke = Callable[..., Any]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No colour, no pager, no user overlays or config folder, and a cache of the test's own."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("PAINREF_PAGER", "")
    monkeypatch.delenv("PAINREF_CATALOG", raising=False)
    monkeypatch.delenv("PAINREF_DEBUG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    # Check dates are judged as of a fixed day, so "due for review" marks do not drift with time.
    monkeypatch.setenv("PAINREF_TODAY", "2026-12-06")
    monkeypatch.delenv("PAINREF_STALE_AFTER", raising=False)
    cli._loaded.clear()
    # The interface language is process state set by each command; views called directly start in English.
    monkeypatch.delenv("PAINREF_LANG", raising=False)
    i18n.set_language(i18n.ENGLISH)


@pytest.fixture
def run() -> Invoke:
    """Run painref in-process; returns Click's Result with stdout and stderr apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
        cli._loaded.clear()
        return runner.invoke(cli.app, list(args), input=input, env=env)

    return invoke


@pytest.fixture
def run_json(run: Invoke) -> Callable[..., Any]:
    def invoke(*args: str) -> Any:
        result = run(*args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file under the test's temporary folder and return its path."""

    def writer(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return writer
