"""The benchmark scripts' generated catalogues stay valid, so the scale numbers measure real work."""

from __future__ import annotations

import yaml

from painref import compiler
from painref.search import search
from scripts import load_script


def test_a_generated_catalogue_is_valid_and_searchable(tmp_path):
    generate = load_script("benchmarks/generate.py")
    path = tmp_path / "generated.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(generate.generate(300), handle, Dumper=generate.plain_dumper(), sort_keys=False)
    verdict = compiler.validate_files([path], env={"PAINREF_NO_CACHE": "1"})
    assert not [issue for issue in verdict.issues if issue.severity.value == "error"], verdict.issues[:3]
    loaded = compiler.load([path], env={"PAINREF_NO_CACHE": "1"})
    builtin = compiler.load([], env={"PAINREF_NO_CACHE": "1"})
    assert sum(1 for _ in loaded.entries()) == sum(1 for _ in builtin.entries()) + 300
    assert search(loaded, "slipped disc")[0].entry.id == "herniated-disc"


def test_generated_parts_number_on_so_they_overlay_one_catalogue():
    """scale.py writes a large catalogue as several files (each under painref's 256 MiB cap)."""
    generate = load_script("benchmarks/generate.py")
    first = generate.generate(20)
    second = generate.generate(20, seed=8, first=21)
    ids = [
        e["id"] for part in (first, second) for kind in ("procedures", "conditions", "treatments") for e in part[kind]
    ]
    assert len(ids) == len(set(ids)) == 40
    assert min(e["id"] for e in second["procedures"]).startswith("gen-00021-")
