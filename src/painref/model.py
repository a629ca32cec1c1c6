"""The catalogue's typed model: kinds, entries and the guide, as values; no I/O, no painref imports."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Any, NamedTuple, Protocol


class Kind(StrEnum):
    """The kinds of catalogue entry."""

    PROCEDURE = "procedure"
    CONDITION = "condition"
    TREATMENT = "treatment"

    @property
    def plural(self) -> str:
        return f"{self.value}s"


# Small value objects are NamedTuples: immutable like frozen dataclasses, but about five times
# cheaper to define, which matters for a command that must start in ~20 ms above its imports.
class Source(NamedTuple):
    title: str
    url: str


class Entry:
    """One merged catalogue entry: its kind and its fields' values, read by field name.

    The field table (`painref.schema.FIELDS`) says what each field holds; values are the plain
    data of the merged catalogue (text, numbers, lists and small mappings), never changed.
    """

    __slots__ = ("data", "fallback", "kind", "lang")

    def __init__(self, kind: Kind, data: Mapping[str, Any], lang: str = "en", fallback: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.data = data
        # The language the text is in, and the fields shown in English because no current
        # translation exists (or, like evidence, because they stay in English).
        self.lang = lang
        self.fallback = fallback

    def __repr__(self) -> str:
        return f"Entry({self.kind.value}, {self.id!r})"

    def get(self, name: str) -> Any:
        """A field's value, or None where the entry does not give it."""
        return self.data.get(name)

    def text(self, name: str) -> str:
        value = self.data.get(name)
        return "" if value is None else str(value)

    def texts(self, name: str) -> tuple[str, ...]:
        return tuple(self.data.get(name) or ())

    def items(self, name: str) -> tuple[Mapping[str, Any], ...]:
        """A list-of-mappings field (sources, variants, codes) as its mappings."""
        return tuple(self.data.get(name) or ())

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def summary(self) -> str:
        return str(self.data["summary"])

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.texts("aliases")

    @property
    def family(self) -> str | None:
        value = self.data.get("family")
        return str(value) if value else None

    @property
    def members(self) -> tuple[str, ...]:
        return self.texts("members")

    @property
    def regions(self) -> tuple[str, ...]:
        return self.texts("regions")

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(Source(s["title"], s["url"]) for s in self.items("sources"))

    @property
    def last_checked(self) -> str:
        return self.text("last_checked")


class Indication:
    """One option for one condition, as a decision aid presents it (see schema.INDICATION_FIELDS)."""

    __slots__ = ("data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"Indication({self.condition!r}, {self.option!r})"

    @property
    def condition(self) -> str:
        return str(self.data["condition"])

    @property
    def option(self) -> str:
        return str(self.data["option"])

    @property
    def line(self) -> str:
        return str(self.data.get("line", ""))

    @property
    def bottom_line(self) -> str:
        return str(self.data.get("bottom_line", ""))

    @property
    def guidelines(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.data.get("guidelines") or ())

    @property
    def benefit(self) -> Mapping[str, Any]:
        return dict(self.data.get("benefit") or {})

    @property
    def harms(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.data.get("harms") or ())


class Trust(NamedTuple):
    """Who wrote and reviewed a catalogue, who paid for it, and what conflicts they declare."""

    authors: str
    review: str
    funding: str
    conflicts: str
    updated: str


class GuideSection(NamedTuple):
    """One topic of the patient guide (consultation, procedure day, ...)."""

    id: str
    title: str
    aliases: tuple[str, ...]
    summary: str
    body: str
    points: tuple[str, ...]
    sources: tuple[Source, ...]


class Question(NamedTuple):
    id: str
    question: str
    why: str


class Checklist(NamedTuple):
    """The article's "is it right for me" self-check."""

    intro: str
    questions: tuple[Question, ...]
    threshold: int
    result_yes: str
    result_no: str
    sources: tuple[Source, ...]


class Hit(NamedTuple):
    """A search result: the entry, its score, the field that matched best, the words and text there."""

    entry: Entry
    score: float
    field: str
    matched: tuple[str, ...]
    context: str = ""


class Catalogue(Protocol):
    """What the commands read from a merged catalogue, however it is stored."""

    @property
    def version(self) -> str: ...

    @property
    def guide(self) -> tuple[GuideSection, ...]: ...

    @property
    def checklist(self) -> Checklist | None: ...

    @property
    def synonyms(self) -> dict[str, str]: ...

    @property
    def trust(self) -> Trust | None: ...

    def entries(self, kind: Kind | None = None, fields: Sequence[str] | None = None) -> Iterator[Entry]:
        """Every entry, kind by kind in `Kind` order, or only those of one kind.

        `fields` names the only fields the caller reads: a catalogue may then leave the others
        out (a listing of 50,000 entries need not decode every entry whole).
        """
        ...

    def indications(self, condition_id: str) -> list[Indication]:
        """The indication records of one condition, in catalogue order."""
        ...

    def get(self, entry_id: str) -> Entry | None: ...

    def get_many(self, ids: Sequence[str]) -> list[Entry]:
        """The entries with these ids, in order; unknown ids are left out."""
        ...

    def names(self, ids: Sequence[str]) -> tuple[str, ...]:
        """Display names for ids (unknown ids are kept as they are)."""
        ...


def sources_from(items: Sequence[Mapping[str, str]]) -> tuple[Source, ...]:
    return tuple(Source(item["title"], item["url"]) for item in items)


def guide_from(data: Mapping[str, Any]) -> GuideSection:
    return GuideSection(
        id=data["id"],
        title=data["title"],
        aliases=tuple(data.get("aliases") or ()),
        summary=data["summary"],
        body=data["body"],
        points=tuple(data.get("points") or ()),
        sources=sources_from(data["sources"]),
    )


def checklist_from(data: Mapping[str, Any]) -> Checklist:
    return Checklist(
        intro=data["intro"],
        questions=tuple(Question(q["id"], q["question"], q["why"]) for q in data["questions"]),
        threshold=data["threshold"],
        result_yes=data["result_yes"],
        result_no=data["result_no"],
        sources=sources_from(data["sources"]),
    )
