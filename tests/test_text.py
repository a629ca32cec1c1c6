"""Text as painref compares it: words, the one stemmer, and the per-word typo model."""

from __future__ import annotations

import pytest

from painref.text import edit_distance, is_typo_of, stem, typo_limit, words


@pytest.mark.parametrize(
    ("forms", "joined"),
    [
        (("tired", "tiredness"), True),
        (("stiff", "stiffness"), True),
        (("numb", "numbness"), True),
        (("exercise", "exercising", "exercises"), True),
        (("nerve", "nerves"), True),
        (("patch", "patches"), True),
        (("headache", "headaches"), True),
        (("slip", "slipping", "slipped"), True),
        (("brace", "braces", "bracing"), True),
        (("knee", "nerve"), False),
        (("stenosis", "stenos"), False),
    ],
)
def test_one_stem_joins_forms_of_one_word_and_only_those(forms, joined):
    assert (len({stem(form) for form in forms}) == 1) is joined


def test_an_apostrophe_joins_its_word():
    assert words("Can't sleep; won’t go away; Arnold's") == ["cant", "sleep", "wont", "go", "away", "arnolds"]


@pytest.mark.parametrize(
    ("typed", "word", "typo"),
    [
        ("knee", "nerve", False),  # short words are too close to guess between
        ("hip", "hop", False),  # under four letters: never a typo
        ("sciatca", "sciatica", True),
        ("celebrax", "celebrex", True),
        ("ablasion", "ablation", True),
        ("osteoarthritus", "osteoarthritis", True),
        ("lyrca", "lyrica", True),
        ("lyrca", "lyric", False),  # two edits in a five-letter word is too many
        ("gabapentin", "pregabalin", False),
        ("same", "same", False),
    ],
)
def test_typos_are_judged_per_word_with_a_bounded_distance(typed, word, typo):
    assert is_typo_of(typed, word) is typo


def test_the_typo_budget_grows_with_length():
    assert [typo_limit("x" * n) for n in (3, 4, 7, 8, 20)] == [0, 1, 1, 2, 2]


def test_edit_distance_stops_early_on_long_input():
    assert edit_distance("a" * 100_000, "b" * 100_000, limit=2) == 3
