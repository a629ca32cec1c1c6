"""Compile the interface's gettext catalogues (.po → .mo) with Babel when the package is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):  # type: ignore[misc]  # hatchling ships no type hints
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        package = Path(self.root) / "src" / "painref"
        for source in sorted((package / "locale").glob("*/LC_MESSAGES/*.po")):
            with source.open("rb") as handle:
                catalog = read_po(handle)
            compiled = source.with_suffix(".mo")
            with compiled.open("wb") as handle:
                write_mo(handle, catalog)
            # .mo files are build products (ignored by git), so name them for the wheel explicitly.
            build_data["force_include"][str(compiled)] = str(compiled.relative_to(package.parent))
