"""The search-quality floor: the evaluation in tests/data/search_eval.yaml must not regress."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from painref import compiler
from scripts import load_script

# The dev split's scores with the eighth to tenth rounds of blind sets (probe8, names8, probe9,
# probe10), which added 62 trap names (things close to but not in the catalogue), 200 names said
# with levels, sides and doses, short names and phrases, and (probe10) the hardest kind: long lay
# and clinical descriptions, questions and shorthand (95.2% top-1, 97.7% top-3, 40.6% nothing,
# 96.9% resolution, no wrong-confident resolution), less a small margin so one content edit cannot
# fail CI; raise these when search improves. Top-1 and top-3 fell from 96.6% and 98.5% when probe10
# joined (it scored 87.9% and 93.2% on its first run), and "nothing" and resolution from 46.9% and
# 99.1% with probe8 and names8 (most traps share a rare catalogue word: "lumbar puncture", "knee
# replacement"): by the sets' make-up, not by a change to search. names11 (91 names as notes and
# labels write them, a third traps; 61.4% resolution on its first run) took resolution from 98.1%
# to 96.5% and "nothing" from 40.6% to 37.9% when it joined, by its make-up too; names12 (75 names
# as referrals, orders and prescriptions write them; 77.6% on its first run) from 97.3% to 96.0%.
# "Nothing" rose from 37.7% to 41.3% when a query mostly of words no entry holds stopped taking a hit
# that holds little of it; probe13 (138 searches by patients, nurses, students and relatives; 88.2%
# top-1 on its first run) then left the figures at 94.9%, 98.0%, 41.3% and 96.1%. Resolution rose
# to 97.9% when names as paperwork writes them (shortened sides, occasions of care, a muscle or nerve
# where a procedure is done, a level beside a name at the spine) stopped being refused; probe14 (86
# such names and 88 searches; 59.6% of its names resolved on its first run) then left the figures
# at 94.5%, 97.8%, 42.7% and 97.3%.
# The test split is reported, never tuned on.
TOP1_FLOOR = 0.94
TOP3_FLOOR = 0.97
NOTHING_FLOOR = 0.40
RESOLUTION_FLOOR = 0.965


def _evaluation():
    return load_script("scripts/search_eval.py")


class _Outcomes(dict[str, list[Any]]):
    """Each language's dev split, evaluated when first asked for: the English and the Spanish tests
    then each pay for their own language only, and run side by side on two workers."""

    def __missing__(self, lang: str) -> list[Any]:
        self[lang] = _evaluation().evaluate(split="dev", lang=lang)
        return self[lang]


@pytest.fixture(scope="module")
def dev_outcomes() -> dict[str, list[Any]]:
    """The dev split, each language's queries apart (evaluated once per worker and language)."""
    return _Outcomes()


def test_the_evaluation_is_large_and_varied():
    evaluation = _evaluation()
    queries = evaluation.load_queries()
    assert len(queries) >= 300
    tags = {tag for item in queries for tag in item["tags"]}
    assert {"lay", "abbr", "typo", "multi", "clinical", "brand", "question", "nothing"} <= tags
    splits = [evaluation.split_of(item) for item in queries if item["set"] == "blind"]
    assert 0.4 < splits.count("test") / len(splits) < 0.6


def test_every_expected_answer_exists():
    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    for item in _evaluation().load_queries():
        for entry_id in item["expect"]:
            assert loaded.get(entry_id) is not None, (item["query"], entry_id)


def test_search_quality_holds_its_floor(dev_outcomes):
    evaluation = _evaluation()
    outcomes = dev_outcomes["en"]
    top1, top3 = evaluation.accuracy(outcomes)
    misses = [f"{o.query!r} -> {o.got}" for o in outcomes if not o.top3]
    assert top1 >= TOP1_FLOOR, f"top-1 fell to {top1:.1%}"
    assert top3 >= TOP3_FLOOR, f"top-3 fell to {top3:.1%}: {misses}"
    found = evaluation.scores(outcomes)
    assert found.nothing >= NOTHING_FLOOR, f"honest 'nothing' fell to {found.nothing:.1%}"
    assert found.resolution >= RESOLUTION_FLOOR, f"resolution fell to {found.resolution:.1%}"
    wrong = [f"{o.query!r} -> {o.resolved}" for o in outcomes if o.wrong_confident]
    assert not wrong, f"resolved confidently to a wrong entry: {wrong}"


# Spanish dev split, searched with Spanish chosen, less a margin; never a confident wrong answer.
# With the blind probe sets (probe7-es to probe10-es) it holds 94.4% top-1, 97.8% top-3, 43.1%
# nothing and 95.9% resolution: their out-of-scope queries and trap names share a rare catalogue
# word ("epidural para el parto", "prótesis de rodilla") and most still find that entry, so the
# share of honest "nothing" fell from 60.5% (then 50.0%) by the sets' make-up, not by a change to
# search; names8-es added names said with levels, sides and doses, probe9-es short lay phrases the
# catalogue does not write ("no duermo por el dolor"), and probe10-es long lay and clinical
# descriptions (top-1 96.5% -> 94.4% when it joined; it scored 86.4% on its first run). names11-es
# (108 names as notes and labels write them, a third traps; 60.6% resolution on its first run) took
# resolution from 96.8% to 92.5% and "nothing" from 43.1% to 39.8% when it joined; names12-es (90
# names as referrals, orders and prescriptions write them; 60.9% on its first run) from 92.8% to 89.9%.
# probe13-es (136 searches by patients, nurses, students and relatives, 16 of them traps; 84.2% top-1
# and 12.5% honest "nothing" on its first run) took top-1 from 95.2% to 94.1% and "nothing" from
# 38.9% to 36.9%: its traps name other specialties' conditions with words the catalogue writes
# ("piedras en el riñón", "epidural del parto"). Resolution rose from 89.7% to 93.0% with names as
# paperwork writes them (see above); probe14-es (about half names as paperwork writes them, half
# searches; 82.1% top-1 and 91.1% top-3 on its first run) then took top-1 from 94.1% to 93.0%, top-3
# from 97.8% to 97.1% and resolution to 91.8%, by its make-up.
SPANISH_FLOORS = {"top1": 0.925, "top3": 0.965, "nothing": 0.36, "resolution": 0.91}


def test_spanish_search_quality_holds_its_floor(dev_outcomes):
    evaluation = _evaluation()
    found = evaluation.scores(dev_outcomes["es"])
    assert found.queries >= 100
    assert found.top1 >= SPANISH_FLOORS["top1"], f"Spanish top-1 fell to {found.top1:.1%}"
    assert found.top3 >= SPANISH_FLOORS["top3"], f"Spanish top-3 fell to {found.top3:.1%}"
    assert found.nothing >= SPANISH_FLOORS["nothing"], f"Spanish honest 'nothing' fell to {found.nothing:.1%}"
    assert found.resolution >= SPANISH_FLOORS["resolution"], f"Spanish resolution fell to {found.resolution:.1%}"
    assert found.wrong_confident == 0


def test_the_script_prints_accuracy_and_misses(capsys, monkeypatch, tmp_path):
    evaluation = _evaluation()
    # A sample of the Spanish dev split, evaluated here (the whole split takes a minute): what the
    # script prints of it.
    sample = tmp_path / "sample.yaml"
    sample.write_text(yaml.safe_dump({"queries": evaluation.load_queries(split="dev", lang="es")[:40]}), "utf-8")
    outcomes = evaluation.evaluate(sample)
    asked = []
    monkeypatch.setattr(evaluation, "evaluate", lambda *_file, **how: asked.append(how) or outcomes)
    assert evaluation.main(["--split", "dev", "--lang", "es"]) == 0
    assert asked == [{"split": "dev", "lang": "es"}]
    out = capsys.readouterr().out
    assert out.startswith("40 queries (dev, es): top-1 ")
    assert "top-3" in out
