"""Languages: choosing one, and translations of catalogue text applied field by field over English.

A translation file (data/i18n/LANG.yaml, or a clinic's own) holds, for each entry id and field, the
translated text and a hash of the English it was made from. A field whose English has changed
since (a stale translation) or that has no translation falls back to English, and the view says
which fields did. JSON keys never change with the language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from gettext import NullTranslations

ENGLISH = "en"
# Languages painref ships, with their names in their own language.
LANGUAGES: Mapping[str, str] = {"en": "English", "es": "Español"}
ENV_LANG = "PAINREF_LANG"


# Interface messages: gettext catalogues compiled at build time from locale/LANG/LC_MESSAGES/painref.po.
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "painref"
_messages: NullTranslations | None = None
_language = ENGLISH


def set_language(language: str) -> None:
    """Speak `language` from now on: interface messages and, where the catalogue has them, entries."""
    global _messages, _language
    _language = language if language in LANGUAGES else ENGLISH
    _messages = None
    if _language != ENGLISH:
        import gettext

        _messages = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def language() -> str:
    return _language


def _(message: str) -> str:
    """An interface message in the current language (English, or the message itself if untranslated)."""
    return message if _messages is None else _messages.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """An interface message whose words depend on a number, in the current language."""
    if _messages is None:
        return singular if count == 1 else plural
    return _messages.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message for translation where it is declared; `_` translates it where it is shown."""
    return message


# The operating system's and PyYAML's own words for a problem are English whatever the language.
# The common ones are translated here; any other stays as the system wrote it.
_OS_REASONS: Mapping[str, str] = {
    "ENOENT": N_("No such file or directory"),
    "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"),
    "EISDIR": N_("Is a directory"),
    "ENOTDIR": N_("Not a directory"),
    "ELOOP": N_("Too many levels of symbolic links"),
    "ENAMETOOLONG": N_("File name too long"),
    "EIO": N_("Input/output error"),
    "ENOSPC": N_("No space left on device"),
    "EROFS": N_("Read-only file system"),
    "EMFILE": N_("Too many open files"),
    "ENFILE": N_("Too many open files in system"),
    "EPIPE": N_("Broken pipe"),
    "EBUSY": N_("Device or resource busy"),
    "EFBIG": N_("File too large"),
    "ENOMEM": N_("Cannot allocate memory"),
    "EINVAL": N_("Invalid argument"),
    "ENXIO": N_("No such device or address"),
    "EAGAIN": N_("Resource temporarily unavailable"),
    "EDQUOT": N_("Disk quota exceeded"),
}
# PyYAML's problems (its C loader's wording first); a longer one may add detail after these words.
# Like every message they are format strings (formatted with nothing), so a brace is written twice.
_YAML_PROBLEMS: tuple[str, ...] = (
    N_("found character that cannot start any token"),
    N_("did not find expected node content"),
    N_("did not find expected key"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}}'"),  # every message is a format string: '}}' is '}'
    N_("did not find expected '-' indicator"),
    N_("mapping values are not allowed in this context"),
    N_("mapping values are not allowed here"),
    N_("block sequence entries are not allowed in this context"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found unexpected end of stream"),
    N_("found unexpected document indicator"),
    N_("found unknown escape character"),
    N_("could not find expected ':'"),
    N_("found an indentation indicator equal to 0"),
    N_("found undefined tag handle"),
    N_("found unexpected ':'"),
)


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in the current language: the system's own words (its strerror)
    where painref has no translation of them, or in English."""
    import errno

    own = error.strerror or str(error)
    name = errno.errorcode.get(error.errno) if error.errno is not None else None
    message = _OS_REASONS.get(name) if name else None
    if _messages is None or message is None:
        return own
    translated = _(message)
    return translated if translated != message else own


def yaml_problem(problem: str) -> str:
    """PyYAML's description of a problem, in the current language where painref has it translated
    (any detail PyYAML adds after its usual words is kept); otherwise PyYAML's own words."""
    if _messages is None:
        return problem
    for message in _YAML_PROBLEMS:
        words = message.format()
        if problem == words or problem.startswith(words + " "):
            translated = _(message).format()
            return problem if translated == words else translated + problem[len(words) :]
    return problem


def option_in(args: Iterable[str]) -> str | None:
    """The value of a --lang option in command-line arguments (before any "--"), if there is one.

    The language is chosen before the command line is parsed, so that --help, usage errors and
    every message Click shows while parsing are already in that language.
    """
    words = list(args)
    for index, word in enumerate(words):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--lang="):
            return word.removeprefix("--lang=")
    return None


def chosen_language(option: str | None, env: Mapping[str, str]) -> str:
    """--lang, then PAINREF_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); English otherwise.

    "es", "es_US.UTF-8" and "es-MX" all choose Spanish; an unknown language chooses English.
    """
    for value in (option, env.get(ENV_LANG), env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG")):
        if value:
            code = value.split(".")[0].replace("-", "_").split("_")[0].casefold()
            if code in LANGUAGES:
                return code
            if value is option or value is env.get(ENV_LANG):
                return ENGLISH  # asked for, but not available: English rather than the locale
    return ENGLISH


def english_hash(value: Any) -> str:
    """A short fingerprint of an English value, stored beside its translation to detect staleness."""
    import hashlib  # only languages other than English compare fingerprints
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# Fields a language gives in its own words rather than by translating the English.
OWN_WORDS = frozenset({"aliases"})
# Where a compiled translation item holds its text. A language's file writes it under the
# language's own code ({fr: ..., en_hash: ...}); compiling files it here (see `compiled_items`).
TEXT = "text"


def compiled_items(value: Any, language: str) -> Any:
    """A translation file's contents with every item's text moved from the language code to TEXT."""
    if isinstance(value, Mapping):
        return {TEXT if key == language else key: compiled_items(item, language) for key, item in value.items()}
    if isinstance(value, list):
        return [compiled_items(item, language) for item in value]
    return value


class Translated(NamedTuple):
    """An entry's data in one language, and the fields that fell back to English."""

    data: dict[str, Any]
    fallback: tuple[str, ...]


def translate(
    data: Mapping[str, Any], fields: Iterable[str], translations: Mapping[str, Mapping[str, Any]]
) -> Translated:
    """`data` with each of `fields` replaced by its translation where one exists for the current
    English; every other field of `fields` that has English text is listed as a fallback."""
    result = dict(data)
    fallback: list[str] = []
    for field in fields:
        value = data.get(field)
        if value in (None, "", []):
            continue
        found = translations.get(field)
        # Aliases are a language's own names and lay terms, not a translation of the English list:
        # adding English aliases does not make them stale.
        text = _current(found, value) if field not in OWN_WORDS else (found or {}).get(TEXT)
        if text is not None:
            result[field] = text
        else:
            fallback.append(field)
    return Translated(result, tuple(fallback))


def completeness(
    english: Iterable[tuple[str, Mapping[str, Any]]],
    fields: Iterable[str],
    translations: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> tuple[int, int]:
    """How many of the translatable fields of these (id, data) pairs are translated and current."""
    wanted = tuple(fields)
    done = total = 0
    for entry_id, data in english:
        found = translate(data, wanted, translations.get(entry_id, {}))
        present = sum(1 for field in wanted if data.get(field) not in (None, "", []))
        total += present
        done += present - len(found.fallback)
    return done, total


# The texts of an outcome that a translation gives (numbers, certainty and sources stay as they are).
OUTCOME_TEXTS = ("outcome", "comparator", "timeframe", "not_quantified")


def _current(found: Any, english: Any) -> Any:
    """The translated value of an item if it was made from this English, else None."""
    if isinstance(found, Mapping) and found.get(TEXT) is not None and found.get("en_hash") == english_hash(english):
        return found[TEXT]
    return None


def record_part(data: Mapping[str, Any], part: str) -> Any:
    """The English a record's translation item is made from: its bottom line, its guidelines'
    populations, or the texts of its benefit or harms."""
    if part == "populations":
        return [g.get("population", "") for g in data.get("guidelines") or ()]
    if part == "benefit":
        benefit = data.get("benefit") or {}
        return {k: benefit[k] for k in OUTCOME_TEXTS if k in benefit}
    if part == "harms":
        return [{k: h[k] for k in OUTCOME_TEXTS if k in h} for h in data.get("harms") or ()]
    return data.get(part)


RECORD_PARTS = ("bottom_line", "populations", "benefit", "harms")


def record_completeness(
    records: Iterable[tuple[str, Mapping[str, Any]]], translations: Mapping[str, Mapping[str, Any]]
) -> tuple[int, int]:
    """How many of the translatable parts of these (key, record) pairs have a current translation."""
    done = total = 0
    for key, data in records:
        found = translations.get(key, {})
        for part in RECORD_PARTS:
            english = record_part(data, part)
            if not english or (isinstance(english, list) and not any(english)):
                continue  # nothing to translate: no bottom line, populations, benefit or harms
            total += 1
            done += _current(found.get(part), english) is not None
    return done, total


def translate_record(data: Mapping[str, Any], found: Mapping[str, Any]) -> dict[str, Any]:
    """An indication record with its bottom line, guideline populations and outcome texts translated
    where a current translation exists; anything else stays in English."""
    result = translate(data, ("bottom_line",), found).data
    guidelines = list(data.get("guidelines") or ())
    populations = _current(found.get("populations"), record_part(data, "populations"))
    if isinstance(populations, list) and len(populations) == len(guidelines):
        result["guidelines"] = [{**g, "population": p} for g, p in zip(guidelines, populations, strict=True)]
    benefit = dict(data.get("benefit") or {})
    texts = _current(found.get("benefit"), record_part(data, "benefit"))
    if isinstance(texts, Mapping):
        result["benefit"] = {**benefit, **texts}
    harms = list(data.get("harms") or ())
    translated = _current(found.get("harms"), record_part(data, "harms"))
    if isinstance(translated, list) and len(translated) == len(harms):
        result["harms"] = [{**h, **t} for h, t in zip(harms, translated, strict=True)]
    return result
