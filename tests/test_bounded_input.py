"""Input is bounded: by bytes read, by kind of file, by list length and by problems reported."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from painref import catalogue, compiler, yamlio
from painref.errors import CatalogueError

PAINREF = shutil.which("painref") or ""
needs_script = pytest.mark.skipif(
    not PAINREF or sys.platform == "win32", reason="needs the installed console script on POSIX"
)


def _painref(
    tmp_path: Path, *args: str, stdin: object = None, timeout: float = 30, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PAINREF_CATALOG"}
    env.update(NO_COLOR="1", PAINREF_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.update(extra_env or {})
    return subprocess.run(
        [PAINREF, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
    )


@needs_script
def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path):
    fifo = tmp_path / "catalog.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = _painref(tmp_path, "--catalog", str(fifo), "list", timeout=20)
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert "not a regular file" in result.stderr
    assert result.stderr.count("\n") == 1


@needs_script
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_without_reading(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    for args in (("--catalog", device, "list"), ("validate", device)):
        result = _painref(tmp_path, *args, timeout=20)
        assert result.returncode == 1, result
        assert "not a regular file" in result.stderr


@needs_script
def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        result = _painref(tmp_path, "--catalog", str(path), "list", timeout=20)
    finally:
        server.close()
    assert result.returncode == 1
    assert "'" + str(path) + "'" in result.stderr
    assert "Traceback" not in result.stderr


@needs_script
def test_stdin_redirected_from_a_regular_file_is_read(tmp_path):
    overlay = tmp_path / "clinic.yaml"
    overlay.write_text("procedures:\n  - id: radiofrequency-ablation\n    summary: From stdin.\n", encoding="utf-8")
    with overlay.open("rb") as handle:
        result = _painref(tmp_path, "--catalog", "/dev/stdin", "show", "rfa", "-f", "json", stdin=handle)
    assert result.returncode == 0, result.stderr
    assert "From stdin." in result.stdout


def test_the_size_is_what_was_read_not_what_stat_says(monkeypatch):
    # /proc files say they are empty (st_size 0) and then give text: the cap still holds.
    maps = Path("/proc/self/maps")
    if not maps.exists():
        pytest.skip("no /proc here")
    monkeypatch.setattr(catalogue, "MAX_FILE_BYTES", 64)
    with pytest.raises(CatalogueError, match="larger than"):
        catalogue.read_bytes(catalogue.CatalogueFile(maps, str(maps)))


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@needs_script
def test_two_megabytes_of_empty_entries_cost_seconds_not_minutes(tmp_path):
    path = tmp_path / "empties.yaml"
    path.write_text("procedures: [" + "{}," * 700_000 + "{}]\n", encoding="utf-8")  # 2.1 MB
    for args in (("--catalog", str(path), "list"), ("validate", str(path))):
        started = time.monotonic()
        result = _painref(tmp_path, *args, timeout=60)
        assert time.monotonic() - started < 10, args
        assert result.returncode == 1
        assert "empties.yaml:1:" in result.stderr
        assert "longer than 100,000 items" in result.stderr
    assert _children_peak_mb() < 400


@needs_script
def test_one_very_long_word_is_laid_out_in_seconds_at_any_width(tmp_path):
    # Wrapping tried every start inside a word longer than the column, each as long as the width:
    # 400 KB took over 20 s at 2,000 columns, 800 KB minutes.
    path = tmp_path / "word.yaml"
    path.write_text("procedures:\n  - id: radiofrequency-ablation\n    summary: " + "x" * 800_000 + "\n")
    assert _painref(tmp_path, "--catalog", str(path), "show", "rfa", "-f", "json").returncode == 0
    env = {"COLUMNS": "2000"}
    result = _painref(tmp_path, "--catalog", str(path), "show", "rfa", timeout=30, extra_env=env)
    assert result.returncode == 0
    assert "x" * 1900 in result.stdout


@needs_script
def test_an_alias_repeated_many_times_is_checked_in_seconds(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "procedures:\n  - id: radiofrequency-ablation\n    aliases: [" + ", ".join(["same alias"] * 80_000) + "]\n"
    )
    result = _painref(tmp_path, "validate", str(path), timeout=30)
    assert result.returncode == 0, result.stderr


def test_a_warning_about_a_shared_alias_names_a_few_of_its_owners():
    from painref.validate import _some

    assert _some(["a", "b"]) == "a, b"
    assert _some([f"e{n}" for n in range(2000)]) == "e0, e1, e2, e3, e4, ... (+1995)"


@needs_script
def test_validate_stops_after_a_bounded_number_of_problems(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("procedures: [" + "{}," * 99_999 + "{}]\n", encoding="utf-8")
    started = time.monotonic()
    result = _painref(tmp_path, "validate", str(path), timeout=60)
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) <= catalogue.MAX_PROBLEMS + 2
    assert "stopped after" in lines[-1]
    loaded = _painref(tmp_path, "--catalog", str(path), "list", timeout=60)
    assert "more than" in loaded.stderr
    assert loaded.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (b"procedures:\n  - id: x\n    invasiveness: " + b"9" * 5000 + b"\n", ":3:19:", "longer than 20 digits"),
        (b"procedures:\n  - id: x\n    invasiveness: 123456789012345678901\n", ":3:19:", "longer than 20 digits"),
        (b"procedures:\n  - id: a\x00b\n", ":2:10:", "control character U+0000"),
        (b"procedures:\n  - id: ok\n    summary: a \x1b[2J b\n", ":3:16:", "control character U+001B"),
        (b"procedures:\n  - id: ok\n    summary: \x07\n", ":3:14:", "control character U+0007"),
    ],
    ids=["5000 digits", "21 digits", "nul", "esc", "bell"],
)
def test_huge_numbers_and_raw_control_bytes_are_located_errors(tmp_path, content, where, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(CatalogueError) as raised:
        compiler.load([path], env={"PAINREF_NO_CACHE": "1"})
    assert f"bad.yaml{where}" in raised.value.message
    assert message in raised.value.message
    assert "\n" not in raised.value.message
    verdict = compiler.validate_files([path], env={"PAINREF_NO_CACHE": "1"})
    assert any(message in issue.message for issue in verdict.issues)


def test_escapes_in_double_quotes_are_still_text():
    assert yamlio.parse('summary: "bell \\a, esc \\e"\n', "ok.yaml") == {"summary": "bell \x07, esc \x1b"}


def test_a_twenty_digit_number_is_still_a_number():
    assert yamlio.parse("n: -1234567890123456789\n", "ok.yaml") == {"n": -1234567890123456789}
