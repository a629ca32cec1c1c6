"""painref.query: the list filters, choice picking and checklist answers, on the tiny catalogue."""

from __future__ import annotations

import pytest

import tiny
from painref.errors import NotFoundError, UsageError
from painref.model import Kind
from painref.query import filter_entries, parse_answers, pick_choice

P, C, T = Kind.PROCEDURE, Kind.CONDITION, Kind.TREATMENT
ALL = list(Kind)


@pytest.fixture(scope="module")
def catalogue():
    return tiny.build()


def ids(found) -> list[str]:
    return [entry.id for entry in found]


def test_no_filter_gives_every_entry_of_the_kinds_in_kind_order(catalogue):
    assert ids(filter_entries(catalogue, [T, P])) == [
        *("anti-inflammatories", "exercise", "walking"),
        *("knee-injection", "genicular-ablation", "facet-block"),
    ]


@pytest.mark.parametrize(
    ("kinds", "category", "expected"),
    [
        ([P], "ablation", ["genicular-ablation"]),
        ([P], "Joint Injection", ["knee-injection"]),
        ([P], "spinal", ["facet-block"]),  # a unique prefix
        ([T], "physical", ["exercise"]),  # a treatment type
        (ALL, "lifestyle", ["walking"]),
        (ALL, "medication", ["anti-inflammatories"]),
    ],
)
def test_category_filters_on_a_procedures_category_or_a_treatments_type(catalogue, kinds, category, expected):
    assert ids(filter_entries(catalogue, kinds, category=category)) == expected


@pytest.mark.parametrize(
    ("kinds", "region", "expected"),
    [
        (ALL, "knee", ["knee-injection", "genicular-ablation", "arthritis", "knee-arthritis"]),
        # "back" matches upper, mid and lower back.
        (ALL, "back", ["facet-block", "back-pain"]),
        ([C], "upper back", ["back-pain"]),
        ([P], "lower-back", ["facet-block"]),
        (ALL, "Leg", ["walking"]),
        ([C], "head", ["headache"]),
    ],
)
def test_region_filters_by_body_region(catalogue, kinds, region, expected):
    assert ids(filter_entries(catalogue, kinds, region=region)) == expected


def test_an_exact_region_is_not_widened_to_regions_containing_it(catalogue):
    with pytest.raises(NotFoundError, match="no procedures match region 'upper back'"):
        filter_entries(catalogue, [P], region="upper back")


def test_condition_filters_on_the_condition_its_family_and_its_members(catalogue):
    knee = catalogue.get("knee-arthritis")
    assert ids(filter_entries(catalogue, ALL, condition=knee)) == [
        *("knee-injection", "genicular-ablation", "arthritis", "knee-arthritis"),
        *("anti-inflammatories", "exercise", "walking"),
    ]
    family = catalogue.get("arthritis")
    assert ids(filter_entries(catalogue, [C, P], condition=family)) == [
        *("arthritis", "knee-arthritis", "knee-injection", "genicular-ablation"),
    ], "in the order of the kinds asked for"
    back = catalogue.get("back-pain")
    assert ids(filter_entries(catalogue, [T, P], condition=back)) == ["exercise", "facet-block"]


def test_filters_combine(catalogue):
    knee = catalogue.get("knee-arthritis")
    assert ids(filter_entries(catalogue, [P], category="ablation", region="knee", condition=knee)) == [
        "genicular-ablation"
    ]


@pytest.mark.parametrize(
    ("kinds", "filters", "message"),
    [
        ([P], {"category": "ablation", "region": "head"}, "no procedures match category 'ablation' and region 'head'"),
        ([P, T], {"region": "foot"}, "no procedures or treatments match region 'foot'"),
        (ALL, {"region": "foot"}, "no entries match region 'foot'"),
    ],
)
def test_filters_that_leave_nothing_say_which(catalogue, kinds, filters, message):
    with pytest.raises(NotFoundError) as raised:
        filter_entries(catalogue, kinds, **filters)
    assert raised.value.message == message


def test_an_empty_kind_says_the_catalogue_has_none():
    empty = tiny.build(tuple(e for e in tiny.ENTRIES if e[0] is not T))
    with pytest.raises(NotFoundError) as raised:
        filter_entries(empty, [T])
    assert raised.value.message == "the catalogue has no treatments"
    headache = empty.get("headache")
    with pytest.raises(NotFoundError, match="no procedures match condition 'Headache'"):
        filter_entries(empty, [P], condition=headache)


def test_an_unknown_region_or_category_is_a_usage_error(catalogue):
    with pytest.raises(UsageError, match="'elbow' is not a body region; choose from head, face"):
        filter_entries(catalogue, ALL, region="elbow")
    with pytest.raises(UsageError, match="'surgery' is not a category or treatment type; choose from spinal-injection"):
        filter_entries(catalogue, ALL, category="surgery")


@pytest.mark.parametrize(
    ("value", "choice"),
    [
        ("json", "json"),
        ("JSON", "json"),
        ("mark", "markdown"),
        ("m-a-r-k", "markdown"),
        ("c", "csv"),
        ("table", "table"),
    ],
)
def test_pick_choice_by_name_or_unique_prefix(value, choice):
    assert pick_choice(value, ["table", "json", "csv", "markdown"], "format") == choice


def test_an_exact_choice_wins_over_longer_ones_with_its_prefix():
    assert pick_choice("back", ["back", "backup"], "word") == "back"


@pytest.mark.parametrize("value", ["", "x", "ma", "!!"])
def test_pick_choice_refuses_unknown_or_ambiguous_values(value):
    with pytest.raises(UsageError) as raised:
        pick_choice(value, ["markdown", "man"], "'{value}' is not a format; choose from {choices}")
    assert raised.value.message == f"'{value}' is not a format; choose from markdown, man"


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        ("y,n,y", [True, False, True]),
        ("yes no YES", [True, False, True]),
        (" true , false,1 ", [True, False, True]),
        ("0 N Y", [False, False, True]),
    ],
)
def test_parse_answers(text, answers):
    assert parse_answers(text, 3) == answers


@pytest.mark.parametrize(
    ("text", "count", "message"),
    [
        ("y,maybe,n", 3, "answer 2 is 'maybe'; each answer must be y or n"),
        ("y,n", 3, "--answers needs 3 answers, one y or n per question, but got 2"),
        ("y,n,y,y", 3, "--answers needs 3 answers, one y or n per question, but got 4"),
        ("", 1, "--answers needs 1 answers, one y or n per question, but got 0"),
    ],
)
def test_parse_answers_errors(text, count, message):
    with pytest.raises(UsageError) as raised:
        parse_answers(text, count)
    assert raised.value.message == message
    assert raised.value.status == 2
