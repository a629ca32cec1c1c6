"""The catalogue's typed model: frozen dataclasses and enums; data comes from a Store, no I/O here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from painref.index import Index


class Kind(StrEnum):
    """The three kinds of catalogue entry."""

    PROCEDURE = "procedure"
    CONDITION = "condition"
    TREATMENT = "treatment"

    @property
    def plural(self) -> str:
        return f"{self.value}s"


class ProcedureCategory(StrEnum):
    SPINAL_INJECTION = "spinal-injection"
    JOINT_INJECTION = "joint-injection"
    NERVE_BLOCK = "nerve-block"
    ABLATION = "ablation"
    NEUROMODULATION = "neuromodulation"
    SOFT_TISSUE_INJECTION = "soft-tissue-injection"
    # Minimally invasive spine procedures: vertebral augmentation, decompression, spacers.
    SPINE_PROCEDURE = "spine-procedure"


class TreatmentType(StrEnum):
    MEDICATION = "medication"
    PHYSICAL = "physical"
    LIFESTYLE = "lifestyle"
    PSYCHOLOGICAL = "psychological"
    COMPLEMENTARY = "complementary"


class Purpose(StrEnum):
    DIAGNOSTIC = "diagnostic"
    THERAPEUTIC = "therapeutic"
    BOTH = "both"


class ImageGuidance(StrEnum):
    FLUOROSCOPY = "fluoroscopy"
    ULTRASOUND = "ultrasound"
    CT = "ct"
    NONE = "none"


# Body regions, a controlled vocabulary so that `--region` filters reliably.
REGIONS: tuple[str, ...] = (
    "head",
    "face",
    "neck",
    "shoulder",
    "arm",
    "hand",
    "chest",
    "upper-back",
    "mid-back",
    "lower-back",
    "abdomen",
    "pelvis",
    "buttock",
    "hip",
    "leg",
    "knee",
    "foot",
    "whole-body",
)

# How invasive a procedure is, the editorial scale that orders "least invasive first".
INVASIVENESS: Mapping[int, str] = {
    1: "needle into muscle or soft tissue",
    2: "needle into a joint or near a peripheral nerve",
    3: "needle near the spine or deep structures under imaging",
    4: "destroys nerve tissue (ablation)",
    5: "implanted device",
}


# Small value objects are NamedTuples: immutable like frozen dataclasses, but about five times
# cheaper to define, which matters for a command that must start in ~20 ms above its imports.
class Source(NamedTuple):
    title: str
    url: str


class Variant(NamedTuple):
    name: str
    description: str


class Code(NamedTuple):
    """An ICD-10-CM code with its official description.

    `category` marks a code that heads a group of billable codes rather than being billable itself.
    """

    code: str
    description: str
    category: bool = False


# Entries are frozen but compare by identity and keep object's repr: each generated method is
# compiled at import, and dropping __repr__, __eq__ and slots saves ~4 ms of every start.
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class Entry:
    """What every procedure, condition and treatment has."""

    id: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    regions: tuple[str, ...]
    evidence: str
    sources: tuple[Source, ...]
    last_checked: str
    # The family entry this one belongs to, and (derived) the family's members.
    # Sub-types described inline rather than as entries of their own.
    variants: tuple[Variant, ...] = ()
    family: str | None = None
    members: tuple[str, ...] = ()

    @property
    def kind(self) -> Kind:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class Procedure(Entry):
    category: ProcedureCategory
    how_it_works: str
    conditions: tuple[str, ...]
    image_guidance: tuple[ImageGuidance, ...]
    anesthesia: str
    setting: str
    procedure_time: str
    recovery: str
    relief_onset: str
    relief_duration: str
    purpose: Purpose
    invasiveness: int
    risks: tuple[str, ...]
    preparation: tuple[str, ...] = ()
    aftercare: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()

    @property
    def kind(self) -> Kind:
        return Kind.PROCEDURE


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class Treatment(Entry):
    type: TreatmentType
    how_it_works: str
    conditions: tuple[str, ...]
    risks: tuple[str, ...]
    examples: tuple[str, ...] = ()
    relief_onset: str = ""
    relief_duration: str = ""

    @property
    def kind(self) -> Kind:
        return Kind.TREATMENT


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class Condition(Entry):
    symptoms: tuple[str, ...]
    icd10: tuple[Code, ...]
    preparation: tuple[str, ...] = ()
    aftercare: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    # Derived by the loader from the procedures' and treatments' `conditions`.
    procedures: tuple[str, ...] = ()
    treatments: tuple[str, ...] = ()

    @property
    def kind(self) -> Kind:
        return Kind.CONDITION


AnyEntry = Procedure | Condition | Treatment


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


class Catalogue:
    """The merged catalogue: built-in content plus any overlays, read from its store on demand.

    `get` reads one entry, so `show` costs the same at 50 entries or 50,000; `entries` reads a
    kind in full, once, for the commands that need every entry (`list`, filters).
    """

    def __init__(self, store: Index, files: Sequence[str] = ()) -> None:
        self.store = store
        self.files = tuple(files)
        self._by_id: dict[str, AnyEntry | None] = {}
        self._kinds: dict[Kind, tuple[AnyEntry, ...]] = {}

    @cached_property
    def version(self) -> str:
        return str(self.store.meta("version"))

    @cached_property
    def guide(self) -> tuple[GuideSection, ...]:
        return tuple(
            GuideSection(
                id=d["id"],
                title=d["title"],
                aliases=tuple(d.get("aliases") or ()),
                summary=d["summary"],
                body=d["body"],
                points=tuple(d.get("points") or ()),
                sources=sources_from(d["sources"]),
            )
            for d in self.store.meta("guide") or ()
        )

    @cached_property
    def checklist(self) -> Checklist | None:
        data = self.store.meta("checklist")
        if data is None:
            return None
        return Checklist(
            intro=data["intro"],
            questions=tuple(Question(q["id"], q["question"], q["why"]) for q in data["questions"]),
            threshold=data["threshold"],
            result_yes=data["result_yes"],
            result_no=data["result_no"],
            sources=sources_from(data["sources"]),
        )

    @cached_property
    def synonyms(self) -> dict[str, str]:
        """Lay phrases and what they mean in the catalogue's words (for search)."""
        return dict(self.store.meta("synonyms") or {})

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        return self._kind(Kind.PROCEDURE)  # type: ignore[return-value]

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return self._kind(Kind.CONDITION)  # type: ignore[return-value]

    @property
    def treatments(self) -> tuple[Treatment, ...]:
        return self._kind(Kind.TREATMENT)  # type: ignore[return-value]

    def _kind(self, kind: Kind) -> tuple[AnyEntry, ...]:
        if kind not in self._kinds:
            built = []
            for entry_kind, data in self.store.entries(kind):
                entry = self._by_id.get(data["id"]) or entry_from(entry_kind, data)
                self._by_id[entry.id] = entry
                built.append(entry)
            self._kinds[kind] = tuple(built)
        return self._kinds[kind]

    def entries(self, kind: Kind | None = None) -> Iterator[AnyEntry]:
        """Every entry, procedures first, or only those of one kind."""
        for each in Kind:
            if kind in (None, each):
                yield from self._kind(each)

    def get(self, entry_id: str) -> AnyEntry | None:
        if entry_id not in self._by_id:
            found = self.store.entry(entry_id)
            self._by_id[entry_id] = entry_from(*found) if found else None
        return self._by_id[entry_id]

    def get_many(self, ids: Sequence[str]) -> list[AnyEntry]:
        """The entries with these ids, in order, read in one query; unknown ids are left out."""
        missing = [i for i in dict.fromkeys(ids) if i not in self._by_id]
        if missing:
            found = self.store.entries_by_id(missing)
            for entry_id in missing:
                self._by_id[entry_id] = entry_from(*found[entry_id]) if entry_id in found else None
        return [entry for i in ids if (entry := self._by_id.get(i)) is not None]

    def names(self, ids: Sequence[str]) -> tuple[str, ...]:
        """Display names for a list of ids (unknown ids are kept as they are)."""
        missing = [i for i in ids if self._by_id.get(i) is None]
        found = self.store.names_of(missing) if missing else {}
        return tuple(found[i] if i in found else entry.name if (entry := self._by_id.get(i)) else i for i in ids)


def sources_from(items: Sequence[Mapping[str, str]]) -> tuple[Source, ...]:
    return tuple(Source(item["title"], item["url"]) for item in items)


def entry_from(kind: Kind, data: Mapping[str, Any]) -> AnyEntry:
    """A typed entry from merged catalogue data (with the derived members and options)."""
    common: dict[str, Any] = {
        "id": data["id"],
        "name": data["name"],
        "aliases": tuple(data["aliases"]),
        "summary": data["summary"],
        "regions": tuple(data.get("regions") or ()),
        "evidence": data["evidence"],
        "sources": sources_from(data["sources"]),
        "last_checked": data["last_checked"],
        "family": data.get("family"),
        "members": tuple(data.get("members") or ()),
        "variants": tuple(Variant(v["name"], v["description"]) for v in data.get("variants") or ()),
    }
    handout: dict[str, Any] = {
        name: tuple(data.get(name) or ()) for name in ("preparation", "aftercare", "red_flags", "questions")
    }
    if kind is Kind.PROCEDURE:
        return Procedure(
            **common,
            category=ProcedureCategory(data["category"]),
            how_it_works=data["how_it_works"],
            conditions=tuple(data["conditions"]),
            image_guidance=tuple(ImageGuidance(g) for g in data["image_guidance"]),
            anesthesia=data["anesthesia"],
            setting=data["setting"],
            procedure_time=data["procedure_time"],
            recovery=data["recovery"],
            relief_onset=data["relief_onset"],
            relief_duration=data["relief_duration"],
            purpose=Purpose(data["purpose"]),
            invasiveness=data["invasiveness"],
            risks=tuple(data["risks"]),
            **handout,
        )
    if kind is Kind.TREATMENT:
        return Treatment(
            **common,
            type=TreatmentType(data["type"]),
            how_it_works=data["how_it_works"],
            conditions=tuple(data["conditions"]),
            risks=tuple(data["risks"]),
            examples=tuple(data.get("examples") or ()),
            relief_onset=data.get("relief_onset", ""),
            relief_duration=data.get("relief_duration", ""),
        )
    return Condition(
        **common,
        symptoms=tuple(data["symptoms"]),
        icd10=tuple(Code(c["code"], c["description"], c.get("category", False)) for c in data["icd10"]),
        procedures=tuple(data.get("procedures") or ()),
        treatments=tuple(data.get("treatments") or ()),
        **handout,
    )
