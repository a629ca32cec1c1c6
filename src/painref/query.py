"""Filters and answer parsing for the commands: pure functions over the model."""

from __future__ import annotations

from collections.abc import Sequence

from painref.errors import NotFoundError, UsageError
from painref.i18n import N_, _
from painref.model import Catalogue, Entry, Kind
from painref.schema import BY_NAME, REGIONS
from painref.text import normalize

# Yes in every language painref speaks: "s" and "sí" are Spanish.
_YES = frozenset({"y", "yes", "true", "1", "s", "si", "sí"})
_NO = frozenset({"n", "no", "false", "0"})


def _category_of(entry: Entry) -> str | None:
    """The entry's category, or its treatment type: the fields `--category` filters on."""
    for field in _CATEGORY_FIELDS:
        if entry.kind in field.kinds:
            return entry.text(field.name)
    return None


# The fields that share the category group (a procedure's category, a treatment's type).
_CATEGORY_FIELDS = tuple(field for field in BY_NAME.values() if field.key == "category")


def pick_choice(value: str, choices: Sequence[str], message: str) -> str:
    """The choice a value names (ignoring case and punctuation, or by a unique prefix); else a
    UsageError saying `message` (a message with {value} and {choices})."""
    key = normalize(value)
    exact = [c for c in choices if normalize(c) == key]
    found = exact or [c for c in choices if key and normalize(c).startswith(key)]
    if len(found) == 1:
        return found[0]
    raise UsageError(_(message).format(value=value, choices=", ".join(choices)))


def filter_entries(
    catalogue: Catalogue,
    kinds: Sequence[Kind],
    *,
    category: str | None = None,
    region: str | None = None,
    condition: Entry | None = None,
) -> list[Entry]:
    """Entries of the given kinds that match every filter given."""
    entries = [e for kind in kinds for e in catalogue.entries(kind)]
    if category:
        choices = [choice for field in _CATEGORY_FIELDS for choice in field.choices]
        wanted = pick_choice(
            category, choices, N_("'{value}' is not a category or treatment type; choose from {choices}")
        )
        entries = [e for e in entries if _category_of(e) == wanted]
    if region:
        wanted_region = normalize(region)
        # "back" matches upper, mid and lower back; "knee" matches only knee.
        regions = [r for r in REGIONS if normalize(r) == wanted_region] or [
            r for r in REGIONS if wanted_region in normalize(r)
        ]
        if not regions:
            raise UsageError(
                _("'{value}' is not a body region; choose from {choices}").format(
                    value=region, choices=", ".join(REGIONS)
                )
            )
        entries = [e for e in entries if set(e.regions) & set(regions)]
    if condition is not None:
        related = {condition.id, *condition.members}
        if condition.family:
            related.add(condition.family)
        entries = [
            e for e in entries if (e.kind is Kind.CONDITION and e.id in related) or related & set(e.texts("conditions"))
        ]
    if not entries:
        raise _nothing_matches(kinds, category=category, region=region, condition=condition)
    return entries


def _nothing_matches(
    kinds: Sequence[Kind], *, category: str | None, region: str | None, condition: Entry | None
) -> NotFoundError:
    """The error for filters that leave nothing, naming the filters given."""
    what = _(" or ").join(_(k.plural) for k in kinds) if len(kinds) < len(Kind) else _("entries")
    filters = [
        _("category '{category}'").format(category=category) if category else "",
        _("region '{region}'").format(region=region) if region else "",
        _("condition '{condition}'").format(condition=condition.name) if condition else "",
    ]
    given = _(" and ").join(f for f in filters if f)
    return NotFoundError(
        _("no {what} match {filters}").format(what=what, filters=given)
        if given
        else _("the catalogue has no {what}").format(what=what)
    )


def parse_answers(text: str, count: int) -> list[bool]:
    """'y,n,y' (or 'yes no yes') as booleans; exactly one answer per question."""
    words = [w for w in text.replace(",", " ").split() if w]
    answers: list[bool] = []
    for index, word in enumerate(words, start=1):
        lowered = word.casefold()
        if lowered in _YES:
            answers.append(True)
        elif lowered in _NO:
            answers.append(False)
        else:
            raise UsageError(_("answer {index} is '{word}'; each answer must be y or n").format(index=index, word=word))
    if len(answers) != count:
        raise UsageError(
            _("--answers needs {count} answers, one y or n per question, but got {given}").format(
                count=count, given=len(answers)
            )
        )
    return answers
