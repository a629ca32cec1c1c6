"""Text keys shared by lookups: the one normalisation every name comparison uses."""

from __future__ import annotations

import re

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """A name as a lookup key: case, spaces and punctuation ignored ("S.I. joint" == "si-joint")."""
    return _NOT_ALNUM.sub("", text.casefold())
