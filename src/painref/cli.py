"""The Typer app: thin commands, shared option types and one error-to-exit handler."""

# No `from __future__ import annotations` here: Typer reads these annotations at run time, and
# string annotations would cost an eval per parameter on every start.
import contextlib
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator, MutableMapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core
from typer import _click as typer_click  # Typer 0.28 vendors Click

from painref import __version__, i18n
from painref.errors import ExitStatus, NotFoundError, PainrefError, UsageError
from painref.i18n import N_, _, ngettext, os_reason
from painref.model import Checklist, Entry, Kind
from painref.render import Format, emit
from painref.terminal import Color
from painref.text import whole_number

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from painref.aid import Priority
    from painref.index import IndexCatalogue
    from painref.views import Output

F = TypeVar("F", bound=Callable[..., Any])

HELP = N_("""An offline terminal reference for interventional pain medicine.

List, search, show and compare procedures (epidural steroid injections,
radiofrequency ablation, nerve blocks, spinal cord stimulation, joint and
trigger point injections), the conditions they treat, and the traditional
treatments they are weighed against.

Examples:

\b
  painref list
  painref compare epidural rfa
  painref condition sciatica
  painref search "slipped disc"

Educational reference, not medical advice.""")

# What Typer and its Click write around painref's own help and errors, in painref's catalogue.
TYPER_MESSAGES = (
    *(N_("Usage: "), N_("Arguments"), N_("Options"), N_("Commands"), N_("Aborted!"), N_("required")),
    *(N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("integer"), N_("int range")),
    *(N_("default: {default}"), N_("No such command {name!r}."), N_("Show this message and exit.")),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def _choose_language(args: "Sequence[str]") -> None:
    """Speak the language of --lang in `args`, else PAINREF_LANG, else the locale, before parsing."""
    i18n.set_language(i18n.chosen_language(i18n.option_in(args), os.environ))
    # Typer writes its headings and notes with gettext's default domain: give it painref's.
    typer.core._ = _  # type: ignore[attr-defined]  # a module global Typer reads at each call


class _Speaking:
    """--help and usage in the interface language: help texts and metavars are English messages
    (the docstrings and help= strings) translated as they are shown."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _translate_help(self)
        super().format_help(ctx, formatter)  # type: ignore[misc]  # a mixin for Typer's classes

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _translate_help(self)
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, pieces, prefix=_("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _(option.help)
        return option


class _Speaks(_Speaking, typer.core.TyperCommand):
    """A command that shows its help in the interface language."""


class _SpeaksGroup(_Speaking, typer.core.TyperGroup):
    """The painref group: chooses the language before parsing, and shows its help in it."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _choose_language(args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for command in self.commands.values():
            _translate_help(command)
        super().format_help(ctx, formatter)


def _translate_help(command: Any) -> None:
    """Translate a command's help, usage words, and its parameters' help and metavars, in place
    (translating twice changes nothing; Typer builds the commands afresh for every invocation)."""
    if command.help:
        command.help = _(command.help)
    command.options_metavar = _(command.options_metavar)
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = _(command.subcommand_metavar)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
        if param.metavar:
            param.metavar = _(param.metavar)
        elif i18n.language() != i18n.ENGLISH and param.type.name in _TYPE_METAVARS:
            # Click writes an option's type in English ("<str>"); English help stays as Click writes it.
            param.metavar = _(_TYPE_METAVARS[param.type.name])


# The metavars Click gives options that name no metavar of their own, by the option's type.
_TYPE_METAVARS = {"str": N_("<str>"), "int range": N_("<int range>"), "integer": N_("<int>")}


# Click's own usage errors (Typer 0.28's Click has no catalogue), recognised by their shape and
# said again as whole painref messages; a message of another shape is left as Click wrote it.
# Compiled only when an error is said in another language: about 5 ms every run would pay.
_CLICK_ERRORS: tuple[tuple[str, str], ...] = (
    (r"(?P<message>.+)\. Did you mean (?P<suggestions>.+)\?", N_("{message}. Did you mean {suggestions}?")),
    (r"Invalid value for (?P<hint>.+?): (?P<message>.+)", N_("Invalid value for {hint}: {message}")),
    (r"Invalid value: (?P<message>.+)", N_("Invalid value: {message}")),
    (r"(?P<value>.+) is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}.")),
    (r"(?P<value>.+) is not a valid (?P<type>.+)\.", N_("{value} is not a valid {type}.")),
    (r"Missing argument '(?P<name>.+)'\.", N_("Missing argument '{name}'.")),
    (r"Missing option '(?P<name>.+)'\.", N_("Missing option '{name}'.")),
    (
        r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
        N_("No such option: {name} (Possible options: {options})"),
    ),
    (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
    (r"Got unexpected extra arguments? ?\(s\) \((?P<args>.*)\)", N_("Got unexpected extra argument(s) ({args})")),
    (r"Option '(?P<name>.+)' requires an argument\.", N_("Option '{name}' requires an argument.")),
)


def _click_error(text: str) -> str:
    """A message of Click's in the interface language (itself in English)."""
    if i18n.language() == i18n.ENGLISH:
        return text
    for pattern, message in _CLICK_ERRORS:
        if found := re.fullmatch(pattern, text):  # re caches the compiled patterns
            parts = {
                key: _click_error(value) if key == "message" else value for key, value in found.groupdict().items()
            }
            for key in ("name", "type"):  # a metavar such as NAME, a type such as "integer"
                if key in parts:
                    parts[key] = _(parts[key])
            return _(message).format(**parts)
    return text


def _show_usage_error(self: Any, file: Any = None) -> None:
    """Click's UsageError.show, in the interface language: the usage line, the hint, the error."""
    if file is None:
        file = typer_click._compat.get_text_stderr()
    echo = typer_click.utils.echo
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            command, option = self.ctx.command_path, self.ctx.help_option_names[0]
            hint = _("Try '{command} {option}' for help.").format(command=command, option=option) + "\n"
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=self.ctx.color)
    color = self.ctx.color if self.ctx is not None else None
    echo(_("Error: {message}").format(message=_click_error(self.format_message())), file=file, color=color)


typer_click.exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]


app = typer.Typer(
    name="painref",
    cls=_SpeaksGroup,
    help=HELP,
    no_args_is_help=True,
    # Plain (non-Rich) help: Rich help imports markdown and pygments, ~86 ms on every --help.
    rich_markup_mode=None,
    # Never print tracebacks with local variables; errors are handled in `_handles_errors`.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _debug() -> bool:
    return os.environ.get("PAINREF_DEBUG", "") not in ("", "0")


def _handles_errors(command: F) -> F:
    """The one place where failures become a sentence on stderr and an exit status."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from painref import cache
        from painref.terminal import error

        try:
            for attempt in (1, 2):
                try:
                    return command(*args, **kwargs)
                except PainrefError as failure:
                    error(failure.message)
                    raise typer.Exit(failure.status) from None
                except Exception as failure:
                    # Typer's and Click's own exceptions carry exits and usage errors: let them through.
                    if type(failure).__module__.startswith("typer") or _debug():
                        raise
                    if attempt == 1 and _discard_damaged_index(failure):
                        continue  # once, on an index rebuilt from the YAML
                    error(
                        _("unexpected error ({kind}: {failure}); set PAINREF_DEBUG=1 to see where").format(
                            kind=type(failure).__name__, failure=failure
                        )
                    )
                    raise typer.Exit(ExitStatus.ERROR) from None
            return None
        finally:
            for message in cache.drain_notices():
                error(message)

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps the signature Typer reads


def _discard_damaged_index(failure: Exception) -> bool:
    """If `failure` is SQLite finding the cached index damaged (pages that its header did not
    show), remove that file so the next load rebuilds it; True if there was one to remove."""
    import sqlite3

    from painref.index import discard

    if not isinstance(failure, sqlite3.DatabaseError):
        return False
    paths = [loaded.store.path for loaded in _loaded.values() if loaded.store.path is not None]
    _loaded.clear()
    for path in paths:
        discard(path, "damaged")
    return bool(paths)


def _command(name: str | None = None) -> Callable[[F], F]:
    def register(function: F) -> F:
        app.command(name, cls=_Speaks)(_handles_errors(function))
        return function

    return register


# --- shared state and options ------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painref {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalog",
            metavar=N_("PATH"),
            help=N_(
                "Overlay catalogue file (repeatable); also PAINREF_CATALOG, paths joined by the OS path separator."
            ),
        ),
    ] = None,
    color: Annotated[
        Color,
        typer.Option(
            "--color",
            case_sensitive=False,
            help=N_("Colour and styles in tables: auto (terminal, NO_COLOR, FORCE_COLOR), always or never."),
        ),
    ] = Color.AUTO,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help=N_("Never page long output (also PAINREF_PAGER='').")),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar=N_("LANG"),
            help=N_(
                "Language: en or es (also PAINREF_LANG, then the locale). Untranslated text shows in English, marked."
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=N_("Show painref's version and exit.")),
    ] = False,
) -> None:
    """Global options; commands read them from the root context."""
    from painref import i18n

    i18n.set_language(i18n.chosen_language(lang, os.environ))


def _out(ctx: typer.Context, output: "Output", fmt: Format, *, page: bool = False) -> None:
    """Emit an Output with the global --color, paging long tables on a terminal unless told not to."""
    root = ctx.find_root()
    color = Color(root.params.get("color") or Color.AUTO)
    paging = page and not root.params.get("no_pager") and not ctx.params.get("no_pager")
    with _writing():
        emit(output, fmt, color=color, page=paging)


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """Writing to stdout: a full disk or a failed device (/dev/full) becomes one sentence."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away (`| head`): ends quietly in main
    except OSError as failure:
        raise PainrefError(_("cannot write to standard output: {reason}").format(reason=os_reason(failure))) from None


def _echo(text: str) -> None:
    with _writing():
        typer.echo(text)


NoPagerOption = Annotated[bool, typer.Option("--no-pager", help=N_("Print long output without a pager."))]


_loaded: dict[tuple[str, ...], "IndexCatalogue"] = {}


def _catalogue(ctx: typer.Context | None = None) -> "IndexCatalogue":
    from painref import catalogue

    root = ctx.find_root() if ctx is not None else None
    overlays = [Path(p) for p in ((root.params.get("catalog") if root else None) or ())]
    from painref import i18n

    key = (*map(str, overlays), os.environ.get("PAINREF_CATALOG", ""), i18n.language())
    if key not in _loaded:
        _loaded.clear()
        found = catalogue.open_cached(overlays, language=i18n.language())
        if found.catalogue is not None:
            _loaded[key] = found.catalogue
        else:  # a cache miss: only now import the parser, validator and merger
            from painref import compiler

            _loaded[key] = compiler.load(overlays, language=i18n.language())
    return _loaded[key]


# Completion candidates reach shells that evaluate them (Typer's zsh script runs `eval $(...)`, and
# escapes `$` but not the backslash before it), so only inert text is offered: a candidate is
# letters, digits and . _ + , @ / - (not leading -), and its description letters, digits, spaces
# and . , ( ) / + -; anything else in a description becomes a space, and other candidates are
# dropped. Catalogue ids are slugs and aliases words, so nothing real is lost.
_SAFE_CANDIDATE = re.compile(r"[^\W][\w.+,@/-]*")
_UNSAFE_DESCRIPTION = re.compile(r"[^\w .,()/+-]+")


def _inert(candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Completion candidates that no shell can run: see _SAFE_CANDIDATE."""
    return [
        (word, " ".join(_UNSAFE_DESCRIPTION.sub(" ", help_text).split()))
        for word, help_text in candidates
        if _SAFE_CANDIDATE.fullmatch(word) and word.isprintable()
    ]


def _complete_names(kind: Kind | None) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """Completion of ids and one-word aliases (names with spaces would split in the shell)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from painref.index import BY_NAME
        from painref.text import normalize

        try:
            # An indexed prefix query: completion stays instant however large the catalogue.
            spellings = _catalogue(ctx).store.spellings(normalize(incomplete), kind)
        except PainrefError:
            return []
        offered: dict[str, str] = {}
        for word, name, how in spellings:
            # Typer keeps only candidates that start with exactly what was typed; names
            # resolve ignoring case, so "rf" may complete to "rfa" as well as "RFA".
            for candidate in (word, word.casefold()):
                if how != BY_NAME and " " not in candidate and candidate.startswith(incomplete):
                    offered.setdefault(candidate, name)
                    break
        return _inert(sorted(offered.items(), key=lambda pair: pair[0].casefold()))

    return complete


def _complete_topics(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    try:
        sections = _catalogue(ctx).guide
    except PainrefError:
        return []
    return _inert([(s.id, s.title) for s in sections if s.id.startswith(incomplete.casefold())])


def _parse_kind(value: str | None, *, allow_all: bool) -> Kind | None:
    """A kind named in the singular or plural, or by a prefix ("proc"); None for "all"."""
    from painref.query import pick_choice

    if value is None:
        return None
    choices = [k.plural for k in Kind] + (["all"] if allow_all else [])
    word = value.strip().casefold()
    singular = {kind.value: kind.plural for kind in Kind}
    try:
        choice = pick_choice(singular.get(word, word), choices, N_("'{value}' is not a kind; choose from {choices}"))
    except UsageError:
        raise typer.BadParameter(
            _("'{value}' is not one of {choices}").format(value=value, choices=", ".join(choices))
        ) from None
    return None if choice == "all" else Kind(choice.removesuffix("s"))


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", case_sensitive=False, help=N_("Output format.")),
]


def _resolve(catalogue: "IndexCatalogue", name: str, kind: Kind | None = None) -> Entry:
    from painref.search import quoted, resolve_entry
    from painref.terminal import error

    entry, guessed = resolve_entry(catalogue, name, kind)
    if guessed:
        error(_("no exact match for '{name}'; showing '{shown}'").format(name=quoted(name), shown=entry.name))
    return entry


# --- commands ----------------------------------------------------------------------------------


@_command("list")
def list_entries(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            metavar="[procedures|conditions|treatments|all]",
            help=N_("What to list."),
            autocompletion=lambda: ["procedures", "conditions", "treatments", "all"],
            show_default=True,
        ),
    ] = "procedures",
    category: Annotated[
        str | None,
        typer.Option(
            "--category", "-c", help=N_("Procedure category or treatment type, e.g. nerve-block, medication.")
        ),
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", "-r", help=N_("Body region, e.g. knee, neck, lower-back."))
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            help=N_("Only what is used for this condition."),
            autocompletion=_complete_names(Kind.CONDITION),
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    no_pager: NoPagerOption = False,
) -> None:
    """List procedures (the default), conditions, treatments or all entries.

    Example: painref list procedures --region knee
    """
    from painref import query, views
    from painref.schema import LIST_FIELDS

    catalogue = _catalogue(ctx)
    chosen = _parse_kind(kind, allow_all=True)
    kinds = [chosen] if chosen else list(Kind)
    focus = _resolve(catalogue, condition, Kind.CONDITION) if condition else None
    filtered = bool(category or region or focus)
    if fmt in (Format.JSON, Format.CSV):  # records read every field of every entry
        entries = query.filter_entries(catalogue, kinds, category=category, region=region, condition=focus)
        _out(ctx, views.listing(entries, catalogue, kinds=kinds, filtered=filtered), fmt, page=True)
        return
    # A table reads a few fields of each entry, and keeps only its row.
    found = query.matching(catalogue, kinds, category=category, region=region, condition=focus, fields=LIST_FIELDS)
    output = views.listing(found, catalogue, kinds=kinds, filtered=filtered, records=False)
    if not any(isinstance(block, views.Grid) for block in output.blocks):
        raise query.nothing_matches(kinds, category=category, region=region, condition=focus)
    _out(ctx, output, fmt, page=True)


@_command()
def show(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar=N_("NAME"), help=N_("An id, name, abbreviation or lay term."), autocompletion=_complete_names(None)
        ),
    ],
    fmt: FormatOption = Format.TABLE,
    no_pager: NoPagerOption = False,
) -> None:
    """Show everything about one procedure, condition or treatment.

    Example: painref show rfa
    """
    from painref import views

    catalogue = _catalogue(ctx)
    entry = _resolve(catalogue, name)
    if fmt in (Format.MARKDOWN, Format.HTML) and entry.kind in (Kind.PROCEDURE, Kind.CONDITION):
        from painref import aid

        care = aid.care_sections(entry, catalogue) if entry.kind is Kind.CONDITION else []
        checked = aid.checked(entry, _today(), _stale_after())
        _out(ctx, views.handout(entry, catalogue, care, aid.trust_note(catalogue), checked), fmt)
    else:
        from painref import aid

        _out(ctx, views.show(entry, catalogue, aid.checked(entry, _today(), _stale_after())), fmt, page=True)


@_command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            metavar=N_("QUERY..."), help=N_("Words to look for: names, abbreviations, lay terms, symptoms.")
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help=N_("Only procedure, condition or treatment."),
            autocompletion=lambda: ["procedure", "condition", "treatment"],
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help=N_("Show at most this many results."))] = 10,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Search names, aliases, summaries and the rest of the text, best match first.

    Example: painref search pinched nerve
    """
    from painref import search as searching
    from painref import views

    text = " ".join(query)
    hits = searching.search(_catalogue(ctx), text, kind=_parse_kind(kind, allow_all=False), limit=limit)
    if not hits:
        raise NotFoundError(
            _("nothing matches '{text}'; try fewer or other words, or 'painref list all'").format(
                text=searching.quoted(text)
            )
        )
    _out(ctx, views.search_results(hits), fmt)


@_command()
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar=N_("NAME NAME [NAME...]"),
            help=N_("Two or more entries, of any kind."),
            autocompletion=_complete_names(None),
        ),
    ],
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            help=N_("Compare them as options for this condition: how well each works, what guidelines say."),
            autocompletion=_complete_names(Kind.CONDITION),
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Compare entries side by side: attributes as rows, entries as columns.

    Works across kinds, e.g. a procedure against a medication. With --condition (or when one of
    the names is a condition), the first rows answer a patient's questions about each option.
    Example: painref compare epidural physical-therapy --condition sciatica
    """
    from painref import aid

    if len(names) < 2:
        raise typer.BadParameter(_("compare needs at least two names"), param_hint=_("NAME"))
    catalogue = _catalogue(ctx)
    entries: dict[str, Entry] = {}
    for name in names:
        entry = _resolve(catalogue, name)
        entries.setdefault(entry.id, entry)
    if len(entries) < 2:
        same = next(iter(entries.values())).name
        raise UsageError(
            _("{names} all name '{same}'; give two different entries").format(
                names=_(" and ").join(repr(n) for n in names), same=same
            )
        )
    chosen = list(entries.values())
    context = _resolve(catalogue, condition, Kind.CONDITION) if condition else None
    if context is None:
        conditions = [entry for entry in chosen if entry.kind is Kind.CONDITION]
        context = conditions[0] if len(conditions) == 1 and len(chosen) > 2 else None
    _out(ctx, aid.compare(chosen, catalogue, context), fmt)


@_command()
def condition(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar=N_("NAME"),
            help=N_("A condition: name, abbreviation or lay term."),
            autocompletion=_complete_names(Kind.CONDITION),
        ),
    ],
    fmt: FormatOption = Format.TABLE,
    no_pager: NoPagerOption = False,
) -> None:
    """What can be done for a condition: its options grouped by line of care as the guidelines put them,
    with what each guideline says and what to expect, in numbers where a source gives them.

    Example: painref condition sciatica
    """
    from painref import aid

    catalogue = _catalogue(ctx)
    entry = _resolve(catalogue, name, Kind.CONDITION)
    _out(ctx, aid.condition(entry, catalogue, today=_today(), stale_after=_stale_after()), fmt, page=True)


@_command()
def decide(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar=N_("CONDITION"),
            help=N_("The condition you are weighing options for."),
            autocompletion=_complete_names(Kind.CONDITION),
        ),
    ],
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            "-a",
            metavar="3,2,1,...",
            help=N_(
                "How much each priority matters, 1 (not) to 3 (very), in order: quick relief, lasting relief,"
                " avoiding needles or implants, fewest side effects, avoiding daily medicines, short recovery."
            ),
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Weigh the options for a condition against what matters to you, and get a one-page summary
    to bring to your consultation. painref does not choose a treatment for you.

    Asks six questions on a terminal; scripts pass --answers.
    Example: painref decide sciatica --answers 3,2,3,2,1,2 -f html > summary.html
    """
    from painref import aid

    catalogue = _catalogue(ctx)
    entry = _resolve(catalogue, name, Kind.CONDITION)
    if answers is not None:
        ratings = aid.parse_ratings(answers)
    elif sys.stdin.isatty():
        ratings = _rate(aid.PRIORITIES)
    else:
        raise UsageError(
            _(
                "decide asks what matters to you on a terminal; in a script pass --answers with a rating"
                " from 1 to 3 for each of the six priorities, e.g. --answers 3,2,3,2,1,2"
            )
        )
    _out(ctx, aid.decide(entry, catalogue, ratings, today=_today()), fmt)


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@_command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar=N_("[PATH...]"), help=N_("Overlay files to check on top of the built-in catalogue.")),
    ] = None,
    report: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", case_sensitive=False, help=N_("text (path:line:col: message) or json, for CI.")),
    ] = ReportFormat.TEXT,
    stale_after: Annotated[
        int,
        typer.Option("--stale-after", min=1, metavar=N_("DAYS"), help=N_("Warn about facts last checked longer ago.")),
    ] = 365,
) -> None:
    """Check catalogue files and print every problem as path:line:col: message.

    Without paths, checks the catalogue painref would use (built-in plus overlays).
    Exits 1 if there is any error; warnings alone do not fail.
    Example: painref validate clinic.yaml
    """
    from painref import compiler as loader
    from painref.render import to_json
    from painref.terminal import error, one_line
    from painref.validate import Severity

    root = ctx.find_root()
    overlays = [Path(p) for p in (root.params.get("catalog") or ())]
    verdict = loader.validate_files(paths or [], overlays, stale_after=stale_after)
    errors = sum(1 for issue in verdict.issues if issue.severity is Severity.ERROR)
    warnings = len(verdict.issues) - errors
    if report is ReportFormat.JSON:
        problems = [
            {"path": i.file, "line": i.line, "column": i.col, "severity": i.severity.value, "message": i.message}
            for i in verdict.issues
        ]
        summary = {"ok": not errors, "errors": errors, "warnings": warnings, "files": verdict.files}
        if verdict.truncated:  # only then, so the usual shape stays as it was
            summary["truncated"] = True
        _echo(to_json({**summary, "counts": verdict.counts, "problems": problems}))
        if errors:
            raise typer.Exit(ExitStatus.ERROR)
        return
    for issue in verdict.issues:
        sys.stderr.write(one_line(f"{issue}") + "\n")
    if verdict.truncated:
        error(
            _("stopped after {count} problems; fix these and run 'painref validate' again for the rest").format(
                count=len(verdict.issues)
            )
        )
    if errors:
        raise typer.Exit(ExitStatus.ERROR)
    files = len(verdict.files)
    counts = ", ".join(f"{count} {_(what)}" for what, count in verdict.counts.items())
    checked = ngettext("ok: {files} file, {counts}", "ok: {files} files, {counts}", files).format(
        files=files, counts=counts
    )
    note = ngettext(" ({count} warning)", " ({count} warnings)", warnings).format(count=warnings) if warnings else ""
    _echo(checked + note)


@_command()
def guide(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar=N_("[TOPIC]"),
            help=N_("A topic such as consultation, procedure-day, follow-up, benefits, limits."),
            autocompletion=_complete_topics,
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The patient journey: consultation, planning, procedure day, follow-up; benefits; limits.

    Example: painref guide procedure-day
    """
    from painref import views
    from painref.search import Named, resolve

    sections = _catalogue(ctx).guide
    if topic is None:
        _out(ctx, views.guide_index(sections), fmt)
        return
    section, _guessed = resolve(topic, [Named(s, s.id, s.title, s.aliases) for s in sections], what="guide topic")
    _out(ctx, views.guide_section(section), fmt)


@_command()
def checklist(
    ctx: typer.Context,
    answers: Annotated[
        str | None,
        typer.Option("--answers", "-a", metavar="y,n,...", help=N_("One y or n per question, in order, for scripts.")),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Six questions to ask yourself before seeing a pain specialist.

    Asks them one by one on a terminal; scripts pass --answers.
    Example: painref checklist --answers y,y,n,y,y,y
    """
    from painref import query, views

    checks = _catalogue(ctx).checklist
    if checks is None:
        raise NotFoundError(_("this catalogue has no checklist"))
    if answers is not None:
        replies = query.parse_answers(answers, len(checks.questions))
    elif sys.stdin.isatty():
        replies = _ask(checks)
    else:
        example = ",".join([_("y")] * len(checks.questions))  # the letter for yes: "s" in Spanish
        raise UsageError(
            _(
                "checklist asks its questions on a terminal; in a script pass --answers"
                " with one y or n per question, e.g. --answers {example}"
            ).format(example=example)
        )
    _out(ctx, views.checklist(checks, replies), fmt)


@_command()
def schema() -> None:
    """Print the JSON Schema for catalogue files (for editors and CI).

    Example: painref schema > catalog.schema.json
    """
    from painref.render import to_json
    from painref.schema import json_schema

    _echo(to_json(json_schema()))


@_command()
def info(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Show painref's version, the catalogue's counts and every file it loads, in precedence order.

    Example: painref info
    """
    from painref import cache as caching
    from painref import catalogue, views
    from painref.errors import CatalogueError

    root = ctx.find_root()
    overlays = [Path(p) for p in (root.params.get("catalog") or ())]
    files = catalogue.catalogue_files(overlays)
    loaded, problem = None, ""
    try:
        loaded = _catalogue(ctx)
    except CatalogueError as failure:
        problem = failure.message
    folder = catalogue.config_dir(os.environ)
    cache = caching.cache_dir(os.environ)
    if folder is None:
        shown_folder = _("none (no home folder and no absolute XDG_CONFIG_HOME)")
    else:
        shown_folder = (
            str(folder)
            if _exists(folder.is_dir)
            else _("{folder} (not created; add *.yaml files here)").format(folder=folder)
        )
    places = [
        (N_("Config folder"), shown_folder),
        (
            N_("Cache folder"),
            str(cache) if cache else _("off (PAINREF_NO_CACHE)") if os.environ.get(caching.ENV_NO_CACHE) else _("off"),
        ),
        (N_("JSON Schema"), str(catalogue.schema_file())),
    ]
    shown = [views.LoadedFile(f.origin, f.label, f.builtin or _exists(f.path.is_file)) for f in files]
    from painref.i18n import LANGUAGES

    languages = []
    for code in loaded.languages() if loaded is not None else ():
        done, total = loaded.completeness(code) if loaded is not None else (0, 0)
        languages.append((code, LANGUAGES.get(code, code), done, total))
    _out(ctx, views.info(__version__, loaded, shown, places, problem, languages), fmt)
    if problem:
        # Shown in the report too, and said on stderr as every other failing command says it.
        from painref.terminal import error

        error(problem)
        raise typer.Exit(ExitStatus.ERROR)


def _today() -> "date":
    """Today, or PAINREF_TODAY (YYYY-MM-DD) so a handout can be reproduced as of a given day."""
    from datetime import date

    given = os.environ.get("PAINREF_TODAY", "")
    try:
        return date.fromisoformat(given) if given else date.today()
    except ValueError:
        raise UsageError(_("PAINREF_TODAY must be a date as YYYY-MM-DD, not '{given}'").format(given=given)) from None


def _exists(test: Callable[[], bool]) -> bool:
    """A path test (`path.is_file`) that is False for a path the system cannot even look up (a name
    too long, a loop of links) rather than an error."""
    try:
        return test()
    except OSError:
        return False


def _stale_after() -> int:
    """Days after which a check date is shown as due for review: PAINREF_STALE_AFTER, else 365."""
    given = os.environ.get("PAINREF_STALE_AFTER", "")
    if not given:
        return 365
    days = whole_number(given, digits=6)
    if days is None or days < 1:
        shown = given if len(given) <= 40 else given[:40] + "..."
        raise UsageError(_("PAINREF_STALE_AFTER must be a whole number of days, not '{given}'").format(given=shown))
    return days


def _rate(priorities: "Sequence[Priority]") -> dict[str, int]:
    """Ask how much each priority matters, 1 to 3, on the terminal."""
    typer.echo(_("How much does each of these matter to you? 1 = not important, 2 = somewhat, 3 = very."))
    ratings: dict[str, int] = {}
    for number, priority in enumerate(priorities, start=1):
        typer.echo("")
        question = f"{number}/{len(priorities)}. {_(priority.question)} [1/2/3]"
        while (rating := _number(_reply(question))) not in (1, 2, 3):
            typer.echo(_("Please answer 1, 2 or 3."))
        ratings[priority.id] = rating
    typer.echo("")
    return ratings


def _ask(checks: Checklist) -> list[bool]:
    """Ask each question on the terminal; Ctrl-C or end of input stops quietly."""
    from painref.terminal import clean

    typer.echo(clean(checks.intro))
    replies = []
    for number, question in enumerate(checks.questions, start=1):
        typer.echo("")
        typer.secho(f"  {clean(question.why)}", dim=True)
        asked = f"{number}/{len(checks.questions)}. {clean(question.question)} [{_('y/n')}]"
        while (reply := _yes_or_no(_reply(asked))) is None:
            typer.echo(_("Please answer y or n."))
        replies.append(reply)
    typer.echo("")
    return replies


def _reply(question: str) -> str:
    """The reader's reply to a prompt. Ctrl-C there ends the run as Ctrl-C anywhere does (status
    130); Click's prompt turns it into the same Abort as end of input (status 1)."""
    from typer import Abort

    try:
        return str(typer.prompt(question, default="", show_default=False))
    except Abort as stopped:
        if isinstance(stopped.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise


def _number(reply: str) -> int | None:
    return whole_number(reply)


# What answers yes or no at a prompt, in any language painref speaks ("s" and "sí" in Spanish).
_YES = frozenset({"y", "yes", "s", "si", "sí"})  # as query.parse_answers takes them
_NO = frozenset({"n", "no"})


def _yes_or_no(reply: str) -> bool | None:
    word = reply.strip().casefold()
    return True if word in _YES else False if word in _NO else None


def _nowhere() -> Any:
    """A text stream that discards what is written (for a stream that is closed or failed)."""
    return Path(os.devnull).open("w", encoding="utf-8")


def _prepare_streams() -> str | None:
    """Make stdout and stderr safe to write to; a sentence if stdout cannot take output at all.

    stderr passes through the one sanitizer (Click's usage errors echo the arguments they
    reject); stdout replaces what its encoding cannot show (ASCII or cp1252 pipes) instead of
    failing, and a closed stdout is said, not silently ignored.
    """
    from painref.terminal import CleanWriter

    if sys.stderr is None:  # started with stderr closed: messages have nowhere to go
        sys.stderr = _nowhere()
    sys.stderr = CleanWriter(sys.stderr)
    if sys.stdout is None:
        sys.stdout = _nowhere()
        return _("standard output is closed, so there is nowhere to write the answer")
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    return None


class _Stopped(BaseException):
    """The process was asked to stop by a signal (`signal`, its number): unwinds as Ctrl-C does."""

    def __init__(self, signal: int) -> None:
        super().__init__(signal)
        self.signal = signal


def _stop(number: int, _frame: Any) -> None:
    raise _Stopped(number)


def _flush_stdout() -> str | None:
    """Flush what is still buffered for stdout; a sentence if it could not be written (/dev/full)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away: SIGPIPE's default ends the process quietly
    except OSError as failure:
        # Nothing more can reach this stdout; point it at nothing so the interpreter's own flush
        # at exit does not fail again with a traceback.
        sys.stdout = _nowhere()
        return _("cannot write to standard output: {reason}").format(reason=os_reason(failure))
    return None


class _Commands(MutableMapping[str, Any]):
    """The app's commands by name, each made into a Click command only when first asked for.

    Typer turns every command's signature into Click parameters on every start (about 7 ms for
    painref's 12); a run needs one. `--help` and completion list them all, and get them all.
    """

    def __init__(self, infos: dict[str, Any], build: Callable[[Any], Any]) -> None:
        self.infos = infos
        self.build = build
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = self.build(self.infos[name])
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.infos[name] = None
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.infos[name]
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)


def command_group() -> Any:
    """`app` as the Click group Typer would make of it, building only the command that runs."""
    import copy

    from typer import main as typer_main

    lean = copy.copy(app)
    lean.registered_commands = []  # the group, its options and callback, without commands
    group = typer_main.get_command(lean)
    infos = {
        info.name or typer_main.get_command_name(getattr(info.callback, "__name__", "")): info
        for info in app.registered_commands
    }

    def build(info: Any) -> Any:
        return typer_main.get_command_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
        )

    group.commands = _Commands(infos, build)  # type: ignore[attr-defined]
    return group


def main() -> None:
    """The console script: die quietly on a closed pipe, as Unix tools do; say so when output fails."""
    import signal

    from painref.terminal import error

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # Asked to stop (kill, timeout, a closed terminal): stop as Ctrl-C stops, so a build in
    # progress removes its temporary file, with the shell's status for that signal.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    _choose_language(sys.argv[1:])  # so that even a failure before parsing is said in it
    problem = _prepare_streams()
    if problem is not None:
        error(problem)
        sys.exit(ExitStatus.ERROR)
    status: Any = ExitStatus.SUCCESS
    try:
        command_group()(prog_name="painref")
    except SystemExit as done:
        status = done.code
    except KeyboardInterrupt:
        status = ExitStatus.INTERRUPTED
    except _Stopped as stopped:
        status = 128 + stopped.signal
    except OSError as failure:
        # Only what Click writes itself gets here (--help, --version, completion scripts): every
        # command says its own problems. Its output could not be written.
        sys.stdout = _nowhere()
        error(_("cannot write to standard output: {reason}").format(reason=os_reason(failure)))
        status = ExitStatus.ERROR
    try:
        problem = _flush_stdout()
    except KeyboardInterrupt:  # Ctrl-C once the answer was made: what it had printed is enough
        problem, status = None, ExitStatus.INTERRUPTED
    if problem is not None:
        error(problem)
        status = status or ExitStatus.ERROR
    sys.exit(status)
