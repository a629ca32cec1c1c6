"""What each command shows, as plain data: blocks for people, records for scripts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import call, itemgetter
from typing import Any, NamedTuple

from painref.i18n import N_, _, language
from painref.model import Catalogue, Checklist, Entry, GuideSection, Hit, Kind, Source
from painref.records import csv_columns, csv_records, guide_record, record
from painref.schema import BY_NAME, Field, FieldType, fields_of
from painref.text import normalize

DISCLAIMER = N_("painref is an educational reference, not medical advice: decide on care with your clinician.")

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


# The same, as a handout says it.
PURPOSE_PROSE = {
    "diagnostic": N_("Mainly a test: relief afterwards shows where the pain comes from. It is used for:"),
    "therapeutic": N_("A treatment, to ease pain. It is used for:"),
    "both": N_("Both a test of where the pain comes from and a treatment. It is used for:"),
}
# Words for the kinds as views show them, declared here so translators find them.
KIND_WORDS = (
    *(N_("procedure"), N_("condition"), N_("treatment")),
    *(N_("Procedure"), N_("Condition"), N_("Treatment")),
    *(N_("Procedures"), N_("Conditions"), N_("Treatments")),
    *(N_("procedures"), N_("conditions"), N_("treatments"), N_("guide topics"), N_("synonyms")),
)
# How many aliases a list shows beside each name, by kind (procedures have a wide category column).
_LIST_ALIASES = {Kind.PROCEDURE: 2}


def _alias_parts(entry: Entry) -> tuple[str, list[str], list[str]]:
    """The entry's aliases in one pass: its abbreviation (see `abbreviation_of`), then the lay
    terms and the other abbreviations, in the catalogue's order, without the abbreviation. An
    abbreviation is all capitals and at most six characters long (ESI, TFESI, but not "BVNA 12")."""
    abbreviation = ""
    own = None  # the entry's id as a key, worked out only when an abbreviation might be it
    words: list[str] = []
    others: list[str] = []
    for alias in entry.aliases:
        if len(alias) > 6 or not alias.isupper():
            words.append(alias)
        elif alias == abbreviation:
            continue
        elif abbreviation:
            others.append(alias)
        else:
            if own is None:
                own = normalize(entry.id)
            if normalize(alias) != own:
                abbreviation = alias
            else:
                others.append(alias)
    return abbreviation, words, others


def _shortened(words: list[str], others: list[str], count: int) -> str:
    return ", ".join(words[:count] if len(words) >= count else words + others[: count - len(words)])


def short_aliases(entry: Entry, count: int = 3) -> str:
    """A few aliases for a list: the first lay terms the catalogue gives (its order says which
    matter most), then abbreviations; never the one already beside the name. Not shortest first:
    brand names are short, and "Mapap" says less than "paracetamol"."""
    _, words, others = _alias_parts(entry)
    return _shortened(words, others, count)


def abbreviation_of(entry: Entry) -> str:
    """The entry's first all-capitals alias, such as ESI or RFA, or nothing."""
    return _alias_parts(entry)[0]


def labelled_name(entry: Entry, abbreviation: str | None = None) -> str:
    if abbreviation is None:
        abbreviation = abbreviation_of(entry)
    # A name that already explains itself in parentheses gets no second pair.
    shown = abbreviation and "(" not in entry.name
    return f"{entry.name} ({abbreviation})" if shown else entry.name


# --- display values ---------------------------------------------------------------------------


# Symptoms written as "Urgent: ..." or "See a doctor soon: ..." are shown apart, as warning signs.
_WARNING_PREFIXES = ("urgent", "see a doctor")


def _is_warning(symptom: str) -> bool:
    return symptom.casefold().startswith(_WARNING_PREFIXES)


def display(entry: Entry, name: str, catalogue: Catalogue) -> Cell:
    """A field as people read it: names instead of ids, words instead of codes."""
    field = BY_NAME[name]
    if name in ("symptoms", "warning_signs") and entry.kind is Kind.CONDITION:
        # Urgent symptoms live in red_flags; a catalogue that still lists them among the
        # symptoms (prefixed "Urgent" or "See a doctor") gets them shown apart all the same.
        wanted = name == "warning_signs"
        split = tuple(s for s in entry.texts("symptoms") if _is_warning(s) == wanted)
        return (*split, *entry.texts("red_flags")) if wanted else split
    value = entry.get(name)
    if value is None or value == [] or value == "":
        return ""
    return _shown(field, value, catalogue)


def _shown(field: Field, value: Any, catalogue: Catalogue) -> Cell:
    """A value of a field, by its type, as a cell."""
    kind = field.type
    if kind is FieldType.REFS:
        return catalogue.names(value)
    if kind is FieldType.REF:
        return catalogue.names((value,))[0]
    if kind is FieldType.CHOICE:
        return _(field.choices[value]) if value in field.choices else str(value)
    if kind is FieldType.CHOICES:
        if "none" in field.choices:
            # "none" beside other choices means the thing is optional ("not always needed").
            named = [_(field.choices[v]) if v in field.choices else v for v in value if v != "none"]
            if len(named) < len(value):
                return (
                    _("not always needed; {choices}").format(choices=_(" or ").join(named))
                    if named
                    else _(field.choices["none"])
                )
            return ", ".join(named)
        return ", ".join(_(field.choices[v]) if v in field.choices else v for v in value)
    if kind is FieldType.INTEGER:
        return f"{value}/{field.maximum}: {_(field.choices.get(str(value), ''))}" if field.choices else str(value)
    if kind is FieldType.CODES:
        return tuple(f"{c['code']}  {c['description']}{' (category)' if c.get('category') else ''}" for c in value)
    if kind is FieldType.VARIANTS:
        return tuple(f"{v['name']}: {v['description']}" for v in value)
    if kind is FieldType.SOURCES:
        return _source_lines(Source(s["title"], s["url"]) for s in value)
    if isinstance(value, list):
        return ", ".join(map(str, value)) if field.inline else tuple(str(v) for v in value)
    return str(value)


def _category(entry: Entry) -> str:
    """How the entry's category (or treatment type) reads, or nothing for kinds without one."""
    for field in fields_of(entry.kind):
        if field.key == "category":
            value = entry.text(field.name)
            return _(field.choices[value]) if value in field.choices else value
    return ""


def _source_lines(sources: Iterable[Source]) -> tuple[str, ...]:
    """Each source as its title, then its URL on a line of its own so it stays whole to copy."""
    return tuple(f"{s.title}\n{s.url}" for s in sources)


def subtitle(entry: Entry) -> str:
    parts = [_(entry.kind.value)]
    if category := _category(entry):
        parts.append(category.lower())
    if entry.regions:
        regions = BY_NAME["regions"].choices
        parts.append(", ".join(_(regions[r]) if r in regions else r for r in entry.regions))
    return " · ".join(parts)


# --- commands ---------------------------------------------------------------------------------


def card_rows(entry: Entry, catalogue: Catalogue) -> tuple[tuple[str, Cell], ...]:
    """The label and value of every field the entry's kind shows on its card, in table order."""
    return tuple(
        (marked(entry, field.name, _(field.label_for(entry.kind))), cell)
        for field in fields_of(entry.kind)
        if entry.kind in field.card and (cell := display(entry, field.name, catalogue))
    )


def marked(entry: Entry, name: str, label: str) -> str:
    """A label, marked when its field is shown in English in another language."""
    return _("{label} (in English)").format(label=label) if name in entry.fallback else label


def show(entry: Entry, catalogue: Catalogue, note: str = "") -> Output:
    """An entry's card; `note` (the date checked, marked when due for review, and who wrote it)
    goes before the disclaimer."""
    rows = card_rows(entry, catalogue)
    blocks: tuple[Block, ...] = (
        Heading(entry.name, subtitle(entry)),
        Paragraph(entry.summary),
        Fields(rows),
        Paragraph(f"{note} {_(DISCLAIMER)}" if note else _(DISCLAIMER), "note"),
    )
    return Output(blocks, lambda: record(entry), lambda: csv_records([entry]), csv_columns([entry]))


def handout(
    entry: Entry, catalogue: Catalogue, care: Sequence[Section] = (), trust: str = "", checked: str = ""
) -> Output:
    """A printable patient page: what it is, why, preparing, the day, aftercare, relief, risks,
    when to get help, questions to ask, sources and the disclaimer (for Markdown and HTML).

    A condition's page lists its options in the `care` sections its caller groups them into.
    """
    blocks: list[Block] = [Heading(entry.name, subtitle(entry)), Paragraph(entry.summary)]
    if entry.aliases:
        blocks.append(Paragraph(_("Also called: {names}").format(names=", ".join(entry.aliases)), "note"))
    if entry.kind is Kind.PROCEDURE:
        day = [
            f"{_(BY_NAME[name].label)}: {value}"
            for name in ("anesthesia", "setting", "procedure_time", "recovery")
            if (value := display(entry, name, catalogue)) and isinstance(value, str)
        ]
        relief = [
            _("Relief starts: {when}").format(when=entry.text("relief_onset")),
            _("Relief lasts: {how_long}").format(how_long=entry.text("relief_duration")),
        ]
        sections = [
            Section(_("What it is"), text=entry.text("how_it_works")),
            Section(
                _("Why it is done"),
                catalogue.names(entry.texts("conditions")),
                _(PURPOSE_PROSE[entry.text("purpose")]),
            ),
            Section(_("How to prepare"), entry.texts("preparation")),
            Section(_("On the day"), tuple(day)),
            Section(_("Afterwards"), entry.texts("aftercare")),
            Section(_("Relief to expect"), tuple(relief)),
            Section(_("Risks"), entry.texts("risks")),
        ]
    else:
        symptoms = display(entry, "symptoms", catalogue)
        sections = [
            Section(_("Common symptoms"), symptoms if isinstance(symptoms, tuple) else ()),
            Section(_("Getting ready for your visit"), entry.texts("preparation")),
            Section(_("Looking after yourself"), entry.texts("aftercare")),
            *care,
        ]
    warnings = display(entry, "warning_signs", catalogue) if entry.kind is Kind.CONDITION else entry.texts("red_flags")
    flags = warnings if isinstance(warnings, tuple) else ()
    clinic = tuple(f for f in flags if not f.casefold().startswith("urgent"))
    urgent = tuple(f for f in flags if f.casefold().startswith("urgent"))
    sections += [
        Section(_("When to call the clinic"), tuple(_unprefixed(f) for f in clinic)),
        Section(_("When to seek urgent care"), tuple(_unprefixed(f) for f in urgent)),
        Section(_("Questions to ask your doctor"), entry.texts("questions")),
        Section(marked(entry, "evidence", _("What the evidence says")), text=entry.text("evidence")),
        Section(_("Sources"), tuple(f"{source.title}: {source.url}" for source in entry.sources)),
    ]
    blocks += [section for section in sections if section.items or section.text]
    # `checked` is the caller's date line (marked when due for review); without one, the plain date.
    checked = checked or _("Facts last checked {date}.").format(date=entry.last_checked)
    note = " ".join(part for part in (checked, trust, _(DISCLAIMER)) if part)
    blocks.append(Paragraph(note, "note"))
    return Output(tuple(blocks), lambda: record(entry), lambda: csv_records([entry]), csv_columns([entry]))


class LoadedFile(NamedTuple):
    origin: str
    path: str
    exists: bool


# Where a loaded file comes from, as info shows it (the others are an option's or variable's name).
ORIGINS = (N_("built-in"), N_("config"))


def info(
    version: str,
    catalogue: Catalogue | None,
    files: Sequence[LoadedFile],
    places: Sequence[tuple[str, str]],
    problem: str = "",
    languages: Sequence[tuple[str, str, int, int]] = (),
) -> Output:
    """What painref is reading: versions, counts, who wrote the content, the languages and how complete
    each is, every file in precedence order, and where things live."""
    blocks: list[Block] = [Heading(f"painref {version}", _("an educational reference, not medical advice"))]
    rows: list[tuple[str, Cell]] = []
    counts: dict[str, int] = {}
    if catalogue is not None:
        counts = {kind.plural: sum(1 for _ in catalogue.entries(kind)) for kind in Kind}
        counts["guide topics"] = len(catalogue.guide)
        counts["synonyms"] = len(catalogue.synonyms)
        rows.append((_("Catalogue version"), catalogue.version))
        rows.append((_("Entries"), ", ".join(f"{n} {_(what)}" for what, n in counts.items())))
        if catalogue.trust is not None:
            trust = catalogue.trust
            rows += [
                (_("Written by"), trust.authors),
                (_("Reviewed"), trust.review),
                (_("Funding"), trust.funding),
                (_("Conflicts"), trust.conflicts),
                (_("Content updated"), trust.updated),
            ]
    if languages:
        shown = [f"{code} ({name}): {100 * done // max(total, 1)}%" for code, name, done, total in languages]
        rows.append((_("Languages"), ", ".join(shown)))
    if problem:
        rows.append((_("Problem"), problem))
    rows += [(_(label), path) for label, path in places]
    blocks.append(Fields(tuple(rows)))
    blocks.append(
        Grid(
            ("#", _("From"), _("File")),
            tuple(
                (str(i), _(f.origin), f.path if f.exists else _("{path} (missing)").format(path=f.path))
                for i, f in enumerate(files, 1)
            ),
            title=_("Files, in precedence order (later files win)"),
        )
    )
    data = {
        "painref": version,
        "catalogue_version": catalogue.version if catalogue is not None else None,
        "counts": counts,
        "files": [f._asdict() for f in files],
        "trust": catalogue.trust._asdict() if catalogue is not None and catalogue.trust is not None else None,
        "languages": [
            {"code": code, "name": name, "translated_fields": done, "fields": total}
            for code, name, done, total in languages
        ],
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


def ordered(entries: Iterable[Entry], catalogue: Catalogue) -> list[Entry]:
    """Alphabetical, with each family's members straight after the family entry."""
    order = _order_of(catalogue)
    return sorted(entries, key=lambda entry: order(entry.name, entry.family))


# An entry's place in a list: its group's name (its family's, or its own), whether it is a member, its name.
_Order = tuple[str, int, str]


def _order_of(catalogue: Catalogue) -> Callable[[str, str | None], _Order]:
    """An entry's place in a list (see `ordered`), from its name and family id; a family's name is
    read once, however many members it has."""
    groups: dict[str, str | None] = {}  # family id: its name, or None if no entry has that id

    def order(name: str, family_id: str | None) -> _Order:
        folded = name.casefold()
        if family_id is None:
            return (folded, 0, folded)
        if family_id not in groups:
            family = catalogue.get(family_id)
            groups[family_id] = family.name if family else None
        group = groups[family_id]
        return (folded, 0, folded) if group is None else (group.casefold(), 1, folded)

    return order


def _list_cell(entry: Entry, field: Field, catalogue: Catalogue) -> str:
    """A list column's cell: codes as the first few codes, anything else as its display text."""
    if field.type is FieldType.CODES:
        codes = entry.items(field.name)
        return ", ".join(c["code"] for c in codes[:3]) + ("…" if len(codes) > 3 else "")
    cell = display(entry, field.name, catalogue)
    return cell if isinstance(cell, str) else ", ".join(cell)


def _cell_of(field: Field, catalogue: Catalogue) -> Callable[[Entry], str]:
    """`_list_cell` for one field; a choice's label (the same for thousands of entries) is looked
    up once per value."""
    if field.type is not FieldType.CHOICE:
        return lambda entry: _list_cell(entry, field, catalogue)
    labels: dict[str, str] = {}

    def cell(entry: Entry) -> str:
        value = entry.get(field.name)
        if not isinstance(value, str):
            return _list_cell(entry, field, catalogue)
        if value not in labels:
            labels[value] = _list_cell(entry, field, catalogue)
        return labels[value]

    return cell


def _listed(kind: Kind) -> list[Field]:
    return [field for field in fields_of(kind) if field.column]


def _list_rows(
    kind: Kind, catalogue: Catalogue, grouped: bool, order: Callable[[str, str | None], _Order]
) -> Callable[[Entry], tuple[_Order, tuple[str, ...]]]:
    """An entry of `kind`'s place in the list (`order`) and its row: its name (with its
    abbreviation, and a bullet before a family's member when `grouped`), a few aliases, the kind's
    list columns, its summary."""
    count = _LIST_ALIASES.get(kind, 3)
    cells = [_cell_of(field, catalogue) for field in _listed(kind)]

    def row(entry: Entry) -> tuple[_Order, tuple[str, ...]]:
        abbreviation, words, others = _alias_parts(entry)
        name = labelled_name(entry, abbreviation)
        family = entry.family
        return order(entry.name, family), (
            f"· {name}" if grouped and family else name,
            _shortened(words, others, count),
            *map(call, cells, repeat(entry)),
            entry.summary,
        )

    return row


def _list_grid(kind: Kind, rows: tuple[tuple[str, ...], ...], title: str = "") -> Grid:
    columns = (_(kind.value.capitalize()), _("Also called"), *(_(f.label) for f in _listed(kind)), _("Summary"))
    return Grid(columns, rows, title=title, optional=columns[1:3])


def listing(
    entries: Iterable[Entry], catalogue: Catalogue, *, kinds: Sequence[Kind], filtered: bool, records: bool = True
) -> Output:
    """The list command's answer. Each entry becomes its table row as it comes and, without
    `records` (a table only: no JSON or CSV), is not kept, so a list of 50,000 holds only rows."""
    found: dict[Kind, list[tuple[tuple[str, int, str], tuple[str, ...], Entry | None]]] = {k: [] for k in kinds}
    order = _order_of(catalogue)
    rows = {kind: _list_rows(kind, catalogue, not filtered, order) for kind in kinds}
    for entry in entries:
        if (make := rows.get(entry.kind)) is not None:
            place, row = make(entry)
            found[entry.kind].append((place, row, entry if records else None))
    blocks: list[Block] = []
    in_order: list[Entry] = []
    for kind in kinds:
        of_kind = sorted(found.pop(kind), key=itemgetter(0))
        if not of_kind:
            continue
        in_order += [entry for _, _, entry in of_kind if entry is not None]
        title = f"{_(kind.plural.capitalize())} ({len(of_kind)})" if len(kinds) > 1 or filtered else ""
        blocks.append(_list_grid(kind, tuple(row for _, row, _ in of_kind), title=title))
    blocks.append(Paragraph(_("Details: painref show NAME · compare: painref compare NAME NAME"), "note"))
    return Output(
        tuple(blocks),
        lambda: [record(e) for e in in_order],
        lambda: csv_records(in_order),
        csv_columns(in_order),
    )


def compare_rows(entries: Sequence[Entry], catalogue: Catalogue) -> tuple[tuple[Cell, ...], ...]:
    """One row per compared field (or group of fields), in table order; rows empty for every entry are left out."""
    rows: list[tuple[Cell, ...]] = [(_("Kind"), *(_(entry.kind.value) for entry in entries))]
    groups: dict[str, list[Field]] = {}
    for field in BY_NAME.values():
        if field.compare:
            groups.setdefault(field.key, []).append(field)
    for fields in groups.values():
        cells = [
            next((cell for f in fields if entry.kind in f.kinds and (cell := display(entry, f.name, catalogue))), "")
            for entry in entries
        ]
        if any(cells):
            # Marked when any entry shows this row in English (clinician detail, or a missing translation).
            english = any(
                f.name in entry.fallback for entry, cell in zip(entries, cells, strict=True) if cell for f in fields
            )
            label = _(fields[0].label)
            rows.append(
                (_("{label} (in English)").format(label=label) if english else label, *(cell or "—" for cell in cells))
            )
    return tuple(rows)


def compare(entries: Sequence[Entry], catalogue: Catalogue) -> Output:
    grid = Grid(("", *(entry.name for entry in entries)), compare_rows(entries, catalogue), row_labels=True)
    return Output(
        (grid, Paragraph(_(DISCLAIMER), "note")),
        lambda: [record(e) for e in entries],
        lambda: csv_records(entries),
        csv_columns(entries),
    )


def search_results(hits: Sequence[Hit]) -> Output:
    """Each hit with why it matched: the field, and the words found there highlighted."""
    grid = Grid(
        (_("Kind"), _("Name"), _("Matched"), _("Summary")),
        tuple(
            (
                _(h.entry.kind.value),
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
        lambda: csv_records(entries, extra),
        csv_columns(entries, ("score", "matched_field", "matched_text")),
    )


def _matched(hit: Hit) -> str:
    field = BY_NAME.get(hit.field)
    label = marked(hit.entry, hit.field, _(field.label)) if field else hit.field.replace("_", " ").capitalize()
    if hit.field in ("name", "id") or not hit.context:
        return label
    return f"{label}: {hit.context}"


def _guide_data(section: GuideSection) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title,
        "aliases": list(section.aliases),
        "summary": section.summary,
        "body": section.body,
        "points": list(section.points),
        "sources": [source._asdict() for source in section.sources],
        "lang": language(),
    }


def guide_index(sections: Sequence[GuideSection]) -> Output:
    grid = Grid((_("Topic"), _("Title"), _("Summary")), tuple((s.id, s.title, s.summary) for s in sections))
    records = tuple({"id": s.id, "title": s.title, "summary": s.summary} for s in sections)
    return Output(
        (grid, Paragraph(_("Read a topic: painref guide TOPIC (for example: painref guide procedure-day)"), "note")),
        lambda: [_guide_data(s) for s in sections],
        lambda: records,
        ("id", "title", "summary"),
    )


def guide_section(section: GuideSection) -> Output:
    blocks: list[Block] = [Heading(section.title, _("guide"))]
    blocks.append(Paragraph(section.summary, "label"))
    # A blank line separates paragraphs; single line breaks in the YAML are only how it was typed.
    blocks += [Paragraph(" ".join(part.split())) for part in section.body.split("\n\n") if part.strip()]
    rows: list[tuple[str, Cell]] = []
    if section.points:
        rows.append((_("Key points"), section.points))
    rows.append((_("Sources"), _source_lines(section.sources)))
    blocks.append(Fields(tuple(rows)))
    blocks.append(Paragraph(_(DISCLAIMER), "note"))
    data = _guide_data(section)
    flat = guide_record(data)
    return Output(tuple(blocks), lambda: data, lambda: (flat,), tuple(flat))


def checklist(checks: Checklist, answers: Sequence[bool]) -> Output:
    yes = sum(answers)
    enough = yes >= checks.threshold
    result = checks.result_yes if enough else checks.result_no
    grid = Grid(
        ("#", _("Answer"), _("Question")),
        tuple(
            (str(i + 1), _("yes") if a else _("no"), q.question)
            for i, (q, a) in enumerate(zip(checks.questions, answers, strict=True))
        ),
    )
    blocks: tuple[Block, ...] = (
        grid,
        Paragraph(_("You answered yes to {yes} of {count}.").format(yes=yes, count=len(answers)), "label"),
        Paragraph(result),
        Paragraph(_(DISCLAIMER), "note"),
    )
    questions = [
        {"id": q.id, "question": q.question, "why": q.why, "answer": "yes" if a else "no"}
        for q, a in zip(checks.questions, answers, strict=True)
    ]
    data = {"questions": questions, "yes": yes, "threshold": checks.threshold, "suggestion": result, "lang": language()}
    return Output(blocks, lambda: data, lambda: tuple(questions), ("id", "question", "why", "answer"))
