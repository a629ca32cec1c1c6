"""A clinic's own catalogue: overlays that extend, the config folder, info, validate for CI,
the JSON Schema, the pre-commit hook, handouts, colour and the pager."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import ptys
from overlays import NEW_PROCEDURE
from painref import catalogue, compiler, yamlio
from painref.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
PAINREF = shutil.which("painref") or ""

EXTEND_ESI = """\
procedures:
  - id: epidural-steroid-injection
    aliases+: [clinic epidural, ESI]
    preparation+:
      - "Our clinic: a nurse phones you two days before"
    summary: Our clinic's epidural.
"""


# --- overlays -------------------------------------------------------------------------------


def test_a_plus_key_extends_a_list_and_a_plain_key_replaces(write):
    loaded = compiler.load([write("clinic.yaml", EXTEND_ESI)], env={"PAINREF_NO_CACHE": "1"})
    esi = loaded.get("epidural-steroid-injection")
    builtin = compiler.load([], env={"PAINREF_NO_CACHE": "1"}).get("epidural-steroid-injection")
    assert esi.summary == "Our clinic's epidural."
    assert esi.aliases == (*builtin.aliases, "clinic epidural"), "appended once; ESI was already there"
    assert esi.texts("preparation")[: len(builtin.texts("preparation"))] == builtin.texts("preparation")
    assert esi.texts("preparation")[-1].startswith("Our clinic")
    assert esi.texts("risks") == builtin.texts("risks"), "keys the overlay does not name stay as they were"


def test_a_plus_key_on_a_non_list_is_an_error_with_its_line(run, write):
    path = write("bad.yaml", "procedures:\n  - id: epidural-steroid-injection\n    summary+: more\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:3:\d+: 'summary\+' extends a list", result.stderr), result.stderr


def test_the_config_folder_is_loaded_in_name_order(run, run_json, tmp_path):
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "painref" / "catalog.d"
    folder.mkdir(parents=True)
    (folder / "20-later.yaml").write_text(
        "procedures:\n  - id: radiofrequency-ablation\n    summary: From the later file.\n", encoding="utf-8"
    )
    (folder / "10-earlier.yaml").write_text(
        "procedures:\n  - id: radiofrequency-ablation\n    summary: From the earlier file.\n", encoding="utf-8"
    )
    (folder / "notes.txt").write_text("not a catalogue", encoding="utf-8")
    assert run_json("show", "rfa")["summary"] == "From the later file."
    info = run_json("info")
    assert [f["origin"] for f in info["files"]] == ["built-in", "config", "config"]
    assert [Path(f["path"]).name for f in info["files"][1:]] == ["10-earlier.yaml", "20-later.yaml"]


def test_info_lists_every_file_in_precedence_order(run, write, monkeypatch):
    from_env = write("env.yaml", "procedures: []\n")
    given = write("given.yaml", "procedures: []\n")
    monkeypatch.setenv("PAINREF_CATALOG", str(from_env))
    result = run("--catalog", str(given), "info")
    assert result.exit_code == 0, result.stderr
    order = [result.stdout.index(p) for p in ("procedures.yaml", "env.yaml", "given.yaml")]
    assert order == sorted(order)
    assert "PAINREF_CATALOG" in result.stdout
    assert "--catalog" in result.stdout
    assert re.search(r"38 procedures, 39 conditions, 31 treatments", result.stdout)


def test_info_on_an_invalid_catalogue_still_lists_the_files(run, write):
    result = run("--catalog", str(write("bad.yaml", "procedures: {}\n")), "info")
    assert result.exit_code == 1
    assert "bad.yaml" in result.stdout
    assert "Problem" in result.stdout
    assert result.stderr.startswith("painref: "), "one sentence on stderr, as every failing command says"
    assert result.stderr.count("\n") == 1


def test_info_on_a_path_too_long_to_look_up_still_reports(run):
    result = run("--catalog", "/tmp/" + "x" * 300, "info")
    assert result.exit_code == 1
    assert "unexpected error" not in result.output
    assert result.stderr.count("\n") == 1


# --- validate for CI --------------------------------------------------------------------------


def test_validate_json_lists_every_problem(run, write):
    path = write("bad.yaml", "procedures:\n  - id: Bad Id\n    colour: blue\n")
    result = run("validate", str(path), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["errors"] >= 2
    assert {p["line"] for p in report["problems"]} >= {2, 3}
    assert all(set(p) == {"path", "line", "column", "severity", "message"} for p in report["problems"])


def test_validate_json_ok(run):
    result = run("validate", "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["counts"]["procedures"] == 38


def test_stale_facts_are_warnings(run, write):
    path = write("old.yaml", "conditions:\n  - id: sciatica\n    last_checked: 2020-01-01\n")
    result = run("validate", str(path))
    assert result.exit_code == 0, "a warning alone does not fail"
    assert re.search(r"old\.yaml:3:\d+: warning: condition 'sciatica' was last checked on 2020-01-01", result.stderr)
    assert "1 warning" in result.stdout
    quiet = run("validate", str(path), "--stale-after", "100000")
    assert "warning" not in quiet.stderr


# --- the JSON Schema ------------------------------------------------------------------------------


def test_the_shipped_schema_is_the_generated_one():
    generated = json.loads(json.dumps(json_schema()))
    assert json.loads((ROOT / "data" / "catalog.schema.json").read_text(encoding="utf-8")) == generated
    assert json.loads(catalogue.schema_file().read_text(encoding="utf-8")) == generated


def test_the_builtin_file_carries_the_language_server_modeline():
    first = (ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=catalog.schema.json"


def _schema_errors(text: str) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    document = yamlio.parse(text, "sample.yaml")
    validator = jsonschema.Draft202012Validator(json_schema())
    return [error.message for error in validator.iter_errors(document)]


def test_the_schema_accepts_the_builtin_catalogue_and_valid_overlays():
    from overlays import NEW_PROCEDURE, PATCH_RFA

    assert _schema_errors((ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8")) == []
    for text in (NEW_PROCEDURE, PATCH_RFA, EXTEND_ESI):
        assert _schema_errors(text) == []


INVALID_SAMPLES = {
    "unknown key": "procedures:\n  - id: clinic-x\n    colour: blue\n",
    "unknown section": "widgets: []\n",
    "bad id": "procedures:\n  - id: Not A Slug\n",
    "bad choice": "procedures:\n  - id: radiofrequency-ablation\n    category: surgery\n",
    "out of range": "procedures:\n  - id: radiofrequency-ablation\n    invasiveness: 9\n",
    "bad date": "conditions:\n  - id: sciatica\n    last_checked: 27/11/2026\n",
    "http source": "conditions:\n  - id: sciatica\n    sources:\n      - {title: T, url: 'http://x.example'}\n",
    "bad icd shape": "conditions:\n  - id: sciatica\n    icd10:\n      - {code: M5416, description: X}\n",
    "list expected": "conditions:\n  - id: sciatica\n    symptoms: leg pain\n",
    "empty text": "conditions:\n  - id: sciatica\n    summary: '  '\n",
    "plus on text": "conditions:\n  - id: sciatica\n    summary+: more\n",
    "bad synonym": "synonyms:\n  shot: [injection]\n",
    "bad flag": "conditions:\n  - id: sciatica\n    icd10:\n      - {code: M54.30, description: X, category: maybe}\n",
}


@pytest.mark.parametrize("case", sorted(INVALID_SAMPLES))
def test_the_schema_and_the_validator_agree_on_invalid_files(run, write, case):
    text = INVALID_SAMPLES[case]
    assert _schema_errors(text), f"the schema accepts the {case} sample"
    result = run("validate", str(write("sample.yaml", text)))
    assert result.exit_code == 1, f"painref validate accepts the {case} sample"


def test_painref_schema_prints_the_schema(run):
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(json_schema()))


# --- the pre-commit hook --------------------------------------------------------------------------


@pytest.mark.skipif(not PAINREF or not shutil.which("git"), reason="needs the console script and git")
def test_the_pre_commit_hook_checks_a_catalogue_repository(tmp_path):
    from overlays import NEW_PROCEDURE

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "painref-validate")
    assert hook["types"] == ["yaml"]
    assert hook["pass_filenames"] is True
    repo = tmp_path / "clinic-catalogue"
    (repo / "catalog").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=60)
    (repo / "catalog" / "procedures.yaml").write_text(NEW_PROCEDURE, encoding="utf-8")
    broken = NEW_PROCEDURE.replace("invasiveness: 1", "invasiveness: 9")
    env = {k: v for k, v in os.environ.items() if k != "PAINREF_CATALOG"}

    def run_hook(files: list[str]) -> subprocess.CompletedProcess[str]:
        # As pre-commit runs it: the entry, the hook's args, then the staged files that match.
        entry = shlex.split(hook["entry"])
        argv = [PAINREF, *entry[1:], *hook.get("args", []), *files]
        return subprocess.run(argv, cwd=repo, capture_output=True, text=True, env=env, timeout=120, check=False)

    good = run_hook(["catalog/procedures.yaml"])
    assert good.returncode == 0, good.stderr
    (repo / "catalog" / "procedures.yaml").write_text(broken, encoding="utf-8")
    bad = run_hook(["catalog/procedures.yaml"])
    assert bad.returncode == 1
    assert re.search(r"^catalog/procedures\.yaml:\d+:\d+: 'invasiveness' must be between 1 and 5", bad.stderr, re.M)


# --- handouts -----------------------------------------------------------------------------------------

PROCEDURE_SECTIONS = [
    "## What it is",
    "## Why it is done",
    "## How to prepare",
    "## On the day",
    "## Afterwards",
    "## Relief to expect",
    "## Risks",
    "## When to call the clinic",
    "## When to seek urgent care",
    "## Questions to ask your doctor",
    "## Sources",
]


def test_a_procedure_handout_is_a_printable_patient_page(run):
    result = run("show", "epidural", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("# Epidural steroid injection\n")
    positions = [page.index(section) for section in PROCEDURE_SECTIONS]
    assert positions == sorted(positions), "sections in the order a patient reads them"
    assert "not medical advice" in page.splitlines()[-1]
    assert "Urgent:" not in page, "the section title says it; items lose their prefix"


def test_a_condition_handout(run):
    page = run("show", "sciatica", "-f", "markdown").stdout
    for section in ("## Common symptoms", "## Getting ready for your visit", "## Looking after yourself"):
        assert section in page
    assert "## When to seek urgent care" in page
    assert "bladder" in page.split("## When to seek urgent care")[1]


def test_the_html_handout_is_self_contained_and_escaped(run, write):
    hostile = "procedures:\n  - id: epidural-steroid-injection\n    summary: '<script>alert(1)</script> & [bold]x[/]'\n"
    result = run("--catalog", str(write("x.yaml", hostile)), "show", "esi", "-f", "html")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [bold]x[/]" in page
    assert not re.search(r"<(link|img|iframe)\b|src=|@import", page), "nothing is fetched"
    assert "<h2>How to prepare</h2>" in page


def test_other_commands_write_html_too(run):
    page = run("compare", "esi", "rfa", "-f", "html").stdout
    assert "<table>" in page
    assert page.rstrip().endswith("</html>")


# --- colour and the pager -------------------------------------------------------------------------


def test_color_always_and_never(run):
    always = run("--color", "always", "show", "rfa")
    assert "\x1b[" in always.stdout
    never = run("--color", "never", "show", "rfa", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in never.stdout


def _pty_run(argv: list[str], env: dict[str, str], rows: int = 20) -> bytes:
    output, code = ptys.run(argv, env, rows=rows)
    assert code == 0, output
    return output


@pytest.mark.skipif(not PAINREF or sys.platform == "win32", reason="needs the console script on POSIX")
def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path):
    marker = tmp_path / "paged.txt"
    pager = tmp_path / "pager.py"
    pager.write_text(f"import sys\nopen({str(marker)!r}, 'w').write(sys.stdin.read())\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(PAINREF_PAGER=f"{sys.executable} {pager}", TERM="xterm")
    _pty_run([PAINREF, "show", "esi"], env)
    assert "Epidural steroid injection" in marker.read_text(encoding="utf-8")
    marker.unlink()
    shown = _pty_run([PAINREF, "show", "esi", "--no-pager"], env)
    assert not marker.exists()
    assert b"Epidural steroid injection" in shown
    _pty_run([PAINREF, "--no-pager", "list"], env)
    assert not marker.exists()


@pytest.mark.skipif(not PAINREF or sys.platform == "win32", reason="needs the console script on POSIX")
@pytest.mark.parametrize("pager", ["false", "head -c 10"])
def test_quitting_the_pager_early_is_no_failure(tmp_path, pager):
    # A reader who quits before the end (or a pager that reads nothing) leaves painref a broken
    # pipe: it ended by SIGPIPE (status 141) before; it is a normal end, as with git or man.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(PAINREF_PAGER=pager, TERM="xterm", PAINREF_CACHE_DIR=str(tmp_path / "cache"))
    body = NEW_PROCEDURE.split("\n", 1)[1]
    overlay = tmp_path / "many.yaml"  # more text than a pipe holds (64 KB), so the write breaks
    overlay.write_text("procedures:\n" + "".join(body.replace("clinic-dry-needling", f"dry-{n}") for n in range(600)))
    output = _pty_run([PAINREF, "--catalog", str(overlay), "list", "all"], env, rows=10)
    assert b"Traceback" not in output


@pytest.mark.skipif(not PAINREF, reason="needs the console script")
def test_piped_output_never_pages(tmp_path):
    marker = tmp_path / "paged.txt"
    env = {**os.environ, "PAINREF_PAGER": f"{sys.executable} -c \"open({str(marker)!r}, 'w')\""}
    result = subprocess.run([PAINREF, "show", "esi"], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0
    assert "Epidural steroid injection" in result.stdout
    assert not marker.exists()
