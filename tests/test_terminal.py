"""painref.terminal, and behaviour that needs a real process and terminal: pipes, Ctrl-C, colours, no hangs."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

import ptys
from painref import terminal

PAINREF = shutil.which("painref") or ""
needs_script = pytest.mark.skipif(
    not PAINREF or sys.platform == "win32", reason="needs the installed console script on POSIX"
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


@needs_script
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


@needs_script
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


@needs_script
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


@needs_script
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


@needs_script
@pytest.mark.parametrize("argv", [["checklist"], ["decide", "sciatica"]])
@pytest.mark.parametrize("to_group", [False, True])
def test_ctrl_c_at_a_prompt_ends_quietly_as_an_interrupt(argv, to_group):
    # Status 130, as Ctrl-C anywhere else: Click's prompt made it "Aborted!" and status 1, which a
    # script cannot tell from a failure.
    deadline = time.monotonic() + ptys.DEADLINE_SECONDS
    pid, fd = ptys.spawn([PAINREF, *argv], _env())
    try:
        output = ptys.read_until(fd, lambda out: b"1/6" in out, deadline=deadline)
        assert b"1/6" in output, output
        rest = b""
        # Typed, Ctrl-C makes the terminal send SIGINT to the whole foreground group. A press that
        # lands just before the interpreter's line reader blocks can go unnoticed there (CPython's
        # readline loop, whatever the program): a reader presses again, and so does this test.
        code = None
        for _press in range(5):
            (os.killpg if to_group else os.kill)(pid, signal.SIGINT)
            rest += ptys.read_until(fd, deadline=min(deadline, time.monotonic() + 5))
            code = ptys.poll(pid)
            if code is not None:
                break
        if code is None:
            code = ptys.wait(pid, deadline=deadline)
    finally:
        os.close(fd)
    assert b"Traceback" not in output + rest
    assert b"Aborted" not in rest
    assert code in (130, -signal.SIGINT)


@needs_script
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


@needs_script
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


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
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

    def bounded_wait(function: ast.AST) -> bool:
        """The function waits for its processes with a timeout (wait or communicate)."""
        return any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr in ("wait", "communicate")
            and any(k.arg == "timeout" for k in call.keywords)
            for call in ast.walk(function)
        )

    unbounded = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
            call = f"{owner}.{node.func.attr}"
            keywords = {k.arg for k in node.keywords}
            if call in ("subprocess.run", "subprocess.check_output", "subprocess.check_call", "subprocess.call"):
                if "timeout" not in keywords:
                    unbounded.append(f"{path.name}:{node.lineno}: {call} without timeout")
            elif call == "subprocess.Popen":
                inside = [f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
                if not inside or not bounded_wait(inside[-1]):
                    unbounded.append(f"{path.name}:{node.lineno}: {call} never waited for with a timeout")
            elif call == "os.waitpid" and path.name != "ptys.py":
                unbounded.append(f"{path.name}:{node.lineno}: {call}; use ptys.wait or subprocess.run(timeout=...)")
    assert unbounded == []


# --- painref.terminal in process ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, with a tab\tand\nnewline", "plain text, with a tab\tand\nnewline"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\x07 nul\x00 del\x7f c1\x9b", "bell\\x07 nul\\x00 del\\x7f c1\\x9b"),
        ("\u202eevil\u2066 zero\u200bwidth \ufeff", "\\u202eevil\\u2066 zero\\u200bwidth \\ufeff"),
        ("café – “quotes” 坐骨", "café – “quotes” 坐骨"),
        ("", ""),
    ],
)
def test_clean_shows_control_characters_as_escapes(text, shown):
    assert terminal.clean(text) == shown


def test_a_console_never_reads_catalogue_text_as_markup_or_emoji():
    buffer = io.StringIO()
    console = terminal.make_console(buffer, width=50, color=terminal.Color.NEVER)
    console.print("[bold]x[/] :smile: 1.5 None")
    assert buffer.getvalue() == "[bold]x[/] :smile: 1.5 None\n"
    assert console.width == 50


@pytest.mark.parametrize(
    ("color", "escapes"),
    [(terminal.Color.ALWAYS, True), (terminal.Color.NEVER, False), (terminal.Color.AUTO, False)],
)
def test_console_colour_follows_the_choice(color, escapes):
    buffer = io.StringIO()  # not a terminal: auto means no colour
    terminal.make_console(buffer, width=40, color=color).print("styled", style="bold cyan")
    assert ("\x1b[" in buffer.getvalue()) is escapes
    assert "styled" in buffer.getvalue()


@pytest.mark.parametrize(
    ("env", "argv"),
    [
        ({}, ["less"]),
        ({"PAGER": "more -s"}, ["more", "-s"]),
        ({"PAGER": "more", "PAINREF_PAGER": "bat --plain"}, ["bat", "--plain"]),
        ({"PAGER": "more", "PAINREF_PAGER": ""}, []),
        ({"PAINREF_PAGER": "'unclosed"}, []),
        ({"PAINREF_PAGER": "'/opt/my pager' -R"}, ["/opt/my pager", "-R"]),
    ],
)
def test_pager_command(env, argv):
    assert terminal.pager_command(env) == argv


def test_page_through_feeds_the_text_to_the_pager(tmp_path):
    out = tmp_path / "paged.txt"
    script = f"import os, sys; open({str(out)!r}, 'w').write(os.environ['LESS'] + '|' + sys.stdin.read())"
    assert terminal.page_through("line one\nline two\n", [sys.executable, "-c", script]) is True
    assert out.read_text(encoding="utf-8") == "FRX|line one\nline two\n"


def test_page_through_a_pager_that_quits_early_or_cannot_start(tmp_path):
    assert terminal.page_through("x\n" * 100_000, [sys.executable, "-c", "pass"]) is True
    assert terminal.page_through("x", [str(tmp_path / "no-such-pager")]) is False


def test_error_writes_one_clean_line_prefixed_with_the_program():
    stream = io.StringIO()
    terminal.error("bad \x1b[2J file", stream)
    assert stream.getvalue() == "painref: bad \\x1b[2J file\n"


def test_error_goes_to_stderr_by_default(capsys):
    terminal.error("oops")
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "painref: oops\n")


# --- when a table needs no Rich console ----------------------------------------------------------


@pytest.mark.parametrize(
    ("color", "env", "width"),
    [
        (terminal.Color.AUTO, {"COLUMNS": "100"}, 100),
        (terminal.Color.NEVER, {"COLUMNS": "100"}, 100),
        (terminal.Color.AUTO, {"COLUMNS": "3"}, terminal.MIN_WIDTH),
        (terminal.Color.AUTO, {"COLUMNS": "0"}, terminal.MIN_WIDTH),
        (terminal.Color.AUTO, {"NO_COLOR": "1", "COLUMNS": "90"}, 90),
        (terminal.Color.AUTO, {"FORCE_COLOR": "", "COLUMNS": "90"}, 90),
        (terminal.Color.AUTO, {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1", "COLUMNS": "90"}, 90),
        (terminal.Color.ALWAYS, {"COLUMNS": "100"}, None),
        (terminal.Color.AUTO, {"FORCE_COLOR": "1", "COLUMNS": "100"}, None),
        (terminal.Color.NEVER, {"TTY_COMPATIBLE": "1", "COLUMNS": "100"}, None),
    ],
)
def test_plain_output_is_chosen_only_where_rich_would_print_no_escape(color, env, width, monkeypatch):
    from rich.console import Console

    monkeypatch.setattr(sys, "stdout", io.StringIO())  # not a terminal
    assert terminal.plain_width(color, env) == width
    if width is not None:  # Rich agrees: no colour system, and the same width
        options = {"color_system": None} if color is terminal.Color.NEVER else {}
        console = Console(file=sys.stdout, _environ=env, **options)  # type: ignore[arg-type]
        assert console.color_system is None
        assert max(console.width, terminal.MIN_WIDTH) == width


def test_plain_width_without_columns_is_the_terminal_rich_would_measure(monkeypatch):
    from rich.console import Console

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert terminal.plain_width() == max(Console(file=io.StringIO()).width, terminal.MIN_WIDTH)


def test_a_terminal_is_left_to_rich(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    assert terminal.plain_width(terminal.Color.AUTO, {}) is None
    assert terminal.plain_width(terminal.Color.NEVER, {}) is None


@pytest.mark.parametrize(
    ("args", "env", "escapes"),
    [
        (["show", "rfa"], {}, False),
        (["list", "all"], {}, False),
        (["search", "nerve"], {}, False),
        (["show", "rfa"], {"FORCE_COLOR": "1"}, True),
        (["--color", "always", "show", "rfa"], {}, True),
    ],
)
def test_a_table_needs_no_rich_console(args, env, escapes):
    """A table is laid out without importing Rich's console (about a fifth of a run), to a pipe and
    in colour alike: Rich's rules are followed by terminal.screen, and its codes are written as
    rich.style would write them, without importing it either (about a sixth of a run)."""
    code = (
        "import atexit, sys\n"
        "loaded = lambda: 'rich.console' in sys.modules or 'rich.style' in sys.modules\n"
        "atexit.register(lambda: sys.__stderr__.write('RICH=%s' % loaded()))\n"
        f"sys.argv = ['painref', *{args!r}]\n"
        "from painref.cli import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(**env), timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "RICH=False" in result.stderr
    assert ("\x1b[" in result.stdout) is escapes


# --- what Rich's console would decide, without it -------------------------------------------------

_SCREEN_ENVS = [
    {},
    {"COLUMNS": "100"},
    {"COLUMNS": "3", "LINES": "7"},
    {"COLUMNS": "abc", "LINES": "40"},
    {"TERM": "xterm-256color"},
    {"TERM": "xterm-kitty", "COLUMNS": "120"},
    {"TERM": "rxvt-16color"},
    {"TERM": " Screen-256Color "},
    {"TERM": "dumb", "COLUMNS": "120", "LINES": "50"},
    {"TERM": "unknown"},
    {"COLORTERM": "truecolor", "TERM": "xterm-256color"},
    {"COLORTERM": " 24BIT "},
    {"NO_COLOR": "1", "TERM": "xterm-256color"},
    {"NO_COLOR": ""},
    {"FORCE_COLOR": "1", "COLUMNS": "80"},
    {"FORCE_COLOR": "", "COLUMNS": "80"},
    {"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "dumb"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "1", "COLORTERM": "truecolor"},
]


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("color", list(terminal.Color))
@pytest.mark.parametrize("env", _SCREEN_ENVS)
def test_screen_decides_as_rich_console_does(env, color, tty, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return tty

    for name in ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", Tty())
    console = terminal.make_console(color=color)
    shown = terminal.screen(color)
    assert shown is not None
    rich = (console.color_system, console.no_color, console.width, console.height, console.is_terminal)
    assert tuple(shown) == rich
