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

import ptys

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
    deadline = time.monotonic() + ptys.DEADLINE_SECONDS
    pid, fd = ptys.spawn([PAINREF, "checklist"], _env())
    try:
        output = ptys.read_until(fd, lambda out: b"1/6" in out, deadline=deadline)
        assert b"1/6" in output, output
        os.kill(pid, signal.SIGINT)
        rest = ptys.read_until(fd, deadline=deadline)
        code = ptys.wait(pid, deadline=deadline)
    finally:
        os.close(fd)
    assert b"Traceback" not in output + rest
    assert code in (130, -signal.SIGINT, 1)


def test_interactive_checklist_on_a_terminal():
    deadline = time.monotonic() + ptys.DEADLINE_SECONDS
    pid, fd = ptys.spawn([PAINREF, "checklist"], _env(NO_COLOR="1"))
    answered = 0

    def answer(output: bytes) -> None:
        nonlocal answered
        if output.count(b"[y/n]") > answered:
            answered += 1
            os.write(fd, b"y\n")

    try:
        output = ptys.read_until(fd, deadline=deadline, on_output=answer)
        code = ptys.wait(pid, deadline=deadline)
    finally:
        os.close(fd)
    assert answered == 6
    assert b"You answered yes to 6 of 6" in output
    assert code == 0


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


def test_a_pty_child_that_never_exits_is_killed_at_its_deadline():
    sleeper = [sys.executable, "-c", "import time; print('started', flush=True); time.sleep(120)"]
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match="did not exit before its deadline"):
        ptys.run(sleeper, dict(os.environ), timeout=1.5)
    assert time.monotonic() - started < 30


def test_every_subprocess_and_wait_in_the_tests_has_a_timeout():
    """A test that can hang blocks CI: every process a test starts must be bounded in time."""
    import ast
    from pathlib import Path

    unbounded = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
            call = f"{owner}.{node.func.attr}"
            keywords = {k.arg for k in node.keywords}
            if call in ("subprocess.run", "subprocess.check_output", "subprocess.check_call", "subprocess.call"):
                if "timeout" not in keywords:
                    unbounded.append(f"{path.name}:{node.lineno}: {call} without timeout")
            elif call == "subprocess.Popen" or (call == "os.waitpid" and path.name != "ptys.py"):
                unbounded.append(f"{path.name}:{node.lineno}: {call}; use ptys.wait or subprocess.run(timeout=...)")
    assert unbounded == []
