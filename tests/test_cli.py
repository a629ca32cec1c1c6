"""Every command and format through Typer's CliRunner: output, JSON shapes, errors, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

import ptys
from painref import __version__
from painref.cli import app

FORMATS = ("table", "json", "csv", "markdown")
DATA_COMMANDS = (
    ("list",),
    ("list", "all"),
    ("list", "conditions"),
    ("list", "treatments"),
    ("show", "rfa"),
    ("search", "slipped", "disc"),
    ("compare", "epidural", "rfa"),
    ("condition", "sciatica"),
    ("guide",),
    ("guide", "procedure-day"),
    ("checklist", "--answers", "y,y,n,y,y,y"),
)


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_data_command_works_in_every_format(run, args, fmt):
    result = run(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    assert "\x1b[" not in result.stdout
    if fmt == "json":
        json.loads(result.stdout)
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
        assert len(rows) >= 2
        assert len({len(row) for row in rows}) == 1, "every CSV row has the header's width"
    elif fmt == "markdown":
        assert result.stdout.startswith(("#", "|", "**"))


def test_the_first_examples_work_exactly_as_written(run):
    listing = run("list")
    assert listing.exit_code == 0
    assert "Epidural steroid" in listing.stdout
    compared = run("compare", "epidural", "rfa")
    assert compared.exit_code == 0
    assert "Epidural steroid injection" in compared.stdout
    assert "Radiofrequency ablation" in compared.stdout
    sciatica = run("condition", "sciatica")
    assert sciatica.exit_code == 0
    assert "Sciatica" in sciatica.stdout
    assert "M54.3" in sciatica.stdout


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("epidural", "epidural-steroid-injection"),
        ("nerve block", "nerve-block"),
        ("radiculopathy", "radiculopathy"),
        ("headache", "headache"),
        ("joint injection", "joint-injection"),
        ("RFA", "radiofrequency-ablation"),
        ("ESI", "epidural-steroid-injection"),
        ("SCS", "spinal-cord-stimulation"),
        ("TPI", "trigger-point-injection"),
        ("SGB", "stellate-ganglion-block"),
        ("MBB", "medial-branch-block"),
        ("slipped disc", "herniated-disc"),
        ("pinched nerve", "radiculopathy"),
        ("Stellate-Ganglion Block", "stellate-ganglion-block"),
    ],
)
def test_general_terms_and_abbreviations_resolve_to_one_entry(run_json, term, expected):
    assert run_json("show", term)["id"] == expected


def test_show_json_is_one_entry_with_kind_id_name(run_json):
    entry = run_json("show", "radiofrequency-ablation")
    assert entry["kind"] == "procedure"
    assert entry["id"] == "radiofrequency-ablation"
    assert entry["name"] == "Radiofrequency ablation"
    for key in (
        "category",
        "how_it_works",
        "conditions",
        "regions",
        "image_guidance",
        "anesthesia",
        "setting",
        "procedure_time",
        "recovery",
        "relief_onset",
        "relief_duration",
        "purpose",
        "variants",
        "risks",
        "sources",
        "aliases",
        "summary",
    ):
        assert key in entry
    assert all(source["url"].startswith("https://") for source in entry["sources"])


def test_list_json_is_an_array_of_procedures_by_default(run_json):
    entries = run_json("list")
    assert isinstance(entries, list)
    assert entries
    assert {e["kind"] for e in entries} == {"procedure"}
    assert all({"kind", "id", "name"} <= e.keys() for e in entries)


def test_list_all_holds_every_kind(run_json):
    kinds = {e["kind"] for e in run_json("list", "all")}
    assert kinds == {"procedure", "condition", "treatment"}


@pytest.mark.parametrize("kind", ["conditions", "condition", "cond"])
def test_list_kind_accepts_singular_and_prefix(run_json, kind):
    assert {e["kind"] for e in run_json("list", kind)} == {"condition"}


def test_list_filters_by_region_category_and_condition(run_json):
    knee = run_json("list", "--region", "knee")
    assert "knee-joint-injection" in {e["id"] for e in knee}
    assert all("knee" in e["regions"] for e in knee)
    blocks = run_json("list", "--category", "nerve-block")
    assert blocks
    assert {e["category"] for e in blocks} == {"nerve-block"}
    for_sciatica = {e["id"] for e in run_json("list", "--condition", "sciatica")}
    assert "epidural-steroid-injection" in for_sciatica
    assert "knee-joint-injection" not in for_sciatica


def test_list_filter_matching_nothing_exits_1(run):
    result = run("list", "--region", "foot", "--category", "spine-procedure")
    assert result.exit_code == 1
    assert "no procedures match" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("list", "gadgets"),
        ("list", "--region", "elbow-of-the-moon"),
        ("list", "--category", "surgery"),
        ("search", "x", "--kind", "gizmo"),
    ],
)
def test_bad_filter_values_are_usage_errors(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_search_json_is_ranked_with_scores(run_json):
    hits = run_json("search", "slipped", "disc")
    assert hits[0]["id"] == "herniated-disc"
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all({"kind", "id", "name", "score"} <= hit.keys() for hit in hits)


def test_search_kind_and_limit(run_json):
    hits = run_json("search", "injection", "--kind", "procedure", "--limit", "3")
    assert len(hits) == 3
    assert {hit["kind"] for hit in hits} == {"procedure"}


def test_search_with_no_result_exits_1_with_a_hint(run):
    result = run("search", "zzzqqqxxx")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nothing matches 'zzzqqqxxx'" in result.stderr


def test_compare_json_is_an_array_across_kinds(run_json):
    entries = run_json("compare", "epidural", "physical therapy", "nsaids")
    assert [e["kind"] for e in entries] == ["procedure", "treatment", "treatment"]


def test_compare_table_has_attributes_as_rows_and_entries_as_columns(run):
    result = run("compare", "rfa", "ibuprofen")
    assert result.exit_code == 0
    header = " ".join(result.stdout.splitlines()[:3])
    assert "Radiofrequency ablation" in header
    assert "Nonsteroidal anti-inflammatory drugs" in header
    assert "Relief lasts" in result.stdout
    assert "Risks" in result.stdout


def test_compare_needs_two_different_entries(run):
    assert run("compare", "rfa").exit_code == 2
    same = run("compare", "rfa", "radiofrequency ablation")
    assert same.exit_code == 2
    assert "give two different entries" in same.stderr


def test_condition_json_has_treatments_and_procedures_least_invasive_first(run_json):
    answer = run_json("condition", "sciatica")
    assert answer["kind"] == "condition"
    assert answer["id"] == "sciatica"
    assert answer["treatments"]
    assert answer["procedures"]
    assert all({"kind", "id", "name"} <= item.keys() for item in answer["treatments"] + answer["procedures"])
    assert {item["kind"] for item in answer["treatments"]} == {"treatment"}
    levels = [item["invasiveness"] for item in answer["procedures"]]
    assert levels == sorted(levels)


def test_condition_table_shows_codes_then_options_by_line_with_flagged_ones_last(run):
    out = run("condition", "sciatica").stdout
    order = [
        out.index(heading)
        for heading in (
            "ICD-10-CM",
            "Watchful waiting and self-care",
            "Usually tried first",
            "Specialist procedures",
            "Guidelines advise against these",
        )
    ]
    assert order == sorted(order)
    first = out[out.index("Usually tried first") : out.index("Specialist procedures")]
    assert "Gabapentinoids" not in first, "NICE advises against them for sciatica"
    assert "Facts checked" in out


def test_condition_rejects_a_procedure_name_helpfully(run):
    result = run("condition", "rfa")
    assert result.exit_code == 1
    assert "is the procedure 'Radiofrequency ablation', not a condition" in result.stderr


def test_unknown_name_suggests_the_closest(run):
    result = run("show", "zzz radiofrequency zzz")
    assert result.exit_code == 1
    assert "did you mean" in result.stderr
    assert "Radiofrequency ablation" in result.stderr
    assert result.stdout == ""


def test_typo_resolves_with_a_note_on_stderr(run):
    result = run("show", "sciatca", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "sciatica"
    assert "showing 'Sciatica'" in result.stderr


def test_ambiguous_prefix_lists_candidates(run):
    result = run("show", "sacroiliac")
    assert result.exit_code == 1
    assert "could mean 3 entries" in result.stderr
    assert "sacroiliac-joint-injection" in result.stderr
    assert "sacroiliac-radiofrequency-ablation" in result.stderr
    assert "sacroiliac-joint-dysfunction" in result.stderr


def test_guide_topics_and_aliases(run, run_json):
    topics = {t["id"] for t in run_json("guide")}
    assert {"consultation", "planning", "procedure-day", "follow-up", "benefits", "limitations"} <= topics
    assert run_json("guide", "limits")["id"] == "limitations"
    unknown = run("guide", "astrology")
    assert unknown.exit_code == 1
    assert "no guide topic named 'astrology'" in unknown.stderr


def test_checklist_with_answers(run_json):
    answer = run_json("checklist", "--answers", "y,y,y,n,n,n")
    assert len(answer["questions"]) == 6
    assert answer["yes"] == 3
    assert [q["answer"] for q in answer["questions"]] == ["yes", "yes", "yes", "no", "no", "no"]


@pytest.mark.parametrize("answers", ["y,n", "y,y,y,y,y,y,y", "y,n,maybe,y,y,y"])
def test_checklist_rejects_wrong_answers(run, answers):
    result = run("checklist", "--answers", answers)
    assert result.exit_code == 2
    assert "answer" in result.stderr


def test_checklist_without_a_terminal_or_answers_says_so(run):
    result = run("checklist", input="")
    assert result.exit_code == 2
    assert "--answers" in result.stderr


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"painref {__version__}"


def test_every_command_has_help_with_an_example(run):
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    assert {"list", "show", "search", "compare", "condition", "validate", "guide", "checklist"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


def test_no_arguments_shows_help(run):
    result = run()
    assert "Usage" in result.stdout + result.stderr
    assert "compare" in result.stdout + result.stderr


def test_missing_argument_is_a_usage_error(run):
    result = run("show")
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_an_unexpected_error_is_one_sentence_not_a_traceback(run, monkeypatch):
    from painref import views

    def explode(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(views, "show", explode)
    result = run("show", "rfa")
    assert result.exit_code == 1
    assert "unexpected error (ValueError: boom)" in result.stderr
    assert "Traceback" not in result.stderr


def test_urgent_symptoms_are_shown_apart_as_warning_signs(run, write):
    out = run("condition", "sciatica").stdout
    symptoms, warnings = out.index("Symptoms"), out.index("Warning signs")
    assert symptoms < warnings
    assert "Urgent: numbness around the genitals" in out[warnings:]
    assert "genitals" not in out[symptoms:warnings]
    # An overlay that still lists an urgent sign among the symptoms gets it shown apart too.
    legacy = write("legacy.yaml", "conditions:\n  - id: sciatica\n    symptoms: [Leg pain, 'Urgent: both legs weak']\n")
    out = run("--catalog", str(legacy), "condition", "sciatica").stdout
    symptoms, warnings = out.index("Symptoms"), out.index("Warning signs")
    assert "both legs weak" in out[warnings:]
    assert "both legs weak" not in out[symptoms:warnings]


def test_guide_paragraphs_reflow_instead_of_keeping_yaml_line_breaks():
    from painref import compiler, views

    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    for section in loaded.guide:
        paragraphs = [b for b in views.guide_section(section).blocks if isinstance(b, views.Paragraph)]
        assert paragraphs
        assert all("\n" not in p.text for p in paragraphs), section.id


@pytest.mark.parametrize("args", [["--help"], *([name, "--help"] for name in ("list", "show", "search", "decide"))])
def test_the_lazy_command_group_is_the_group_typer_builds(args, monkeypatch):
    """main() builds only the command it runs; what it offers must be exactly Typer's whole group."""
    import typer.testing

    from painref import cli

    whole = typer.testing.CliRunner().invoke(app, args, prog_name="painref")
    lazy = cli.command_group()
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: lazy)
    result = typer.testing.CliRunner().invoke(app, args, prog_name="painref")
    assert result.output == whole.output
    assert result.exit_code == whole.exit_code == 0
    assert list(lazy.commands) == [c.name for c in typer.main.get_command(app).commands.values()]  # type: ignore[attr-defined]


def test_the_lazy_command_group_builds_only_the_command_run(monkeypatch):
    import typer.testing

    from painref import cli

    lazy = cli.command_group()
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: lazy)
    result = typer.testing.CliRunner().invoke(app, ["show", "rfa", "-f", "json"], prog_name="painref")
    assert result.exit_code == 0, result.output
    assert list(lazy.commands.built) == ["show"]


# --- the interface in Spanish ------------------------------------------------------------------

# English words that are not also Spanish words: one of them outside quotes, option names and
# codes means a message was left in English.
_ENGLISH = re.compile(
    r"\b(the|is|are|must|not|and|with|for|this|that|which|named|matches|try|usage|options|commands"
    r"|arguments|help|missing|unknown|file|needs|should|cannot|of|in|to|or|an|at|by|was|please"
    r"|answer|warning|invalid|such|got|extra|requires|value|range)\b",
    re.IGNORECASE,
)
# What may stay as it is in any language: quoted names, options, paths, codes and ids.
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"|--?[\w-]+|\S*[/\\_]\S*|\b\w+(?:-\w+)+\b|<[^>]*>|\[[^\]]*\]|\{[^}]*\}")


def english_left(text: str) -> list[str]:
    """English words in a Spanish output, once quoted names, options, paths and codes are set aside."""
    return sorted({word.casefold() for word in _ENGLISH.findall(_LITERAL.sub(" ", text))})


def test_the_english_detector_finds_english_and_spares_literals():
    assert english_left("painref: no entry named 'the thing'; try 'painref list all'") == ["named", "try"]
    assert english_left("painref: ninguna entrada se llama 'the thing'; pruebe 'painref list --all'") == []


# (arguments, env): every way of choosing Spanish, on help, errors, usage errors and problems.
SPANISH_CASES = [
    (("--lang", "es", "--help"), {}),
    (("--lang=es", "list", "--help"), {}),
    (("search", "--help"), {"PAINREF_LANG": "es"}),
    (("validate", "--help"), {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "es_ES.UTF-8"}),
    (("--lang", "es", "show", "xyzzy"), {}),
    (("show", "radiofrequncy ablaton"), {"PAINREF_LANG": "es"}),
    (("list", "--category", "nonsense"), {"LANG": "es_MX.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}),
    (("--lang", "es", "list", "sideways"), {}),
    (("--lang", "es", "search", "zzzzqqq"), {}),
    (("--lang", "es", "compare", "epidural"), {}),
    (("--lang", "es", "compare", "epidural", "esi"), {}),
    (("--lang", "es", "checklist", "--answers", "y,maybe"), {}),
    (("--lang", "es", "checklist", "--answers", "y,n"), {}),
    (("--lang", "es", "checklist"), {}),
    (("--lang", "es", "decide", "sciatica"), {}),
    (("--lang", "es", "decide", "sciatica", "--answers", "3,2"), {}),
    (("--lang", "es", "guide", "nowhere"), {}),
    (("--lang", "es", "search", "pain", "--limit", "abc"), {}),
    (("--lang", "es", "list", "a", "b"), {}),
    (("--lang", "es", "--catalog", "/nonexistent/clinic.yaml", "list"), {}),
    (("--lang", "es", "validate", "tests/data/broken-overlay.yaml"), {}),
    (("validate", "tests/data/broken-overlay.yaml"), {"PAINREF_LANG": "es", "PAINREF_STALE_AFTER": "0"}),
    (("--lang", "es", "show", "rfa"), {"PAINREF_TODAY": "someday"}),
    (("--lang", "es", "info"), {}),
]


@pytest.mark.parametrize(
    ("args", "env"), SPANISH_CASES, ids=lambda value: " ".join(value) if isinstance(value, tuple) else ""
)
def test_every_message_is_spanish_however_spanish_is_chosen(run, monkeypatch, args, env):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = run(*args, env=env)
    said = result.stdout if "--help" in args or "info" in args else result.stderr
    assert said.strip(), result.output
    assert english_left(said) == [], said


@pytest.mark.parametrize(
    ("args", "env"), SPANISH_CASES, ids=lambda value: " ".join(value) if isinstance(value, tuple) else ""
)
def test_exit_codes_do_not_change_with_the_language(run, monkeypatch, args, env):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    spanish = run(*args, env=env)
    choosing = ("PAINREF_LANG", "LANG", "LC_ALL", "LC_MESSAGES")
    english_env = {**dict.fromkeys(choosing), **{k: v for k, v in env.items() if k not in choosing}}
    english = run(*(a for a in args if a not in ("--lang", "es", "--lang=es")), env=english_env)
    assert spanish.exit_code == english.exit_code
    said = english.stdout if "--help" in args or "info" in args else english.stderr
    assert english_left(said), "the same command without Spanish speaks English"


def test_json_keys_and_validate_counts_do_not_change_with_the_language(run, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)

    def keys(value):
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items()}
        if isinstance(value, list):
            return [keys(v) for v in value[:1]]
        return type(value).__name__

    for args in (("validate", "tests/data/broken-overlay.yaml", "-f", "json"), ("info", "-f", "json")):
        english, spanish = run(*args), run("--lang", "es", *args)
        assert english.exit_code == spanish.exit_code
        assert keys(json.loads(english.stdout)) == keys(json.loads(spanish.stdout))
    english = json.loads(run("validate", "tests/data/broken-overlay.yaml", "-f", "json").stdout)
    spanish = json.loads(run("--lang", "es", "validate", "tests/data/broken-overlay.yaml", "-f", "json").stdout)
    assert [(p["line"], p["column"], p["severity"]) for p in english["problems"]] == [
        (p["line"], p["column"], p["severity"]) for p in spanish["problems"]
    ]
    assert [p["message"] for p in english["problems"]] != [p["message"] for p in spanish["problems"]]


def test_an_unknown_language_and_english_leave_the_interface_english(run):
    for args, env in ((("--lang", "fr", "show", "xyzzy"), {"LANG": "es_ES.UTF-8"}), (("show", "xyzzy"), {})):
        result = run(*args, env=env)
        assert result.stderr == "painref: no entry named 'xyzzy' and nothing matches it; try 'painref list all'\n"


PAINREF = shutil.which("painref") or ""


def _on_terminal(argv: list[str], env: dict[str, str], prompt: bytes, replies: list[bytes]) -> bytes:
    """Run painref on a pseudo-terminal, giving the next reply each time `prompt` appears."""
    deadline = time.monotonic() + ptys.DEADLINE_SECONDS
    pid, fd = ptys.spawn([PAINREF, *argv], env, columns=100)
    answered = 0

    def answer(output: bytes) -> None:
        nonlocal answered
        if output.count(prompt) > answered and answered < len(replies):
            os.write(fd, replies[answered])
            answered += 1

    try:
        output = ptys.read_until(fd, deadline=deadline, on_output=answer)
        assert ptys.wait(pid, deadline=deadline) == 0, output[-500:]
    finally:
        os.close(fd)
    return output


def _plain_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PAINREF_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    return {**env, "NO_COLOR": "1", "PAINREF_NO_CACHE": "1", "PAINREF_PAGER": "", "TERM": "dumb", **extra}


@pytest.mark.skipif(not PAINREF or sys.platform == "win32", reason="needs the console script on POSIX")
def test_the_checklist_asks_in_spanish_on_a_terminal_when_the_locale_is_spanish():
    """LANG=es_ES.UTF-8 alone: questions, the [s/n] prompt, a re-ask in Spanish, and 's' for yes."""
    replies = [b"quiza\n", b"s\n", b"n\n", b"si\n", b"s\n", b"no\n", b"s\n"]
    output = _on_terminal(["checklist"], _plain_env(LANG="es_ES.UTF-8"), b"[s/n]", replies).decode()
    assert output.count("[s/n]:") == 7  # six questions, one asked twice (the echo may come before the space)
    assert "Responda s (sí) o n (no), por favor." in output
    assert "1/6. ¿Ha probado tratamientos sin cirugía ni procedimientos" in output
    assert "[y/n]" not in output
    shown = output[output.index("6/6.") :]
    assert english_left(shown) == [], shown


@pytest.mark.skipif(not PAINREF or sys.platform == "win32", reason="needs the console script on POSIX")
def test_decide_asks_in_spanish_on_a_terminal_with_painref_lang():
    replies = [b"3\n", b"7\n", b"2\n", b"3\n", b"2\n", b"1\n", b"2\n"]
    output = _on_terminal(["decide", "sciatica"], _plain_env(PAINREF_LANG="es"), b"[1/2/3]", replies).decode()
    assert output.startswith("¿Cuánto le importa cada una de estas cosas? 1 = no es importante, 2 = algo, 3 = mucho.")
    assert "Responda 1, 2 o 3, por favor." in output
    assert "1/6. ¿Qué tan importante es para usted sentir alivio pronto? [1/2/3]:" in output
    questions = [line for line in output.splitlines() if "[1/2/3]" in line]
    assert len(questions) >= 6
    assert [line for line in questions if english_left(line)] == []


def test_a_guess_quotes_a_long_name_cut_short(run):
    # One line on stderr, not the 36,000 characters typed.
    name = ",".join(["nerve block"] * 3000)
    result = run("show", name, "-f", "json")
    assert result.exit_code == 0
    assert (
        result.stderr == "painref: no exact match for 'nerve block,nerve block,nerve block,nerve block,nerve blo...';"
        " showing 'Nerve block'\n"
    )
