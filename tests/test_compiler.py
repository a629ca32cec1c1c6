"""painref.compiler: the one read → check → merge → build pipeline behind loading and `validate`."""

from __future__ import annotations

from datetime import date

import pytest

from overlays import NEW_PROCEDURE
from painref import catalogue, compiler, yamlio
from painref.errors import CatalogueError


def test_a_cold_load_builds_the_index_that_a_warm_open_then_finds(tmp_path, write):
    env = {"PAINREF_CACHE_DIR": str(tmp_path / "cache")}
    overlay = write("clinic.yaml", NEW_PROCEDURE)
    assert catalogue.open_cached([overlay], env).catalogue is None, "nothing is cached yet"
    built = compiler.load([overlay], env)
    assert built.get("clinic-dry-needling") is not None
    warm = catalogue.open_cached([overlay], env).catalogue
    assert warm is not None
    assert warm.get("clinic-dry-needling") is not None


def test_loading_stops_at_the_first_problem_with_its_place(write):
    broken = write("broken.yaml", "procedures:\n  - id: Not A Slug\n")
    with pytest.raises(CatalogueError, match=r"broken\.yaml:2:\d+: "):
        compiler.load([broken], {"PAINREF_NO_CACHE": "1"})


def test_checking_goes_on_past_problems_and_counts_what_merged(write):
    bad = write("bad.yaml", "procedures:\n  - id: x\n    invasiveness: nine\n  - id: y\n    summary: 3\n")
    verdict = compiler.validate_files([bad], env={"PAINREF_NO_CACHE": "1"}, today=date(2026, 12, 6))
    messages = [issue.message for issue in verdict.issues if issue.file.endswith("bad.yaml")]
    assert any("invasiveness" in message for message in messages)
    assert any("'summary'" in message for message in messages)
    assert verdict.counts["indications"] >= 300
    assert verdict.files[-1].endswith("bad.yaml")


def test_the_pipeline_merges_indications_and_links_both_ways():
    files = [catalogue.builtin_file()]
    checked = compiler.check(files, thorough=False)
    assert checked.merged is not None
    assert ("sciatica", "watchful-waiting") in checked.merged.indications
    data, _ = compiler._compiled_data(files)
    options = {entry["id"]: entry for _, entry in data["entries"]}
    assert "sciatica" in options["epidural-steroid-injection"]["conditions"]
    assert "epidural-steroid-injection" in options["sciatica"]["procedures"]


# --- translation files are validated like overlays -------------------------------------------------


def _clinic_language(tmp_path, text: str) -> dict[str, str]:
    folder = tmp_path / "config" / "painref" / "i18n"
    folder.mkdir(parents=True)
    (folder / "fr.yaml").write_text(text, encoding="utf-8")
    return {"PAINREF_NO_CACHE": "1", "XDG_CONFIG_HOME": str(tmp_path / "config")}


def _said(verdict, name="fr.yaml"):
    return sorted(
        (issue.line, issue.severity.value, issue.message) for issue in verdict.issues if issue.file.endswith(name)
    )


def test_the_builtin_spanish_is_whole_current_and_well_formed():
    verdict = compiler.validate_files(env={"PAINREF_NO_CACHE": "1"}, today=date(2026, 12, 6))
    assert [i for i in verdict.issues if "i18n" in i.file] == []


def test_a_language_file_is_checked_for_unknown_ids_fields_stale_and_missing_texts(tmp_path):
    from painref.i18n import english_hash

    rfa = compiler.load([], {"PAINREF_NO_CACHE": "1"}).get("radiofrequency-ablation")
    assert rfa is not None
    env = _clinic_language(
        tmp_path,
        "language: fr\n"
        "entries:\n"
        "  no-such-entry:\n"
        "    name: {fr: X, en_hash: abc}\n"
        "  radiofrequency-ablation:\n"
        f"    name: {{fr: Ablation par radiofréquence, en_hash: {english_hash(rfa.name)}}}\n"
        "    summary: {fr: Ancien texte, en_hash: 000000000000}\n"
        "    evidence: {fr: x, en_hash: abc}\n"
        "    risks: {es: [Douleur], en_hash: abc}\n"
        "guide:\n"
        "  no-such-topic: {title: {fr: x, en_hash: abc}}\n"
        "colour: blue\n",
    )
    verdict = compiler.validate_files(env=env, today=date(2026, 12, 6))
    assert _said(verdict) == [
        (1, "warning", "2209 of 2211 texts have no current translation in 'fr' and are shown in English"),
        (4, "error", "no entry has the id 'no-such-entry'"),
        (7, "warning", "'summary' is stale: its English changed after it was translated"),
        (8, "error", "'evidence' is not a text a translation gives"),
        (9, "error", "'risks' needs its text under 'fr'"),
        (11, "error", "no guide topic has the id 'no-such-topic'"),
        (12, "error", "'colour' is not a part of a translation file"),
    ]


def test_a_clinic_rewording_a_few_spanish_texts_is_not_told_the_rest_are_missing(tmp_path):
    folder = tmp_path / "config" / "painref" / "i18n"
    folder.mkdir(parents=True)
    (folder / "es.yaml").write_text("language: es\nentries:\n  sciatica:\n    aliases: {es: [ciática de mi clínica]}\n")
    env = {"PAINREF_NO_CACHE": "1", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    verdict = compiler.validate_files(env=env, today=date(2026, 12, 6))
    assert [i for i in verdict.issues if "i18n" in i.file] == []


def test_a_third_language_writes_its_text_under_its_own_code(tmp_path):
    from painref.i18n import english_hash, set_language

    rfa = compiler.load([], {"PAINREF_NO_CACHE": "1"}).get("radiofrequency-ablation")
    assert rfa is not None
    env = _clinic_language(
        tmp_path,
        "language: fr\nentries:\n  radiofrequency-ablation:\n"
        f"    name: {{fr: Ablation, en_hash: {english_hash(rfa.name)}}}\n",
    )
    try:
        french = compiler.load([], env, language="fr")
        assert french.get("radiofrequency-ablation").name == "Ablation"
        assert french.get("radiofrequency-ablation").fallback  # the rest stays English, marked
    finally:
        set_language("en")


# --- the streaming first build ------------------------------------------------------------------

# A second overlay that refines the first: a new condition listed before the procedures, an
# indication record that a later file refines, and entries of the first file patched by id.
LATER = """\
conditions:
  - id: clinic-neck-knots
    name: Clinic neck knots
    aliases: [neck knots]
    summary: Tight, tender knots in the neck muscles.
    regions: [neck]
    symptoms: [A tender knot in the neck]
    icd10:
      - code: M79.18
        description: Myalgia, other site
    evidence: Common in clinic.
    sources:
      - title: Our clinic notes
        url: https://clinic.example/neck
    last_checked: 2026-11-01
procedures:
  - id: clinic-dry-needling
    aliases+: [needling]
  - id: radiofrequency-ablation
    summary: "Our clinic: heat disables small pain nerves."
indications:
  - condition: sciatica
    option: watchful-waiting
    bottom_line: Our clinic's words.
"""


def _tables(store) -> dict[str, list[tuple[object, ...]]]:
    """Every table of an index, as rows (the full-text ones sorted, their row order is not meaning)."""
    tables = ("meta", "entries", "names", "name_grams", "words", "word_grams", "stems", "columns", "indications")
    found = {}
    for table in tables:
        order = "" if table in ("meta", "words", "stems") else " ORDER BY rowid"
        rows = store.db.execute(f"SELECT * FROM {table}{order}")  # noqa: S608 - the table names above
        found[table] = sorted(rows) if table in ("name_grams", "word_grams") else list(rows)
    found["meta"] = [row for row in found["meta"] if row[0] not in ("key", "fresh")]
    found["match"] = list(store.db.execute("SELECT rowid FROM text WHERE text MATCH 'needl' ORDER BY rank"))
    return found


def test_the_streamed_index_is_the_whole_build_s_row_for_row(write):
    first = write("a.yaml", NEW_PROCEDURE + RECORD)
    files = [catalogue.builtin_file(), *(catalogue.CatalogueFile(p, str(p)) for p in (first, write("b.yaml", LATER)))]
    streamed = compiler._streamed(files, None, None, {})
    assert streamed is not None, "a sound catalogue is built while it is read"
    data, _ = compiler._compiled_data(files)
    data["translations"] = {}
    whole = compiler.index.build(data, None, None)
    assert _tables(streamed) == _tables(whole)
    entry = streamed.entry("clinic-dry-needling")
    assert entry is not None
    assert entry[1]["aliases"] == ["dry needling", "DN", "needling"], "a later file extends by id"
    records = streamed.indications("option", "watchful-waiting")
    refined = [record for record in records if record["condition"] == "sciatica"]
    assert [(r["line"], r["bottom_line"]) for r in refined] == [("first-line", "Our clinic's words.")]


RECORD = """\
indications:
  - condition: sciatica
    option: watchful-waiting
    line: first-line
"""


@pytest.mark.parametrize(
    "text",
    [
        "procedures:\n  - id: Not A Slug\n",  # a problem in an entry
        "procedures:\n  - id: x\nprocedures: []\n",  # a key given twice: the whole read keeps the last
        "- just a list\n",  # not a mapping
        "procedures:\n  - id: clinic-dry-needling\n    family: radiofrequency-ablation\n",  # incomplete
        "conditions:\n  - id: radiofrequency-ablation\n",  # an id of another kind
        "procedures: &a []\n",  # an anchor
    ],
)
def test_streaming_leaves_any_problem_or_odd_shape_to_the_whole_read(write, text):
    path = write("odd.yaml", text)
    files = [catalogue.builtin_file(), catalogue.CatalogueFile(path, str(path))]
    assert compiler._streamed(files, None, None, {}) is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("procedures:\n  - id: radiofrequency-ablation\n    summary: one\nprocedures: []\n", "4:1"),
        ("procedures:\n  - id: radiofrequency-ablation\n    summary: one\n    summary: two\n", "4:5"),
    ],
)
def test_a_key_given_twice_is_refused_by_every_command_not_only_validate(write, text, where):
    # The last value was kept silently: a repeated `procedures:` dropped the section before it.
    path = write("twice.yaml", text)
    with pytest.raises(CatalogueError) as raised:
        compiler.load([path], {"PAINREF_NO_CACHE": "1"})
    assert f"{path}:{where}: key " in raised.value.message
    assert "is given twice in one mapping" in raised.value.message


def test_a_problem_found_while_streaming_is_named_as_the_whole_read_names_it(write):
    broken = write("broken.yaml", NEW_PROCEDURE.replace("invasiveness: 1", "invasiveness: nine"))
    with pytest.raises(CatalogueError) as raised:
        compiler.load([broken], {"PAINREF_NO_CACHE": "1"})
    assert raised.value.message == (
        f"the catalogue is invalid: {broken}:18:5: 'invasiveness' must be a whole number, not text"
    )


def test_a_utf16_file_is_refused_as_before_not_read_by_libyaml(tmp_path):
    path = tmp_path / "wide.yaml"
    path.write_bytes(NEW_PROCEDURE.encode("utf-16"))
    with pytest.raises(CatalogueError, match="is not valid UTF-8"):
        compiler.load([path], {"PAINREF_NO_CACHE": "1"})


def test_word_counts_written_out_on_the_way_add_up_to_those_held_whole(write, monkeypatch):
    path = write("a.yaml", NEW_PROCEDURE)
    files = [catalogue.builtin_file(), catalogue.CatalogueFile(path, str(path))]
    held = compiler._streamed(files, None, None, {})
    monkeypatch.setattr(compiler.index.Writer, "SPILL", 50)  # write the counts out every few entries
    spilled = compiler._streamed(files, None, None, {})
    assert held is not None
    assert spilled is not None
    assert _tables(spilled) == _tables(held)
    assert spilled.word_frequency("nerv") == held.word_frequency("nerv") > 10


# --- the first build on every core -------------------------------------------------------------


@pytest.fixture
def cores(monkeypatch):
    """Every overlay counts as big and two workers are started, a few items or entries per job."""
    monkeypatch.setattr(compiler, "PARALLEL_BYTES", 1)
    monkeypatch.setattr(compiler.pool, "workers", lambda: 2)
    monkeypatch.setattr(yamlio, "PIECE_ITEMS", 2)
    monkeypatch.setattr(compiler, "_ROWS_JOB", 3)
    started: list[int] = []
    stream = compiler._Stream

    class Counted(stream):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self.workers)

    monkeypatch.setattr(compiler, "_Stream", Counted)
    return started


def _dump(store) -> list[str]:
    """The whole database as SQL, but for when its files were read."""
    return [line for line in store.db.iterdump() if not line.startswith("INSERT INTO \"meta\" VALUES('fresh'")]


def _files(*paths):
    return [catalogue.builtin_file(), *(catalogue.CatalogueFile(p, str(p)) for p in paths)]


def test_workers_build_the_index_one_process_builds_row_for_row(write, cores, monkeypatch):
    files = _files(write("a.yaml", NEW_PROCEDURE + RECORD), write("b.yaml", LATER))
    handed: list[tuple[str, int]] = []
    ordered = compiler.pool.ordered

    def counted(function, jobs, processes, window):
        handed.append((function.__name__, processes))
        return ordered(function, jobs, processes, window)

    monkeypatch.setattr(compiler.pool, "ordered", counted)
    parallel = compiler._streamed(files, None, None, {})
    assert cores == [2], "the build ran on two workers, without falling back"
    assert handed == [("_prepared_piece", 2), ("_prepared_piece", 2), ("_made_rows", 2)]
    # A big catalogue has one worker fewer make rows: each holds a copy of the names it reads.
    monkeypatch.setattr(compiler, "_ALL_MAKERS", 1)
    handed.clear()
    fewer = compiler._streamed(files, None, None, {})
    assert handed == [("_prepared_piece", 2), ("_prepared_piece", 2), ("_made_rows", 1)]
    assert fewer is not None
    monkeypatch.setattr(compiler.pool, "workers", lambda: 1)
    one = compiler._streamed(files, None, None, {})
    assert cores == [2, 2, 1]
    assert parallel is not None
    assert one is not None
    assert _tables(parallel) == _tables(one)
    # Written in the same batches, even the full-text index's own tables hold the same segments.
    assert _dump(parallel) == _dump(one) == _dump(fewer)
    entry = parallel.entry("clinic-dry-needling")
    assert entry is not None
    assert entry[1]["aliases"] == ["dry needling", "DN", "needling"], "a later file extends by id"


def test_a_file_that_cannot_be_cut_is_built_again_in_one_process(write, cores):
    # A quoted value runs on over a line that looks like the next item: the piece before it does
    # not parse on its own, so the file is read in one process, which reads the value whole.
    odd = NEW_PROCEDURE.replace(
        "    evidence: Low-quality evidence of short-term benefit.",
        '    evidence: "Small trials only;\n  - see the sources"',
    )
    assert odd != NEW_PROCEDURE
    path = write("a.yaml", odd)
    built = compiler._streamed(_files(path), None, None, {})
    assert cores == [2, 1]
    assert built is not None
    entry = built.entry("clinic-dry-needling")
    assert entry is not None
    assert entry[1]["evidence"] == "Small trials only; - see the sources"


@pytest.mark.parametrize(
    "text",
    [
        "procedures:\n  - id: Not A Slug\n",  # a problem found in a worker, reading a piece
        "procedures:\n  - id: clinic-dry-needling\n    family: radiofrequency-ablation\n",  # found writing rows
        "conditions:\n  - id: radiofrequency-ablation\n",  # an id of another kind
    ],
)
def test_workers_leave_any_problem_to_the_whole_read(write, cores, text):
    assert compiler._streamed(_files(write("odd.yaml", text)), None, None, {}) is None


def test_a_problem_found_by_workers_is_named_as_the_whole_read_names_it(write, cores):
    broken = write("broken.yaml", NEW_PROCEDURE.replace("invasiveness: 1", "invasiveness: nine"))
    with pytest.raises(CatalogueError) as raised:
        compiler.load([broken], {"PAINREF_NO_CACHE": "1"})
    assert cores == [2]
    assert raised.value.message == (
        f"the catalogue is invalid: {broken}:18:5: 'invasiveness' must be a whole number, not text"
    )
