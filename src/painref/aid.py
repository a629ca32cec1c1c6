"""Decision-aid views: a condition's options by line of care, option grids and values clarification.

They follow the International Patient Decision Aid Standards: every option, including watchful
waiting, with what the cited guidelines say and how well it works as a natural frequency with one
denominator and time frame, or why that is not known; the date the facts were checked; who wrote
them. painref never picks an option: `decide` shows how each fits what the person says matters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from painref.errors import UsageError
from painref.i18n import N_, _, language
from painref.model import Catalogue, Entry, Indication, Kind
from painref.records import csv_columns, csv_records, record
from painref.schema import AGAINST, BY_NAME, CERTAINTY, INVASIVENESS, LINES, STANCES, advised_against
from painref.views import (
    DISCLAIMER,
    Block,
    Cell,
    Fields,
    Grid,
    Heading,
    Output,
    Paragraph,
    Section,
    compare_rows,
    display,
    marked,
    subtitle,
)

# After this many days a fact's check date is shown as due for review.
STALE_AFTER_DAYS = 365
AGAINST_TITLE = N_("Guidelines advise against these")


class Option(NamedTuple):
    """One option for a condition: the entry and its indication record."""

    entry: Entry
    indication: Indication

    @property
    def against(self) -> bool:
        """Every guideline the record cites advises against the option (and at least one does)."""
        return advised_against(self.indication.guidelines)

    @property
    def flagged(self) -> bool:
        """At least one cited guideline advises against the option."""
        return any(g.get("stance") in AGAINST for g in self.indication.guidelines)


def options(condition: Entry, catalogue: Catalogue) -> list[Option]:
    """The condition's options in line-of-care order, each line least invasive first.

    Options every cited guideline advises against come last, in a group of their own, so they
    can never read as "usually tried first".
    """
    records = catalogue.indications(condition.id)
    entries = {entry.id: entry for entry in catalogue.get_many([r.option for r in records])}
    found = [Option(entries[r.option], r) for r in records if r.option in entries]
    lines = list(LINES)

    def order(option: Option) -> tuple[int, int, int, str]:
        line = lines.index(option.indication.line) if option.indication.line in lines else len(lines)
        invasive = option.entry.get("invasiveness") or 0
        return (1 if option.against else 0, line, invasive, option.entry.name.casefold())

    return sorted(found, key=order)


# --- words for numbers and stances ---------------------------------------------------------------


def _number(value: Any) -> str:
    """A count as the source gave it: whole numbers with thousands separators, decimals as written."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return f"{int(value):,}"


def frequency(outcome: Mapping[str, Any]) -> str:
    """An outcome as a natural frequency: "at least 50% less pain (12 weeks): 49 in 100 with it,
    35 in 100 with placebo", or why no number is given. Numbers are the source's, unchanged."""
    if "not_quantified" in outcome:
        return _("Not known as numbers: {reason}").format(reason=outcome["not_quantified"])
    per = _number(outcome["per"])
    text = _("{outcome} ({timeframe}): {count} in {per} with it").format(
        outcome=outcome["outcome"], timeframe=outcome["timeframe"], count=_number(outcome["with_option"]), per=per
    )
    if "without_option" in outcome:
        text += _(", {count} in {per} with {comparator}").format(
            count=_number(outcome["without_option"]), per=per, comparator=outcome["comparator"]
        )
    return text


def certainty(outcome: Mapping[str, Any]) -> str:
    return _(CERTAINTY[str(outcome["certainty"])]) if outcome.get("certainty") in CERTAINTY else ""


def stance_lines(indication: Indication) -> tuple[str, ...]:
    """What each cited guideline says, one line each: "NICE 2016 says consider it (for ...)"."""
    lines = []
    for guideline in indication.guidelines:
        stance = str(guideline.get("stance"))
        said = _(STANCES[stance]) if stance in STANCES else stance
        who = f"{guideline.get('body')} {guideline.get('year')}"
        population = str(guideline.get("population") or "").removeprefix("for ")
        line = _("{who} {said} for {population}") if population else _("{who} {said}")
        lines.append(line.format(who=who, said=said, population=population))
    return tuple(lines) or (_("No guideline we cite makes a recommendation"),)


def _expect(option: Option) -> Cell:
    """What to expect: the plain bottom line, then the natural frequency where a source gives one."""
    benefit = option.indication.benefit
    cells = [option.indication.bottom_line]
    if benefit and "not_quantified" not in benefit:
        cells.append(_("{frequency}; {certainty}.").format(frequency=frequency(benefit), certainty=certainty(benefit)))
    for harm in option.indication.harms:
        cells.append(_("Harm: {frequency}.").format(frequency=frequency(harm)))
    return tuple(cells) if len(cells) > 1 else cells[0]


def checked(entry: Entry, today: date, stale_after: int = STALE_AFTER_DAYS) -> str:
    """The date an entry's facts were checked, marked when it is older than `stale_after` days."""
    when = entry.last_checked
    try:
        age = (today - date.fromisoformat(when)).days
    except ValueError:
        return _("Facts checked {date}.").format(date=when)
    if age > stale_after:
        message = _("Facts checked {date}, over {days} days ago: ask whether newer guidance exists.")
        return message.format(date=when, days=stale_after)
    return _("Facts checked {date}.").format(date=when)


def trust_note(catalogue: Catalogue) -> str:
    """Who wrote and reviewed the content, funding and conflicts, in one line."""
    trust = catalogue.trust
    if trust is None:
        return _("This catalogue does not say who wrote it, who reviewed it or who paid for it.")
    return _("Written by {authors}. {review} Funding: {funding}. Conflicts: {conflicts}.").format(
        authors=trust.authors, review=trust.review, funding=trust.funding, conflicts=trust.conflicts
    )


# --- condition ------------------------------------------------------------------------------------


def condition(entry: Entry, catalogue: Catalogue, *, today: date, stale_after: int = STALE_AFTER_DAYS) -> Output:
    """What can be done for a condition: its options grouped by line of care as the guidelines put
    them, each with what the guidelines say and what to expect, and flagged options apart."""
    found = options(entry, catalogue)
    card: list[tuple[str, Cell]] = [
        (marked(entry, name, _(BY_NAME[name].label)), cell)
        for name in ("aliases", "family", "members", "symptoms", "warning_signs", "icd10")
        if (cell := display(entry, name, catalogue))
    ]
    blocks: list[Block] = [Heading(entry.name, subtitle(entry)), Paragraph(entry.summary), Fields(tuple(card))]
    groups: dict[str, list[Option]] = {}
    for option in found:
        groups.setdefault(AGAINST_TITLE if option.against else option.indication.line, []).append(option)
    for number, (line, members) in enumerate(groups.items(), start=1):
        title = f"{number}. {_(LINES.get(line, line))}"
        rows = tuple((_option_name(option), stance_lines(option.indication), _expect(option)) for option in members)
        blocks.append(
            Grid((_("Option"), _("What guidelines say"), _("What to expect")), rows, title=title, name_column=0)
        )
    if not found:
        blocks.append(Paragraph(_("The catalogue has no options for this condition yet."), "note"))
    if any(option.flagged and not option.against for option in found):
        blocks.append(Paragraph(_("! marks an option at least one cited guideline advises against."), "note"))
    if entry.family and (family := catalogue.get(entry.family)) is not None:
        blocks.append(
            Paragraph(
                _("Options for {name} in general: painref condition {id}").format(name=family.name, id=family.id),
                "note",
            )
        )
    types = catalogue.get_many(entry.members)
    if types:
        pointers = "; ".join(f"painref condition {member.id}" for member in types)
        blocks.append(Paragraph(_("Options for each type: {pointers}").format(pointers=pointers), "note"))
    evidence = _("Evidence (in English): {evidence}") if "evidence" in entry.fallback else _("Evidence: {evidence}")
    blocks.append(Paragraph(evidence.format(evidence=entry.text("evidence"))))
    blocks.append(Paragraph(f"{checked(entry, today, stale_after)} {_(DISCLAIMER)}", "note"))

    treatments = [o.entry for o in found if o.entry.kind is Kind.TREATMENT]
    procedures = [o.entry for o in found if o.entry.kind is Kind.PROCEDURE]

    def data() -> dict[str, Any]:
        found_record = record(entry)
        found_record["treatments"] = [record(t) for t in treatments]
        found_record["procedures"] = [record(p) for p in procedures]
        found_record["options"] = [_option_record(option) for option in found]
        return found_record

    entries = [option.entry for option in found]
    extra = [
        {
            "rank": rank,
            "line": option.indication.line,
            "advised_against": "yes" if option.against else "some" if option.flagged else "no",
            "guidelines": "; ".join(stance_lines(option.indication)),
            "bottom_line": option.indication.bottom_line,
            "benefit": frequency(option.indication.benefit) if option.indication.benefit else "",
        }
        for rank, option in enumerate(found, start=1)
    ]
    leading = ("rank", "line", "advised_against", "guidelines", "bottom_line", "benefit")
    return Output(tuple(blocks), data, lambda: csv_records(entries, extra), csv_columns(entries, leading))


def _option_name(option: Option) -> str:
    mark = "! " if option.flagged and not option.against else ""
    return f"{mark}{option.entry.name}"


def _option_record(option: Option) -> dict[str, Any]:
    """An option for scripts: which entry, its record as the catalogue gives it, and the flags."""
    return {
        "kind": option.entry.kind.value,
        "id": option.entry.id,
        "name": option.entry.name,
        **{key: value for key, value in option.indication.data.items() if key not in ("condition", "option")},
        "advised_against": option.against,
        "flagged": option.flagged,
    }


def care_sections(entry: Entry, catalogue: Catalogue) -> list[Section]:
    """A condition's options for a handout, one section per line of care; flagged options apart."""
    groups: dict[str, list[str]] = {}
    for option in options(entry, catalogue):
        line = _(AGAINST_TITLE) if option.against else _(LINES.get(option.indication.line, option.indication.line))
        groups.setdefault(line, []).append(f"{_option_name(option)}: {option.indication.bottom_line}")
    return [Section(title, tuple(items)) for title, items in groups.items()]


# --- compare: the option grid ---------------------------------------------------------------------

# The questions an Option Grid answers, in the same words for every column.
GRID_QUESTIONS = (
    N_("How well does it work?"),
    N_("How long does relief last?"),
    N_("What are the main risks, and how often?"),
    N_("What do guidelines say?"),
    N_("What is it like?"),
    N_("Date checked"),
)


def _like(entry: Entry) -> str:
    """What having the option is like, from the fields that say so."""
    if entry.kind is Kind.PROCEDURE:
        parts = [entry.text(name).rstrip(".") for name in ("setting", "anesthesia", "recovery") if entry.text(name)]
        return ". ".join(parts) + "." if parts else ""
    return entry.text("how_it_works")


def _risks(entry: Entry, indication: Indication | None) -> Cell:
    harms = tuple(f"{frequency(harm)}." for harm in indication.harms) if indication else ()
    return (*harms, *entry.texts("risks")[:4])


def option_grid(entries: Sequence[Entry], context: Entry, catalogue: Catalogue) -> tuple[tuple[Cell, ...], ...]:
    """Option Grid rows for these entries as options for one condition."""
    records = {r.option: r for r in catalogue.indications(context.id)}
    rows: list[tuple[Cell, ...]] = []
    for question in GRID_QUESTIONS:
        cells: list[Cell] = []
        for entry in entries:
            indication = records.get(entry.id)
            if entry.id == context.id:
                cells.append(_("(the condition)") if question != "Date checked" else entry.last_checked)
            elif question == "How well does it work?":
                cells.append(
                    _expect(Option(entry, indication)) if indication else _("Not an option for this condition here")
                )
            elif question == "How long does relief last?":
                cells.append(entry.text("relief_duration") or "—")
            elif question == "What are the main risks, and how often?":
                cells.append(_risks(entry, indication) or "—")
            elif question == "What do guidelines say?":
                cells.append(stance_lines(indication) if indication else "—")
            elif question == "What is it like?":
                cells.append(_like(entry) or "—")
            else:
                cells.append(entry.last_checked)
        rows.append((_(question), *cells))
    return tuple(rows)


def compare(entries: Sequence[Entry], catalogue: Catalogue, context: Entry | None) -> Output:
    """Entries side by side; for a condition (given, or one of the entries), Option Grid rows first."""
    options_only = [entry for entry in entries if context is None or entry.id != context.id]
    blocks: list[Block] = []
    if context is not None:
        grid = Grid(
            ("", *(entry.name for entry in options_only)),
            option_grid(options_only, context, catalogue),
            title=_("As options for {name}").format(name=context.name),
            row_labels=True,
        )
        blocks.append(grid)
    rows = (*compare_rows(entries, catalogue), (_("Date checked"), *(entry.last_checked for entry in entries)))
    blocks.append(
        Grid(("", *(entry.name for entry in entries)), rows, title=_("Details") if context else "", row_labels=True)
    )
    if context is None and len({entry.kind for entry in entries} - {Kind.CONDITION}) > 0:
        hint = _("For how well each works for one condition: painref compare NAME NAME --condition CONDITION")
        blocks.append(Paragraph(hint, "note"))
    blocks.append(Paragraph(_(DISCLAIMER), "note"))

    def data() -> list[dict[str, Any]]:
        found = [record(entry) for entry in entries]
        if context is not None:
            records = {r.option: r for r in catalogue.indications(context.id)}
            for item, entry in zip(found, entries, strict=True):
                if entry.id in records:
                    item["indication"] = _option_record(Option(entry, records[entry.id]))
        return found

    return Output(tuple(blocks), data, lambda: csv_records(entries), csv_columns(entries))


# --- decide: values clarification ----------------------------------------------------------------


class Priority(NamedTuple):
    id: str
    label: str
    question: str
    # What to ask the clinician when this matters.
    ask: str
    # The trade-off to talk about when it matters a lot; {options} names the options it bears on.
    tradeoff: str


PRIORITIES: tuple[Priority, ...] = (
    Priority(
        "quick-relief",
        N_("Quick relief"),
        N_("How much does getting relief quickly matter to you?"),
        N_("How soon could each option ease my pain?"),
        N_(
            "Quick relief matters a lot to you: some options can work within days, others take weeks of regular effort."
        ),
    ),
    Priority(
        "lasting-relief",
        N_("Lasting relief"),
        N_("How much does relief that lasts a long time matter to you?"),
        N_("How long does relief usually last, and can the option be repeated?"),
        N_(
            "Lasting relief matters a lot to you: ask how long relief from each option lasts and if it can be repeated."
        ),
    ),
    Priority(
        "no-needles",
        N_("Avoiding needles or implants"),
        N_("How much does avoiding needles, injections or an implant matter to you?"),
        N_("Which options avoid needles, injections and implants, and how well do they work for me?"),
        N_("Avoiding needles matters a lot to you; these options involve a needle or an implant: {options}."),
    ),
    Priority(
        "few-side-effects",
        N_("Fewest side effects"),
        N_("How much does avoiding side effects and risks matter to you?"),
        N_("What are the most common side effects of each option, and how often do they happen?"),
        N_("Few side effects matter a lot to you: compare each option's risks, and how often they happen."),
    ),
    Priority(
        "no-daily-medicine",
        N_("Avoiding daily medicines"),
        N_("How much does avoiding medicines you take every day matter to you?"),
        N_("Which options do not need a medicine every day?"),
        N_("Avoiding daily medicines matters a lot to you; these options are medicines: {options}."),
    ),
    Priority(
        "short-recovery",
        N_("Short recovery"),
        N_("How much does getting back to normal activities the same day matter to you?"),
        N_("How much time off work or rest would each option need?"),
        N_("A short recovery matters a lot to you: a procedure can need a day of rest; therapy needs regular time."),
    ),
)
# The lines of care as a short column value.
LINE_SHORT = {
    "self-care": N_("self care"),
    "first-line": N_("first line"),
    "add-on": N_("add-on"),
    "specialist": N_("specialist"),
    "last-resort": N_("last resort"),
}
# Priorities that can pull against each other when both matter a lot.
TENSIONS: tuple[tuple[str, str, str], ...] = (
    (
        "no-needles",
        "lasting-relief",
        N_(
            "You rated avoiding needles and lasting relief both very important; they can pull apart:"
            " ask how the options without needles compare over time."
        ),
    ),
    (
        "quick-relief",
        "few-side-effects",
        N_(
            "You rated quick relief and few side effects both very important; faster options can carry"
            " more risks: ask how the two weigh for you."
        ),
    ),
)
RATINGS = {1: N_("not important"), 2: N_("somewhat important"), 3: N_("very important")}


def parse_ratings(text: str) -> dict[str, int]:
    """'3,2,1,3,2,1' (one rating per priority, in order) or 'quick-relief=3,...' as ratings 1-3."""
    given = [part.strip() for part in text.replace(" ", ",").split(",") if part.strip()]
    ratings: dict[str, int] = {}
    by_id = {p.id: p for p in PRIORITIES}
    for position, part in enumerate(given):
        name, equals, value = part.partition("=")
        if not equals:
            name, value = (PRIORITIES[position].id if position < len(PRIORITIES) else ""), part
        if name not in by_id:
            raise UsageError(
                _("'{name}' is not a priority; use {choices}").format(name=name or part, choices=", ".join(by_id))
            )
        if value not in ("1", "2", "3"):
            raise UsageError(
                _("rating '{value}' for {name} must be 1 (not important), 2 (somewhat) or 3 (very)").format(
                    value=value, name=name
                )
            )
        ratings[name] = int(value)
    missing = [p.id for p in PRIORITIES if p.id not in ratings]
    if missing:
        count = len(PRIORITIES)
        raise UsageError(
            _("--answers needs a rating from 1 to 3 for each of {count} priorities; missing {missing}").format(
                count=count, missing=", ".join(missing)
            )
        )
    return ratings


def _fits(priority: str, entry: Entry) -> str:
    """How an option stands on one priority, in words taken from its own fields."""
    if priority == "quick-relief":
        return entry.text("relief_onset") or "—"
    if priority == "lasting-relief":
        return entry.text("relief_duration") or "—"
    if priority == "no-needles":
        if entry.kind is Kind.PROCEDURE:
            level = entry.get("invasiveness")
            return (
                _("No: {how}").format(how=_(INVASIVENESS[str(level)]))
                if str(level) in INVASIVENESS
                else _("No: a procedure")
            )
        return _("Yes: no injection or implant")
    if priority == "few-side-effects":
        risks = entry.texts("risks")
        return "; ".join(risks[:2]) if risks else "—"
    if priority == "no-daily-medicine":
        if entry.kind is Kind.TREATMENT and entry.text("type") == "medication":
            return _("No: a medicine, often taken regularly")
        return _("Yes: not a medicine")
    if entry.kind is Kind.PROCEDURE:
        return entry.text("recovery") or "—"
    return _("No time off needed; it takes regular effort") if entry.text("type") != "medication" else _("No time off")


def decide(entry: Entry, catalogue: Catalogue, ratings: Mapping[str, int], *, today: date) -> Output:
    """A one-page summary to bring to the consultation: what matters to the person, how each option
    stands on it, the trade-offs and the questions to ask. It ranks nothing and picks nothing."""
    found = options(entry, catalogue)
    chosen = sorted((p for p in PRIORITIES if ratings.get(p.id, 1) > 1), key=lambda p: -ratings[p.id])
    shown = chosen[:3]
    blocks: list[Block] = [
        Heading(_("Weighing options for {name}").format(name=entry.name), _("a summary to bring to your consultation")),
        Paragraph(
            _(
                "painref does not choose for you. It shows how each option stands on what you said matters,"
                " so you and your clinician can talk it through."
            ),
            "note",
        ),
        Fields(tuple((_(p.label), _(RATINGS[ratings.get(p.id, 1)])) for p in PRIORITIES)),
    ]
    considered = [o for o in found if not o.against]
    columns = (_("Option"), _("Line of care"), *(_(p.label) for p in shown))
    rows = tuple(
        (
            _option_name(o),
            _(LINE_SHORT.get(o.indication.line, o.indication.line)),
            *(_fits(p.id, o.entry) for p in shown),
        )
        for o in considered
    )
    # On a narrow terminal the third priority's column gives way; Markdown and HTML keep it.
    grid = Grid(columns, rows, title=_("How each option stands on what matters most to you"), optional=columns[4:])
    blocks.append(grid)
    against = [o.entry.name for o in found if o.against]
    if against:
        blocks.append(Paragraph(f"{_(AGAINST_TITLE)}: {', '.join(against)}.", "note"))
    tradeoffs = _tradeoffs(chosen, considered, ratings)
    if tradeoffs:
        blocks.append(Section(_("Trade-offs to talk about"), tuple(tradeoffs)))
    questions = [_(p.ask) for p in chosen] + list(entry.texts("questions"))
    blocks.append(Section(_("Questions to ask"), tuple(dict.fromkeys(questions))))
    blocks.append(Paragraph(f"{checked(entry, today)} {trust_note(catalogue)} {_(DISCLAIMER)}", "note"))

    def data() -> dict[str, Any]:
        return {
            "kind": "decision",
            "condition": {"id": entry.id, "name": entry.name},
            "priorities": [
                {
                    "id": p.id,
                    "label": _(p.label),
                    "rating": ratings.get(p.id, 1),
                    "meaning": _(RATINGS[ratings.get(p.id, 1)]),
                }
                for p in PRIORITIES
            ],
            "options": [{**_option_record(o), "fits": {p.id: _fits(p.id, o.entry) for p in PRIORITIES}} for o in found],
            "tradeoffs": tradeoffs,
            "questions": list(dict.fromkeys(questions)),
            "checked": entry.last_checked,
            "disclaimer": _(DISCLAIMER),
            "lang": language(),
        }

    entries = [o.entry for o in found]
    extra = [{p.id: _fits(p.id, o.entry) for p in PRIORITIES} for o in found]
    return Output(
        tuple(blocks), data, lambda: csv_records(entries, extra), csv_columns(entries, tuple(p.id for p in PRIORITIES))
    )


def _tradeoffs(chosen: Sequence[Priority], considered: Sequence[Option], ratings: Mapping[str, int]) -> list[str]:
    """Plain sentences on where what matters most pulls apart, from facts the options carry."""
    bears_on = {
        "no-needles": [o.entry.name for o in considered if o.entry.kind is Kind.PROCEDURE],
        "no-daily-medicine": [o.entry.name for o in considered if o.entry.text("type") == "medication"],
    }
    very = {p.id for p in chosen if ratings[p.id] == 3}
    lines = []
    for priority in chosen:
        if priority.id not in very:
            continue
        named = bears_on.get(priority.id)
        if named is None:
            lines.append(_(priority.tradeoff))
        elif named:
            lines.append(_(priority.tradeoff).format(options=", ".join(named)))
    lines += [_(sentence) for first, second, sentence in TENSIONS if {first, second} <= very]
    return lines
