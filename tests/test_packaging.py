"""The built wheel installs into a fresh venv and runs from another folder, with its catalogue inside."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("painref-*.whl")
    return built


def test_wheel_ships_the_catalogue_and_its_schema_as_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("painref/data/procedures.yaml").decode("utf-8")
        schema = archive.read("painref/data/catalog.schema.json").decode("utf-8")
    assert data == (ROOT / "data" / "procedures.yaml").read_text(encoding="utf-8")
    assert schema == (ROOT / "data" / "catalog.schema.json").read_text(encoding="utf-8")


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # As a process with a timeout: EnvBuilder runs ensurepip in a subprocess with none.
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=300)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    painref = env_dir / "bin" / "painref"
    result = subprocess.run(
        [str(painref), "list"], cwd=elsewhere, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Epidural steroid" in result.stdout
    shown = subprocess.run(
        [str(painref), "condition", "sciatica", "-f", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert '"id": "sciatica"' in shown.stdout
    info = subprocess.run(
        [str(painref), "info", "-f", "json"], cwd=elsewhere, capture_output=True, text=True, timeout=60, check=False
    )
    assert info.returncode == 0, info.stderr
    schema_path = Path(json.loads(info.stdout)["json_schema"])
    assert schema_path.is_file(), "the installed package carries the schema info points to"
