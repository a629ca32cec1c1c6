"""painref.cache: where caches live, the key that ties a slot to its files, and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from painref import __version__, cache


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PAINREF_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}, Path("/c")),
        ({"XDG_CACHE_HOME": "/x"}, Path("/x/painref")),
        ({"PAINREF_NO_CACHE": "1", "PAINREF_CACHE_DIR": "/c"}, None),
        ({"PAINREF_NO_CACHE": "", "PAINREF_CACHE_DIR": "/c"}, Path("/c")),
        ({}, Path.home() / ".cache" / "painref"),
    ],
)
def test_cache_dir(env, expected):
    assert cache.cache_dir(env) == expected


def test_the_file_key_names_each_files_identity(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("one", encoding="utf-8")
    key = cache.file_key([path])
    st = path.stat()
    assert key == [
        cache.CACHE_FORMAT,
        __version__,
        [str(path.resolve()), st.st_dev, st.st_ino, 3, st.st_mtime_ns, st.st_ctime_ns],
    ]
    assert cache.file_key([path]) == key, "the same file gives the same key"


def test_an_edit_changes_the_key_even_at_the_same_size_and_second(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("one", encoding="utf-8")
    before = cache.file_key([path])
    path.write_text("two", encoding="utf-8")
    os.utime(path, ns=(before[2][4], before[2][4]))  # same modification time, as a fast edit might leave
    assert cache.file_key([path]) != before


def test_an_unreadable_file_has_no_key(tmp_path):
    present = tmp_path / "a.yaml"
    present.write_text("x", encoding="utf-8")
    assert cache.file_key([present, tmp_path / "missing.yaml"]) is None
    assert cache.file_key([]) == [cache.CACHE_FORMAT, __version__]


def test_a_slot_is_named_by_the_paths_only(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("x", encoding="utf-8")
    b.write_text("y", encoding="utf-8")
    slot = cache.slot(tmp_path, cache.file_key([a]), "catalogue", ".sqlite")
    assert slot is not None
    assert slot.parent == tmp_path
    assert slot.name.startswith("catalogue-")
    assert slot.suffix == ".sqlite"
    a.write_text("edited", encoding="utf-8")
    assert cache.slot(tmp_path, cache.file_key([a]), "catalogue", ".sqlite") == slot, "an edit reuses the slot"
    assert cache.slot(tmp_path, cache.file_key([a, b]), "catalogue", ".sqlite") != slot
    assert cache.slot(tmp_path, cache.file_key([a]), "validated", ".json") != slot
    assert cache.slot(None, cache.file_key([a]), "catalogue", ".sqlite") is None
    assert cache.slot(tmp_path, None, "catalogue", ".sqlite") is None


def test_json_round_trips_for_its_key_only(tmp_path):
    path = tmp_path / "sub" / "v.json"
    cache.write_json(path, ["k", 1], {"issues": [], "counts": {"procedures": 3}})
    assert cache.read_json(path, ["k", 1]) == {"issues": [], "counts": {"procedures": 3}}
    assert cache.read_json(path, ["k", 2]) is None
    assert cache.read_json(path, None) is None
    assert cache.read_json(None, ["k", 1]) is None
    assert cache.read_json(tmp_path / "missing.json", ["k", 1]) is None
    assert [p.name for p in path.parent.iterdir()] == ["v.json"], "no temporary file is left behind"


@pytest.mark.parametrize("stored", ["{not json", "[1, 2]", '{"key": ["k"], "value": [1]}', '{"value": {}}'])
def test_a_corrupt_or_foreign_cache_file_reads_as_nothing(tmp_path, stored):
    path = tmp_path / "v.json"
    path.write_text(stored, encoding="utf-8")
    assert cache.read_json(path, ["k"]) is None


def test_a_cache_that_cannot_be_written_is_skipped_quietly(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    cache.write_json(blocker / "v.json", ["k"], {"a": 1})
    cache.write_json(tmp_path / "v.json", ["k"], {"not json": object()})
    assert not (tmp_path / "v.json").exists()
    cache.write_json(None, ["k"], {"a": 1})
    cache.write_json(tmp_path / "w.json", None, {"a": 1})
    assert not (tmp_path / "w.json").exists()


def test_replacing_swaps_in_the_new_file_whole(tmp_path):
    path = tmp_path / "deep" / "file.txt"
    with cache.replacing(path) as temporary:
        assert temporary.parent == path.parent
        assert temporary != path
        temporary.write_text("new", encoding="utf-8")
        assert not path.exists(), "readers see nothing new until the block ends"
    assert path.read_text(encoding="utf-8") == "new"
    assert [p.name for p in path.parent.iterdir()] == ["file.txt"]


def test_replacing_keeps_the_old_file_when_the_block_fails(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("old", encoding="utf-8")

    def interrupted_write() -> None:
        with cache.replacing(path) as temporary:
            temporary.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        interrupted_write()
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"], "the partial file is removed"
