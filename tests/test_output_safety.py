"""Every channel that reaches a terminal, a spreadsheet or a shell gets inert text: tables, stderr,
validate lines, usage errors, prompts, the pager, CSV, JSON and shell completion."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ptys
from painref.render import csv_cell, to_json
from painref.terminal import clean

PAINREF = shutil.which("painref") or ""
needs_script = pytest.mark.skipif(
    not PAINREF or sys.platform == "win32", reason="needs the installed console script on POSIX"
)

# One of each kind of thing a terminal must never get raw.
UNSAFE = {
    "escape": "\x1b[2J",
    "osc52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "osc8 link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "c1 csi": "\x9b31m",
    "bell": "\x07",
    "carriage return": "\r",
    "rlo": "\u202e",
    "lri": "\u2066",
    "arabic letter mark": "\u061c",
    "zero width space": "\u200b",
    "word joiner": "\u2060",
    "soft hyphen": "\u00ad",
    "tag a": "\U000e0041",
    "bom": "\ufeff",
}
RAW = [
    "\x1b",
    "\x07",
    "\x9b",
    "\r",
    "\u202e",
    "\u2066",
    "\u061c",
    "\u200b",
    "\u2060",
    "\u00ad",
    "\U000e0041",
    "\ufeff",
]


def _raw_in(text: str) -> list[str]:
    return [repr(c) for c in RAW if c in text]


@pytest.mark.parametrize("text", list(UNSAFE.values()), ids=list(UNSAFE))
def test_clean_shows_every_unsafe_character_as_a_visible_escape(text):
    cleaned = clean(f"a{text}b")
    assert not _raw_in(cleaned), cleaned
    assert cleaned.startswith("a")
    assert cleaned.endswith("b")
    assert "\\" in cleaned


def test_clean_keeps_ordinary_text():
    text = "Épidurale – “steroid” · 坐骨神经痛 · ишиас\n\tindented"
    assert clean(text) == text


HOSTILE = "".join(UNSAFE.values())


def _yaml_text(text: str) -> str:
    """A YAML double-quoted string that writes every character outside printable ASCII as an escape."""
    escaped = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            escaped.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            escaped.append(char)
        else:
            escaped.append(
                f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
            )
    return '"' + "".join(escaped) + '"'


def _hostile_overlay(tmp_path: Path) -> Path:
    quoted = _yaml_text(f"Planted {HOSTILE} text")
    path = tmp_path / "hostile.yaml"
    path.write_text(
        "procedures:\n"
        "  - id: radiofrequency-ablation\n"
        f"    summary: {quoted}\n"
        f"    risks: [{quoted}]\n"
        "checklist:\n"
        f"  intro: {quoted}\n"
        "  questions:\n"
        "    - id: planted\n"
        f"      question: {_yaml_text(f'Planted {HOSTILE} question?')}\n"
        f"      why: {quoted}\n",
        encoding="utf-8",
    )
    return path


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PAINREF_CATALOG", "FORCE_COLOR")}
    env.update(NO_COLOR="1", TERM="dumb", PAINREF_CACHE_DIR=str(tmp_path / "cache"), COLUMNS="100")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env.update(extra)
    return env


def _painref(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PAINREF, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        env=_env(tmp_path, **extra),
        timeout=60,
        check=False,
    )


@needs_script
@pytest.mark.parametrize(
    "args",
    [
        ("show", "rfa"),
        ("list",),
        ("compare", "rfa", "esi"),
        ("search", "planted"),
        ("checklist", "--answers", "y"),
        ("show", "rfa", "-f", "json"),
        ("show", "rfa", "-f", "csv"),
        ("show", "rfa", "-f", "markdown"),
        ("show", "rfa", "-f", "html"),
    ],
)
def test_planted_catalogue_text_reaches_stdout_inert(tmp_path, args):
    result = _painref(tmp_path, "--catalog", str(_hostile_overlay(tmp_path)), *args)
    assert result.returncode == 0, result.stderr
    assert not _raw_in(result.stdout), (args, _raw_in(result.stdout))
    assert not _raw_in(result.stderr)


@needs_script
@pytest.mark.parametrize(
    "args",
    [
        ("show", f"x{HOSTILE}"),  # our own "no entry named ..." sentence
        ("list", f"x{HOSTILE}"),  # Click's usage error echoes the argument
        ("search", "--limit", f"x{HOSTILE}", "knee"),  # Click's "is not a valid integer"
        ("--catalog", f"/nonexistent/{HOSTILE}.yaml", "list"),  # a file name in a message
        (f"--{HOSTILE}",),  # Click's "no such option"
    ],
)
def test_arguments_echoed_on_stderr_are_inert(tmp_path, args):
    result = _painref(tmp_path, *args)
    assert result.returncode in (1, 2), result
    assert result.stderr.strip()
    assert not _raw_in(result.stderr), (args, result.stderr)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("show", "x\npainref: forged second line"),
        ("search", "x\tnothing\npainref: forged second line"),
        ("validate", "x.yaml:1:1: error: forged\nclinic.yaml"),  # a problem line of its own
        ("--catalog", "x.yaml\nok: 2 files, 39 procedures", "list"),
    ],
)
def test_a_newline_in_an_argument_never_starts_a_line_of_its_own(run, args):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "\t" not in result.stderr


def test_a_long_query_is_cut_short_where_it_is_quoted_back(run):
    result = run("search", "zzzq " * 20000)
    assert result.exit_code == 1
    assert len(result.stderr) < 300


@needs_script
def test_validate_lines_quoting_file_names_and_bad_text_are_inert(tmp_path):
    bad = tmp_path / f"clinic{HOSTILE.replace('/', '')}.yaml"
    bad.write_text(f"procedures:\n  - id: {_yaml_text('Bad ' + HOSTILE)}\n    kind: {_yaml_text(HOSTILE)}\n")
    result = _painref(tmp_path, "validate", str(bad))
    assert result.returncode == 1
    assert result.stderr.count("\n") >= 1
    assert not _raw_in(result.stderr), result.stderr
    as_json = _painref(tmp_path, "validate", "--format", "json", str(bad))
    assert not _raw_in(as_json.stdout)
    assert json.loads(as_json.stdout)["problems"], "the data survives, escaped"


def _on_a_terminal(argv: list[str], env: dict[str, str], answer: bytes | None = None, seconds: float = 60) -> bytes:
    """What a program writes to a pseudo-terminal (answering y to each [y/n] prompt when asked)."""
    deadline = time.monotonic() + seconds
    pid, fd = ptys.spawn(argv, env)
    answered = 0

    def reply(output: bytes) -> None:
        nonlocal answered
        if answer is not None and output.count(b"[y/n]") > answered:
            answered += 1
            os.write(fd, answer)

    try:
        output = ptys.read_until(fd, deadline=deadline, on_output=reply)
        ptys.wait(pid, deadline=deadline)
    finally:
        os.close(fd)
    return output


@needs_script
def test_checklist_prompts_on_a_terminal_are_inert(tmp_path):
    env = _env(tmp_path)
    output = _on_a_terminal([PAINREF, "--catalog", str(_hostile_overlay(tmp_path)), "checklist"], env, b"y\n")
    # The prompt's own styles (dim, bold) are SGR sequences painref means to send; nothing else is.
    text = re.sub(r"\x1b\[[0-9;]*m", "", output.decode("utf-8", "replace")).replace("\r\n", "\n")
    assert "Planted" in text
    assert "question?" in text
    assert not _raw_in(text), _raw_in(text)


@needs_script
def test_what_the_pager_is_given_is_inert(tmp_path):
    seen = tmp_path / "paged.txt"
    env = _env(tmp_path, PAINREF_PAGER=f"tee {seen}", COLUMNS="60", LINES="5")
    _on_a_terminal([PAINREF, "--catalog", str(_hostile_overlay(tmp_path)), "show", "rfa"], env)
    paged = seen.read_text(encoding="utf-8")
    assert "Planted" in paged
    assert not _raw_in(paged), _raw_in(paged)


# --- CSV ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_never_start_a_formula(start):
    cell = csv_cell(f'{start}HYPERLINK("https://evil.example","x")')
    assert cell.startswith(("'", "\\x0d")), cell  # a raw CR is shown as the text \x0d


def test_csv_keeps_ordinary_cells():
    assert csv_cell("Radiofrequency ablation") == "Radiofrequency ablation"
    assert csv_cell(3) == "3"


def test_csv_output_of_a_planted_formula_is_text(run, write):
    overlay = write(
        "formula.yaml",
        "procedures:\n  - id: radiofrequency-ablation\n"
        '    name: \'=HYPERLINK("https://evil.example","Click")\'\n'
        "    summary: '@SUM(1+1)*cmd|'' /C calc''!A0'\n",
    )
    result = run("--catalog", str(overlay), "show", "rfa", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    for row in csv.reader(io.StringIO(result.stdout)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_json_escapes_invisible_characters_above_the_basic_plane():
    text = to_json({"name": "a\U000e0041\u2060b"})
    assert "\U000e0041" not in text
    assert "\u2060" not in text
    assert json.loads(text) == {"name": "a\U000e0041\u2060b"}


# --- shell completion ------------------------------------------------------------------------------------

MARKER = "PAINREF_PWNED"


def _planted_names(tmp_path: Path) -> Path:
    """An overlay whose aliases and name try to run a command when completed in each shell."""
    marker = tmp_path / MARKER
    payloads = [
        f"\\$(touch {marker})",  # zsh: Typer escapes $ but not the backslash before it
        f"`touch {marker}`",
        f"$(touch${{IFS}}{marker})",
        f"x;touch${{IFS}}{marker}",
        f'x"$(touch {marker})"',
        f"x'$(touch {marker})'",
        f"x\x1b]0;{marker}\x07",
        "planted*",
    ]
    name = json.dumps(f"$(touch {marker}) `touch {marker}` \\$(touch {marker})")
    aliases = json.dumps(["xsafe-alias", *payloads])
    overlay = tmp_path / "names.yaml"
    overlay.write_text(
        f"procedures:\n  - id: radiofrequency-ablation\n    name: {name}\n    aliases: {aliases}\n", encoding="utf-8"
    )
    return overlay


def _completion_env(tmp_path: Path, overlay: Path, **extra: str) -> dict[str, str]:
    return _env(tmp_path, PAINREF_CATALOG=str(overlay), **extra)


@needs_script
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_output_is_inert_text_in_every_shell(tmp_path, shell):
    overlay = _planted_names(tmp_path)
    env = _completion_env(
        tmp_path,
        overlay,
        _PAINREF_COMPLETE=f"complete_{shell}",
        COMP_WORDS="painref show x",
        COMP_CWORD="2",
        _TYPER_COMPLETE_ARGS="painref show x",
        _TYPER_COMPLETE_WORD_TO_COMPLETE="x",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    result = subprocess.run([PAINREF], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert "xsafe-alias" in result.stdout, result
    offered = result.stdout.strip().removeprefix("_arguments '*: :((").removesuffix("))'")
    for bad in ("$", "`", "\\", ";", "\x1b", "*", "'"):
        assert bad not in offered, (shell, bad, result.stdout)


@needs_script
@pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
def test_pressing_tab_in_zsh_runs_nothing(tmp_path):
    overlay = _planted_names(tmp_path)
    home = tmp_path / "zdot"
    home.mkdir()
    script = subprocess.run(
        [PAINREF, "--show-completion", "zsh"],
        capture_output=True,
        text=True,
        env=_completion_env(tmp_path, overlay, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"),
        timeout=60,
        check=True,
    ).stdout
    (home / ".zshrc").write_text(
        f"autoload -U compinit && compinit -u\n{script}\nPS1='READY> '\nzstyle ':completion:*' menu no\n",
        encoding="utf-8",
    )
    env = _completion_env(tmp_path, overlay, ZDOTDIR=str(home), TERM="xterm", PATH=os.environ["PATH"])
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child process
        os.execvpe("zsh", ["zsh", "-i"], env)  # noqa: S606 - the test is about zsh itself
    deadline = time.monotonic() + 40
    typed = False

    def type_when_ready(output: bytes) -> None:
        nonlocal typed
        if not typed and b"READY> " in output:
            os.write(fd, b"painref show x\t\t")
            typed = True

    try:
        output = ptys.read_until(
            fd, lambda out: typed and b"xsafe-alias" in out, deadline=deadline, on_output=type_when_ready
        )
        time.sleep(1)  # give a planted command the time it would need to run
    finally:
        os.kill(pid, 9)
        ptys.wait(pid, deadline=time.monotonic() + 30)
        os.close(fd)
    assert typed, output[-500:]
    assert b"xsafe-alias" in output, output[-500:]
    assert not (tmp_path / MARKER).exists(), "a planted alias ran a command when completed"


@needs_script
@pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")
def test_fish_completion_offers_only_inert_candidates(tmp_path):
    overlay = _planted_names(tmp_path)
    env = _completion_env(tmp_path, overlay, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    script = subprocess.run(
        [PAINREF, "--show-completion", "fish"], capture_output=True, text=True, env=env, timeout=60, check=True
    ).stdout
    result = subprocess.run(
        ["fish", "--no-config", "-c", f"{script}\ncomplete -C 'painref show x'"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "xsafe-alias" in result.stdout, result
    assert "$" not in result.stdout
    assert "`" not in result.stdout
    assert not (tmp_path / MARKER).exists()
