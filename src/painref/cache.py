"""The cache folder: private, bounded slots keyed by the files they were built from, written durably.

What it trusts: only a folder this user owns that no one else can write to (else a private
temporary one, said once on stderr), and only files in it that are regular files, opened without
following symlinks. A slot is keyed by each file's identity (device, inode, size, modification and
change times); a file modified within RACY_NS of when its bytes were read is also checked by the
checksum of its content, git's "racy clean" rule, so a same-second, same-size edit is never missed
and the content is read again only in that case. Writes go to an unpredictable temporary file
opened exclusively, are synced, and replace the slot atomically; leftovers of killed builds are
swept; the least recently used slots are evicted past MAX_SLOTS or MAX_BYTES.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from painref import __version__
from painref.i18n import _, os_reason

ENV_CACHE_DIR = "PAINREF_CACHE_DIR"
ENV_NO_CACHE = "PAINREF_NO_CACHE"
# Bump when the loader's output for the same file would change.
CACHE_FORMAT = 14
# Timestamps on some file systems step by a second (two on FAT): a file modified this close to when
# it was read may change again without its modification time changing.
RACY_NS = 2_000_000_000
# At most this many slots and bytes; the least recently used go first (the newest always stays).
MAX_SLOTS = 16
MAX_BYTES = 1024 * 2**20
# Temporary files older than this are leftovers of a build that was killed.
LEFTOVER_SECONDS = 60
# Paths that name a one-off stream rather than a file that stays: never cached.
ONE_OFF_PREFIXES = ("/dev/", "/proc/")

# One-line messages for stderr (a cache that could not be used, a damaged one rebuilt); the CLI
# says each once, after the command.
notices: list[str] = []


def notice(message: str) -> None:
    if message not in notices:
        notices.append(message)


def drain_notices() -> list[str]:
    said = notices[:]
    notices.clear()
    return said


def cache_dir(env: Mapping[str, str]) -> Path | None:
    """Where painref keeps its caches, checked private; None when off or nowhere private exists.

    PAINREF_CACHE_DIR, else $XDG_CACHE_HOME/painref, else ~/.cache/painref. Relative paths are
    ignored (as the XDG spec says), and so is a home that cannot be found (no HOME and no passwd
    entry, as in containers run with a random user id).
    """
    if env.get(ENV_NO_CACHE):
        return None
    chosen = absolute(env.get(ENV_CACHE_DIR))
    if chosen is None and env.get(ENV_CACHE_DIR):
        # Asked for by name: say why it is not used, where XDG's relative paths are passed over quietly.
        notice(_("PAINREF_CACHE_DIR is not an absolute path; ignoring it"))
    if chosen is None:
        base = absolute(env.get("XDG_CACHE_HOME"))
        if base is None and (home := home_dir()) is not None and home.is_dir():
            base = home / ".cache"  # a home that does not exist is not made for a cache
        chosen = base / "painref" if base is not None else None
    if chosen is None:
        return _temporary_folder(_("there is no home folder"), env)
    problem = _unsafe(chosen)
    if problem is None:
        return chosen
    return _temporary_folder(_("the cache folder {problem}").format(problem=problem), env)


def absolute(value: str | None) -> Path | None:
    """A path from the environment, or None when unset, empty or relative (XDG: ignore those)."""
    return Path(value) if value and Path(value).is_absolute() else None


def home_dir() -> Path | None:
    """The user's home, or None where there is none (no HOME and no passwd entry)."""
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None
    return home if home.is_absolute() else None


def _unsafe(folder: Path, parents: bool = True) -> str | None:
    """Why `folder` cannot hold this user's cache (created 0700 if missing, with the folders above
    it if `parents`), as a clause naming it ("/tmp/x is a symbolic link"), or None if it can."""
    try:
        try:
            status = os.lstat(folder)
        except FileNotFoundError:
            folder.mkdir(mode=0o700, parents=parents, exist_ok=True)
            status = os.lstat(folder)
    except OSError as error:
        return _("{folder} cannot be created ({reason})").format(folder=folder, reason=os_reason(error))
    if stat.S_ISLNK(status.st_mode):
        return _("{folder} is a symbolic link").format(folder=folder)
    if not stat.S_ISDIR(status.st_mode):
        return _("{folder} is not a folder").format(folder=folder)
    if hasattr(os, "geteuid"):
        if status.st_uid != os.geteuid():
            return _("{folder} belongs to another user").format(folder=folder)
        if status.st_mode & 0o022:
            return _("{folder} can be written by other users").format(folder=folder)
    return None


def _temporary_folder(reason: str, env: Mapping[str, str]) -> Path | None:
    """A private folder under the system's temporary one, when the usual place cannot be used."""
    import tempfile

    uid = os.geteuid() if hasattr(os, "geteuid") else 0
    folder = (absolute(env.get("TMPDIR")) or Path(tempfile.gettempdir())) / f"painref-{uid}-cache"
    problem = _unsafe(folder, parents=False)  # never a temporary folder that is not there
    if problem is None:
        notice(_("{reason}; caching in {folder} instead").format(reason=reason, folder=folder))
        return folder
    notice(_("{reason}, and {problem}; running without a cache").format(reason=reason, problem=problem))
    return None


def file_key(paths: Sequence[Path]) -> list[Any] | None:
    """The identity of every file (device, inode, size, modification and change times), or None
    when one cannot be read or is a one-off stream (/dev/stdin, /dev/fd/N, a pipe): those are
    never cached. An edited file never matches a key made before the edit (see `racy`)."""
    identities: list[Any] = [CACHE_FORMAT, __version__]
    for path in paths:
        if str(path).startswith(ONE_OFF_PREFIXES):
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        identities.append([str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns])
    return identities


def checksum(data: bytes | bytearray, running: int = 0) -> int:
    """A checksum of a file's bytes for the racy check: CRC-32, ~60 ms for 228 MB and no import.

    It guards against missing an edit by accident, not against tampering: whoever can rewrite a
    catalogue file decides its content anyway.
    """
    return zlib.crc32(data, running)


def racy(identity: Sequence[Any], read_ns: int) -> bool:
    """Whether the file could have changed after `read_ns` without its modification time changing."""
    return int(identity[4]) + RACY_NS > read_ns


# The names painref gives what it writes in a cache folder: slots, their settled records, and the
# temporary files they are written through (mkstemp's eight random letters). Nothing else there is
# painref's to evict or sweep, whatever folder PAINREF_CACHE_DIR names.
_OWN_SLOT = re.compile(r"(?:catalogue|validated)-[0-9a-f]{8}\.(?:sqlite|json)")
_OWN_LOCK = re.compile(r"\.((?:catalogue|validated)-[0-9a-f]{8}\.(?:sqlite|json))\.lock")
_OWN_LEFTOVER = re.compile(r"\.(?:catalogue|validated)-[0-9a-f]{8}(?:-settled)?\.(?:sqlite|json)\.[a-z0-9_]{8}\.tmp")


def slot(directory: Path | None, key: list[Any] | None, name: str, suffix: str) -> Path | None:
    """The cache file for these files: named by their paths only, so an edit reuses its slot."""
    if directory is None or key is None:
        return None
    paths = json.dumps([identity[0] for identity in key[2:]])
    return directory / f"{name}-{zlib.crc32(paths.encode()):08x}{suffix}"


def open_private(path: Path) -> int | None:
    """A read-only descriptor for a regular file at `path`, not following a symlink; else None.

    Opened without blocking, so a FIFO planted at the path is refused rather than waited on (for a
    regular file the flag changes nothing)."""
    flags = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            return descriptor
    except OSError:
        pass
    os.close(descriptor)
    return None


def touch(path: Path) -> None:
    """Mark a slot as just used, for least-recently-used eviction."""
    with contextlib.suppress(OSError):
        os.utime(path)


@contextlib.contextmanager
def building(path: Path | None) -> Iterator[None]:
    """Hold the lock for building `path`: concurrent cold runs build once, and the others wait for
    it and then open what it built. Without fcntl (Windows), no lock: each builds its own."""
    if path is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path.with_name(f".{path.name}.lock"), flags, 0o600)
    except OSError:
        yield  # a cache folder that cannot take a lock file only costs a second build
        return
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A new temporary path beside `path` to write; if the block succeeds, its data is synced to
    disk and it replaces `path` atomically, else it is removed. Readers see the old file or the
    new one, never a part, even after a crash.

    The temporary name is unpredictable and the file is created exclusively (mkstemp), so nothing
    planted at a guessable name is written through. Leftovers of killed builds are swept first.
    """
    import tempfile

    from painref.pool import deferred_stops

    sweep_leftovers(path.parent)
    temporary: Path | None = None
    try:
        # A stop (Ctrl-C, kill, a closed terminal) that comes as the file is made is acted on once
        # its name is known here, so the file is still found to remove.
        with deferred_stops(act=True):
            descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temporary = Path(name)
            os.close(descriptor)
        yield temporary
        _sync(temporary)
        temporary.replace(path)
    except BaseException:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise
    _sync(path.parent)
    evict(path.parent, keep=path)


def _sync(path: Path) -> None:
    """Flush a file's (or a folder's entries') data to disk; where that is not possible, go on."""
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else getattr(os, "O_NOFOLLOW", 0))
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def sweep_leftovers(folder: Path, older_than: float = LEFTOVER_SECONDS) -> None:
    """Remove temporary files that builds killed mid-way (SIGKILL, power loss) left: painref's own
    names only."""
    limit = time.time() - older_than
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if _OWN_LEFTOVER.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < limit:
                        Path(entry.path).unlink()
            elif (lock := _OWN_LOCK.fullmatch(entry.name)) and not (folder / lock.group(1)).exists():
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < limit:
                        _remove_unheld_lock(Path(entry.path))


def _remove_unheld_lock(path: Path) -> None:
    """Remove the lock file of a build that failed (no slot was written), unless a build holds it
    now: each failing set of overlays left one for good."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock files are made
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError if a build holds it
        path.unlink()
    finally:
        os.close(descriptor)


def evict(folder: Path, keep: Path | None = None, max_slots: int = MAX_SLOTS, max_bytes: int = MAX_BYTES) -> None:
    """Remove the least recently used slots beyond `max_slots` or `max_bytes` in all (never `keep`):
    painref's own slots only, never another file the folder holds."""
    slots: list[tuple[float, int, str]] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            # A slot's settled record goes with its slot, and is no slot of its own.
            if _OWN_SLOT.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    status = entry.stat(follow_symlinks=False)
                    slots.append((status.st_mtime, status.st_size, entry.path))
    slots.sort(reverse=True)
    total = 0
    for number, (_used, size, name) in enumerate(slots):
        total += size
        if (number >= max_slots or total > max_bytes) and name != str(keep):
            with contextlib.suppress(OSError):
                Path(name).unlink()
            with contextlib.suppress(OSError):
                Path(name).with_name(f".{Path(name).name}.lock").unlink()
            with contextlib.suppress(OSError):
                settled_record(Path(name)).unlink()


# What a warm run learnt of a slot's racy files (see catalogue.unchanged): beside the slot, its name.
SETTLED = "-settled.json"


def settled_record(slot: Path) -> Path:
    return slot.with_name(slot.stem + SETTLED)


def read_json(path: Path | None, key: list[Any] | None) -> dict[str, Any] | None:
    """What `write_json` stored at `path` for exactly this key, or None (a damaged file is said)."""
    if path is None or key is None:
        return None
    descriptor = open_private(path)
    if descriptor is None:
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        notice(_("the cache file {path} was damaged; it is being rebuilt").format(path=path))
        return None
    if not isinstance(stored, dict) or "key" not in stored:
        notice(_("the cache file {path} was not painref's; it is being rebuilt").format(path=path))
        return None
    value = stored.get("value") if stored.get("key") == key else None
    if not isinstance(value, dict):
        return None
    touch(path)
    return value


def write_json(path: Path | None, key: list[Any] | None, value: Mapping[str, Any]) -> None:
    """Store a value for this key; a cache that cannot be written only costs speed, never a command."""
    if path is None or key is None:
        return
    with contextlib.suppress(OSError, TypeError, ValueError), replacing(path) as temporary:
        temporary.write_text(json.dumps({"key": key, "value": value}), encoding="utf-8")
