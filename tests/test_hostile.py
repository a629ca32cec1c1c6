"""No input can break painref: hostile catalogues, hostile queries, odd terminals, and property tests."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painref import catalogue, compiler, yamlio
from painref.errors import AmbiguousNameError, CatalogueError, NotFoundError
from painref.search import resolve_entry, search

BOMB = """\
procedures:
  - id: epidural-steroid-injection
    aliases: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
    risks: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    variants: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    evidence: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""
STRING_BOMB = (
    "procedures:\n  - id: epidural-steroid-injection\n    summary: &s "
    + "x" * 10_000
    + "\n    risks: ["
    + ", ".join(["*s"] * 2000)
    + "]\n"
)


@pytest.fixture(scope="module")
def loaded():
    return compiler.load([], env={"PAINREF_NO_CACHE": "1"})


# --- hostile catalogues ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [BOMB, STRING_BOMB], ids=["nested", "strings"])
def test_alias_bombs_end_at_once_with_a_located_sentence(run, write, text):
    path = write("bomb.yaml", text)
    started = time.monotonic()
    shown = run("--catalog", str(path), "list")
    checked = run("validate", str(path))
    assert time.monotonic() - started < 10
    assert shown.exit_code == checked.exit_code == 1
    assert "bomb.yaml:3:" in shown.stderr
    assert "anchors and aliases" in shown.stderr
    assert "anchors and aliases" in checked.stderr


def test_an_ampersand_in_text_is_not_an_anchor(run, write):
    path = write("amp.yaml", 'procedures:\n  - id: radiofrequency-ablation\n    summary: "R&D, Smith & Jones, &x"\n')
    assert run("validate", str(path)).exit_code == 0


def test_very_deep_nesting_is_one_sentence(run, write):
    path = write("deep.yaml", "procedures: " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = run("--catalog", str(path), "list")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "deep.yaml" in result.stderr


def test_an_oversized_file_is_refused_before_reading(run, tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: takes no disk space and no time to write
        handle.truncate(catalogue.MAX_FILE_BYTES + 1)
    started = time.monotonic()
    result = run("--catalog", str(huge), "list")
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert "larger than" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe not utf-8", "not valid UTF-8"),
        (b"!!python/object/apply:os.system ['echo pwned']\n", "tag !!python/object/apply:os.system is not allowed"),
        (b"procedures: !!binary aGVsbG8=\n", "tag !!binary is not allowed"),
        (b"a: 1\n---\nb: 2\n", "expected one document"),
        (b"? [a, b]\n: 1\n", "mapping key must be text"),
    ],
)
def test_bad_files_are_one_sentence(run, tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = run("--catalog", str(path), "list")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr + result.stdout


HOSTILE_TEXT = "[bold red]loud[/] \x1b[2J\x1b]0;owned\x07 \u202eevil <b>x</b>"


def test_catalogue_text_is_shown_literally_everywhere(run, write):
    overlay = write("x.yaml", f"procedures:\n  - id: radiofrequency-ablation\n    summary: {HOSTILE_TEXT!r}\n")
    for args in (
        ("show", "rfa"),
        ("list",),
        ("search", "loud"),
        ("compare", "rfa", "esi"),
        ("show", "rfa", "-f", "markdown"),
        ("show", "rfa", "-f", "csv"),
    ):
        result = run("--catalog", str(overlay), *args)
        assert result.exit_code == 0, (args, result.stderr)
        out = result.stdout
        assert "\x1b" not in out, args
        assert "\x07" not in out, args
        assert "\u202e" not in out, args
        if args[-1] not in ("markdown",):
            assert "[bold red]loud[/]" in out, args
        assert "\\x1b" in out, args


# --- hostile queries -------------------------------------------------------------------------------------

QUERIES = [
    "(.*)+$",
    "[bold]x[/bold]",
    "\"'`;--",
    "\x1b[2J\x07",
    "x" * 10_000,
    "坐骨神经痛",
    "ишиас",
    "NEAR(a b) OR * AND",
    "' OR 1=1 --",
    "\u202e",
    "",
    "   ",
]


@pytest.mark.parametrize("query", QUERIES)
def test_hostile_queries_end_cleanly(run, query):
    for args in (("search", query), ("show", query), ("condition", query), ("compare", query, "rfa")):
        result = run(*args)
        assert result.exit_code in (0, 1, 2), args
        assert "Traceback" not in result.stdout + result.stderr
        assert "\x1b" not in result.stderr
        if result.exit_code == 1:
            assert result.stderr.startswith("painref: ")
            assert result.stderr.count("\n") == 1


def test_a_long_query_is_quick(loaded):
    vocabulary = sorted({w for e in loaded.entries() for w in e.summary.casefold().split() if w.isalpha()})
    started = time.monotonic()
    search(loaded, " ".join(["injection pain"] * 500))
    search(loaded, " ".join(vocabulary))  # hundreds of distinct catalogue words
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("width", ["20", "40"])
def test_narrow_terminals_render_every_command(run, width):
    for args in (
        ("show", "esi"),
        ("list",),
        ("compare", "esi", "rfa"),
        ("condition", "sciatica"),
        ("search", "knee"),
        ("info",),
    ):
        result = run(*args, env={"COLUMNS": width})
        assert result.exit_code == 0, (args, result.stderr)
        assert (
            "Epidural" in result.stdout
            or "Sciatica" in result.stdout
            or "knee" in result.stdout.lower()
            or args == ("info",)
        )


# --- property-based tests --------------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.text(max_size=20),
    st.sampled_from(["sciatica", "radiofrequency-ablation", "2026-11-27", "https://x.example", "M54.16"]),
)
_keys = st.sampled_from(
    [
        "id",
        "name",
        "aliases",
        "aliases+",
        "summary",
        "conditions",
        "risks",
        "family",
        "icd10",
        "sources",
        "last_checked",
        "invasiveness",
        "category",
        "procedures",
        "conditions",
        "treatments",
        "guide",
        "synonyms",
        "checklist",
    ]
)
_documents = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)),
    max_leaves=25,
)


def _failure(action: Callable[[], object]) -> str | None:
    """None if the action succeeds, else the message of the clean error it raised (others propagate)."""
    try:
        action()
    except (CatalogueError, NotFoundError, AmbiguousNameError) as error:
        return error.message
    return None


_settings = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(document=_documents)
def test_any_document_loads_or_fails_with_a_catalogue_error(tmp_path_factory, document):
    import yaml

    path = Path(tmp_path_factory.mktemp("doc")) / "overlay.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    message = _failure(lambda: compiler.load([path], env={"PAINREF_NO_CACHE": "1"}))
    assert message is None or (message and "\n" not in message)
    verdict = compiler.validate_files([path], env={"PAINREF_NO_CACHE": "1"})
    assert all(issue.line >= 1 and issue.col >= 1 for issue in verdict.issues)


@_settings
@given(text=st.text(max_size=300))
def test_any_text_loads_or_fails_with_a_catalogue_error(tmp_path_factory, text):
    path = Path(tmp_path_factory.mktemp("text")) / "overlay.yaml"
    path.write_text(text, encoding="utf-8")
    message = _failure(lambda: compiler.load([path], env={"PAINREF_NO_CACHE": "1"}))
    assert message is None or message
    compiler.validate_files([path], env={"PAINREF_NO_CACHE": "1"})


@settings(max_examples=100, deadline=None)
@given(name=st.text(max_size=60))
def test_any_name_resolves_or_fails_cleanly(loaded, name):
    message = _failure(lambda: resolve_entry(loaded, name))
    assert message is None or message


@settings(max_examples=100, deadline=None)
@given(query=st.text(max_size=120))
def test_any_query_searches_without_error(loaded, query):
    hits = search(loaded, query, limit=5)
    assert len(hits) <= 5
    assert all(hit.score >= 0 for hit in hits)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.text(min_size=1, max_size=15), min_size=1, max_size=3))
def test_any_cli_query_exits_cleanly(run, words):
    for command in ("search", "show"):
        args = [command, *words] if command == "search" else [command, " ".join(words)]
        result = run(*args)
        assert result.exit_code in (0, 1, 2)
        assert "Traceback" not in result.stdout + result.stderr
        if result.exit_code:
            assert result.stderr.strip()


def test_pretty_exceptions_never_show_locals():
    from painref import cli

    assert cli.app.pretty_exceptions_enable is False
    assert os.environ.get("_TYPER_STANDARD_TRACEBACK") in (None, "", "1")


_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**63),  # longer numbers are refused (test_bounded_input)
        st.floats(allow_nan=False),
        st.text(),
        st.sampled_from(["yes", "no", "on", "0o17", "0x1F", "1_000", "2026-11-27", "~", ".inf", "1e3", "+1"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(value=_values)
def test_the_fast_parser_reads_back_what_yaml_writes(value):
    import yaml

    text = yaml.safe_dump({"value": value}, allow_unicode=True)
    # What PyYAML writes, painref reads as PyYAML's own safe loader does (dates kept as text).
    expected = yaml.load(text, Loader=yamlio.yaml_loader())  # noqa: S506 - a SafeLoader
    assert yamlio.parse(text, "round-trip.yaml") == expected


def test_the_fast_parser_reads_the_builtin_file_as_pyyaml_does():
    import yaml

    text = catalogue.read_text(catalogue.builtin_file())
    assert yamlio.parse(text, "builtin") == yaml.load(text, Loader=yamlio.yaml_loader())  # noqa: S506 - a SafeLoader
