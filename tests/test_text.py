"""painref.text: name keys, words and the one stemmer shared by the index and the query."""

from __future__ import annotations

import pytest

from painref.text import normalize, stem, words


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
        ("Café", ["caf"]),  # only ASCII letters and digits make words
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
        ("stimulates", "stimulate"),
        ("nerves", "nerve"),
        # Short words and words whose stem would be under three letters stay whole.
        ("discs", "disc"),
        ("legs", "legs"),
        ("pies", "pies"),
        ("doing", "doing"),
        # -ss, -us and -is are not plurals.
        ("stenosis", "stenosis"),
        ("spasmus", "spasmus"),
        ("fitness", "fitness"),
        ("disc", "disc"),
        ("ablation", "ablation"),
    ],
)
def test_stem_strips_plural_and_verb_endings(word, expected):
    assert stem(word) == expected


def test_stem_is_idempotent_on_stems():
    for word in ("injection", "therapy", "burn", "nerve"):
        assert stem(stem(word)) == stem(word)
