"""Find the catalogue's files, read them safely, and open their compiled index when it is current (the warm path)."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from painref import cache, index
from painref.errors import CatalogueError
from painref.i18n import ENGLISH, _, os_reason

ENV_CATALOG = "PAINREF_CATALOG"
# Larger files are refused before parsing: 50,000 entries as full as the built-in ones take ~230 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
# Checking stops soon after this many problems: a small file of broken items costs no minutes.
MAX_PROBLEMS = 200
# `validate` warns about entries whose facts were last checked longer ago than this.
STALE_AFTER_DAYS = 365


@dataclass(frozen=True, slots=True)
class CatalogueFile:
    """One file that feeds the catalogue: the built-in one or an overlay."""

    path: Path
    label: str
    builtin: bool = False
    # Where painref found it: built-in, config (the user's catalog.d), PAINREF_CATALOG or --catalog.
    origin: str = "built-in"


def builtin_file() -> CatalogueFile:
    """The catalogue shipped in the package; its text is read through importlib.resources.

    The path here only names the file and identifies it for the cache: it is where
    importlib.resources finds it for any installed package on disk. Importing
    importlib.resources costs ~3 ms, so warm runs (cache hits) skip it. Where the package
    is not on disk (a zip), the path does not exist, nothing is cached, and the resource
    is still read.
    """
    path = Path(__file__).parent / "data" / "procedures.yaml"
    return CatalogueFile(path, str(path), builtin=True)


def config_dir(env: Mapping[str, str]) -> Path | None:
    """The user's catalogue folder: $XDG_CONFIG_HOME/painref/catalog.d (~/.config/... by default).

    A relative XDG_CONFIG_HOME is ignored, as the XDG spec says; with no home either (no HOME
    and no passwd entry), there is no such folder.
    """
    base = cache.absolute(env.get("XDG_CONFIG_HOME"))
    if base is None and (home := cache.home_dir()) is not None:
        base = home / ".config"
    return base / "painref" / "catalog.d" if base is not None else None


def catalogue_files(overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> list[CatalogueFile]:
    """Every file in precedence order, later ones winning: the built-in catalogue, the user's
    catalog.d/*.yaml (sorted by name), PAINREF_CATALOG's files, then --catalog's."""
    environ = os.environ if env is None else env
    folder = config_dir(environ)
    try:
        configured = (
            sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
            if folder is not None
            else []
        )
    except OSError:  # no folder (the usual case), or one that cannot be read
        configured = []
    from_env = [Path(p) for p in environ.get(ENV_CATALOG, "").split(os.pathsep) if p.strip()]
    return [
        builtin_file(),
        *(CatalogueFile(p, str(p), origin="config") for p in configured),
        *(CatalogueFile(p, str(p), origin=ENV_CATALOG) for p in from_env),
        *(CatalogueFile(p, str(p), origin="--catalog") for p in overlays),
    ]


def translation_files(env: Mapping[str, str]) -> list[Path]:
    """The languages' text files: the built-in data/i18n/*.yaml, then the user's i18n/*.yaml
    beside catalog.d (a clinic adds a language, or its own wording, with one file)."""
    builtin = sorted((Path(__file__).parent / "data" / "i18n").glob("*.yaml"))
    folder = config_dir(env)
    try:
        own = sorted(p for p in (folder.parent / "i18n").iterdir() if p.suffix in (".yaml", ".yml")) if folder else []
    except OSError:  # no folder (the usual case)
        own = []
    return [*builtin, *own]


def schema_file() -> Path:
    """The JSON Schema for catalogue files, shipped beside the built-in catalogue."""
    return Path(__file__).parent / "data" / "catalog.schema.json"


def read_text(source: CatalogueFile) -> str:
    """A catalogue file's text, or one clear sentence about why it cannot be read."""
    return decode(source, read_bytes(source))


def decode(source: CatalogueFile, data: bytes | bytearray) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogueError(
            _("catalogue file '{label}' is not valid UTF-8 (byte {byte})").format(label=source.label, byte=error.start)
        ) from None


def read_bytes(source: CatalogueFile) -> bytes | bytearray:
    """A catalogue file's bytes, at most MAX_FILE_BYTES of them, from a regular file only.

    The file is opened without blocking and checked with fstat before a byte is read, so a FIFO
    with no writer, a device or a socket is refused at once; the size is what was actually read
    (MAX_FILE_BYTES + 1 at most), not what stat says, so a file that gives more than it claims
    (like those in /proc) cannot run on. The bytes are read into one buffer of the size stat
    gave, so a 228 MB catalogue costs 228 MB here, not twice that.
    """
    if source.builtin:
        return _builtin_bytes()
    with _regular(source) as (handle, claimed):
        try:
            buffer = bytearray(min(claimed, MAX_FILE_BYTES) + 1)
            size = 0
            with memoryview(buffer) as view:
                while size < len(buffer) and (count := handle.readinto(view[size:])):
                    size += count
            del buffer[size:]
            while size <= MAX_FILE_BYTES and (chunk := handle.read(min(2**20, MAX_FILE_BYTES + 1 - size))):
                buffer += chunk  # more than stat claimed
                size += len(chunk)
        except OSError as error:
            raise CatalogueError(
                _("catalogue file '{label}' cannot be read: {reason}").format(
                    label=source.label, reason=os_reason(error)
                )
            ) from None
    if size > MAX_FILE_BYTES:
        raise CatalogueError(
            _("catalogue '{label}' is larger than {size} MiB").format(label=source.label, size=MAX_FILE_BYTES // 2**20)
        )
    return buffer


class Chunks:
    """A regular file handed to a parser a chunk at a time, never held whole: the bytes read are
    counted against MAX_FILE_BYTES and checksummed (cache.checksum) as they pass.

    Past the cap it reads as ended and `too_large` is set; a byte-order mark of UTF-16 or UTF-32
    (catalogue files are UTF-8, as `decode` requires, while libyaml would quietly read those) or a
    read that fails also read as an end, with `refused` set. It never raises: the parser calls it
    from C. The caller checks `whole` before trusting what was parsed.
    """

    def __init__(self, handle: io.FileIO) -> None:
        self.handle = handle
        self.size = 0
        self.checksum = 0
        self.too_large = False
        self.refused = False

    @property
    def whole(self) -> bool:
        """Whether the parser was given the whole file, as it is."""
        return not (self.too_large or self.refused)

    def read(self, size: int = -1) -> bytes:
        if not self.whole:
            return b""
        try:
            chunk = self.handle.read(max(size, 2**18))
        except OSError:
            chunk = None
        if chunk is None or (self.size == 0 and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))):
            self.refused = True  # unreadable, a non-blocking file with nothing to give, or not UTF-8
            return b""
        self.size += len(chunk)
        if self.size > MAX_FILE_BYTES:
            self.too_large = True
            return b""
        self.checksum = cache.checksum(chunk, self.checksum)
        return chunk


@contextlib.contextmanager
def chunks(source: CatalogueFile) -> Iterator[Chunks]:
    """A catalogue file (never the built-in one) to read a chunk at a time, or one sentence why not."""
    with _regular(source) as (handle, _):
        yield Chunks(handle)


def file_checksum(source: CatalogueFile) -> int:
    """cache.checksum of a catalogue file's bytes, read a megabyte at a time (no copy of the file)."""
    if source.builtin:
        return cache.checksum(_builtin_bytes())
    value = 0
    with _regular(source) as (handle, _size):
        try:
            size = 0
            while size <= MAX_FILE_BYTES and (chunk := handle.read(2**20)):
                value = cache.checksum(chunk, value)
                size += len(chunk)
        except OSError as error:
            raise CatalogueError(
                _("catalogue file '{label}' cannot be read: {reason}").format(
                    label=source.label, reason=os_reason(error)
                )
            ) from None
    return value


@contextlib.contextmanager
def _regular(source: CatalogueFile) -> Iterator[tuple[io.FileIO, int]]:
    """An unbuffered reader of a regular file and the size it claims, or one sentence why not."""
    label = source.label
    try:
        descriptor = os.open(source.path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise CatalogueError(_("catalogue file '{label}' does not exist").format(label=label)) from None
    except PermissionError:
        raise CatalogueError(
            _("catalogue file '{label}' cannot be read: permission denied").format(label=label)
        ) from None
    except OSError as error:
        raise CatalogueError(
            _("catalogue file '{label}' cannot be read: {reason}").format(label=label, reason=os_reason(error))
        ) from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise CatalogueError(_("catalogue '{label}' is a directory, not a YAML file").format(label=label))
        if not stat.S_ISREG(status.st_mode):
            raise CatalogueError(
                _(
                    "catalogue '{label}' is not a regular file (a pipe, device or socket); save it to a file first"
                ).format(label=label)
            )
        if status.st_size > MAX_FILE_BYTES:  # refused before reading; reading is bounded anyway
            raise CatalogueError(
                _("catalogue '{label}' is larger than {size} MiB").format(label=label, size=MAX_FILE_BYTES // 2**20)
            )
    except BaseException:
        os.close(descriptor)
        raise
    with io.FileIO(descriptor, "rb", closefd=True) as handle:
        yield handle, status.st_size


def _builtin_bytes() -> bytes:
    from importlib.resources import files

    return files("painref").joinpath("data", "procedures.yaml").read_bytes()


class Found(NamedTuple):
    """What a warm open found: the catalogue when its compiled index is current (else None), and
    what a build needs to make one: the files, their key, the cache slot and the language files."""

    catalogue: index.IndexCatalogue | None
    files: list[CatalogueFile]
    key: list[Any] | None
    slot: Path | None
    languages: list[Path]


def open_cached(overlays: Sequence[Path] = (), env: Mapping[str, str] | None = None, language: str = ENGLISH) -> Found:
    """The catalogue from its compiled index when that is current for exactly these files: the warm
    path, which reads no YAML and imports no parser. painref.compiler.load builds it otherwise."""
    environ = os.environ if env is None else env
    files = catalogue_files(overlays, environ)
    languages = translation_files(environ)
    key = cache.file_key([*(source.path for source in files), *languages])
    slot = cache.slot(cache.cache_dir(environ), key, "catalogue", ".sqlite")
    compiled = fresh_index(files, key, slot)
    found = None if compiled is None else index.IndexCatalogue(compiled, [f.label for f in files], language)
    return Found(found, files, key, slot, languages)


def fresh_index(files: Sequence[CatalogueFile], key: list[Any] | None, slot: Path | None) -> index.Index | None:
    """The cached index for these files if it exists and they have not changed since it was built."""
    compiled = index.open_existing(slot, key)
    settled = cache.settled_record(slot) if slot is not None else None
    if compiled is not None and not unchanged(files, key, compiled.meta("fresh"), settled):
        compiled.db.close()
        return None
    return compiled


def unchanged(
    files: Sequence[CatalogueFile], key: list[Any] | None, witnessed: Any, settled: Path | None = None
) -> bool:
    """Whether files whose identity matches the key also kept their content: a file modified too
    close to when it was read for the cache (cache.racy) is read again and its checksum compared.
    Files modified long before are trusted by identity alone, so a warm run reads no YAML.

    Once a re-read matches after the racy window has passed, any later edit would show in the
    file's times, so `settled` (a small cache file) records it and later runs read nothing: the
    first run straight after an install is not paid for again on every run after it."""
    if key is None or not isinstance(witnessed, list) or len(witnessed) != len(files):
        return False
    racy = []
    for source, identity, seen in zip(files, key[2:], witnessed, strict=False):
        if not (isinstance(seen, list) and len(seen) == 2 and isinstance(seen[1], int)):
            return False
        if cache.racy(identity, seen[1]):
            racy.append((source, identity, seen))
    if not racy or (settled is not None and (cache.read_json(settled, key) or {}).get("witnessed") == witnessed):
        return True
    now = time.time_ns()
    for source, _identity, seen in racy:
        try:
            if seen[0] is None or file_checksum(source) != seen[0]:
                return False
        except CatalogueError:
            return False
    if settled is not None and not any(cache.racy(identity, now - 1) for _source, identity, _seen in racy):
        cache.write_json(settled, key, {"witnessed": witnessed})
    return True
