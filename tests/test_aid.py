"""Decision-aid views: natural frequencies, guideline stances, options by line, option grids, decide."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date

import pytest

import ptys
from painref import aid, compiler
from painref.errors import UsageError
from painref.model import Indication

PAINREF = shutil.which("painref") or ""


@pytest.fixture(scope="module")
def loaded():
    return compiler.load([], env={"PAINREF_NO_CACHE": "1"})


def test_frequency_reads_as_counts_in_one_denominator_with_the_comparator():
    outcome = {
        "outcome": "at least half the pain gone",
        "per": 100,
        "with_option": 48.6,
        "without_option": 35,
        "comparator": "placebo",
        "timeframe": "12 weeks",
        "certainty": "moderate",
    }
    assert (
        aid.frequency(outcome) == "at least half the pain gone (12 weeks): 48.6 in 100 with it, 35 in 100 with placebo"
    )
    rare = {"outcome": "serious infection", "per": 10000, "with_option": 3, "timeframe": "per procedure"}
    assert aid.frequency(rare) == "serious infection (per procedure): 3 in 10,000 with it"
    assert aid.frequency({"not_quantified": "Trials report averages only."}) == (
        "Not known as numbers: Trials report averages only."
    )
    assert aid.certainty(outcome) == "moderate certainty"


def test_stance_lines_name_the_body_year_stance_and_population():
    record = Indication(
        {
            "guidelines": [
                {"body": "NICE", "year": 2016, "stance": "consider", "population": "for acute and severe sciatica"},
                {"body": "BMJ", "year": 2025, "stance": "do-not-offer"},
            ]
        }
    )
    assert aid.stance_lines(record) == (
        "NICE 2016 says consider it for acute and severe sciatica",
        "BMJ 2025 advises against it",
    )
    assert aid.stance_lines(Indication({"guidelines": []})) == ("No guideline we cite makes a recommendation",)


def test_options_follow_the_lines_of_care_and_put_advised_against_last(loaded):
    found = aid.options(loaded.get("knee-osteoarthritis"), loaded)
    lines = [o.indication.line for o in found if not o.against]
    order = list(aid.LINES)
    assert lines == sorted(lines, key=order.index)
    against = [o for o in found if o.against]
    assert against
    assert found[-len(against) :] == against
    assert {"tens", "platelet-rich-plasma-injection"} <= {o.entry.id for o in against}


def test_check_dates_are_marked_when_due_for_review(loaded):
    entry = loaded.get("sciatica")
    checked = date.fromisoformat(entry.last_checked)
    assert aid.checked(entry, checked) == f"Facts checked {entry.last_checked}."
    later = date(checked.year + 2, checked.month, 1)
    assert "ask whether newer guidance exists" in aid.checked(entry, later)
    assert "ask whether" not in aid.checked(entry, later, stale_after=10_000)


def test_ratings_parse_in_order_or_by_name():
    assert aid.parse_ratings("3,2,1,3,2,1") == {
        "quick-relief": 3,
        "lasting-relief": 2,
        "no-needles": 1,
        "few-side-effects": 3,
        "no-daily-medicine": 2,
        "short-recovery": 1,
    }
    named = aid.parse_ratings(
        "no-needles=3 quick-relief=1 lasting-relief=1 few-side-effects=2 no-daily-medicine=2 short-recovery=1"
    )
    assert named["no-needles"] == 3
    for bad in ("3,2,1", "4,2,1,3,2,1", "speed=3,2,1,3,2,1", "a,b,c,d,e,f"):
        with pytest.raises(UsageError):
            aid.parse_ratings(bad)


def test_decide_ranks_nothing_and_names_the_tradeoffs(loaded):
    ratings = aid.parse_ratings("3,2,3,2,1,2")
    output = aid.decide(loaded.get("sciatica"), loaded, ratings, today=date(2026, 12, 6))
    data = output.data()
    assert data["kind"] == "decision"
    assert [p["rating"] for p in data["priorities"]] == [3, 2, 3, 2, 1, 2]
    assert not {"recommended", "best", "score", "rank"} & set(json.dumps(data).split('"'))
    needles = next(t for t in data["tradeoffs"] if t.startswith("Avoiding needles"))
    assert "Epidural steroid injection" in needles
    assert "How soon could each option ease my pain?" in data["questions"]
    assert any(o["advised_against"] for o in data["options"])


def test_condition_data_carries_every_record_with_its_flags(loaded):
    output = aid.condition(loaded.get("knee-osteoarthritis"), loaded, today=date(2026, 12, 6))
    data = output.data()
    tens = next(o for o in data["options"] if o["id"] == "tens")
    assert tens["advised_against"] is True
    assert tens["line"] != "first-line"
    assert {o["id"] for o in data["options"]} >= {"watchful-waiting", "exercise-therapy"}
    assert all(item["kind"] in ("procedure", "treatment") for item in data["options"])
    assert {t["id"] for t in data["treatments"]} <= {o["id"] for o in data["options"]}


def test_option_grid_answers_the_same_questions_for_every_option(loaded):
    entries = [loaded.get("epidural-steroid-injection"), loaded.get("physical-therapy")]
    rows = aid.option_grid(entries, loaded.get("sciatica"), loaded)
    assert [row[0] for row in rows] == list(aid.GRID_QUESTIONS)
    assert all(len(row) == 3 for row in rows)
    guidelines = {row[0]: row[1:] for row in rows}["What do guidelines say?"]
    assert any("NICE 2016" in line for line in guidelines[0])


def test_compare_names_a_condition_among_the_entries_as_context(run_json, run):
    table = run("compare", "epidural", "physical-therapy", "sciatica").stdout
    assert "As options for Sciatica" in table
    assert "How well does it work?" in table
    answer = run_json("compare", "epidural", "physical-therapy", "--condition", "sciatica")
    assert answer[0]["indication"]["line"] == "specialist"


@pytest.mark.skipif(not PAINREF or sys.platform == "win32", reason="needs the console script on POSIX")
def test_decide_asks_on_a_terminal_and_refuses_to_wait_without_one():
    env = {**os.environ, "NO_COLOR": "1", "PAINREF_NO_CACHE": "1", "COLUMNS": "100"}
    piped = subprocess.run(
        [PAINREF, "decide", "sciatica"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
        timeout=60, check=False,
    )  # fmt: skip
    assert piped.returncode == 2
    assert "--answers" in piped.stderr
    deadline = time.monotonic() + ptys.DEADLINE_SECONDS
    pid, fd = ptys.spawn([PAINREF, "decide", "sciatica"], env)
    answered = 0

    def answer(output: bytes) -> None:
        nonlocal answered
        if output.count(b"[1/2/3]") > answered:
            answered += 1
            os.write(fd, b"3\n" if answered != 2 else b"7\n2\n")  # an out-of-range answer is asked again

    try:
        output = ptys.read_until(fd, deadline=deadline, on_output=answer)
        assert ptys.wait(pid, deadline=deadline) == 0
    finally:
        os.close(fd)
    assert answered >= 6, output[-500:]
    assert b"Please answer 1, 2 or 3." in output
    assert b"Weighing options for Sciatica" in output


@pytest.mark.parametrize(
    "args",
    [
        ("show", "sciatica"),
        ("show", "sciatica", "-f", "markdown"),
        ("show", "epidural", "-f", "html"),
        ("condition", "sciatica"),
        ("decide", "sciatica", "--answers", "3,2,3,2,1,2", "-f", "markdown"),
    ],
)
def test_every_view_marks_a_check_date_that_is_due_for_review(run, args):
    fresh = run(*args)
    assert fresh.exit_code == 0, fresh.stderr
    assert "newer guidance" not in fresh.stdout
    later = run(*args, env={"PAINREF_TODAY": "2030-01-01"})
    assert "ask whether newer guidance exists" in " ".join(later.stdout.split())
