"""Every command and format in Spanish, over every entry, swept for English fragments.

The sweep runs list, show (every entry), search, compare, condition and decide (every condition),
guide (every topic) and checklist in Spanish as table, Markdown, HTML, CSV and JSON. Each check is
precise enough to fail when one label or text goes untranslated (tried: an emptied msgstr, a
removed content translation, a lost "(en inglés)"):
- JSON: a text value identical to the English output's at the same place, in a field the entry
  does not list as `untranslated` (the visible fallback) and that is not a name of a thing
  (source titles, URLs, guideline bodies, aliases, quotes);
- messages: no English interface message (a msgid of the Spanish catalogue whose Spanish differs
  from it, or is empty) appears in the rendered text;
- words: no common English function word in the rendered text once the parts allowed to be
  English are taken out: source and guideline titles, URLs, ids and codes, and clinician detail
  shown under a label marked "(en inglés)";
- unmarked: where English clinician detail shows, its label or heading says "(en inglés)";
- fallback: only clinician detail (schema.ENGLISH_ONLY) falls back to English.
Then --help of every command, the common errors, and the system's and PyYAML's words inside
Spanish error sentences (missing, unreadable and malformed files).
"""

from __future__ import annotations

import csv
import errno
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from painref import cli
from painref.schema import ENGLISH_ONLY

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src" / "painref" / "locale" / "es" / "LC_MESSAGES" / "painref.po"

# Common English words that are not also Spanish words (so "no", "a", "me" and "has" are left out).
# A paragraph of words reads better than a column of seventy string literals.
ENGLISH_WORDS = frozenset(
    """
    the and with your you of for not pain is are to this that what how when from may can will should
    does which after before more than relief option options questions question risks sources none yes
    days weeks months about also other into its their they these those there were been being have help
    who why where each only over under name names topic query condition path str int range
    """.split()  # noqa: SIM905
)
# Names of things written in English inside Spanish text: a brand and an organisation.
NAMES = ("Voltaren Arthritis Pain", "American Academy of Neurology")
# A command to type, as painref shows it beside a result: its command and option names and ids are
# the same in every language (a placeholder such as NOMBRE is not, so it stays to be checked).
COMMAND = re.compile(r"painref [a-z]+(?: [a-z0-9]+(?:-[a-z0-9]+)*)?|--[a-z]+(?:-[a-z]+)*")
# Keys whose values are names of things or addresses, the same in every language.
# (Aliases hold abbreviations and English names beside the Spanish ones; a quote is a source's words.)
NAME_KEYS = frozenset(
    {"id", "kind", "url", "title", "body", "code", "lang", "last_checked", "untranslated", "aliases", "quote"}
)
WORD = re.compile(r"[^\W\d_]+")

FORMATS = ("table", "markdown", "html", "csv", "json")


def _runner_env(cache: Path) -> dict[str, str]:
    # Wide enough that no table wraps a cell: an allowed English string stays on one line.
    return {"PAINREF_CACHE_DIR": str(cache), "COLUMNS": "2000"}


def _commands(ids: dict[str, list[str]], topics: list[str]) -> list[tuple[str, ...]]:
    commands: list[tuple[str, ...]] = [
        ("list",),
        ("list", "all"),
        ("list", "conditions"),
        ("list", "treatments", "--condition", "sciatica"),
        ("list", "all", "--region", "knee"),
        ("guide",),
        ("checklist", "--answers", "y,n,y,y,n,y"),
        ("checklist", "--answers", "n,n,n,n,n,n"),
        ("search", "epidural"),
        ("search", "nerve", "burning", "knee"),
        ("search", "hernia", "de", "disco"),
        ("search", "dolor", "de", "rodilla"),
        ("compare", "epidural", "rfa"),
        ("compare", "epidural", "physical-therapy", "nsaids", "sciatica"),
        ("compare", "epidural", "physical-therapy", "gabapentinoids", "--condition", "sciatica"),
        ("compare", "spinal-cord-stimulation", "opioids"),
        ("compare", "knee-osteoarthritis", "hip-osteoarthritis"),
        ("compare", "acupuncture", "massage", "yoga"),
    ]
    commands += [("show", entry_id) for kind in ("procedure", "condition", "treatment") for entry_id in ids[kind]]
    commands += [("condition", entry_id) for entry_id in ids["condition"]]
    commands += [("decide", entry_id, "--answers", "3,2,3,2,1,2") for entry_id in ids["condition"]]
    commands += [("guide", topic) for topic in topics]
    return commands


class Sweep:
    """Each command's Spanish output in every format, and its English JSON to compare with."""

    def __init__(self, cache: Path) -> None:
        self.runner = CliRunner()
        self.env = _runner_env(cache)
        entries = self.json("en", ("list", "all"))
        self.ids = {
            kind: [e["id"] for e in entries if e["kind"] == kind] for kind in ("procedure", "condition", "treatment")
        }
        topics = [topic["id"] for topic in self.json("en", ("guide",))]
        self.commands = _commands(self.ids, topics)
        self.outputs: dict[tuple[tuple[str, ...], str], str] = {}
        for command in self.commands:
            for fmt in FORMATS:
                self.outputs[command, fmt] = self.text("es", command, fmt)
        self.english = {command: json.loads(self.text("en", command, "json")) for command in self.commands}

    def text(self, lang: str, command: tuple[str, ...], fmt: str) -> str:
        cli._loaded.clear()
        result = self.runner.invoke(cli.app, ["--lang", lang, *command, "--format", fmt], env=self.env)
        assert result.exit_code == 0, (command, fmt, result.stderr)
        return result.stdout

    def json(self, lang: str, command: tuple[str, ...]) -> Any:
        return json.loads(self.text(lang, command, "json"))


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    return Sweep(tmp_path_factory.mktemp("cache"))


# --- what may stay English ----------------------------------------------------------------------

SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def _allowed(value: Any, key: str = "", english: bool = False) -> Iterator[str]:
    """Every string in a Spanish JSON output that may be English: names of things (and the name a
    search hit matched in), and the values of the fields its entry lists as untranslated (shown
    under a label marked as English)."""
    if isinstance(value, dict):
        # A search hit matched in a name (any language's) shows that name: "Otros nombres: ...".
        if key == "matched" and value.get("field") in ("id", "name", "aliases"):
            yield str(value.get("text"))
        untranslated = set(value.get("untranslated") or ())
        for name, item in value.items():
            yield from _allowed(item, name, english or name in untranslated)
    elif isinstance(value, list):
        for item in value:
            yield from _allowed(item, key, english)
    elif isinstance(value, str) and (english or key in NAME_KEYS):
        yield value


def _spaced(text: str) -> str:
    return " ".join(text.split())


# Where a rendered line divides into the pieces of text it shows: table columns (two spaces or
# more), Markdown table cells and line breaks, CSV list items.
PIECES = re.compile(r"\s{2,}|\s*\|\s*|<br>|; ")
BULLET = re.compile(r"^(?:[•!*\-]|\d+\.)\s+")


def _untranslated(value: Any) -> set[str]:
    """Every field any entry of a JSON output lists as shown in English."""
    if isinstance(value, dict):
        return set(value.get("untranslated") or ()).union(*map(_untranslated, value.values()))
    if isinstance(value, list):
        return set().union(*map(_untranslated, value))
    return set()


# CSV columns that hold names of things or addresses (CSV's header is JSON's keys), and the columns
# of clinician detail that stays English (a CSV cell has no label to mark; its column says which).
CSV_NAMES = NAME_KEYS | {"sources", "matched_field"} | set(ENGLISH_ONLY)


def _visible(text: str, fmt: str, data: Any = None) -> str:
    """What a reader sees: HTML without its tags and entities, Markdown without its escapes, CSV
    without its header row (JSON keys, which never change with the language), the columns of names
    and of fields shown in English, and the ids and codes CSV gives as JSON does."""
    if fmt == "html":
        text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.DOTALL)
        return html.unescape(re.sub(r"<[^>]+>", "\n", text))
    if fmt == "markdown":
        return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", text)
    if fmt == "csv":
        header, *rows = list(csv.reader(io.StringIO(text)))
        skipped = CSV_NAMES | _untranslated(data)
        cells = [
            "; ".join(item for item in cell.split("; ") if not SLUG.fullmatch(item))
            for row in rows
            for key, cell in zip(header, row, strict=True)
            if key not in skipped
        ]
        return "\n".join(cells)
    return text


def spanish_text(text: str, fmt: str, data: Any) -> str:
    """The rendered text with the parts that may be English taken out: each allowed string where it
    shows whole, and each piece of a wrapped line that is part of one (table cells wrap them)."""
    allowed = {value for value in _allowed(data) if len(value) > 2} | set(NAMES)
    visible = COMMAND.sub(" ", _visible(text, fmt, data))
    for value in sorted(allowed, key=len, reverse=True):
        visible = visible.replace(value, " ")
    blob = "\n".join(_spaced(value) for value in allowed)
    kept = []
    for line in visible.splitlines():
        pieces = []
        for piece in PIECES.split(line):
            words = _spaced(BULLET.sub("", piece.strip()))
            # A label before English text it introduces ("Evidencia (en inglés): ...") stays.
            label, colon, rest = words.partition(": ")
            if len(words) > 2 and words in blob:
                continue
            if colon and len(rest) > 2 and rest in blob:
                pieces.append(label)
                continue
            pieces.append(piece)
        kept.append("  ".join(pieces))
    return "\n".join(kept)


def _english_words(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        for word in WORD.findall(line):
            if word.casefold() in ENGLISH_WORDS:
                found.append(f"{word!r} in {line.strip()[:140]!r}")
    return found


def english_messages() -> re.Pattern[str]:
    """The English interface messages: the literal parts (between placeholders) of each msgid
    whose Spanish differs and does not contain it, of two words or more or one of five letters."""
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    pieces = set()
    for message in catalogue:
        if not message.id:
            continue
        # An untranslated message (no Spanish) shows in English: its words are looked for too.
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string or "",)
        spanish = " ".join(strings).casefold()
        for msgid in ids:
            for piece in re.split(r"\{[^}]*\}|%\([^)]*\)s|%s", msgid):
                piece = piece.strip(" :;,.()!?'\"\n")
                if "\n" in piece or len(piece) > 80 or piece.casefold() in spanish:
                    continue
                if len(piece.split()) >= 2 or len(piece) >= 5:
                    pieces.add(piece)
    alternatives = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


# --- the checks ---------------------------------------------------------------------------------


def _found_in(matched: dict[str, Any], entry: dict[str, Any]) -> bool:
    """Whether search found its words in a name (any language's), in a field shown in English, or in
    the entry's Spanish text (English output may show that too: the index holds both languages)."""
    field = matched.get("field")
    if field in ("id", "name", "aliases", *(entry.get("untranslated") or ())):
        return True
    text = str(matched.get("text"))
    value = json.dumps(entry.get(field), ensure_ascii=False)
    return text in value or text.partition(": ")[2] in value


def same_text(spanish: Any, english: Any, where: str = "", parent: dict[str, Any] | None = None) -> Iterator[str]:
    """Places where the Spanish JSON holds the English text unmarked."""
    if isinstance(spanish, dict) and isinstance(english, dict):
        marked = frozenset(spanish.get("untranslated") or ())
        if where.endswith(".matched") and _found_in(spanish, parent or {}):
            return
        for key, value in spanish.items():
            if key not in NAME_KEYS and key not in marked:
                yield from same_text(value, english.get(key), f"{where}.{key}", spanish)
    elif isinstance(spanish, list) and isinstance(english, list):
        by_id = {item.get("id"): item for item in english if isinstance(item, dict) and "id" in item}
        for index, value in enumerate(spanish):
            if isinstance(value, dict) and value.get("id") in by_id:
                other = by_id[value["id"]]
            else:
                other = english[index] if index < len(english) else None
            yield from same_text(value, other, f"{where}[{index}]")
    elif (
        isinstance(spanish, str)
        and spanish == english
        and not SLUG.fullmatch(spanish)
        and len(WORD.findall(spanish)) >= 2
    ):
        yield f"{where}: {spanish[:100]!r}"


# The Spanish labels and headings of the clinician detail that stays English (schema.ENGLISH_ONLY),
# where they stand as a label: followed by a colon, a column gap, a cell border or the line's end.
# Where that English text shows, each must say "(en inglés)".
LABELS = {"evidence": "Evidencia|Lo que dice la evidencia", "icd10": "ICD-10-CM"}
LABEL_END = r"(?=:|\s{2}|[ \t]*$|\s*\||\*\*)"


def _values(value: Any, key: str) -> Iterator[str]:
    """The texts under `key` anywhere in a JSON output (for icd10, the codes' descriptions)."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key:
                yield from (i["description"] for i in item) if key == "icd10" else [str(item)]
            else:
                yield from _values(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item, key)


def unmarked(text: str, data: Any) -> Iterator[str]:
    """Labels of English clinician detail that do not say it is English, where that detail shows."""
    assert set(LABELS) == set(ENGLISH_ONLY)
    for field, labels in LABELS.items():
        if any(value[:40] in text for value in _values(data, field) if value):
            yield from (m.group() for m in re.finditer(rf"(?:{labels}){LABEL_END}", text, re.MULTILINE))


def findings(sweep: Sweep) -> dict[str, list[str]]:
    """Every English fragment the sweep finds, by check."""
    messages = english_messages()
    found: dict[str, set[str]] = {
        "json": set(),
        "messages": set(),
        "words": set(),
        "unmarked": set(),
        "fallback": set(),
    }
    for command in sweep.commands:
        data = json.loads(sweep.outputs[command, "json"])
        # The shipped Spanish is complete: only clinician detail falls back to English.
        found["fallback"] |= {f"{' '.join(command)}: {name}" for name in _untranslated(data) - set(ENGLISH_ONLY)}
        found["json"] |= {f"{' '.join(command)}: {place}" for place in same_text(data, sweep.english[command])}
        for fmt in FORMATS:
            if fmt == "json":
                continue
            where = f"{' '.join(command)} -f {fmt}"
            text = spanish_text(sweep.outputs[command, fmt], fmt, data)
            for match in messages.finditer(text):
                line = text[text.rfind("\n", 0, match.start()) + 1 : text.find("\n", match.end())]
                found["messages"].add(f"{where}: {match.group()!r} in {line.strip()[:140]!r}")
            found["words"] |= {f"{where}: {word}" for word in _english_words(text)}
            # Wherever clinician detail shows in English, its label or heading says so.
            if fmt != "csv":
                text = sweep.outputs[command, fmt]
                found["unmarked"] |= {f"{where}: {label!r}" for label in unmarked(_visible(text, fmt), data)}
    return {check: sorted(items) for check, items in found.items()}


@pytest.fixture(scope="module")
def found(sweep: Sweep) -> dict[str, list[str]]:
    return findings(sweep)


def test_the_sweep_covers_every_entry_command_and_format(sweep: Sweep) -> None:
    shown = {command[1] for command in sweep.commands if command[0] == "show"}
    assert shown == {i for ids in sweep.ids.values() for i in ids}
    assert {command[1] for command in sweep.commands if command[0] == "condition"} == set(sweep.ids["condition"])
    assert len(sweep.outputs) == len(sweep.commands) * len(FORMATS)


def _keys_and_langs(value: Any) -> tuple[Any, set[str]]:
    """The JSON's shape (its keys, nested; a list's items merged, as their order may differ by
    language) and its `lang` values."""
    if isinstance(value, dict):
        inner = {key: _keys_and_langs(item) for key, item in value.items()}
        langs = {value["lang"]} if isinstance(value.get("lang"), str) else set()
        return {key: shape for key, (shape, _) in inner.items()}, langs.union(*(found for _, found in inner.values()))
    if isinstance(value, list):
        parts = [_keys_and_langs(item) for item in value]
        return _merged([shape for shape, _ in parts]), set().union(*(found for _, found in parts))
    return None, set()


def _merged(shapes: list[Any]) -> Any:
    if not any(isinstance(shape, dict) for shape in shapes):
        return None
    keys = dict.fromkeys(key for shape in shapes if isinstance(shape, dict) for key in shape)
    return {key: _merged([shape[key] for shape in shapes if isinstance(shape, dict) and key in shape]) for key in keys}


def test_json_keys_never_change_with_the_language_and_values_say_theirs(sweep: Sweep) -> None:
    # Every command's JSON, entries, decisions, guide topics and the checklist alike, carries a
    # `lang` saying the language of its text; its keys are the English run's.
    for command in sweep.commands:
        spanish_shape, spanish_langs = _keys_and_langs(json.loads(sweep.outputs[command, "json"]))
        english_shape, english_langs = _keys_and_langs(sweep.english[command])
        assert spanish_shape == english_shape, command  # as dicts: the keys' order may differ
        assert (spanish_langs, english_langs) == ({"es"}, {"en"}), command


@pytest.mark.parametrize(
    ("check", "what"),
    [
        ("json", "JSON texts identical to the English and not listed as untranslated"),
        ("messages", "English interface messages"),
        ("words", "English words outside names and marked clinician detail"),
        ("unmarked", "labels of English clinician detail not marked as English"),
        ("fallback", "patient-facing fields shown in English for want of a translation"),
    ],
)
def test_no_english_in_spanish_output(found: dict[str, list[str]], check: str, what: str) -> None:
    assert not found[check], f"{len(found[check])} {what}:\n" + "\n".join(found[check][:60])


# --- errors: the system's and PyYAML's words inside a Spanish sentence -----------------------------

MALFORMED = {
    "token.yaml": ("procedures:\n  - id: x\n    name: @bad\n", "hay un carácter que no puede empezar ningún elemento"),
    "unclosed.yaml": ("procedures: [\n", "no se encontró el valor esperado"),
    "tab.yaml": ("procedures:\n  - id: x\n\tname: y\n", "hay un tabulador que rompe la sangría (use espacios)"),
    "colon.yaml": ("procedures: a: b\n", "aquí no se permite un valor con ':'"),
    "bracket.yaml": ("procedures: [a, b\n", "no se encontró la ',' o el ']' esperado"),
    "brace.yaml": ("procedures: {a: b\n", "no se encontró la ',' o la '}' esperada"),
}


@pytest.mark.parametrize("command", [("list",), ("validate",)])
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_is_explained_in_spanish(run, write, command, name):
    text, expected = MALFORMED[name]
    path = write(name, text)
    args = (
        ("--lang", "es", "--catalog", str(path), *command)
        if command == ("list",)
        else ("--lang", "es", *command, str(path))
    )
    result = run(*args)
    assert result.exit_code == 1
    message = result.stderr if command == ("list",) else result.stdout + result.stderr
    assert expected in message
    assert not _english_words(message.replace(str(path), "")), message


def test_english_keeps_pyyamls_own_words(run, write):
    path = write("token.yaml", MALFORMED["token.yaml"][0])
    result = run("--catalog", str(path), "list")
    assert "invalid YAML: found character that cannot start any token" in result.stderr


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("missing.yaml", "no existe"),
        ("file.yaml/inside.yaml", "no es una carpeta"),
    ],
)
def test_a_file_that_cannot_be_opened_is_explained_in_spanish(run, write, where, expected):
    write("file.yaml", "procedures: []\n")
    path = write("x", "").parent / where
    for args in (("--catalog", str(path), "list"), ("validate", str(path))):
        result = run("--lang", "es", *args)
        assert result.exit_code == 1
        message = (result.stdout + result.stderr).replace(str(path), "")
        assert expected in message
        assert not _english_words(message), message


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permiso denegado"),
        (OSError(errno.EIO, "Input/output error"), "error de entrada/salida"),
        (OSError(errno.ELOOP, "Too many levels of symbolic links"), "demasiados niveles de enlaces simbólicos"),
    ],
)
def test_a_file_that_cannot_be_read_is_explained_in_spanish(run, write, monkeypatch, error, expected):
    """Tests may run as root, who reads any file: the refusal is simulated where painref opens it."""
    import os

    from painref import catalogue

    path = write("unreadable.yaml", "procedures: []\n")
    real_open = os.open

    def refusing(name, *args, **kwargs):
        if str(name) == str(path):
            raise error
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(catalogue.os, "open", refusing)
    result = run("--lang", "es", "--catalog", str(path), "list")
    assert result.exit_code == 1
    message = result.stderr.replace(str(path), "")
    assert expected in message
    assert not _english_words(message), message


def test_the_systems_and_pyyamls_words_are_translated_or_kept():
    from painref import i18n

    i18n.set_language("es")
    try:
        assert i18n.os_reason(OSError(errno.ENOENT, "No such file or directory")) == "no existe ese archivo o carpeta"
        assert i18n.os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"
        assert i18n.os_reason(OSError("no errno at all")) == "no errno at all"
        assert i18n.yaml_problem("found unknown escape character 'q'") == "hay un carácter de escape desconocido 'q'"
        assert i18n.yaml_problem("a problem PyYAML may add one day") == "a problem PyYAML may add one day"
    finally:
        i18n.set_language(i18n.ENGLISH)
    assert i18n.os_reason(OSError(errno.ENOENT, "No such file or directory")) == "No such file or directory"
    assert i18n.yaml_problem("found unexpected end of stream") == "found unexpected end of stream"


# --- help --------------------------------------------------------------------------------------

# What help shows that is typed as it is in every language: option and command names, and the
# values a choice takes ("[procedures|conditions|...]", "<table|json|...>").
TYPED = re.compile(r"--?[a-z][a-z-]*|[\[<{][a-z0-9,. -]*\|[a-z0-9|,. -]+[\]>}]|painref(?: [a-z]+)*")
HELPED = (
    "list",
    "show",
    "search",
    "compare",
    "condition",
    "decide",
    "guide",
    "checklist",
    "validate",
    "info",
    "schema",
)


@pytest.mark.parametrize("command", ["", *HELPED])
def test_help_is_in_spanish(run, command):
    result = run("--lang", "es", *filter(None, [command]), "--help")
    assert result.exit_code == 0
    text = result.stdout
    if not command:  # the list of commands names each one first
        text = re.sub(rf"^  (?:{'|'.join(HELPED)})\b", " ", text, flags=re.MULTILINE)
    topics = [topic["id"] for topic in json.loads(run("guide", "-f", "json").stdout)]  # typed as they are
    text = TYPED.sub(" ", re.sub("|".join(map(re.escape, topics)), " ", text))
    # The kinds an option takes are typed as they are, then said in Spanish: "procedure (procedimiento)".
    text = re.sub(r"\b(?:procedures?|conditions?|treatments?)\b(?=\s+\()|\[predeterminado: [^\]]*\]", " ", text)
    assert not _english_words(text), _english_words(text)
    assert not [text[m.start() - 30 : m.end() + 30] for m in english_messages().finditer(text)]


# --- errors about names, filters and answers ---------------------------------------------------------

ERRORS = (
    ("show", "xyzzy"),
    ("show", "bloqueo"),  # ambiguous: the candidates are listed by their Spanish names
    ("show", "block"),  # "did you mean"
    ("condition", "epidural"),
    ("search", "zzzqqq"),
    ("list", "--region", "codo"),
    ("decide", "sciatica", "--answers", "3,2,9"),
    ("guide", "nada"),
    ("compare", "epidural"),
    ("checklist",),
)


@pytest.mark.parametrize("command", ERRORS, ids=" ".join)
def test_errors_are_in_spanish(run, command):
    result = run("--lang", "es", *command)
    assert result.exit_code in (1, 2)
    # What the user typed, ids in parentheses and the codes a choice takes are typed as they are.
    text = re.sub(r"\b[a-z]+ (?=\()", " ", result.stderr)  # "knee (rodilla)": a code before its Spanish name
    text = re.sub(r"'[^']*'|\([a-z0-9-]+\)|\b[a-z]+(?:-[a-z]+)+\b|--?[a-z-]+", " ", text)
    assert not _english_words(text), result.stderr
    assert not [m.group() for m in english_messages().finditer(text)], result.stderr
