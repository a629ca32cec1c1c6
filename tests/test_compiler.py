"""painref.compiler: the one read → check → merge → build pipeline behind loading and `validate`."""

from __future__ import annotations

from datetime import date

import pytest

from overlays import NEW_PROCEDURE
from painref import catalogue, compiler
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
