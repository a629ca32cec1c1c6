"""The benchmark scripts' generated catalogues stay valid, so the scale numbers measure real work."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml

from painref import catalogue
from painref.search import search

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _generate_module():
    spec = importlib.util.spec_from_file_location("generate", BENCHMARKS / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


def test_a_generated_catalogue_is_valid_and_searchable(tmp_path):
    generate = _generate_module()
    path = tmp_path / "generated.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(generate.generate(300), handle, Dumper=generate.plain_dumper(), sort_keys=False)
    verdict = catalogue.validate_files([path], env={"PAINREF_NO_CACHE": "1"})
    assert not [issue for issue in verdict.issues if issue.severity.value == "error"], verdict.issues[:3]
    loaded = catalogue.load([path], env={"PAINREF_NO_CACHE": "1"})
    assert sum(1 for _ in loaded.entries()) == 107 + 300
    assert search(loaded, "slipped disc")[0].entry.id == "herniated-disc"
