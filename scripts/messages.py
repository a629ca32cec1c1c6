"""Keep the interface's translation catalogues in step with the code.

    python scripts/messages.py            # add new messages to each painref.po, drop gone ones, compile .mo
    python scripts/messages.py --check    # exit 1 if a message is missing or untranslated (the tests run this)

Messages are the string literals passed to `_()` or `N_()` in src/painref, the singular and plural
passed to `ngettext()`, and the docstrings of the commands (`@_command`), which are their --help
(found with ast, so a message assembled at run time cannot hide). Catalogues are compiled to .mo when the package is
built (hatch_build.py), so only the .po files are kept in git.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "painref"
LOCALES = PACKAGE / "locale"


Message = str | tuple[str, str]  # a message, or a singular and plural


def _strings(node: ast.Call, count: int) -> tuple[str, ...] | None:
    values = tuple(arg.value for arg in node.args[:count] if isinstance(arg, ast.Constant))
    return values if len(values) == count and all(isinstance(v, str) for v in values) else None


def _is_command(node: ast.AST) -> bool:
    """A function registered as a command (`@_command()`): its docstring is its --help."""
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "_command"
        for d in node.decorator_list
    )


def extract() -> dict[Message, list[tuple[str, int]]]:
    """Every message in the package and where it is written."""
    found: dict[Message, list[tuple[str, int]]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = f"src/painref/{path.name}"
        for node in ast.walk(tree):
            if _is_command(node):
                assert isinstance(node, ast.FunctionDef)
                doc = ast.get_docstring(node, clean=True)  # as inspect.getdoc gives it to Typer
                if doc:
                    found.setdefault(doc, []).append((where, node.lineno))
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id in ("_", "N_") and (strings := _strings(node, 1)):
                found.setdefault(strings[0], []).append((where, node.lineno))
            elif node.func.id == "ngettext" and (strings := _strings(node, 2)):
                found.setdefault((strings[0], strings[1]), []).append((where, node.lineno))
    return found


def catalogues() -> list[Path]:
    return sorted(LOCALES.glob("*/LC_MESSAGES/painref.po"))


def update(path: Path, messages: dict[Message, list[tuple[str, int]]]) -> None:
    with path.open("rb") as handle:
        old = read_po(handle)
    fresh = Catalog(
        locale=old.locale,
        project="painref",
        charset="utf-8",
        fuzzy=False,
        header_comment=f"# painref's interface in {old.locale.english_name if old.locale else path.parts[-3]}.",
        creation_date=old.creation_date,
        revision_date=old.revision_date,
    )
    for message, locations in sorted(messages.items(), key=lambda item: str(item[0])):
        previous = old.get(message)
        empty: str | tuple[str, ...] = ("",) * fresh.num_plurals if isinstance(message, tuple) else ""
        fresh.add(message, previous.string if previous else empty, locations=locations)
    with path.open("wb") as handle:
        write_po(handle, fresh, width=100, sort_output=True, omit_header=False)
    # What a build would compile, so an editable install picks up the change at once.
    with path.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, fresh)


def problems(path: Path, messages: dict[Message, list[tuple[str, int]]]) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in messages:
        entry = catalog.get(message)
        if entry is None:
            found.append(f"{path.parent.parent.name}: missing {message!r}")
        elif not entry.string or (isinstance(entry.string, tuple) and not all(entry.string)):
            found.append(f"{path.parent.parent.name}: untranslated {message!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    messages = extract()
    if args.check:
        found = [problem for path in catalogues() for problem in problems(path, messages)]
        for problem in found:
            print(problem, file=sys.stderr)
        return 1 if found else 0
    for path in catalogues():
        update(path, messages)
    print(f"{len(messages)} messages in {len(catalogues())} catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
