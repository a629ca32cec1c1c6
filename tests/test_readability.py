"""The readability estimate: plain text scores low, dense text high, and it tracks textstat."""

from __future__ import annotations

import re
import statistics

import pytest

from painref import compiler
from painref.model import Kind
from painref.readability import grade, joined, syllables
from painref.schema import FIELDS


def test_syllables_of_common_words():
    assert [syllables(w) for w in ("pain", "nerve", "injection", "anesthetic", "medicine", "used")] == [
        1,
        1,
        3,
        4,
        3,
        1,
    ]


def test_plain_text_reads_lower_than_dense_text():
    plain = "The shot eases leg pain for a few weeks. It does not fix the cause."
    dense = (
        "Transforaminal corticosteroid administration demonstrated statistically significant but clinically"
        " inconsequential short-term analgesic efficacy relative to placebo interventions."
    )
    assert grade(plain) < 5 < 15 < grade(dense)


def test_clinical_terms_in_parentheses_are_not_counted():
    assert grade("Numbing medicine is used.") == grade("Numbing medicine (local anesthetic) is used.")


def test_short_texts_are_not_measured(run, write):
    path = write("short.yaml", "procedures:\n  - id: epidural-steroid-injection\n    risks: [Soreness, Bruising]\n")
    assert "warning" not in run("validate", str(path)).stderr


def test_list_items_read_as_sentences():
    assert joined(["Rest a day", "Call if fever."]) == "Rest a day. Call if fever."
    assert grade("") == 0.0


def _patient_texts():
    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    for entry in loaded.entries():
        for field in FIELDS:
            if field.patient and field.name != "name" and (value := entry.get(field.name)):
                yield f"{entry.id}.{field.name}", joined(value) if isinstance(value, list) else value
    for condition in loaded.entries(Kind.CONDITION):
        for record in loaded.indications(condition.id):
            yield f"{record.condition}×{record.option}.bottom_line", record.bottom_line
    for section in loaded.guide:
        yield f"guide.{section.id}", f"{section.summary} {section.body} {joined(section.points)}"
    checks = loaded.checklist
    assert checks is not None
    yield "checklist", " ".join([checks.intro, checks.result_yes, checks.result_no])
    for question in checks.questions:
        yield f"checklist.{question.id}", f"{question.question} {question.why}"


def _textstat_grade(text: str) -> float:
    textstat = pytest.importorskip("textstat")
    return float(textstat.flesch_kincaid_grade(re.sub(r"\s*\([^)]*\)", "", text)))


def test_patient_text_reads_at_grade_8_or_below_and_never_above_10():
    """NIH and AMA targets for patient material, measured with textstat (US grade, Flesch-Kincaid)."""
    grades = {name: _textstat_grade(text) for name, text in _patient_texts()}
    too_hard = {name: level for name, level in grades.items() if level > 10}
    assert not too_hard, too_hard
    assert statistics.median(grades.values()) <= 8


def test_the_estimate_tracks_textstat_on_the_catalogue():
    pairs = [(grade(text), _textstat_grade(text)) for _, text in _patient_texts()]
    differences = [abs(ours - theirs) for ours, theirs in pairs]
    assert statistics.mean(differences) < 1.5
    assert statistics.median(ours - theirs for ours, theirs in pairs) == pytest.approx(0, abs=0.75)


def test_validate_warns_about_hard_overlay_text(run, write):
    path = write(
        "hard.yaml",
        "procedures:\n  - id: epidural-steroid-injection\n    summary: >-\n"
        "      Transforaminal corticosteroid administration demonstrated statistically significant but\n"
        "      clinically inconsequential short-term analgesic efficacy relative to placebo interventions.\n",
    )
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert re.search(
        r"hard\.yaml:3:\d+: warning: 'summary' of 'epidural-steroid-injection' reads at about US grade", result.stderr
    )
