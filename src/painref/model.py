"""The catalogue's typed model: frozen dataclasses and enums, no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


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


@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class Catalogue:
    """The merged catalogue: built-in content plus any overlays."""

    version: str
    procedures: tuple[Procedure, ...]
    conditions: tuple[Condition, ...]
    treatments: tuple[Treatment, ...]
    guide: tuple[GuideSection, ...]
    checklist: Checklist | None
    files: tuple[str, ...] = ()
    by_id: Mapping[str, AnyEntry] = field(default_factory=dict)

    def entries(self, kind: Kind | None = None) -> Iterator[AnyEntry]:
        """Every entry, procedures first, or only those of one kind."""
        if kind in (None, Kind.PROCEDURE):
            yield from self.procedures
        if kind in (None, Kind.CONDITION):
            yield from self.conditions
        if kind in (None, Kind.TREATMENT):
            yield from self.treatments

    def get(self, entry_id: str) -> AnyEntry | None:
        return self.by_id.get(entry_id)

    def names(self, ids: tuple[str, ...]) -> tuple[str, ...]:
        """Display names for a list of ids (unknown ids are kept as they are)."""
        return tuple(self.by_id[i].name if i in self.by_id else i for i in ids)
