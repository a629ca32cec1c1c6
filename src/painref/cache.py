"""The cache folder: slots keyed by the identity of the files they were built from, written atomically."""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from painref import __version__

ENV_CACHE_DIR = "PAINREF_CACHE_DIR"
ENV_NO_CACHE = "PAINREF_NO_CACHE"
# Bump when the loader's output for the same file would change.
CACHE_FORMAT = 5


def cache_dir(env: Mapping[str, str]) -> Path | None:
    """Where painref keeps its caches: PAINREF_CACHE_DIR, else $XDG_CACHE_HOME/painref; None when off."""
    if env.get(ENV_NO_CACHE):
        return None
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "painref"


def file_key(paths: Sequence[Path]) -> list[Any] | None:
    """The identity of every file (device, inode, size, modification and change times), or None
    when one cannot be read: an edited file never matches a key made before the edit."""
    identities: list[Any] = [CACHE_FORMAT, __version__]
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            return None
        identities.append([str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    return identities


def slot(directory: Path | None, key: list[Any] | None, name: str, suffix: str) -> Path | None:
    """The cache file for these files: named by their paths only, so an edit reuses its slot."""
    if directory is None or key is None:
        return None
    paths = json.dumps([identity[0] for identity in key[2:]])
    return directory / f"{name}-{zlib.crc32(paths.encode()):08x}{suffix}"


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write; it replaces `path` atomically if the block succeeds,
    and is removed if it fails, so readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink(missing_ok=True)
        yield temporary
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def read_json(path: Path | None, key: list[Any] | None) -> dict[str, Any] | None:
    """What `write_json` stored at `path` for exactly this key, or None."""
    if path is None or key is None:
        return None
    try:
        with path.open("rb") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return None
    value = stored.get("value") if isinstance(stored, dict) and stored.get("key") == key else None
    return value if isinstance(value, dict) else None


def write_json(path: Path | None, key: list[Any] | None, value: Mapping[str, Any]) -> None:
    """Store a value for this key; a cache that cannot be written only costs speed, never a command."""
    if path is None or key is None:
        return
    with contextlib.suppress(OSError, TypeError, ValueError), replacing(path) as temporary:
        temporary.write_text(json.dumps({"key": key, "value": value}), encoding="utf-8")
