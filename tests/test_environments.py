"""Odd environments get correct output or one clear sentence and the right exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from painref import cache, catalogue

PAINREF = shutil.which("painref") or ""
pytestmark = pytest.mark.skipif(
    not PAINREF or sys.platform == "win32", reason="needs the installed console script on POSIX"
)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PAINREF_CATALOG", "PAINREF_CACHE_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "HOME")
    }
    env.update(NO_COLOR="1", HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(mode=0o700, exist_ok=True)
    (tmp_path / "home").mkdir(mode=0o700, exist_ok=True)
    env.update(extra)
    return env


def _run(argv: list[str] | str, env: dict[str, str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        shell=isinstance(argv, str),
        **options,  # type: ignore[call-overload]
    )


def test_no_home_and_no_passwd_entry(tmp_path):
    """A container run with a random user id: no HOME, and getpwuid has no entry for the user."""
    env = _env(tmp_path)
    del env["HOME"]
    script = (
        "import pwd, sys\n"
        "def missing(uid):\n"
        "    raise KeyError(f'getpwuid(): uid not found: {uid}')\n"
        "pwd.getpwuid = missing\n"
        "from pathlib import Path\n"
        "try:\n"
        "    Path.home()\n"
        "except RuntimeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('the environment still has a home')\n"
        "from painref.cli import main\n"
        "sys.argv = ['painref', *sys.argv[1:]]\n"
        "main()\n"
    )
    for args in (["list"], ["show", "rfa"], ["info"], ["validate"]):
        result = _run([sys.executable, "-c", script, *args], env)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") <= 1, result.stderr
    assert list((tmp_path / "tmp" / f"painref-{os.geteuid()}-cache").glob("catalogue-*.sqlite"))


def test_home_that_cannot_be_found_is_none(monkeypatch):
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert cache.home_dir() is None
    assert catalogue.config_dir({}) is None


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
def test_stdout_in_a_narrow_encoding(tmp_path, encoding):
    env = _env(tmp_path, PYTHONIOENCODING=encoding)
    for args in (["show", "rfa"], ["condition", "sciatica"], ["list", "all"], ["search", "épidural"]):
        result = subprocess.run([PAINREF, *args], capture_output=True, env=env, timeout=60, check=False)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert b"Traceback" not in result.stderr
        assert b"UnicodeEncodeError" not in result.stderr
        result.stdout.decode(encoding)  # all of it is in the encoding asked for
    shown = subprocess.run([PAINREF, "show", "rfa"], capture_output=True, env=env, timeout=60, check=False)
    assert b"Radiofrequency ablation" in shown.stdout


@pytest.mark.parametrize("columns", ["0", "1", "2", "-5", "wide"])
def test_tiny_or_nonsense_columns(tmp_path, columns):
    env = _env(tmp_path, COLUMNS=columns)
    for args in (["list"], ["show", "rfa"], ["compare", "rfa", "esi", "scs"], ["condition", "sciatica"]):
        result = _run([PAINREF, *args], env)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout.strip()


@pytest.mark.parametrize("args", ["list", "show rfa -f json", "validate", "validate -f json", "schema", "--version"])
def test_a_closed_stdout_is_one_sentence(tmp_path, args):
    result = _run(f"'{PAINREF}' {args} >&-", _env(tmp_path))
    assert result.returncode == 1, result
    assert result.stderr.count("\n") == 1, result.stderr
    assert "standard output is closed" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "all"],
        ["show", "rfa", "-f", "json"],
        ["validate"],
        ["schema"],
        # What Click writes itself, outside any command.
        ["--help"],
        ["-h"],
        ["show", "--help"],
        ["--version"],
        ["--show-completion", "bash"],
    ],
)
def test_a_full_stdout_is_one_sentence(tmp_path, args):
    with Path("/dev/full").open("w") as full:
        env = _env(tmp_path)
        result = subprocess.run(
            [PAINREF, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60, check=False
        )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "cannot write to standard output: No space left on device" in result.stderr


def test_a_closed_stderr_does_not_stop_the_answer(tmp_path):
    result = _run(f"'{PAINREF}' show nosuchthing 2>&-; echo status=$?", _env(tmp_path))
    assert "status=1" in result.stdout
    shown = _run(f"'{PAINREF}' show rfa 2>&-", _env(tmp_path))
    assert shown.returncode == 0
    assert "Radiofrequency ablation" in shown.stdout


def test_a_relative_cache_dir_asked_for_by_name_is_ignored_with_a_notice(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    result = _run([PAINREF, "show", "rfa", "-f", "json"], _env(tmp_path, PAINREF_CACHE_DIR="relcache"), cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "painref: PAINREF_CACHE_DIR is not an absolute path; ignoring it\n"
    assert not (work / "relcache").exists()


def test_no_home_or_temporary_folder_is_made_up_for_a_cache(tmp_path):
    # A HOME or TMPDIR that does not exist is not created, with its parents, to hold a cache.
    env = _env(tmp_path, HOME=str(tmp_path / "gone" / "home"), TMPDIR=str(tmp_path / "nope" / "tmp"))
    result = _run([PAINREF, "show", "rfa", "-f", "json"], env)
    assert result.returncode == 0, result.stderr
    assert "running without a cache" in result.stderr
    assert not (tmp_path / "gone").exists()
    assert not (tmp_path / "nope").exists()


def test_relative_xdg_paths_are_ignored(tmp_path):
    work = tmp_path / "work"
    (work / "relconfig" / "painref" / "catalog.d").mkdir(parents=True)
    (work / "relconfig" / "painref" / "catalog.d" / "planted.yaml").write_text("procedures: [oops]\n")
    env = _env(tmp_path, XDG_CACHE_HOME="relcache", XDG_CONFIG_HOME="relconfig")
    result = _run([PAINREF, "list"], env, cwd=work)
    assert result.returncode == 0, result.stderr
    assert not (work / "relcache").exists(), "a relative XDG_CACHE_HOME is ignored"
    assert list((tmp_path / "home" / ".cache" / "painref").glob("catalogue-*.sqlite"))
    info = _run([PAINREF, "info"], env, cwd=work)
    assert "planted.yaml" not in info.stdout, "a relative XDG_CONFIG_HOME is ignored"
