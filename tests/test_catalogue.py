"""Loading: the built-in file, overlays merged by id, reverse relations, the parse cache, bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from overlays import NEW_PROCEDURE, PATCH_RFA
from painref import catalogue, compiler
from painref.errors import CatalogueError
from painref.model import Kind


def test_builtin_catalogue_loads_from_the_package():
    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    assert list(loaded.entries(Kind.PROCEDURE))
    assert list(loaded.entries(Kind.CONDITION))
    assert list(loaded.entries(Kind.TREATMENT))
    assert loaded.checklist is not None
    assert len(loaded.checklist.questions) == 6
    assert catalogue.builtin_file().path.is_file()


def test_reverse_relations_are_derived_once():
    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    for procedure in list(loaded.entries(Kind.PROCEDURE)):
        for condition_id in procedure.texts("conditions"):
            condition = loaded.get(condition_id)
            assert condition is not None
            assert condition.kind is Kind.CONDITION
            assert procedure.id in condition.texts("procedures")
    for treatment in list(loaded.entries(Kind.TREATMENT)):
        for condition_id in treatment.texts("conditions"):
            condition = loaded.get(condition_id)
            assert condition is not None
            assert condition.kind is Kind.CONDITION
            assert treatment.id in condition.texts("treatments")
    sympathetic = loaded.get("sympathetic-nerve-block")
    assert sympathetic is not None
    assert "stellate-ganglion-block" in sympathetic.members


def test_overlay_adds_an_entry_and_links_it(write):
    overlay = write("clinic.yaml", NEW_PROCEDURE)
    loaded = compiler.load([overlay], env={"PAINREF_NO_CACHE": "1"})
    added = loaded.get("clinic-dry-needling")
    assert added is not None
    assert added.kind is Kind.PROCEDURE
    condition = loaded.get("myofascial-pain-syndrome")
    assert condition is not None
    assert condition.kind is Kind.CONDITION
    assert "clinic-dry-needling" in condition.texts("procedures")
    assert str(overlay) in loaded.files


def test_overlay_replaces_only_the_fields_it_gives(write):
    builtin = compiler.load([], env={"PAINREF_NO_CACHE": "1"}).get("radiofrequency-ablation")
    patched = compiler.load([write("patch.yaml", PATCH_RFA)], env={"PAINREF_NO_CACHE": "1"}).get(
        "radiofrequency-ablation"
    )
    assert builtin is not None
    assert patched is not None
    assert patched.summary.startswith("Our clinic")
    assert patched.aliases == builtin.aliases
    assert patched.sources == builtin.sources


def test_env_overlays_come_before_command_line_ones(write):
    first = write("a.yaml", PATCH_RFA)
    second = write("b.yaml", PATCH_RFA.replace("Our clinic", "Second clinic"))
    env = {"PAINREF_NO_CACHE": "1", "PAINREF_CATALOG": os.pathsep.join([str(second)])}
    loaded = compiler.load([first], env=env)
    rfa = loaded.get("radiofrequency-ablation")
    assert rfa is not None
    assert rfa.summary.startswith("Our clinic"), "--catalog wins over PAINREF_CATALOG"
    assert loaded.files[1:] == (str(second), str(first))


def test_cli_reads_painref_catalog(run, write, monkeypatch):
    monkeypatch.setenv("PAINREF_CATALOG", str(write("clinic.yaml", NEW_PROCEDURE)))
    result = run("show", "dry needling")
    assert result.exit_code == 0, result.stderr
    assert "Clinic dry needling" in result.stdout


def test_cli_catalog_option_is_repeatable(run, write):
    new = write("new.yaml", NEW_PROCEDURE)
    patch = write("patch.yaml", PATCH_RFA)
    result = run("--catalog", str(new), "--catalog", str(patch), "compare", "DN", "rfa")
    assert result.exit_code == 0, result.stderr
    assert "Our clinic" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("procedures:\n  - id: x\n    name: [unclosed\n", "invalid YAML"),
        ("!!python/object/apply:os.system ['echo pwned']\n", "the tag !!python/object/apply:os.system is not allowed"),
        ("procedures:\n  - id: radiofrequency-ablation\n    colour: red\n", "unknown key 'colour'"),
        ("procedures:\n  - id: new-thing\n    name: New\n", "is missing"),
        ("- just\n- a list\n", "must be a mapping of sections"),
        ("", "the file is empty"),
    ],
)
def test_bad_overlays_fail_with_one_located_sentence(run, write, text, message):
    path = write("bad.yaml", text)
    result = run("--catalog", str(path), "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert f"{path}:" in lines[0]
    assert "Traceback" not in result.stderr


def test_unsafe_yaml_tags_are_never_executed(write, tmp_path):
    marker = tmp_path / "executed"
    path = write("evil.yaml", f"!!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(CatalogueError):
        compiler.load([path], env={"PAINREF_NO_CACHE": "1"})
    assert not marker.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.yaml", "does not exist"),
        (lambda tmp: tmp, "is a directory"),
    ],
)
def test_missing_paths_and_directories(tmp_path, make, message):
    with pytest.raises(CatalogueError, match=message):
        compiler.load([make(tmp_path)], env={"PAINREF_NO_CACHE": "1"})


def test_invalid_utf8_is_one_sentence(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("procedures: []\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(CatalogueError, match="not valid UTF-8"):
        compiler.load([path], env={"PAINREF_NO_CACHE": "1"})


def test_the_parse_cache_is_used_and_never_stale(write, tmp_path):
    cache_dir = tmp_path / "cache"
    env = {"PAINREF_CACHE_DIR": str(cache_dir)}
    overlay = write("patch.yaml", PATCH_RFA)
    first = compiler.load([overlay], env=env)
    assert len(list(cache_dir.glob("catalogue-*.sqlite"))) == 1, "the merged catalogue is cached once"
    again = compiler.load([overlay], env=env)
    assert again.get("radiofrequency-ablation").summary == first.get("radiofrequency-ablation").summary
    # Same size, same second: only the content (and ctime) differs. The cache must notice.
    overlay.write_text(PATCH_RFA.replace("Our clinic", "New clinic"), encoding="utf-8")
    changed = compiler.load([overlay], env=env).get("radiofrequency-ablation")
    assert changed is not None
    assert changed.summary.startswith("New clinic")
    assert len(list(cache_dir.glob("catalogue-*.sqlite"))) == 1, "an edit replaces the cached copy, it does not add one"


def test_a_corrupt_cache_file_is_ignored(tmp_path):
    cache_dir = tmp_path / "cache"
    env = {"PAINREF_CACHE_DIR": str(cache_dir)}
    compiler.load([], env=env)
    for slot in cache_dir.glob("catalogue-*.sqlite"):
        slot.write_text("{not json", encoding="utf-8")
    assert list(compiler.load([], env=env).entries(Kind.PROCEDURE))


def test_an_unwritable_cache_dir_is_not_an_error(tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x", encoding="utf-8")
    assert list(compiler.load([], env={"PAINREF_CACHE_DIR": str(blocker / "cache")}).entries(Kind.PROCEDURE))


def test_dates_stay_text(write):
    loaded = compiler.load([write("clinic.yaml", NEW_PROCEDURE)], env={"PAINREF_NO_CACHE": "1"})
    entry = loaded.get("clinic-dry-needling")
    assert entry is not None
    assert entry.last_checked == "2026-11-01"


ROOT = Path(__file__).resolve().parents[1]
TINY_BUILTIN = """\
version: tiny
procedures: []
conditions:
  - id: only-condition
    name: Only condition
    aliases: []
    summary: The one entry of a replaced built-in catalogue.
    regions: [knee]
    symptoms: [Ache]
    icd10: [{code: M17.9, description: Knee}]
    evidence: None.
    sources: [{title: T, url: "https://t.example"}]
    last_checked: 2026-01-01
treatments: []
"""


def test_the_builtin_bytes_are_the_packages_resource():
    from importlib.resources import files

    data = catalogue._builtin_bytes()
    assert data == files("painref").joinpath("data", "procedures.yaml").read_bytes()
    assert data == (ROOT / "data" / "procedures.yaml").read_bytes()
    assert catalogue.builtin_file().path.name == "procedures.yaml"


def test_builtin_bytes_come_from_importlib_resources(monkeypatch):
    import importlib.resources

    asked = []

    class Resource:
        def __init__(self, *parts: str) -> None:
            self.parts = parts

        def joinpath(self, *parts: str) -> Resource:
            return Resource(*self.parts, *parts)

        def read_bytes(self) -> bytes:
            asked.append(self.parts)
            return b"version: from-resources\n"

    monkeypatch.setattr(importlib.resources, "files", Resource)
    assert catalogue._builtin_bytes() == b"version: from-resources\n"
    assert asked == [("painref", "data", "procedures.yaml")]


def test_the_builtin_file_is_read_from_the_resource_not_its_path(monkeypatch, tmp_path):
    monkeypatch.setattr(catalogue, "_builtin_bytes", lambda: b"\xef\xbb\xbf" + TINY_BUILTIN.encode())
    nowhere = catalogue.CatalogueFile(tmp_path / "absent.yaml", "built-in", builtin=True)
    assert catalogue.read_text(nowhere) == TINY_BUILTIN, "the resource is read, and a BOM dropped"
    assert catalogue.read_text(catalogue.builtin_file()) == TINY_BUILTIN
    loaded = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    assert [entry.id for entry in loaded.entries()] == ["only-condition"]
    assert loaded.version == "tiny"


def test_an_overlay_adds_synonyms_that_search_uses(write):
    from painref.search import search

    overlay = write("syn.yaml", "synonyms:\n  zapping the knee nerves: genicular radiofrequency ablation\n")
    loaded = compiler.load([overlay], env={"PAINREF_NO_CACHE": "1"})
    assert loaded.synonyms["cortisone"], "built-in synonyms stay"
    assert search(loaded, "zapping the knee nerves")[0].entry.id == "genicular-radiofrequency-ablation"


def test_a_warm_load_reads_the_index_instead_of_the_yaml(write, tmp_path, monkeypatch):
    env = {"PAINREF_CACHE_DIR": str(tmp_path / "cache")}
    overlay = write("clinic.yaml", NEW_PROCEDURE)
    compiler.load([overlay], env=env)

    def refuse(*_args):
        raise AssertionError("the YAML was parsed again although no file changed")

    monkeypatch.setattr(compiler, "_compiled_data", refuse)
    assert compiler.load([overlay], env=env).get("clinic-dry-needling") is not None
