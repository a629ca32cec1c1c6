"""A tiny catalogue in memory, small enough to know every answer by heart, for module tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from painref import index
from painref.merge import with_backlinks
from painref.model import Kind

SOURCE = {"title": "A review", "url": "https://example.org/review"}


def _procedure(entry_id: str, name: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": entry_id,
        "name": name,
        "aliases": [],
        "summary": f"{name} in one line.",
        "how_it_works": f"How {name.lower()} works.",
        "conditions": [],
        "regions": [],
        "image_guidance": ["ultrasound"],
        "anesthesia": "Local numbing",
        "setting": "Clinic room",
        "procedure_time": "15 minutes",
        "recovery": "Home the same day",
        "relief_onset": "A few days",
        "relief_duration": "Months",
        "purpose": "therapeutic",
        "invasiveness": 2,
        "risks": ["Soreness"],
        "evidence": "Moderate evidence.",
        "sources": [SOURCE],
        "last_checked": "2026-01-01",
    }
    return {**base, **fields}


def _condition(entry_id: str, name: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": entry_id,
        "name": name,
        "aliases": [],
        "summary": f"{name} in one line.",
        "regions": [],
        "symptoms": ["Ache"],
        "icd10": [{"code": "M17.9", "description": "Osteoarthritis of knee, unspecified"}],
        "evidence": "Well described.",
        "sources": [SOURCE],
        "last_checked": "2026-01-01",
    }
    return {**base, **fields}


def _treatment(entry_id: str, name: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": entry_id,
        "name": name,
        "aliases": [],
        "summary": f"{name} in one line.",
        "how_it_works": f"How {name.lower()} works.",
        "conditions": [],
        "risks": ["Few"],
        "evidence": "Good evidence.",
        "sources": [SOURCE],
        "last_checked": "2026-01-01",
    }
    return {**base, **fields}


# Names are chosen so that alphabetical order differs from the order the views must use:
# treatments go lifestyle, physical, medication; procedures least invasive first.
ENTRIES: tuple[tuple[Kind, dict[str, Any]], ...] = (
    (
        Kind.PROCEDURE,
        _procedure(
            "knee-injection",
            "Knee joint injection",
            aliases=["knee shot", "KJI"],
            category="joint-injection",
            conditions=["knee-arthritis"],
            regions=["knee"],
            image_guidance=["ultrasound", "none"],
            invasiveness=2,
            variants=[{"name": "Steroid", "description": "A steroid is injected."}],
        ),
    ),
    (
        Kind.PROCEDURE,
        _procedure(
            "genicular-ablation",
            "Genicular nerve ablation",
            aliases=["GNA"],
            category="ablation",
            conditions=["knee-arthritis"],
            regions=["knee"],
            image_guidance=["fluoroscopy"],
            purpose="both",
            invasiveness=4,
        ),
    ),
    (
        Kind.PROCEDURE,
        _procedure(
            "facet-block",
            "Facet joint block",
            category="spinal-injection",
            conditions=["back-pain"],
            regions=["lower-back"],
            purpose="diagnostic",
            invasiveness=3,
        ),
    ),
    (
        Kind.CONDITION,
        _condition("arthritis", "Arthritis", aliases=["joint wear"], regions=["knee", "hip"]),
    ),
    (
        Kind.CONDITION,
        _condition(
            "knee-arthritis",
            "Knee arthritis",
            family="arthritis",
            aliases=["worn knee"],
            regions=["knee"],
            symptoms=["Stiff knee in the morning", "Urgent: a hot swollen knee with fever"],
            red_flags=["Call the clinic: the knee locks"],
            icd10=[
                {"code": "M17", "description": "Osteoarthritis of knee", "category": True},
                {"code": "M17.11", "description": "Unilateral primary osteoarthritis, right knee"},
            ],
        ),
    ),
    (
        Kind.CONDITION,
        _condition("back-pain", "Back pain", regions=["upper-back", "lower-back"]),
    ),
    (Kind.CONDITION, _condition("headache", "Headache", regions=["head"])),
    (
        Kind.TREATMENT,
        _treatment(
            "anti-inflammatories",
            "Anti-inflammatory pills",
            type="medication",
            examples=["ibuprofen", "naproxen"],
            conditions=["knee-arthritis"],
        ),
    ),
    (
        Kind.TREATMENT,
        _treatment(
            "exercise",
            "Exercise therapy",
            type="physical",
            conditions=["knee-arthritis", "back-pain"],
            relief_onset="Weeks",
        ),
    ),
    (
        Kind.TREATMENT,
        _treatment("walking", "Walking", type="lifestyle", conditions=["knee-arthritis"], regions=["leg"]),
    ),
)

SYNONYMS = {"wonky knee": "knee arthritis"}


def build(
    entries: Sequence[tuple[Kind, Mapping[str, Any]]] = ENTRIES, synonyms: Mapping[str, str] = SYNONYMS
) -> index.IndexCatalogue:
    """The entries, with their backlinks, compiled into an in-memory index."""
    merged = {
        "version": "tiny-1",
        "entries": with_backlinks(entries),
        "guide": [],
        "checklist": None,
        "synonyms": dict(synonyms),
    }
    return index.IndexCatalogue(index.build(merged, key=["tiny"], path=None), ["tiny.yaml"])
