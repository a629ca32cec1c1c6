"""`painref validate`: every problem in one pass, each as path:line:col: message."""

from __future__ import annotations

import re

from overlays import NEW_PROCEDURE

LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

BROKEN = """\
procedures:
  - id: clinic-block
    name: Clinic block
    aliases: [CB]
    summary: A block.
    category: surgery
    how_it_works: Numbing medicine near a nerve.
    conditions: [sciatica, no-such-condition]
    regions: [knee]
    image_guidance: [ultrasound]
    anesthesia: Local
    setting: Clinic
    procedure_time: Minutes
    recovery: Same day
    relief_onset: Hours
    relief_duration: Weeks
    purpose: therapeutic
    invasiveness: 9
    risks: [Bruising]
    evidence: Little.
    sources:
      - title: Somewhere
        url: http://insecure.example
    last_checked: 27/11/2026
    colour: blue
  - id: clinic-block
    name: Twice
"""


def _problems(stderr):
    found = []
    for line in stderr.strip().splitlines():
        match = LOCATED.match(line)
        assert match, f"not path:line:col: message: {line!r}"
        found.append((int(match["line"]), int(match["col"]), match["message"]))
    return found


def test_builtin_catalogue_is_valid(run):
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: 1 file,")
    assert not [line for line in result.stderr.splitlines() if "warning" not in line]


def test_valid_overlay(run, write):
    result = run("validate", str(write("clinic.yaml", NEW_PROCEDURE)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: 2 files,")


def test_every_problem_is_reported_with_its_line(run, write):
    path = write("broken.yaml", BROKEN)
    result = run("validate", str(path))
    assert result.exit_code == 1
    problems = _problems(result.stderr)
    by_message = {message: (line, col) for line, col, message in problems}

    def where(fragment):
        matches = [place for message, place in by_message.items() if fragment in message]
        assert matches, f"no problem mentions {fragment!r}: {list(by_message)}"
        return matches[0]

    assert where("'category' must be one of")[0] == 6
    assert where("'no-such-condition'")[0] == 8
    assert where("'invasiveness' must be between 1 and 5")[0] == 18
    assert where("must start with https://")[0] == 23
    assert where("'last_checked' must be a date")[0] == 24
    assert where("unknown key 'colour'")[0] == 25
    assert where("duplicate id 'clinic-block'")[0] == 26
    # Every problem is in the broken file; the one other line says its new entries have no Spanish yet.
    others = [line for line in result.stderr.splitlines() if str(path) not in line]
    assert [line.split(": ", 1)[1] for line in others] == [
        "warning: 11 of 2222 texts have no current translation in 'es' and are shown in English"
    ]


def test_missing_fields_point_at_the_entry(run, write):
    path = write("thin.yaml", "procedures:\n  - id: thin-entry\n    name: Thin\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    problems = _problems(result.stderr)
    assert any("is missing" in message and "'summary'" in message and line == 2 for line, _, message in problems)


def test_yaml_syntax_errors_are_located(run, write):
    path = write("syntax.yaml", "procedures:\n  - id: x\n    name: [unclosed\n    summary: y\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    line, _col, message = _problems(result.stderr)[0]
    assert "invalid YAML" in message
    assert line >= 3


def test_duplicate_keys_are_found(run, write):
    text = NEW_PROCEDURE.replace("    setting: Clinic room\n", "    setting: Clinic room\n    setting: Other room\n")
    result = run("validate", str(write("dupes.yaml", text)))
    assert result.exit_code == 1
    assert "key 'setting' is given twice" in result.stderr


def test_shared_aliases_are_warnings_not_errors(run, write):
    text = NEW_PROCEDURE.replace("aliases: [dry needling, DN]", "aliases: [dry needling, DN, RFA]")
    result = run("validate", str(write("alias.yaml", text)))
    assert result.exit_code == 0
    assert "warning: alias 'RFA' of 'clinic-dry-needling' is shared with radiofrequency-ablation" in result.stderr


def test_missing_file_is_reported_not_raised(run, tmp_path):
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_kind_reference(run, write):
    text = NEW_PROCEDURE.replace("conditions: [myofascial-pain-syndrome]", "conditions: [radiofrequency-ablation]")
    result = run("validate", str(write("kind.yaml", text)))
    assert result.exit_code == 1
    assert "which is a procedure, not a condition" in result.stderr


def test_a_cached_verdict_is_never_stale(run, write):
    path = write("clinic.yaml", NEW_PROCEDURE)
    assert run("validate", str(path)).exit_code == 0
    assert run("validate", str(path)).exit_code == 0, "the second run reads the cached verdict"
    path.write_text(NEW_PROCEDURE.replace("invasiveness: 1", "invasiveness: 7"), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "'invasiveness' must be between 1 and 5" in result.stderr
    path.write_text(NEW_PROCEDURE, encoding="utf-8")
    assert run("validate", str(path)).exit_code == 0


CONDITION_WITH_CODES = """\
conditions:
  - id: sciatica
    icd10:
      - code: M54.3
        description: Sciatica
        category: {flag}
"""


def test_a_code_may_be_marked_as_a_category(run, write):
    path = write("codes.yaml", CONDITION_WITH_CODES.format(flag="true"))
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output


def test_a_category_mark_must_be_true_or_false(run, write):
    path = write("codes.yaml", CONDITION_WITH_CODES.format(flag="sometimes"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert re.search(r"codes\.yaml:6:\d+: 'category' must be true or false", result.output), result.output


def test_synonyms_must_map_phrases_to_text(run, write):
    path = write("syn.yaml", "synonyms:\n  jab: injection\n  shot: [injection, needle]\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert re.search(r"syn\.yaml:3:\d+: synonym 'shot' must mean some text", result.output), result.output
    listed = write("list.yaml", "synonyms: [jab, shot]\n")
    assert "'synonyms' must map phrases" in run("validate", str(listed)).output
