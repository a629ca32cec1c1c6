"""Text as painref compares it: words, the one stemmer, and the per-word typo model."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painref.text import edit_distance, folded, is_typo_of, normalize, stem, typo_limit, whole_number, words


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


@pytest.mark.parametrize(
    ("typed", "word"),
    [("injcion", "injection"), ("epidrl", "epidural"), ("tramdl", "tramadol"), ("lidocne", "lidocaine")],
)
def test_a_long_word_may_lose_two_letters(typed, word):
    assert is_typo_of(typed, word)
    assert is_typo_of(word, typed)  # the same budget either way round


@pytest.mark.parametrize(
    ("typed", "word"),
    [("nerve", "nervous"), ("lyrca", "lyric"), ("kne", "knee"), ("sciat", "sciatica")],
)
def test_short_words_gain_no_second_typo(typed, word):
    # Two edits need a word of eight letters or more on one side and four or more on the other.
    assert not is_typo_of(typed, word)


def test_the_typo_budget_grows_with_length():
    assert [typo_limit("x" * n) for n in (3, 4, 7, 8, 20)] == [0, 1, 1, 2, 2]


def test_edit_distance_stops_early_on_long_input():
    assert edit_distance("a" * 100_000, "b" * 100_000, limit=2) == 3


# --- from the per-module tests ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("S.I. Joint", "sijoint"),
        ("si-joint", "sijoint"),
        ("  Radio Frequency  ", "radiofrequency"),
        ("M54.16", "m5416"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold, not lower
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalize_keeps_only_lowercase_letters_and_digits(text, key):
    assert normalize(text) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lower-back pain, 2 weeks!", ["lower", "back", "pain", "2", "weeks"]),
        ("M54.16", ["m54", "16"]),
        ("  ", []),
        ("Café", ["cafe"]),  # accents are folded away, so they are optional in queries
    ],
)
def test_words_are_lowercase_runs_of_letters_and_digits_in_order(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("injections", "injection"),
        ("therapies", "therapy"),
        ("burning", "burn"),
        ("injected", "inject"),
        ("stimulates", "stimulat"),  # one stem for stimulate, stimulates, stimulated, stimulating
        ("nerves", "nerv"),
        # Short words and words whose stem would be under three letters stay whole.
        ("discs", "disc"),
        ("legs", "legs"),
        ("pies", "pies"),
        ("doing", "doing"),
        # -ss, -us and -is are not plurals.
        ("stenosis", "stenosis"),
        ("spasmus", "spasmus"),
        ("fitness", "fit"),
        ("disc", "disc"),
        ("ablation", "ablation"),
    ],
)
def test_stem_strips_plural_and_verb_endings(word, expected):
    assert stem(word) == expected


def test_stem_is_idempotent_on_stems():
    for word in ("injection", "therapy", "burn", "nerve"):
        assert stem(stem(word)) == stem(word)


@settings(max_examples=500, deadline=None)
@given(st.text(st.one_of(st.characters(codec="utf-8"), st.sampled_from(list("aeiouñüçé’'́̃-— ")))))
def test_folding_drops_every_combining_mark_and_nothing_else(text):
    """folded() looks only at non-ASCII runs: the answer is that of walking every character."""
    import unicodedata

    whole = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    assert folded(text) == whole
    assert words(text) == re.findall(r"[0-9a-z]+", re.sub(r"(?<=[a-z])['\u2019](?=[a-z])", "", whole))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80", 80), (" 120 ", 120), ("²", None), ("⁸⁰", None), ("٣", None), ("-1", None), ("9" * 5000, None), ("", None)],
)
def test_a_whole_number_is_ascii_digits_of_a_sane_length(text, expected):
    # str.isdigit() says yes to "²" and to Arabic-Indic digits, which int() refuses or reads.
    assert whole_number(text) == expected


@pytest.mark.parametrize("variable", ["COLUMNS", "PAINREF_STALE_AFTER"])
@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_odd_numbers_in_the_environment_are_one_sentence(run, variable, value):
    result = run("show", "rfa", env={variable: value})
    assert "unexpected error" not in result.output
    assert result.exit_code in (0, 2)
    assert len(result.stderr) < 300
