"""Shell completion of entry names, aliases and guide topics, as the shell asks for it."""

from __future__ import annotations

import pytest


def _complete(run, words: str, cword: int) -> list[str]:
    result = run(env={"_PAINREF_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert result.exit_code == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("painref show rf", {"rfa"}),
        ("painref show RF", {"RFA", "RFN"}),
        ("painref show epid", {"epidural", "epidural-steroid-injection"}),
        ("painref condition sci", {"sciatica"}),
        ("painref compare esi sc", {"scs"}),
        ("painref guide proc", {"procedure-day"}),
        ("painref list --condition cr", {"crps"}),
    ],
)
def test_names_and_aliases_complete(run, words, expected):
    offered = set(_complete(run, words, len(words.split()) - 1))
    assert expected <= offered, offered


def test_condition_completion_offers_only_conditions(run):
    assert "rfa" not in _complete(run, "painref condition r", 2)
    assert "radiculopathy" in _complete(run, "painref condition r", 2)


def test_completion_never_offers_words_with_spaces(run):
    assert all(" " not in word for word in _complete(run, "painref show ", 2))
