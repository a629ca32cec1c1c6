"""Shared fixtures: a CliRunner in a plain, colourless, cache-isolated environment."""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from painref import cache, cli, compiler, i18n

Invoke = Callable[..., Any]

# The longest tests (each evaluates one language's dev split of the search evaluation, minutes
# each), run first: xdist hands out the first tests one to each worker, so they run side by side
# from the start rather than on one worker at the end while the other waits.
_LONGEST = ("test_search_quality_holds_its_floor", "test_spanish_search_quality_holds_its_floor")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    first = [item for name in _LONGEST for item in items if item.name == name]
    items[:] = first + [item for item in items if item not in first]


@pytest.fixture(scope="session")
def _built_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the built-in catalogue's index, built once per test session."""
    folder = tmp_path_factory.mktemp("built-cache") / "cache"
    _build_into(folder)
    return folder


def _build_into(folder: Path) -> None:
    compiler.load([], env={"PAINREF_CACHE_DIR": str(folder)})
    cache.drain_notices()
    _CRCS.clear()
    _CRCS.update({p.name: _crc(p) for p in folder.iterdir() if p.is_file()})


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _built_cache: Path) -> Iterator[None]:
    """No colour, no pager, no user overlays or config folder, and a cache of the test's own.

    The test's cache folder starts with the built-in catalogue's index already built: hard links
    to one built per session, so each test does not spend seconds building the same index. painref
    reads a slot read-only and replaces slots by renaming new files over them, so a test cannot
    change the shared copy through painref; one that writes into a slot by hand is caught after
    it, and the shared copy is rebuilt. (Tests of first builds use folders of their own.)
    """
    # Beside the test's own folder, not in it: tests list what they leave in tmp_path.
    own = Path(tempfile.mkdtemp(prefix="cache-", dir=_built_cache.parent))
    before = {p.name: p.stat() for p in _built_cache.iterdir() if p.is_file()}
    for name in before:
        os.link(_built_cache / name, own / name)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(own))
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
    cache.drain_notices()  # a notice one test caused is never said in the next
    # The interface language is process state set by each command; views called directly start in English.
    monkeypatch.delenv("PAINREF_LANG", raising=False)
    i18n.set_language(i18n.ENGLISH)
    yield
    after = {p.name: p.stat() for p in _built_cache.iterdir() if p.is_file()}
    # painref marks a slot used by touching it; only a change of content calls for a rebuild.
    touched = [name for name, was in before.items() if name in after and after[name].st_mtime_ns != was.st_mtime_ns]
    if set(after) != set(before) or any(_crc(_built_cache / name) != _CRCS.get(name) for name in touched):
        _rebuild(_built_cache)


_CRCS: dict[str, int] = {}


def _crc(path: Path) -> int:
    return zlib.crc32(path.read_bytes())


def _rebuild(folder: Path) -> None:
    """Build the shared index again in a new file, so no link still held by a test is written to."""
    for path in folder.iterdir():
        path.unlink()
    _build_into(folder)


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
