"""The built-in content: article coverage, ICD-10-CM codes against the official set, sources, links."""

from __future__ import annotations

import pytest

from painref import catalogue
from painref.model import Condition, Procedure, Treatment
from painref.search import normalize, resolve_entry
from painref.views import condition_options


@pytest.fixture(scope="module")
def loaded():
    return catalogue.load([], env={"PAINREF_NO_CACHE": "1"})


ARTICLE_PROCEDURES = [
    "epidural-steroid-injection",
    "facet-joint-injection",
    "medial-branch-block",
    "radiofrequency-ablation",
    "nerve-block",
    "sympathetic-nerve-block",
    "peripheral-nerve-block",
    "occipital-nerve-block",
    "stellate-ganglion-block",
    "spinal-cord-stimulation",
    "joint-injection",
    "knee-joint-injection",
    "hip-joint-injection",
    "shoulder-joint-injection",
    "sacroiliac-joint-injection",
    "trigger-point-injection",
]
ARTICLE_CONDITIONS = [
    "herniated-disc",
    "spinal-stenosis",
    "sciatica",
    "radiculopathy",
    "facet-joint-arthritis",
    "chronic-low-back-pain",
    "chronic-neck-pain",
    "crps",
    "headache",
    "occipital-neuralgia",
    "knee-osteoarthritis",
    "hip-osteoarthritis",
    "shoulder-pain",
    "sacroiliac-joint-dysfunction",
    "myofascial-pain-syndrome",
    "failed-back-surgery-syndrome",
    "neuropathic-pain",
    "osteoarthritis",
    "cancer-pain",
]
ARTICLE_TREATMENTS = [
    "acetaminophen",
    "nsaids",
    "muscle-relaxants",
    "opioids",
    "antidepressants-for-pain",
    "anticonvulsants-for-pain",
    "physical-therapy",
    "weight-management",
    "heat-and-cold",
    "activity-modification",
    "cognitive-behavioral-therapy",
    "acupuncture",
    "massage",
]


@pytest.mark.parametrize("entry_id", ARTICLE_PROCEDURES + ARTICLE_CONDITIONS + ARTICLE_TREATMENTS)
def test_the_article_is_covered(loaded, entry_id):
    assert loaded.get(entry_id) is not None


def test_epidural_variants_are_described(loaded):
    esi = loaded.get("epidural-steroid-injection")
    assert isinstance(esi, Procedure)
    names = " ".join(v.name.casefold() for v in esi.variants)
    for variant in ("interlaminar", "transforaminal", "caudal"):
        assert variant in names


def test_families_have_their_members(loaded):
    assert set(loaded.get("nerve-block").members) >= {
        "sympathetic-nerve-block",
        "peripheral-nerve-block",
        "occipital-nerve-block",
        "stellate-ganglion-block",
    }
    assert set(loaded.get("joint-injection").members) >= {
        "knee-joint-injection",
        "hip-joint-injection",
        "shoulder-joint-injection",
        "sacroiliac-joint-injection",
    }


@pytest.mark.parametrize(
    ("alias", "entry_id"),
    [
        ("ESI", "epidural-steroid-injection"),
        ("RFA", "radiofrequency-ablation"),
        ("SCS", "spinal-cord-stimulation"),
        ("TPI", "trigger-point-injection"),
        ("SGB", "stellate-ganglion-block"),
        ("MBB", "medial-branch-block"),
        ("SIJ injection", "sacroiliac-joint-injection"),
        ("slipped disc", "herniated-disc"),
        ("pinched nerve", "radiculopathy"),
        ("nerve burning", "radiofrequency-ablation"),
        ("cortisone shot", "joint-injection"),
        ("CRPS", "crps"),
        ("FBSS", "failed-back-surgery-syndrome"),
        ("NSAIDs", "nsaids"),
        ("CBT", "cognitive-behavioral-therapy"),
        ("PT", "physical-therapy"),
    ],
)
def test_abbreviations_and_lay_terms(loaded, alias, entry_id):
    assert resolve_entry(loaded, alias)[0].id == entry_id


def test_every_icd10_cm_code_exists_in_the_official_code_set(loaded):
    icd = pytest.importorskip("simple_icd_10_cm")
    problems = []
    for condition in loaded.conditions:
        assert condition.icd10, f"{condition.id} has no ICD-10-CM code"
        for code in condition.icd10:
            if not icd.is_valid_item(code.code):
                problems.append(f"{condition.id}: {code.code} is not an ICD-10-CM code")
            elif not icd.is_leaf(code.code):
                problems.append(f"{condition.id}: {code.code} is a category, not a billable code")
            elif icd.get_description(code.code) != code.description:
                problems.append(
                    f"{condition.id}: {code.code} ours {code.description!r} official {icd.get_description(code.code)!r}"
                )
    assert not problems, "\n".join(problems)


def test_every_entry_cites_https_sources_and_a_check_date(loaded):
    for entry in loaded.entries():
        assert entry.sources, entry.id
        assert all(source.url.startswith("https://") for source in entry.sources), entry.id
        assert entry.last_checked, entry.id
        assert entry.evidence.strip(), entry.id
    for section in loaded.guide:
        assert section.sources, section.id
    assert loaded.checklist is not None
    assert loaded.checklist.sources


def test_every_procedure_and_treatment_is_used_for_a_condition(loaded):
    for entry in (*loaded.procedures, *loaded.treatments):
        assert entry.conditions, entry.id


def test_every_condition_has_conservative_care_and_a_procedure(loaded):
    for condition in loaded.conditions:
        treatments, procedures = condition_options(condition, loaded)
        assert treatments, f"{condition.id} has no conservative option"
        assert procedures, f"{condition.id} has no procedure"


def test_conservative_care_is_first_line_for_common_conditions(loaded):
    for condition_id in ("sciatica", "chronic-low-back-pain", "knee-osteoarthritis"):
        condition = loaded.get(condition_id)
        assert isinstance(condition, Condition)
        treatments, _ = condition_options(condition, loaded)
        assert "physical-therapy" in {t.id for t in treatments}, condition_id


def test_medications_name_their_examples(loaded):
    for treatment in loaded.treatments:
        assert isinstance(treatment, Treatment)
        if treatment.type.value == "medication":
            assert treatment.examples, treatment.id


def test_checklist_holds_the_articles_six_questions(loaded):
    assert loaded.checklist is not None
    questions = [normalize(q.question) for q in loaded.checklist.questions]
    assert len(questions) == 6
    for keyword in ("conservative", "quality", "medic", "diagnos", "physicaltherapy", "expectation"):
        assert any(keyword in q for q in questions), keyword


def test_no_alias_is_another_entrys_id_or_name(loaded):
    primary = {}
    for entry in loaded.entries():
        primary[normalize(entry.id)] = entry.id
        primary[normalize(entry.name)] = entry.id
    for entry in loaded.entries():
        for alias in entry.aliases:
            owner = primary.get(normalize(alias), entry.id)
            assert owner == entry.id, f"alias {alias!r} of {entry.id} is {owner}'s id or name"
