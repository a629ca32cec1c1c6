"""Behaviour that depends on a real process and terminal: pipes, Ctrl-C, colours, no hangs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

PAINREF = shutil.which("painref") or ""
pytestmark = pytest.mark.skipif(
    not PAINREF or sys.platform == "win32", reason="needs the installed console script on POSIX"
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def test_a_closed_pipe_ends_quietly():
    result = subprocess.run(  # noqa: S602 - the test is about a shell pipeline; the command is ours
        f"'{PAINREF}' list all | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_piped_table_has_no_escape_codes():
    result = subprocess.run(
        [PAINREF, "show", "rfa"],
        capture_output=True,
        text=True,
        env=_env(TERM="xterm-256color"),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert "\x1b" not in result.stdout


def test_force_color_and_no_color():
    forced = subprocess.run(
        [PAINREF, "show", "rfa"], capture_output=True, text=True, env=_env(FORCE_COLOR="1"), timeout=60, check=False
    )
    assert "\x1b[" in forced.stdout
    plain = subprocess.run(
        [PAINREF, "show", "rfa"],
        capture_output=True,
        text=True,
        env=_env(FORCE_COLOR="1", NO_COLOR="1"),
        timeout=60,
        check=False,
    )
    assert "\x1b[1m" in plain.stdout or "\x1b[" not in plain.stdout
    assert "\x1b[36m" not in plain.stdout, "NO_COLOR removes colour"


def test_checklist_without_a_terminal_does_not_hang():
    result = subprocess.run(
        [PAINREF, "checklist"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--answers" in result.stderr


def test_ctrl_c_at_the_checklist_prompt_ends_quietly():
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.execvpe(PAINREF, [PAINREF, "checklist"], _env())  # noqa: S606 - runs our own console script
    output = b""
    deadline = time.monotonic() + 30
    while b"1/6" not in output and time.monotonic() < deadline:
        try:
            output += os.read(fd, 4096)
        except OSError:
            break
    assert b"1/6" in output, output
    os.kill(pid, signal.SIGINT)
    _, status = os.waitpid(pid, 0)
    rest = b""
    try:
        while chunk := os.read(fd, 4096):
            rest += chunk
    except OSError:
        pass
    assert b"Traceback" not in output + rest
    code = os.waitstatus_to_exitcode(status)
    assert code in (130, -signal.SIGINT, 1)


def test_interactive_checklist_on_a_terminal():
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.execvpe(PAINREF, [PAINREF, "checklist"], _env(NO_COLOR="1"))  # noqa: S606 - runs our own console script
    output = b""
    answered = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if output.count(b"[y/n]") > answered:
            answered += 1
            os.write(fd, b"y\n")
    os.waitpid(pid, 0)
    assert answered == 6
    assert b"You answered yes to 6 of 6" in output


def test_python_dash_m_runs():
    result = subprocess.run(
        [sys.executable, "-m", "painref", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("painref ")


def test_search_highlights_the_matched_words_on_a_colour_terminal():
    result = subprocess.run(
        [PAINREF, "search", "tailbone", "pain"],
        capture_output=True,
        text=True,
        env=_env(FORCE_COLOR="1", COLUMNS="120"),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"\x1b\[[0-9;]*1[;m][^\x1b]*tailbone", result.stdout, re.IGNORECASE), result.stdout[:400]
    piped = subprocess.run(
        [PAINREF, "search", "tailbone", "pain"], capture_output=True, text=True, env=_env(), timeout=60, check=False
    )
    assert "\x1b[" not in piped.stdout, "no styling when output is not a terminal"
