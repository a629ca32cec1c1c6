"""What each command shows, as plain data: blocks for people, records for scripts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from painref.model import (
    INVASIVENESS,
    AnyEntry,
    Catalogue,
    Checklist,
    Condition,
    GuideSection,
    Kind,
    Procedure,
    Purpose,
    Source,
    Treatment,
    TreatmentType,
)
from painref.schema import ENTRY_FIELDS
from painref.text import normalize

if TYPE_CHECKING:
    from painref.search import Hit

DISCLAIMER = "painref is an educational reference, not medical advice: decide on care with your clinician."

Cell = str | tuple[str, ...]


class Heading(NamedTuple):
    text: str
    subtitle: str = ""


class Paragraph(NamedTuple):
    text: str
    # "plain", "note" (muted, for hints and the disclaimer) or "label" (a short bold line).
    style: str = "plain"


class Fields(NamedTuple):
    """A card's label/value rows."""

    rows: tuple[tuple[str, Cell], ...]


class Section(NamedTuple):
    """A titled part of a handout: a paragraph, a bulleted list, or both."""

    title: str
    items: tuple[str, ...] = ()
    text: str = ""


class Grid(NamedTuple):
    """A table: a header row and rows of cells; `highlight` words are emphasised."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    highlight: tuple[str, ...] = ()
    # The first column names the rows (compare's attributes) rather than holding data.
    row_labels: bool = False
    # Columns a narrow terminal may drop to keep the table readable.
    optional: tuple[str, ...] = ()
    # The column holding entry names, kept wide enough to read.
    name_column: int = 0


Block = Heading | Paragraph | Fields | Grid | Section


class Output(NamedTuple):
    """One command's answer in every shape: blocks (table, markdown), data (json), records (csv).

    `data` and `records` are made only when asked for: a table never pays for building JSON.
    """

    blocks: tuple[Block, ...]
    data: Callable[[], Any]
    records: Callable[[], tuple[dict[str, Any], ...]] = tuple
    columns: tuple[str, ...] = ()


LABELS: dict[str, str] = {
    "aliases": "Also called",
    "summary": "Summary",
    "category": "Category",
    "type": "Type",
    "family": "Part of",
    "members": "Includes",
    "how_it_works": "How it works",
    "conditions": "Used for",
    "regions": "Body regions",
    "image_guidance": "Imaging",
    "anesthesia": "Anesthesia",
    "setting": "Setting",
    "procedure_time": "Procedure time",
    "recovery": "Recovery",
    "relief_onset": "Relief starts",
    "relief_duration": "Relief lasts",
    "purpose": "Diagnostic?",
    "invasiveness": "Invasiveness",
    "variants": "Variants",
    "examples": "Examples",
    "symptoms": "Symptoms",
    "warning_signs": "Warning signs",
    "icd10": "ICD-10-CM",
    "treatments": "Treatments",
    "procedures": "Procedures",
    "risks": "Risks",
    "preparation": "Preparing",
    "aftercare": "Aftercare",
    "red_flags": "When to get help",
    "questions": "Questions to ask",
    "evidence": "Evidence",
    "sources": "Sources",
    "last_checked": "Last checked",
}

# The rows of `compare`, in order; rows that are empty for every entry are left out.
COMPARE_ROWS: tuple[str, ...] = (
    "kind",
    "category",  # a treatment's type shows here too, so kinds line up in one row
    "summary",
    "how_it_works",
    "conditions",
    "regions",
    "image_guidance",
    "anesthesia",
    "setting",
    "procedure_time",
    "recovery",
    "relief_onset",
    "relief_duration",
    "purpose",
    "invasiveness",
    "examples",
    "symptoms",
    "warning_signs",
    "icd10",
    "treatments",
    "procedures",
    "risks",
    "evidence",
)

PURPOSE_TEXT = {
    Purpose.DIAGNOSTIC: "Yes: mainly to find the pain source",
    Purpose.THERAPEUTIC: "No: a treatment",
    Purpose.BOTH: "Both: finds the pain source and treats it",
}
# The same, as a handout says it.
PURPOSE_PROSE = {
    Purpose.DIAGNOSTIC: "Mainly a test: relief afterwards shows where the pain comes from. It is used for:",
    Purpose.THERAPEUTIC: "A treatment, to ease pain. It is used for:",
    Purpose.BOTH: "Both a test of where the pain comes from and a treatment. It is used for:",
}
GUIDANCE_TEXT = {
    "fluoroscopy": "fluoroscopy (live X-ray)",
    "ultrasound": "ultrasound",
    "ct": "CT scan",
    "none": "none needed",
}
# Conservative options in the order a clinician usually reaches for them.
TREATMENT_ORDER = (
    TreatmentType.LIFESTYLE,
    TreatmentType.PHYSICAL,
    TreatmentType.MEDICATION,
    TreatmentType.PSYCHOLOGICAL,
    TreatmentType.COMPLEMENTARY,
)


def _is_abbreviation(alias: str) -> bool:
    return alias.isupper() and len(alias) <= 6


def short_aliases(entry: AnyEntry, count: int = 3) -> str:
    """A few aliases for a list: the lay terms people say, shortest first, after the abbreviation."""
    abbreviation = abbreviation_of(entry)
    ranked = sorted((a for a in entry.aliases if a != abbreviation), key=lambda a: (_is_abbreviation(a), len(a)))
    return ", ".join(ranked[:count])


def abbreviation_of(entry: AnyEntry) -> str:
    """The entry's first all-capitals alias, such as ESI or RFA, or nothing."""
    return next((a for a in entry.aliases if _is_abbreviation(a) and normalize(a) != normalize(entry.id)), "")


def labelled_name(entry: AnyEntry) -> str:
    abbreviation = abbreviation_of(entry)
    # A name that already explains itself in parentheses gets no second pair.
    shown = abbreviation and "(" not in entry.name
    return f"{entry.name} ({abbreviation})" if shown else entry.name


def _titled(text: str) -> str:
    return text.replace("-", " ").capitalize()


# --- records: the JSON and CSV shapes --------------------------------------------------------


def _plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {key: _plain(item) for key, item in value._asdict().items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    return value


def record(entry: AnyEntry) -> dict[str, Any]:
    """An entry as SPEC.md's JSON object: kind, id, name, then every other field."""
    data: dict[str, Any] = {"kind": entry.kind.value}
    for spec in ENTRY_FIELDS[entry.kind]:
        value = getattr(entry, spec.name)
        data[spec.name] = _plain(value) if value is not None else None
    data["members"] = list(entry.members)
    if isinstance(entry, Condition):
        data["procedures"] = list(entry.procedures)
        data["treatments"] = list(entry.treatments)
    return data


def _flat(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        if "url" in value:
            return f"{value['title']} <{value['url']}>"
        if "code" in value:
            return f"{value['code']} {value['description']}"
        if "description" in value:
            return f"{value['name']}: {value['description']}"
        return "; ".join(f"{k}={_flat(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def flat_record(data: dict[str, Any]) -> dict[str, str]:
    """A JSON record flattened for CSV: lists joined with '; '."""
    return {key: _flat(value) for key, value in data.items()}


def csv_columns(entries: Iterable[AnyEntry], leading: Sequence[str] = ()) -> tuple[str, ...]:
    """A stable column order: the leading columns, then each kind's fields in schema order."""
    columns: list[str] = [*leading, "kind"]
    kinds = {entry.kind for entry in entries}
    for kind in Kind:
        if kind not in kinds:
            continue
        for name in (*(spec.name for spec in ENTRY_FIELDS[kind]), "members"):
            if name not in columns:
                columns.append(name)
        if kind is Kind.CONDITION:
            for name in ("procedures", "treatments"):
                if name not in columns:
                    columns.append(name)
    return tuple(columns)


def _csv_records(entries: Sequence[AnyEntry], extra: Sequence[dict[str, Any]] = ()) -> tuple[dict[str, str], ...]:
    rows = []
    for index, entry in enumerate(entries):
        flat = flat_record(record(entry))
        if extra:
            flat = {**{k: _flat(v) for k, v in extra[index].items()}, **flat}
        rows.append(flat)
    return tuple(rows)


# --- display values ---------------------------------------------------------------------------


# Symptoms written as "Urgent: ..." or "See a doctor soon: ..." are shown apart, as warning signs.
_WARNING_PREFIXES = ("urgent", "see a doctor")


def _is_warning(symptom: str) -> bool:
    return symptom.casefold().startswith(_WARNING_PREFIXES)


def display(entry: AnyEntry, name: str, catalogue: Catalogue) -> Cell:
    """A field as people read it: names instead of ids, words instead of codes."""
    if name == "kind":
        return entry.kind.value
    if name in ("symptoms", "warning_signs") and isinstance(entry, Condition):
        # Urgent symptoms live in red_flags; a catalogue that still lists them among the
        # symptoms (prefixed "Urgent" or "See a doctor") gets them shown apart all the same.
        wanted = name == "warning_signs"
        split = tuple(s for s in entry.symptoms if _is_warning(s) == wanted)
        return (*split, *entry.red_flags) if wanted else split
    if name == "category" and isinstance(entry, Treatment):
        return _titled(entry.type.value)
    value = getattr(entry, name, None)
    if value is None or value == () or value == "":
        return ""
    if name in ("conditions", "members", "procedures", "treatments"):
        return catalogue.names(value)
    if name == "family":
        return catalogue.names((value,))[0]
    if name in ("category", "type"):
        return _titled(value.value)
    if name == "regions":
        return ", ".join(r.replace("-", " ") for r in value)
    if name == "image_guidance":
        kinds = [GUIDANCE_TEXT.get(g.value, g.value) for g in value if g.value != "none"]
        if len(kinds) < len(value):  # "none" beside other kinds means imaging is optional
            return "not always needed; " + " or ".join(kinds) if kinds else "none needed"
        return ", ".join(kinds)
    if name == "purpose":
        return PURPOSE_TEXT[value]
    if name == "invasiveness":
        return f"{value}/5: {INVASIVENESS.get(value, '')}"
    if name == "icd10":
        return tuple(f"{c.code}  {c.description}{' (category)' if c.category else ''}" for c in value)
    if name == "variants":
        return tuple(f"{v.name}: {v.description}" for v in value)
    if name == "sources":
        return _source_lines(value)
    if name in ("aliases", "examples"):
        return ", ".join(value)
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return str(value)


def _source_lines(sources: Sequence[Source]) -> tuple[str, ...]:
    """Each source as its title, then its URL on a line of its own so it stays whole to copy."""
    return tuple(f"{s.title}\n{s.url}" for s in sources)


def _subtitle(entry: AnyEntry) -> str:
    parts = [entry.kind.value]
    if isinstance(entry, Procedure):
        parts.append(_titled(entry.category.value).lower())
    elif isinstance(entry, Treatment):
        parts.append(entry.type.value)
    if entry.regions:
        parts.append(", ".join(r.replace("-", " ") for r in entry.regions))
    return " · ".join(parts)


# --- commands ---------------------------------------------------------------------------------

_CARD_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.PROCEDURE: (
        "aliases",
        "family",
        "members",
        "how_it_works",
        "conditions",
        "image_guidance",
        "anesthesia",
        "setting",
        "procedure_time",
        "recovery",
        "relief_onset",
        "relief_duration",
        "purpose",
        "invasiveness",
        "variants",
        "risks",
        "preparation",
        "aftercare",
        "red_flags",
        "questions",
        "evidence",
        "sources",
        "last_checked",
    ),
    Kind.CONDITION: (
        "aliases",
        "family",
        "members",
        "symptoms",
        "warning_signs",
        "icd10",
        "variants",
        "treatments",
        "procedures",
        "preparation",
        "aftercare",
        "questions",
        "evidence",
        "sources",
        "last_checked",
    ),
    Kind.TREATMENT: (
        "aliases",
        "family",
        "members",
        "how_it_works",
        "examples",
        "conditions",
        "relief_onset",
        "relief_duration",
        "variants",
        "risks",
        "evidence",
        "sources",
        "last_checked",
    ),
}


# Labels that read differently on a condition, where the patient prepares for a visit, not a procedure.
_CONDITION_LABELS = {"preparation": "Before your visit", "aftercare": "Self-care"}


def show(entry: AnyEntry, catalogue: Catalogue) -> Output:
    labels = {**LABELS, **_CONDITION_LABELS} if isinstance(entry, Condition) else LABELS
    rows = tuple((labels[name], cell) for name in _CARD_FIELDS[entry.kind] if (cell := display(entry, name, catalogue)))
    blocks: tuple[Block, ...] = (
        Heading(entry.name, _subtitle(entry)),
        Paragraph(entry.summary),
        Fields(rows),
        Paragraph(DISCLAIMER, "note"),
    )
    return Output(blocks, lambda: record(entry), lambda: _csv_records([entry]), csv_columns([entry]))


def handout(entry: Procedure | Condition, catalogue: Catalogue) -> Output:
    """A printable patient page: what it is, why, preparing, the day, aftercare, relief, risks,
    when to get help, questions to ask, sources and the disclaimer (for Markdown and HTML)."""
    blocks: list[Block] = [Heading(entry.name, _subtitle(entry)), Paragraph(entry.summary)]
    if entry.aliases:
        blocks.append(Paragraph(f"Also called: {', '.join(entry.aliases)}", "note"))
    if isinstance(entry, Procedure):
        day = [
            f"{LABELS[name]}: {value}"
            for name in ("anesthesia", "setting", "procedure_time", "recovery")
            if (value := display(entry, name, catalogue)) and isinstance(value, str)
        ]
        relief = [f"Relief starts: {entry.relief_onset}", f"Relief lasts: {entry.relief_duration}"]
        sections = [
            Section("What it is", text=entry.how_it_works),
            Section("Why it is done", catalogue.names(entry.conditions), PURPOSE_PROSE[entry.purpose]),
            Section("How to prepare", entry.preparation),
            Section("On the day", tuple(day)),
            Section("Afterwards", entry.aftercare),
            Section("Relief to expect", tuple(relief)),
            Section("Risks", entry.risks),
        ]
    else:
        treatments, procedures = condition_options(entry, catalogue)
        symptoms = display(entry, "symptoms", catalogue)
        sections = [
            Section("Common symptoms", symptoms if isinstance(symptoms, tuple) else ()),
            Section("Getting ready for your visit", entry.preparation),
            Section("Looking after yourself", entry.aftercare),
            Section("Care usually tried first", tuple(f"{t.name}: {t.summary}" for t in treatments)),
            Section("Procedures, least invasive first", tuple(f"{p.name}: {p.summary}" for p in procedures)),
        ]
    warnings = display(entry, "warning_signs", catalogue) if isinstance(entry, Condition) else entry.red_flags
    flags = warnings if isinstance(warnings, tuple) else ()
    clinic = tuple(f for f in flags if not f.casefold().startswith("urgent"))
    urgent = tuple(f for f in flags if f.casefold().startswith("urgent"))
    sections += [
        Section("When to call the clinic", tuple(_unprefixed(f) for f in clinic)),
        Section("When to seek urgent care", tuple(_unprefixed(f) for f in urgent)),
        Section("Questions to ask your doctor", entry.questions),
        Section("What the evidence says", text=entry.evidence),
        Section("Sources", tuple(f"{source.title}: {source.url}" for source in entry.sources)),
    ]
    blocks += [section for section in sections if section.items or section.text]
    blocks.append(Paragraph(f"Facts last checked {entry.last_checked}. {DISCLAIMER}", "note"))
    return Output(tuple(blocks), lambda: record(entry), lambda: _csv_records([entry]), csv_columns([entry]))


class LoadedFile(NamedTuple):
    origin: str
    path: str
    exists: bool


def info(
    version: str,
    catalogue: Catalogue | None,
    files: Sequence[LoadedFile],
    places: Sequence[tuple[str, str]],
    problem: str = "",
) -> Output:
    """What painref is reading: versions, counts, every file in precedence order, and where things live."""
    blocks: list[Block] = [Heading(f"painref {version}", "an educational reference, not medical advice")]
    rows: list[tuple[str, Cell]] = []
    counts: dict[str, int] = {}
    if catalogue is not None:
        counts = {kind.plural: sum(1 for _ in catalogue.entries(kind)) for kind in Kind}
        counts["guide topics"] = len(catalogue.guide)
        counts["synonyms"] = len(catalogue.synonyms)
        rows.append(("Catalogue version", catalogue.version))
        rows.append(("Entries", ", ".join(f"{n} {what}" for what, n in counts.items())))
    if problem:
        rows.append(("Problem", problem))
    rows += [(label, path) for label, path in places]
    blocks.append(Fields(tuple(rows)))
    blocks.append(
        Grid(
            ("#", "From", "File"),
            tuple((str(i), f.origin, f.path + ("" if f.exists else " (missing)")) for i, f in enumerate(files, 1)),
            title="Files, in precedence order (later files win)",
        )
    )
    data = {
        "painref": version,
        "catalogue_version": catalogue.version if catalogue is not None else None,
        "counts": counts,
        "files": [f._asdict() for f in files],
        **{label.lower().replace(" ", "_"): path for label, path in places},
        "problem": problem or None,
    }
    records = tuple({"order": i, **f._asdict()} for i, f in enumerate(files, 1))
    return Output(tuple(blocks), lambda: data, lambda: records, ("order", "origin", "path", "exists"))


def _unprefixed(flag: str) -> str:
    """A red flag without its "Urgent:" or "Call the clinic:" lead, which the section title says."""
    head, colon, rest = flag.partition(":")
    if colon and head.casefold() in ("urgent", "call the clinic", "see a doctor"):
        return rest.strip()
    return flag


def _list_name(entry: AnyEntry, grouped: bool) -> str:
    return f"· {labelled_name(entry)}" if grouped and entry.family else labelled_name(entry)


def ordered(entries: Iterable[AnyEntry], catalogue: Catalogue) -> list[AnyEntry]:
    """Alphabetical, with each family's members straight after the family entry."""

    def key(entry: AnyEntry) -> tuple[str, int, str]:
        family = catalogue.get(entry.family) if entry.family else None
        group = family.name if family else entry.name
        return (group.casefold(), 1 if family else 0, entry.name.casefold())

    return sorted(entries, key=key)


def _list_grid(kind: Kind, entries: Sequence[AnyEntry], catalogue: Catalogue, grouped: bool, title: str = "") -> Grid:
    if kind is Kind.PROCEDURE:
        columns: tuple[str, ...] = ("Procedure", "Also called", "Category", "Summary")
        rows = [
            (_list_name(e, grouped), short_aliases(e, 2), display(e, "category", catalogue), e.summary) for e in entries
        ]
    elif kind is Kind.CONDITION:
        columns = ("Condition", "Also called", "ICD-10-CM", "Summary")
        rows = [
            (
                _list_name(e, grouped),
                short_aliases(e),
                ", ".join(c.code for c in e.icd10[:3]) + ("…" if len(e.icd10) > 3 else ""),
                e.summary,
            )
            for e in entries
            if isinstance(e, Condition)
        ]
    else:
        columns = ("Treatment", "Also called", "Type", "Summary")
        rows = [(_list_name(e, grouped), short_aliases(e), display(e, "type", catalogue), e.summary) for e in entries]
    return Grid(columns, tuple(tuple(r) for r in rows), title=title, optional=columns[1:3])


def listing(entries: Sequence[AnyEntry], catalogue: Catalogue, *, kinds: Sequence[Kind], filtered: bool) -> Output:
    blocks: list[Block] = []
    in_order: list[AnyEntry] = []
    for kind in kinds:
        of_kind = ordered((e for e in entries if e.kind is kind), catalogue)
        if not of_kind:
            continue
        in_order += of_kind
        title = f"{kind.plural.capitalize()} ({len(of_kind)})" if len(kinds) > 1 or filtered else ""
        blocks.append(_list_grid(kind, of_kind, catalogue, grouped=not filtered, title=title))
    blocks.append(Paragraph("Details: painref show NAME · compare: painref compare NAME NAME", "note"))
    return Output(
        tuple(blocks),
        lambda: [record(e) for e in in_order],
        lambda: _csv_records(in_order),
        csv_columns(in_order),
    )


def compare(entries: Sequence[AnyEntry], catalogue: Catalogue) -> Output:
    rows: list[tuple[Cell, ...]] = []
    for name in COMPARE_ROWS:
        cells = [display(entry, name, catalogue) for entry in entries]
        if any(cells):
            rows.append((LABELS.get(name, name.capitalize()), *(cell or "—" for cell in cells)))
    grid = Grid(("", *(entry.name for entry in entries)), tuple(rows), row_labels=True)
    return Output(
        (grid, Paragraph(DISCLAIMER, "note")),
        lambda: [record(e) for e in entries],
        lambda: _csv_records(entries),
        csv_columns(entries),
    )


def condition_options(condition: Condition, catalogue: Catalogue) -> tuple[list[Treatment], list[Procedure]]:
    """What can be done: the condition's own options and, for a family, its members'.

    A member does not inherit its family's options: what helps nerve pain in general (spinal cord
    stimulation, say) is not offered for trigeminal neuralgia unless linked to it directly.
    """
    related = [condition]
    related += [m for m in catalogue.get_many(condition.members) if isinstance(m, Condition)]
    treatment_ids = dict.fromkeys(i for c in related for i in c.treatments)
    procedure_ids = dict.fromkeys(i for c in related for i in c.procedures)
    options = catalogue.get_many([*treatment_ids, *procedure_ids])
    treatments = [t for t in options if isinstance(t, Treatment)]
    procedures = [p for p in options if isinstance(p, Procedure)]
    treatments.sort(key=lambda t: (TREATMENT_ORDER.index(t.type), t.name.casefold()))
    procedures.sort(key=lambda p: (p.invasiveness, p.name.casefold()))
    return treatments, procedures


def condition(entry: Condition, catalogue: Catalogue) -> Output:
    treatments, procedures = condition_options(entry, catalogue)
    card_rows: list[tuple[str, Cell]] = [
        (LABELS[name], cell)
        for name in ("aliases", "family", "members", "symptoms", "warning_signs", "icd10")
        if (cell := display(entry, name, catalogue))
    ]
    blocks: list[Block] = [Heading(entry.name, _subtitle(entry)), Paragraph(entry.summary), Fields(tuple(card_rows))]
    if treatments:
        blocks.append(
            Grid(
                ("Treatment", "Type", "How it helps"),
                tuple((t.name, t.type.value, t.summary) for t in treatments),
                title="1. Conservative care (usually tried first)",
            )
        )
    if procedures:
        blocks.append(
            Grid(
                ("Procedure", "Invasiveness", "Relief lasts"),
                tuple((p.name, f"{p.invasiveness}/5", p.relief_duration) for p in procedures),
                title="2. Interventional procedures, least invasive first",
            )
        )
    if not treatments and not procedures:
        blocks.append(Paragraph("The catalogue links no treatments or procedures to this condition yet.", "note"))
    if entry.family and (family := catalogue.get(entry.family)) is not None:
        blocks.append(Paragraph(f"Options for {family.name} in general: painref condition {family.id}", "note"))
    blocks.append(Paragraph(f"Evidence: {entry.evidence}"))
    blocks.append(Paragraph(DISCLAIMER, "note"))

    def data() -> dict[str, Any]:
        found = record(entry)
        found["treatments"] = [record(t) for t in treatments]
        found["procedures"] = [record(p) for p in procedures]
        return found

    options: list[AnyEntry] = [*treatments, *procedures]
    extra = [{"role": "treatment", "rank": i + 1} for i in range(len(treatments))]
    extra += [{"role": "procedure", "rank": i + 1} for i in range(len(procedures))]
    return Output(
        tuple(blocks),
        data,
        lambda: _csv_records(options, extra),
        csv_columns(options, ("role", "rank")),
    )


def search_results(hits: Sequence[Hit]) -> Output:
    """Each hit with why it matched: the field, and the words found there highlighted."""
    grid = Grid(
        ("Kind", "Name", "Matched", "Summary"),
        tuple(
            (
                h.entry.kind.value,
                h.entry.name,
                _matched(h),
                h.entry.summary,
            )
            for h in hits
        ),
        highlight=tuple(dict.fromkeys(w for h in hits for w in h.matched)),
        name_column=1,
    )

    def data() -> list[dict[str, Any]]:
        return [
            {
                **record(h.entry),
                "score": h.score,
                "matched": {"field": h.field, "words": list(h.matched), "text": h.context},
            }
            for h in hits
        ]

    extra = [{"score": h.score, "matched_field": h.field, "matched_text": h.context} for h in hits]
    entries = [h.entry for h in hits]
    return Output(
        (grid,),
        data,
        lambda: _csv_records(entries, extra),
        csv_columns(entries, ("score", "matched_field", "matched_text")),
    )


def _matched(hit: Hit) -> str:
    label = LABELS.get(hit.field, hit.field.replace("_", " ").capitalize())
    if hit.field in ("name", "id") or not hit.context:
        return label
    return f"{label}: {hit.context}"


def guide_index(sections: Sequence[GuideSection]) -> Output:
    grid = Grid(("Topic", "Title", "Summary"), tuple((s.id, s.title, s.summary) for s in sections))
    records = tuple({"id": s.id, "title": s.title, "summary": s.summary} for s in sections)
    return Output(
        (grid, Paragraph("Read a topic: painref guide TOPIC (for example: painref guide procedure-day)", "note")),
        lambda: [_plain(s) for s in sections],
        lambda: records,
        ("id", "title", "summary"),
    )


def guide_section(section: GuideSection) -> Output:
    blocks: list[Block] = [Heading(section.title, "guide")]
    blocks.append(Paragraph(section.summary, "label"))
    # A blank line separates paragraphs; single line breaks in the YAML are only how it was typed.
    blocks += [Paragraph(" ".join(part.split())) for part in section.body.split("\n\n") if part.strip()]
    rows: list[tuple[str, Cell]] = []
    if section.points:
        rows.append(("Key points", section.points))
    rows.append(("Sources", _source_lines(section.sources)))
    blocks.append(Fields(tuple(rows)))
    blocks.append(Paragraph(DISCLAIMER, "note"))
    data = _plain(section)
    flat = flat_record(data)
    return Output(tuple(blocks), lambda: data, lambda: (flat,), tuple(flat))


def checklist(checks: Checklist, answers: Sequence[bool]) -> Output:
    yes = sum(answers)
    enough = yes >= checks.threshold
    result = checks.result_yes if enough else checks.result_no
    grid = Grid(
        ("#", "Answer", "Question"),
        tuple(
            (str(i + 1), "yes" if a else "no", q.question)
            for i, (q, a) in enumerate(zip(checks.questions, answers, strict=True))
        ),
    )
    blocks: tuple[Block, ...] = (
        grid,
        Paragraph(f"You answered yes to {yes} of {len(answers)}.", "label"),
        Paragraph(result),
        Paragraph(DISCLAIMER, "note"),
    )
    questions = [
        {"id": q.id, "question": q.question, "why": q.why, "answer": "yes" if a else "no"}
        for q, a in zip(checks.questions, answers, strict=True)
    ]
    data = {"questions": questions, "yes": yes, "threshold": checks.threshold, "suggestion": result}
    return Output(blocks, lambda: data, lambda: tuple(questions), ("id", "question", "why", "answer"))
