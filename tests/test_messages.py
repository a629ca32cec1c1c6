"""The interface's messages (scripts/messages.py): all extracted, all translated, none left unwrapped."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scripts import ROOT, load_script

PACKAGE = ROOT / "src" / "painref"
CATALOGUES = sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/painref.po"))


@pytest.fixture(scope="module")
def messages():
    return load_script("scripts/messages.py")


def test_every_message_is_in_every_catalogue_and_translated(messages):
    """What `python scripts/messages.py --check` checks: a new message without Spanish fails here."""
    extracted = messages.extract()
    assert len(extracted) > 450
    assert CATALOGUES
    for path in CATALOGUES:
        assert messages.problems(path, extracted) == []


def test_the_check_finds_a_message_with_no_translation(messages, tmp_path):
    po = tmp_path / "painref.po"
    po.write_bytes(CATALOGUES[0].read_bytes())
    found = messages.problems(po, {**messages.extract(), "A message nobody translated.": []})
    assert found == [f"{po.parent.parent.name}: missing 'A message nobody translated.'"]


def test_command_docstrings_are_their_help_and_are_extracted(messages):
    """Typer shows a command's docstring as its --help, so each one is a message."""
    extracted = messages.extract()
    assert "Show everything about one procedure, condition or treatment.\n\nExample: painref show rfa" in extracted
    assert ("ok: {files} file, {counts}", "ok: {files} files, {counts}") in extracted


def _placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _spec, _conversion in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_translations_keep_every_named_placeholder(path: Path):
    """A translation names the same {placeholders} as its English, and no message has a bare {}."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        # The first form translates the singular; the others the plural.
        english = (message.id[0], *[message.id[1]] * (len(forms) - 1)) if isinstance(message.id, tuple) else forms
        english = english if isinstance(message.id, tuple) else (message.id,)
        for source, translated in zip(english, forms, strict=True):
            assert "" not in _placeholders(source), source
            assert _placeholders(translated) == _placeholders(source), (source, translated)


# Calls whose string arguments a user reads: errors, problems, notices, prompts and help.
_SHOWN = {
    "PainrefError",
    "NotFoundError",
    "AmbiguousNameError",
    "CatalogueError",
    "UsageError",
    "BadParameter",
    "Issue",
    "error",
    "notice",
    "echo",
    "secho",
    "prompt",
    "confirm",
    "_event_error",
}
# Keyword arguments that a user reads in --help.
_HELP_KEYWORDS = {"help", "metavar"}
# Text that is not words in any language: option names, codes, punctuation and placeholders only.
_NOT_WORDS = re.compile(r"^[\s\W\d]*$|^-[-\w]*$|^\[[\w|.,]+\]$|^[\d,.]+$")


def _words(node: ast.expr) -> str | None:
    """The literal words of a string or f-string argument, if it has any (None for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return None
    if _NOT_WORDS.match(text) or not re.search(r"[A-Za-z]{2}", text) or text.strip() == "painref":
        return None  # no words, or only the program's name (before its version)
    return text


def _unwrapped(path: Path) -> list[str]:
    """Literal text passed where a user reads it without going through _(), N_() or ngettext()."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        candidates: list[ast.expr] = []
        if name in _SHOWN:
            candidates += node.args[2:3] if name == "Issue" else node.args[2:3] if name == "_event_error" else node.args
        candidates += [kw.value for kw in node.keywords if kw.arg in _HELP_KEYWORDS]
        for candidate in candidates:
            words = _words(candidate)
            if words is not None:
                found.append(f"{path.name}:{candidate.lineno}: {words!r}")
    return found


def test_no_user_visible_text_is_left_unwrapped():
    """Every error, problem, notice, prompt and help text goes through gettext; literal text passed
    straight to one of them (or an f-string with words) would stay English in every language."""
    found = [problem for path in sorted(PACKAGE.glob("*.py")) for problem in _unwrapped(path)]
    assert found == []


def test_the_unwrapped_check_finds_literal_messages(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "raise UsageError(f'{name} is not a kind')\n"
        "error('cannot write')\n"
        "raise UsageError(_('fine {name}').format(name=name))\n"
        "typer.Option('--limit', help='How many.', metavar='N')\n"
        "typer.Option('--x', help=N_('Wrapped.'))\n"
        "Issue(file, loc, 'plain text message')\n",
        encoding="utf-8",
    )
    assert _unwrapped(source) == [
        "sample.py:1: ' is not a kind'",
        "sample.py:2: 'cannot write'",
        "sample.py:4: 'How many.'",
        "sample.py:6: 'plain text message'",
    ]
