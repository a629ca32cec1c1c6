"""Filters and answer parsing for the commands: pure functions over the model."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from painref.errors import NotFoundError, UsageError
from painref.i18n import ENGLISH, N_, _, language
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
    entries = list(matching(catalogue, kinds, category=category, region=region, condition=condition))
    if not entries:
        raise nothing_matches(kinds, category=category, region=region, condition=condition)
    return entries


def matching(
    catalogue: Catalogue,
    kinds: Sequence[Kind],
    *,
    category: str | None = None,
    region: str | None = None,
    condition: Entry | None = None,
    fields: Sequence[str] | None = None,
) -> Iterator[Entry]:
    """Entries of the given kinds that match every filter given, one at a time (a long list is
    never held whole); with `fields`, entries may hold only those fields besides the ones the
    filters read. A filter value that names nothing is an error before the first entry."""
    wanted_category = None
    if category:
        choices = [choice for field in _CATEGORY_FIELDS for choice in field.choices]
        wanted_category = pick_choice(
            category, choices, N_("'{value}' is not a category or treatment type; choose from {choices}")
        )
    regions: set[str] = set()
    if region:
        wanted_region = normalize(region)
        # "back" matches upper, mid and lower back; "knee" matches only knee.
        regions = {r for r in REGIONS if normalize(r) == wanted_region} or {
            r for r in REGIONS if wanted_region in normalize(r)
        }
        if not regions:
            raise UsageError(
                _("'{value}' is not a body region; choose from {choices}").format(
                    value=region, choices=", ".join(_typed(REGIONS))
                )
            )
    related: set[str] = set()
    if condition is not None:
        related = {condition.id, *condition.members}
        if condition.family:
            related.add(condition.family)
    if fields is not None:  # and the fields the filters given read
        read = [f.name for f in _CATEGORY_FIELDS] if category else []
        read += (["regions"] if region else []) + (["conditions"] if condition else [])
        fields = tuple(dict.fromkeys((*fields, "id", *read)))
    return _matching(catalogue, kinds, wanted_category, regions, condition is not None, related, fields)


def _matching(
    catalogue: Catalogue,
    kinds: Sequence[Kind],
    category: str | None,
    regions: set[str],
    by_condition: bool,
    related: set[str],
    fields: Sequence[str] | None,
) -> Iterator[Entry]:
    for kind in kinds:
        if not (category or regions or by_condition):
            yield from catalogue.entries(kind, fields)
            continue
        for e in catalogue.entries(kind, fields):
            if category and _category_of(e) != category:
                continue
            if regions and not set(e.regions) & regions:
                continue
            if by_condition and not (
                (e.kind is Kind.CONDITION and e.id in related) or related & set(e.texts("conditions"))
            ):
                continue
            yield e


def nothing_matches(
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


def _typed(choices: Mapping[str, str]) -> list[str]:
    """Choices as a user types them; in another language, each with its name there: "knee (rodilla)"."""
    if language() == ENGLISH:
        return list(choices)
    return [f"{code} ({_(label)})" for code, label in choices.items()]
