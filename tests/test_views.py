"""painref.views: what each command shows, as plain data, checked whole on the tiny catalogue."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tiny
from painref import views
from painref.model import Checklist, Entry, GuideSection, Hit, Kind, Question, Source
from painref.records import csv_columns, record
from painref.schema import LIST_FIELDS
from painref.views import DISCLAIMER, Fields, Grid, Heading, LoadedFile, Paragraph, Section

P, C, T = Kind.PROCEDURE, Kind.CONDITION, Kind.TREATMENT
SOURCE_LINES = ("A review\nhttps://example.org/review",)
KNEE_CODES = ("M17  Osteoarthritis of knee (category)", "M17.11  Unilateral primary osteoarthritis, right knee")
LIST_NOTE = Paragraph("Details: painref show NAME · compare: painref compare NAME NAME", "note")


@pytest.fixture(scope="module")
def catalogue():
    return tiny.build()


def entry(catalogue, entry_id: str) -> Entry:
    found = catalogue.get(entry_id)
    assert found is not None
    return found


def entries(catalogue, *ids: str) -> list[Entry]:
    return [entry(catalogue, i) for i in ids]


# --- display: each field type as people read it -----------------------------------------------


@pytest.mark.parametrize(
    ("entry_id", "name", "shown"),
    [
        ("knee-injection", "id", "knee-injection"),  # SLUG
        ("knee-injection", "summary", "Knee joint injection in one line."),  # TEXT
        ("knee-injection", "aliases", "knee shot, KJI"),  # TEXTS shown inline
        ("knee-injection", "risks", ("Soreness",)),  # TEXTS shown as items
        ("anti-inflammatories", "examples", "ibuprofen, naproxen"),
        ("knee-injection", "category", "Joint injection"),  # CHOICE
        ("walking", "type", "Lifestyle"),
        ("facet-block", "purpose", "Yes: mainly to find the pain source"),
        ("back-pain", "regions", "upper back, lower back"),  # CHOICES
        ("genicular-ablation", "image_guidance", "fluoroscopy (live X-ray)"),
        ("knee-injection", "image_guidance", "not always needed; ultrasound"),  # "none" beside others
        ("knee-injection", "invasiveness", "2/5: needle into a joint or near a peripheral nerve"),  # INTEGER
        ("knee-injection", "last_checked", "2026-01-01"),  # DATE
        ("knee-arthritis", "family", "Arthritis"),  # REF, by name
        ("arthritis", "members", ("Knee arthritis",)),  # REFS, by name
        ("exercise", "conditions", ("Knee arthritis", "Back pain")),
        ("knee-arthritis", "procedures", ("Knee joint injection", "Genicular nerve ablation")),
        ("knee-arthritis", "icd10", KNEE_CODES),  # CODES
        ("knee-injection", "variants", ("Steroid: A steroid is injected.",)),  # VARIANTS
        ("knee-injection", "sources", SOURCE_LINES),  # SOURCES: the URL on a line of its own
        # Urgent symptoms are shown apart, with the red flags, as warning signs.
        ("knee-arthritis", "symptoms", ("Stiff knee in the morning",)),
        (
            "knee-arthritis",
            "warning_signs",
            ("Urgent: a hot swollen knee with fever", "Call the clinic: the knee locks"),
        ),
        # Nothing given, or an empty list, shows nothing.
        ("knee-injection", "family", ""),
        ("knee-injection", "members", ""),
        ("knee-injection", "preparation", ""),
        ("exercise", "relief_duration", ""),
        ("headache", "warning_signs", ()),
    ],
)
def test_display_shows_each_field_type_in_words(catalogue, entry_id, name, shown):
    assert views.display(entry(catalogue, entry_id), name, catalogue) == shown


def test_display_of_unusual_values(catalogue):
    only_none = Entry(P, {"id": "x", "image_guidance": ["none"], "conditions": ["gone"], "family": "missing"})
    assert views.display(only_none, "image_guidance", catalogue) == "none needed"
    assert views.display(only_none, "conditions", catalogue) == ("gone",), "an unknown id is shown as it is"
    assert views.display(only_none, "family", catalogue) == "missing"
    odd = Entry(
        P,
        {
            "id": "x",
            "name": "X",
            "summary": "S",
            "category": "new-kind",
            "regions": ["knee", "moon"],
            "image_guidance": ["laser", "none"],
            "invasiveness": 9,
        },
    )
    assert views.display(odd, "category", catalogue) == "new-kind"
    assert views.display(odd, "regions", catalogue) == "knee, moon"
    assert views.display(odd, "image_guidance", catalogue) == "not always needed; laser"
    assert views.display(odd, "invasiveness", catalogue) == "9/5: "
    assert views.show(odd, catalogue).blocks[0] == Heading("X", "procedure · new-kind · knee, moon")


# --- cards ----------------------------------------------------------------------------------------


def test_a_procedure_card(catalogue):
    assert views.card_rows(entry(catalogue, "knee-injection"), catalogue) == (
        ("Also called", "knee shot, KJI"),
        ("How it works", "How knee joint injection works."),
        ("Used for", ("Knee arthritis",)),
        ("Imaging", "not always needed; ultrasound"),
        ("Anesthesia", "Local numbing"),
        ("Setting", "Clinic room"),
        ("Procedure time", "15 minutes"),
        ("Recovery", "Home the same day"),
        ("Relief starts", "A few days"),
        ("Relief lasts", "Months"),
        ("Diagnostic?", "No: a treatment"),
        ("Invasiveness", "2/5: needle into a joint or near a peripheral nerve"),
        ("Variants", ("Steroid: A steroid is injected.",)),
        ("Risks", ("Soreness",)),
        ("Evidence", "Moderate evidence."),
        ("Sources", SOURCE_LINES),
        ("Last checked", "2026-01-01"),
    )


def test_a_condition_card(catalogue):
    assert views.card_rows(entry(catalogue, "knee-arthritis"), catalogue) == (
        ("Also called", "worn knee"),
        ("Part of", "Arthritis"),
        ("Symptoms", ("Stiff knee in the morning",)),
        ("Warning signs", ("Urgent: a hot swollen knee with fever", "Call the clinic: the knee locks")),
        ("ICD-10-CM", KNEE_CODES),
        ("Treatments", ("Anti-inflammatory pills", "Exercise therapy", "Walking")),
        ("Procedures", ("Knee joint injection", "Genicular nerve ablation")),
        ("Evidence", "Well described."),
        ("Sources", SOURCE_LINES),
        ("Last checked", "2026-01-01"),
    )


def test_a_treatment_card(catalogue):
    assert views.card_rows(entry(catalogue, "exercise"), catalogue) == (
        ("How it works", "How exercise therapy works."),
        ("Used for", ("Knee arthritis", "Back pain")),
        ("Relief starts", "Weeks"),
        ("Risks", ("Few",)),
        ("Evidence", "Good evidence."),
        ("Sources", SOURCE_LINES),
        ("Last checked", "2026-01-01"),
    )


def test_a_family_card_lists_its_members_and_a_condition_card_reads_its_own_labels(catalogue):
    family = entry(catalogue, "arthritis")
    assert views.card_rows(family, catalogue)[:2] == (("Also called", "joint wear"), ("Includes", ("Knee arthritis",)))
    prepared = Entry(C, {**family.data, "preparation": ["Bring scans"], "aftercare": ["Rest"], "red_flags": ["Fever"]})
    labels = [label for label, _ in views.card_rows(prepared, catalogue)]
    assert labels == [
        *("Also called", "Includes", "Symptoms", "Warning signs", "ICD-10-CM", "Before your visit", "Self-care"),
        *("Evidence", "Sources", "Last checked"),
    ], "a condition's red flags show as warning signs, not 'When to get help'"


def test_show_is_heading_summary_card_and_disclaimer(catalogue):
    knee = entry(catalogue, "knee-injection")
    output = views.show(knee, catalogue)
    assert output.blocks == (
        Heading("Knee joint injection", "procedure · joint injection · knee"),
        Paragraph("Knee joint injection in one line."),
        Fields(views.card_rows(knee, catalogue)),
        Paragraph(DISCLAIMER, "note"),
    )
    assert output.data() == record(knee)
    assert output.columns == csv_columns([knee])
    assert views.show(entry(catalogue, "headache"), catalogue).blocks[0] == Heading("Headache", "condition · head")


# --- compare ------------------------------------------------------------------------------------------


def test_compare_rows_follow_the_table_and_fill_gaps_with_a_dash(catalogue):
    rows = views.compare_rows(entries(catalogue, "knee-injection", "exercise", "knee-arthritis"), catalogue)
    assert rows == (
        ("Kind", "procedure", "treatment", "condition"),
        ("Category", "Joint injection", "Physical", "—"),
        (
            "Summary",
            "Knee joint injection in one line.",
            "Exercise therapy in one line.",
            "Knee arthritis in one line.",
        ),
        ("How it works", "How knee joint injection works.", "How exercise therapy works.", "—"),
        ("Used for", ("Knee arthritis",), ("Knee arthritis", "Back pain"), "—"),
        ("Body regions", "knee", "—", "knee"),
        ("Imaging", "not always needed; ultrasound", "—", "—"),
        ("Anesthesia", "Local numbing", "—", "—"),
        ("Setting", "Clinic room", "—", "—"),
        ("Procedure time", "15 minutes", "—", "—"),
        ("Recovery", "Home the same day", "—", "—"),
        ("Relief starts", "A few days", "Weeks", "—"),
        ("Relief lasts", "Months", "—", "—"),
        ("Diagnostic?", "No: a treatment", "—", "—"),
        ("Invasiveness", "2/5: needle into a joint or near a peripheral nerve", "—", "—"),
        ("Symptoms", "—", "—", ("Stiff knee in the morning",)),
        ("Warning signs", "—", "—", ("Urgent: a hot swollen knee with fever", "Call the clinic: the knee locks")),
        ("ICD-10-CM", "—", "—", KNEE_CODES),
        ("Treatments", "—", "—", ("Anti-inflammatory pills", "Exercise therapy", "Walking")),
        ("Procedures", "—", "—", ("Knee joint injection", "Genicular nerve ablation")),
        ("Risks", ("Soreness",), ("Few",), "—"),
        ("Evidence", "Moderate evidence.", "Good evidence.", "Well described."),
    )


def test_compare_of_two_treatments_shows_their_type_and_examples(catalogue):
    rows = views.compare_rows(entries(catalogue, "walking", "anti-inflammatories"), catalogue)
    assert [row[0] for row in rows] == [
        *("Kind", "Category", "Summary", "How it works", "Examples", "Used for", "Body regions"),
        *("Risks", "Evidence"),
    ]
    assert rows[1] == ("Category", "Lifestyle", "Medication")
    assert rows[4] == ("Examples", "—", "ibuprofen, naproxen")


def test_compare_output(catalogue):
    compared = entries(catalogue, "knee-injection", "genicular-ablation")
    output = views.compare(compared, catalogue)
    assert output.blocks == (
        Grid(
            ("", "Knee joint injection", "Genicular nerve ablation"),
            views.compare_rows(compared, catalogue),
            row_labels=True,
        ),
        Paragraph(DISCLAIMER, "note"),
    )
    assert output.data() == [record(e) for e in compared]
    assert [row["id"] for row in output.records()] == ["knee-injection", "genicular-ablation"]


# --- list -----------------------------------------------------------------------------------------------


def test_the_procedure_list_grid(catalogue):
    output = views.listing(list(catalogue.entries(P)), catalogue, kinds=[P], filtered=False)
    grid = Grid(
        ("Procedure", "Also called", "Category", "Summary"),
        (
            ("Facet joint block", "", "Spinal injection", "Facet joint block in one line."),
            ("Genicular nerve ablation (GNA)", "", "Ablation", "Genicular nerve ablation in one line."),
            ("Knee joint injection (KJI)", "knee shot", "Joint injection", "Knee joint injection in one line."),
        ),
        optional=("Also called", "Category"),
    )
    assert output.blocks == (grid, LIST_NOTE)
    assert [e["id"] for e in output.data()] == ["facet-block", "genicular-ablation", "knee-injection"]


def test_the_condition_list_groups_members_under_their_family(catalogue):
    output = views.listing(list(catalogue.entries(C)), catalogue, kinds=[C], filtered=False)
    assert output.blocks[0] == Grid(
        ("Condition", "Also called", "ICD-10-CM", "Summary"),
        (
            ("Arthritis", "joint wear", "M17.9", "Arthritis in one line."),
            ("· Knee arthritis", "worn knee", "M17, M17.11", "Knee arthritis in one line."),
            ("Back pain", "", "M17.9", "Back pain in one line."),
            ("Headache", "", "M17.9", "Headache in one line."),
        ),
        optional=("Also called", "ICD-10-CM"),
    )


def test_a_filtered_list_of_every_kind_has_a_titled_grid_per_kind(catalogue):
    shown = entries(catalogue, "walking", "knee-arthritis", "knee-injection", "exercise")
    output = views.listing(shown, catalogue, kinds=list(Kind), filtered=True)
    procedures, conditions, treatments, note = output.blocks
    assert (procedures.title, conditions.title, treatments.title, note) == (
        "Procedures (1)",
        "Conditions (1)",
        "Treatments (2)",
        LIST_NOTE,
    )
    assert treatments == Grid(
        ("Treatment", "Also called", "Type", "Summary"),
        (
            ("Exercise therapy", "", "Physical", "Exercise therapy in one line."),
            ("Walking", "", "Lifestyle", "Walking in one line."),
        ),
        title="Treatments (2)",
        optional=("Also called", "Type"),
    )
    assert conditions.rows[0][0] == "Knee arthritis", "a filtered list does not group under families"
    assert [e["id"] for e in output.data()] == ["knee-injection", "knee-arthritis", "exercise", "walking"]
    assert output.columns == csv_columns(shown)


def test_a_list_of_every_kind_skips_kinds_with_no_entries(catalogue):
    shown = entries(catalogue, "headache", "walking")
    output = views.listing(shown, catalogue, kinds=list(Kind), filtered=False)
    assert [b.title for b in output.blocks if isinstance(b, Grid)] == ["Conditions (1)", "Treatments (1)"]
    assert [e["id"] for e in output.data()] == ["headache", "walking"]


def test_a_list_shows_at_most_three_codes_and_the_first_aliases_in_catalogue_order(catalogue):
    many = Entry(
        C,
        {
            **entry(catalogue, "headache").data,
            "aliases": ["sore head", "TTH", "a longer lay name", "HA", "Tylenol", "head pain"],
            "icd10": [{"code": f"G44.{n}", "description": "x"} for n in range(1, 6)],
        },
    )
    (grid, _) = views.listing([many], catalogue, kinds=[C], filtered=False).blocks
    # The catalogue's order, not the shortest first (brand names are short); abbreviations last.
    assert grid.rows[0][:3] == ("Headache (TTH)", "sore head, a longer lay name, Tylenol", "G44.1, G44.2, G44.3…")


# --- condition --------------------------------------------------------------------------------------------


def test_a_condition_handout_splits_warnings_into_clinic_and_urgent(catalogue):
    care = [Section("Usually tried first", ("Walking: walk daily.",))]  # the caller groups the options (aid)
    blocks = views.handout(entry(catalogue, "knee-arthritis"), catalogue, care, "Written by us.").blocks
    sections = {b.title: b for b in blocks if isinstance(b, Section)}
    assert list(sections) == [
        "Common symptoms",
        "Usually tried first",
        "When to call the clinic",
        "When to seek urgent care",
        "What the evidence says",
        "Sources",
    ]
    assert sections["When to call the clinic"].items == ("the knee locks",)
    assert sections["When to seek urgent care"].items == ("a hot swollen knee with fever",)
    assert sections["Usually tried first"].items == ("Walking: walk daily.",)
    assert blocks[-1] == Paragraph(f"Facts last checked 2026-01-01. Written by us. {DISCLAIMER}", "note")
    output = views.handout(entry(catalogue, "knee-arthritis"), catalogue)
    assert output.data() == record(entry(catalogue, "knee-arthritis"))
    assert output.columns == csv_columns([entry(catalogue, "knee-arthritis")])


def test_a_handout_drops_only_the_prefixes_its_section_titles_say(catalogue):
    flags = ["Urgent: chest pain", "See a doctor: a rash", "Fever: over 38 C", "Numb legs"]
    knee = Entry(P, {**entry(catalogue, "knee-injection").data, "red_flags": flags})
    sections = {b.title: b.items for b in views.handout(knee, catalogue).blocks if isinstance(b, Section)}
    assert sections["When to seek urgent care"] == ("chest pain",)
    assert sections["When to call the clinic"] == ("a rash", "Fever: over 38 C", "Numb legs")


def test_a_procedure_handout(catalogue):
    blocks = views.handout(entry(catalogue, "facet-block"), catalogue).blocks
    assert blocks[:2] == (
        Heading("Facet joint block", "procedure · spinal injection · lower back"),
        Paragraph("Facet joint block in one line."),
    )
    sections = {b.title: b for b in blocks if isinstance(b, Section)}
    assert sections["Why it is done"] == Section(
        "Why it is done",
        ("Back pain",),
        "Mainly a test: relief afterwards shows where the pain comes from. It is used for:",
    )
    assert sections["On the day"].items == (
        "Anesthesia: Local numbing",
        "Setting: Clinic room",
        "Procedure time: 15 minutes",
        "Recovery: Home the same day",
    )
    assert sections["Relief to expect"].items == ("Relief starts: A few days", "Relief lasts: Months")
    assert sections["Sources"].items == ("A review: https://example.org/review",)


# --- search, guide, checklist, info --------------------------------------------------------------------------


def test_search_results_say_why_each_hit_matched(catalogue):
    knee, walking = entries(catalogue, "knee-injection", "walking")
    hits = [
        Hit(knee, 12.5, "aliases", ("knee",), "knee shot"),
        Hit(walking, 3.0, "name", ("walking",), "Walking"),
        Hit(walking, 1.0, "how_it_works", (), ""),
        Hit(walking, 0.5, "made_up_field", ("x",), "some text"),
    ]
    output = views.search_results(hits)
    assert output.blocks == (
        Grid(
            ("Kind", "Name", "Matched", "Summary"),
            (
                ("procedure", "Knee joint injection", "Also called: knee shot", "Knee joint injection in one line."),
                ("treatment", "Walking", "Name", "Walking in one line."),
                ("treatment", "Walking", "How it works", "Walking in one line."),
                ("treatment", "Walking", "Made up field: some text", "Walking in one line."),
            ),
            highlight=("knee", "walking", "x"),
            name_column=1,
        ),
    )
    assert output.data()[0] == {
        **record(knee),
        "score": 12.5,
        "matched": {"field": "aliases", "words": ["knee"], "text": "knee shot"},
    }
    first = output.records()[0]
    assert (first["score"], first["matched_field"], first["matched_text"], first["id"]) == (
        "12.5",
        "aliases",
        "knee shot",
        "knee-injection",
    )
    assert output.columns[:4] == ("score", "matched_field", "matched_text", "kind")


SECTION = GuideSection(
    id="day",
    title="The day",
    aliases=("procedure day",),
    summary="What happens.",
    body="First paragraph\nwrapped in YAML.\n\nSecond paragraph.\n\n  \n",
    points=("Eat lightly",),
    sources=(Source("Guide", "https://guide.example"),),
)


def test_a_guide_topic(catalogue):
    output = views.guide_section(SECTION)
    assert output.blocks == (
        Heading("The day", "guide"),
        Paragraph("What happens.", "label"),
        Paragraph("First paragraph wrapped in YAML."),
        Paragraph("Second paragraph."),
        Fields((("Key points", ("Eat lightly",)), ("Sources", ("Guide\nhttps://guide.example",)))),
        Paragraph(DISCLAIMER, "note"),
    )
    assert output.data() == {
        "id": "day",
        "title": "The day",
        "aliases": ["procedure day"],
        "summary": "What happens.",
        "body": SECTION.body,
        "points": ["Eat lightly"],
        "sources": [{"title": "Guide", "url": "https://guide.example"}],
        "lang": "en",
    }
    assert output.columns == ("id", "title", "aliases", "summary", "body", "points", "sources")


def test_the_guide_index():
    output = views.guide_index([SECTION])
    assert output.blocks[0] == Grid(("Topic", "Title", "Summary"), (("day", "The day", "What happens."),))
    assert output.records() == ({"id": "day", "title": "The day", "summary": "What happens."},)


CHECKS = Checklist(
    intro="Answer these.",
    questions=(Question("months", "Pain for months?", "Chronic."), Question("tried", "Tried care?", "First.")),
    threshold=2,
    result_yes="Ask about procedures.",
    result_no="Not yet.",
    sources=(),
)


@pytest.mark.parametrize(
    ("answers", "yes", "result"),
    [((True, True), 2, "Ask about procedures."), ((True, False), 1, "Not yet."), ((False, False), 0, "Not yet.")],
)
def test_the_checklist_counts_yes_against_the_threshold(answers, yes, result):
    output = views.checklist(CHECKS, answers)
    said = ["yes" if a else "no" for a in answers]
    assert output.blocks == (
        Grid(("#", "Answer", "Question"), (("1", said[0], "Pain for months?"), ("2", said[1], "Tried care?"))),
        Paragraph(f"You answered yes to {yes} of 2.", "label"),
        Paragraph(result),
        Paragraph(DISCLAIMER, "note"),
    )
    assert output.data() == {
        "questions": [
            {"id": "months", "question": "Pain for months?", "why": "Chronic.", "answer": said[0]},
            {"id": "tried", "question": "Tried care?", "why": "First.", "answer": said[1]},
        ],
        "yes": yes,
        "threshold": 2,
        "suggestion": result,
        "lang": "en",
    }


def test_info_counts_and_files(catalogue):
    files = [LoadedFile("built-in", "/pkg/procedures.yaml", True), LoadedFile("--catalog", "/x.yaml", False)]
    output = views.info("9.9", catalogue, files, [("Cache", "/cache")])
    assert output.data() == {
        "painref": "9.9",
        "catalogue_version": "tiny-1",
        "counts": {"procedures": 3, "conditions": 4, "treatments": 3, "guide topics": 0, "synonyms": 1},
        "files": [
            {"origin": "built-in", "path": "/pkg/procedures.yaml", "exists": True},
            {"origin": "--catalog", "path": "/x.yaml", "exists": False},
        ],
        "cache": "/cache",
        "problem": None,
        "trust": None,
        "languages": [],
    }
    assert output.blocks[1] == Fields(
        (
            ("Catalogue version", "tiny-1"),
            ("Entries", "3 procedures, 4 conditions, 3 treatments, 0 guide topics, 1 synonyms"),
            ("Cache", "/cache"),
        )
    )
    assert output.blocks[0] == Heading("painref 9.9", "an educational reference, not medical advice")
    assert output.blocks[2] == Grid(
        ("#", "From", "File"),
        (("1", "built-in", "/pkg/procedures.yaml"), ("2", "--catalog", "/x.yaml (missing)")),
        title="Files, in precedence order (later files win)",
    )
    assert output.records() == (
        {"order": 1, "origin": "built-in", "path": "/pkg/procedures.yaml", "exists": True},
        {"order": 2, "origin": "--catalog", "path": "/x.yaml", "exists": False},
    )
    assert output.columns == ("order", "origin", "path", "exists")
    broken = views.info("9.9", None, [], [], problem="bad file")
    assert broken.data()["counts"] == {}
    assert broken.data()["problem"] == "bad file"
    assert broken.blocks[1] == Fields((("Problem", "bad file"),))


# --- names --------------------------------------------------------------------------------------------------


def test_names_with_abbreviations(catalogue):
    knee = entry(catalogue, "knee-injection")
    assert (views.abbreviation_of(knee), views.labelled_name(knee), views.short_aliases(knee)) == (
        "KJI",
        "Knee joint injection (KJI)",
        "knee shot",
    )
    explained = Entry(P, {"id": "x", "name": "Epidural (in the back)", "aliases": ["ESI", "EPI", "shot"]})
    assert views.labelled_name(explained) == "Epidural (in the back)"
    assert views.short_aliases(explained, count=2) == "shot, EPI", "lay terms first, then other abbreviations"
    own_id = Entry(P, {"id": "tens", "name": "Nerve stimulation", "aliases": ["TENS"]})
    assert views.abbreviation_of(own_id) == ""


def _aliases_as_the_rule_says(entry: Entry, count: int) -> tuple[str, str]:
    """The abbreviation and the short aliases, spelled out slowly: the abbreviation is the first
    all-capitals alias of at most six characters that is not the id; then lay terms, then other
    abbreviations, never the abbreviation itself."""
    from painref.text import normalize

    def short_capitals(alias: str) -> bool:
        return alias.isupper() and len(alias) <= 6

    own = normalize(entry.id)
    abbreviation = next((a for a in entry.aliases if short_capitals(a) and normalize(a) != own), "")
    others = [a for a in entry.aliases if a != abbreviation]
    words = [a for a in others if not short_capitals(a)][:count]
    words += [a for a in others if short_capitals(a)][: max(count - len(words), 0)]
    return abbreviation, ", ".join(words)


# Aliases are non-empty texts (schema: TEXTS), as validation makes sure.
@given(
    st.lists(st.sampled_from(["TENS", "Tens", "ESI", "EPI", "TFESI", "BVNA 12", "LONGCAP", "shot", "knee shot"])),
    st.integers(0, 4),
)
def test_one_pass_over_the_aliases_gives_what_the_rule_says(aliases, count):
    entry = Entry(P, {"id": "tens", "name": "Nerve stimulation", "aliases": aliases})
    assert (views.abbreviation_of(entry), views.short_aliases(entry, count)) == _aliases_as_the_rule_says(entry, count)


@pytest.mark.parametrize("kinds", [[Kind.PROCEDURE], list(Kind), [Kind.TREATMENT]])
def test_a_listing_from_its_fields_alone_is_the_listing_from_whole_entries(catalogue, kinds):
    from painref import query

    whole = views.listing(query.filter_entries(catalogue, kinds), catalogue, kinds=kinds, filtered=False)
    lean = list(query.matching(catalogue, kinds, fields=LIST_FIELDS))
    assert all(len(e.data) < len(catalogue.get(e.id).data) for e in lean), "the entries really are partial"
    table = views.listing(iter(lean), catalogue, kinds=kinds, filtered=False, records=False)
    assert table.blocks == whole.blocks
    assert table.data() == [], "a table-only listing keeps no entries"
    if Kind.PROCEDURE in kinds:  # the filters read their own fields
        region = query.matching(catalogue, kinds, region="knee", fields=LIST_FIELDS)
        assert [e.id for e in region] == [e.id for e in query.filter_entries(catalogue, kinds, region="knee")]
