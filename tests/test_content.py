"""The built-in content: article coverage, ICD-10-CM codes against the official set, sources, links."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from painref import compiler
from painref.aid import options
from painref.errors import AmbiguousNameError
from painref.model import Kind
from painref.search import resolve_entry
from painref.text import normalize

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def loaded():
    return compiler.load([], env={"PAINREF_NO_CACHE": "1"})


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
    assert esi.kind is Kind.PROCEDURE
    names = " ".join(v["name"].casefold() for v in esi.items("variants"))
    for variant in ("interlaminar", "transforaminal", "caudal"):
        assert variant in names


def test_families_have_their_members(loaded):
    assert set(loaded.get("nerve-block").members) >= {
        "peripheral-nerve-block",
        "occipital-nerve-block",
        "genicular-nerve-block",
        "selective-nerve-root-block",
    }
    assert set(loaded.get("sympathetic-nerve-block").members) >= {
        "stellate-ganglion-block",
        "lumbar-sympathetic-block",
        "celiac-plexus-block",
        "superior-hypogastric-plexus-block",
        "ganglion-impar-block",
    }
    assert set(loaded.get("radiofrequency-ablation").members) >= {
        "genicular-radiofrequency-ablation",
        "sacroiliac-radiofrequency-ablation",
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


def test_icd10_cm_codes_match_the_official_code_set(loaded):
    """Every code exists; billable unless marked as a category; our description is the official one."""
    icd = pytest.importorskip("simple_icd_10_cm")
    problems = []
    for condition in tuple(loaded.entries(Kind.CONDITION)):
        assert condition.items("icd10"), f"{condition.id} has no ICD-10-CM code"
        for code in condition.items("icd10"):
            where = f"{condition.id}: {code['code']}"
            if not icd.is_valid_item(code["code"]):
                problems.append(f"{where} is not in the ICD-10-CM code set")
                continue
            billable = icd.is_leaf(code["code"])
            if not billable and not code.get("category", False):
                problems.append(f"{where} is a category, not a billable code; mark it `category: true` or pick a leaf")
            if billable and code.get("category", False):
                problems.append(f"{where} is billable but marked as a category")
            official = icd.get_description(code["code"])
            if official != code["description"]:
                problems.append(f"{where} differs\n    ours:     {code['description']}\n    official: {official}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_has_the_depth_a_clinic_expects(loaded):
    assert len(tuple(loaded.entries(Kind.PROCEDURE))) >= 35
    assert len(tuple(loaded.entries(Kind.CONDITION))) >= 35
    assert len(tuple(loaded.entries(Kind.TREATMENT))) >= 25


# Aliases that name more than one entry on purpose (none today), and names that are ambiguous
# because they start several entries' aliases: resolving either must list the candidates.
SHARED_ALIASES: dict[str, set[str]] = {}
AMBIGUOUS_NAMES = {**SHARED_ALIASES, "SIJ": {"sacroiliac-joint-injection", "sacroiliac-joint-dysfunction"}}


def test_aliases_are_unique_unless_shared_on_purpose(loaded):
    owners: dict[str, set[str]] = {}
    for entry in loaded.entries():
        for alias in entry.aliases:
            owners.setdefault(normalize(alias), set()).add(entry.id)
    shared = {alias: ids for alias, ids in owners.items() if len(ids) > 1}
    assert shared == SHARED_ALIASES


@pytest.mark.parametrize("name", sorted(AMBIGUOUS_NAMES))
def test_an_ambiguous_name_lists_its_candidates(loaded, name):
    with pytest.raises(AmbiguousNameError) as caught:
        resolve_entry(loaded, name)
    for entry_id in AMBIGUOUS_NAMES[name]:
        assert loaded.get(entry_id).name in caught.value.message


def test_no_dangling_or_orphan_ids(loaded):
    ids = {entry.id for entry in loaded.entries()}
    for entry in loaded.entries():
        assert entry.family is None or entry.family in ids, entry.id
        assert set(entry.members) <= ids, entry.id
        for member in entry.members:
            assert loaded.get(member).family == entry.id, member
        if entry.kind is not Kind.CONDITION:
            assert entry.texts("conditions"), f"{entry.id} is used for no condition"
            assert set(entry.texts("conditions")) <= ids, entry.id
    for kind in (
        tuple(loaded.entries(Kind.PROCEDURE)),
        tuple(loaded.entries(Kind.CONDITION)),
        tuple(loaded.entries(Kind.TREATMENT)),
    ):
        assert len({entry.id for entry in kind}) == len(kind)


def test_sources_are_https_distinct_and_checked_recently(loaded):
    today = date.today()
    for entry in loaded.entries():
        urls = [source.url for source in entry.sources]
        assert urls, entry.id
        assert all(url.startswith("https://") for url in urls), entry.id
        assert len(set(urls)) == len(urls), f"{entry.id} cites a source twice"
        checked = date.fromisoformat(entry.last_checked)
        assert checked <= today, entry.id
        assert (today - checked).days < 2 * 365, f"{entry.id} was last checked on {checked}"


def test_every_entry_cites_https_sources_and_a_check_date(loaded):
    for entry in loaded.entries():
        assert entry.sources, entry.id
        assert all(source.url.startswith("https://") for source in entry.sources), entry.id
        assert entry.last_checked, entry.id
        assert entry.text("evidence").strip(), entry.id
    for section in loaded.guide:
        assert section.sources, section.id
    assert loaded.checklist is not None
    assert loaded.checklist.sources


def test_every_procedure_and_treatment_is_an_option_for_a_condition(loaded):
    for entry in (*tuple(loaded.entries(Kind.PROCEDURE)), *tuple(loaded.entries(Kind.TREATMENT))):
        assert entry.texts("conditions"), entry.id


def test_every_condition_has_waiting_conservative_care_and_a_procedure(loaded):
    """IPDAS and NICE: waiting is an option; and each condition has a first step and a specialist one."""
    for condition in loaded.entries(Kind.CONDITION):
        found = options(condition, loaded)
        waiting = [o for o in found if o.entry.id == "watchful-waiting"]
        assert waiting, f"{condition.id} has no watchful-waiting option"
        assert waiting[0].indication.line == "self-care", condition.id
        conservative = [o for o in found if o.entry.kind is Kind.TREATMENT and not o.against]
        assert len(conservative) >= 2, f"{condition.id} has no conservative option besides waiting"
        # A family (headache) leaves procedures to its types (migraine, cluster headache, ...).
        family = [condition, *loaded.get_many(condition.members)]
        procedures = [o for member in family for o in options(member, loaded) if o.entry.kind is Kind.PROCEDURE]
        assert procedures, f"{condition.id} has no procedure"


def test_exercise_or_physical_therapy_is_tried_first_for_common_conditions(loaded):
    for condition_id in ("sciatica", "chronic-low-back-pain", "knee-osteoarthritis", "hip-osteoarthritis"):
        first = {o.entry.id for o in options(loaded.get(condition_id), loaded) if o.indication.line == "first-line"}
        assert first & {"physical-therapy", "exercise-therapy"}, condition_id


def test_no_option_a_guideline_advises_against_is_shown_as_tried_first(loaded):
    for condition in loaded.entries(Kind.CONDITION):
        for option in options(condition, loaded):
            if option.flagged:
                assert option.indication.line not in ("self-care", "first-line"), (condition.id, option.entry.id)


def test_knee_osteoarthritis_flags_what_acr_2019_advises_against(loaded):
    """The review that found TENS listed as "usually tried first" for knee OA, despite ACR/AF 2019."""
    found = {o.entry.id: o for o in options(loaded.get("knee-osteoarthritis"), loaded)}
    for option_id in ("tens", "platelet-rich-plasma-injection", "hyaluronic-acid-injection"):
        assert found[option_id].flagged, option_id
        assert found[option_id].indication.line != "first-line", option_id


def test_every_link_is_an_indication_record(loaded):
    """Each relation is written once: the built-in catalogue links options only through records."""
    text = (ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8")
    assert "\n    conditions:" not in text
    pairs = {(r.condition, r.option) for c in loaded.entries(Kind.CONDITION) for r in loaded.indications(c.id)}
    for entry in loaded.entries():
        for condition_id in entry.texts("conditions"):
            assert (condition_id, entry.id) in pairs


def _numbers(outcome):
    return [outcome[key] for key in ("with_option", "without_option") if key in outcome]


def _records(loaded):
    for condition in loaded.entries(Kind.CONDITION):
        yield from loaded.indications(condition.id)


def test_every_number_appears_in_its_quoted_source(loaded):
    """Never invent, average or extrapolate: each count is in the source sentence quoted beside it."""
    checked = 0
    for record in _records(loaded):
        for outcome in (record.benefit, *record.harms):
            if "not_quantified" in outcome:
                continue
            quote = outcome["quote"]
            assert outcome["source"]["url"].startswith("https://"), record
            for number in _numbers(outcome):
                shown = f"{number:g}" if isinstance(number, float) else str(number)
                assert re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d]|\.\d)", quote), (
                    f"{record.condition} × {record.option}: {shown} is not in the quote {quote!r}"
                )
                checked += 1
    assert checked >= 60


def test_records_have_guideline_sources_and_plain_bottom_lines(loaded):
    count = 0
    for record in _records(loaded):
        count += 1
        assert record.bottom_line.strip(), record
        for guideline in record.guidelines:
            assert guideline["url"].startswith("https://"), record
            assert 1990 <= guideline["year"] <= date.today().year, record
    assert count >= 300


def test_medications_name_their_examples(loaded):
    for treatment in tuple(loaded.entries(Kind.TREATMENT)):
        assert treatment.kind is Kind.TREATMENT
        if treatment.text("type") == "medication":
            assert treatment.texts("examples"), treatment.id


def test_checklist_holds_the_articles_six_questions(loaded):
    assert loaded.checklist is not None
    questions = [normalize(q.question) for q in loaded.checklist.questions]
    assert len(questions) == 6
    for keyword in ("conservative", "quality", "medic", "diagnos", "physicaltherapy", "realistic"):
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


def test_every_sourced_alias_is_an_alias_of_its_entry(loaded):
    """data/vocabulary-sources.yaml records where aliases come from; it may not name an alias the
    entry (in English or Spanish) does not have, nor leave a source empty."""
    sources = yaml.safe_load((ROOT / "data" / "vocabulary-sources.yaml").read_text(encoding="utf-8"))
    spanish = yaml.safe_load((ROOT / "data" / "i18n" / "es.yaml").read_text(encoding="utf-8"))["entries"]
    assert len(sources) >= 100
    for entry_id, aliases in sources.items():
        entry = loaded.get(entry_id)
        assert entry is not None, f"{entry_id} is not an entry"
        own = set(entry.aliases) | set((spanish[entry_id].get("aliases") or {}).get("es") or ())
        for alias, source in aliases.items():
            assert alias in own, f"{alias!r} is not an alias of {entry_id}"
            assert isinstance(source, str), (entry_id, alias)
            assert len(source) > 10, (entry_id, alias)


# Drug classes whose members' US brand and generic names must all find the class's entry.
BRANDS_AND_GENERICS = {
    "nsaids": ["celecoxib", "Celebrex", "meloxicam", "Mobic", "diclofenac", "ketorolac", "piroxicam", "Feldene"],
    "opioids": ["oxycodone", "OxyContin", "hydromorphone", "Dilaudid", "tapentadol", "Nucynta", "methadone"],
    "muscle-relaxants": ["cyclobenzaprine", "Flexeril", "tizanidine", "Zanaflex", "carisoprodol", "Soma"],
    "snris": ["duloxetine", "Cymbalta", "venlafaxine", "Effexor", "desvenlafaxine", "Pristiq", "Savella"],
    "tricyclic-antidepressants": ["amitriptyline", "Elavil", "nortriptyline", "Pamelor", "Aventyl"],
    "gabapentinoids": ["gabapentin", "Neurontin", "pregabalin", "Lyrica"],
    "anticonvulsants-for-pain": ["carbamazepine", "Tegretol", "oxcarbazepine", "Trileptal", "topiramate"],
    "corticosteroids": ["prednisone", "methylprednisolone", "Medrol", "Rayos"],
    "acetaminophen": ["paracetamol", "Tylenol"],
    "tramadol": ["Ultram", "Ultracet"],
}


@pytest.mark.parametrize(("entry_id", "name"), [(e, n) for e, names in BRANDS_AND_GENERICS.items() for n in names])
def test_brand_and_generic_drug_names_resolve_to_their_class(loaded, entry_id, name):
    assert resolve_entry(loaded, name) == (loaded.get(entry_id), False)


def test_every_procedure_and_condition_has_its_handout_fields(loaded):
    for entry in (*tuple(loaded.entries(Kind.PROCEDURE)), *tuple(loaded.entries(Kind.CONDITION))):
        for name in ("preparation", "aftercare", "red_flags", "questions"):
            assert entry.texts(name), f"{entry.id} has no {name}"
        for flag in entry.texts("red_flags"):
            assert flag.startswith(("Urgent: ", "Call the clinic: ")), (entry.id, flag)
        for question in entry.texts("questions"):
            assert question.endswith("?"), (entry.id, question)


def test_urgent_symptoms_live_in_red_flags(loaded):
    for condition in tuple(loaded.entries(Kind.CONDITION)):
        for symptom in condition.texts("symptoms"):
            assert not symptom.casefold().startswith(("urgent", "see a doctor")), (condition.id, symptom)


def test_no_word_is_split_by_a_folded_line():
    """YAML folding turns "Self-" + newline + "care" into "Self- care": only suspended hyphens
    ("high- to low-quality", "short- and long-term") may stand before a space."""
    text = (ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.extend(re.findall(r"\b\w+- (?!to\b|and\b|or\b)\w+", value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert not found, found
