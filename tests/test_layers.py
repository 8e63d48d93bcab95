"""The layers of docs/architecture.md hold: import-linter's contracts in pyproject.toml are kept, every scenario
module is covered by them, and building worlds pulls in neither DEAP nor matplotlib."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

import scenarios
import scenarios.registry

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                                     "sys.exit(lint_imports_command())"]
"""import-linter's command, run by this Python: wherever pip put the ``lint-imports`` script (a venv's
bin, ~/.local/bin, a conda env), the package is importable here."""


def _contracts() -> list[dict]:
    tomllib = pytest.importorskip("tomllib")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def test_import_linter_contracts_are_kept():
    assert importlib.util.find_spec("importlinter"), "import-linter not installed: pip install -e '.[test]'"
    done = subprocess.run([*LINT_IMPORTS, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_the_contracts_cover_the_layers_and_cycles_of_design():
    types = [c["type"] for c in _contracts()]
    assert "layers" in types and "acyclic_siblings" in types
    acyclic = next(c for c in _contracts() if c["type"] == "acyclic_siblings")
    assert set(acyclic["ancestors"]) == {"organisms", "scenarios", "evolution", "plots"}


def test_the_engine_contract_forbids_the_stories_package_and_every_story_lives_there():
    engine = next(c for c in _contracts() if c.get("source_modules") == ["scenarios.engine"])
    assert {"scenarios.stories", "scenarios.analyses", "scenarios.registry"} <= set(engine["forbidden_modules"])
    homes = {n: scenarios.registry.module(n).__name__ for n in scenarios.names()}
    assert all(home == f"scenarios.stories.{n}" for n, home in homes.items()), homes


def test_a_story_alias_module_is_its_story():
    import importlib

    for name in scenarios.names():
        alias = importlib.import_module(f"scenarios.{name}")
        assert alias is scenarios.registry.module(name), name


def _modules_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(__import__('json').dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_building_and_sampling_worlds_imports_neither_deap_nor_matplotlib():
    loaded = _modules_after("import scenarios\nsc = scenarios.get('aurora')\nsc.sample('train', 2, 0)")
    heavy = sorted(m for m in loaded if m.split(".")[0] in ("deap", "matplotlib", "evolution", "plots"))
    assert not heavy, f"import scenarios pulled in {heavy[:10]}"


def test_the_across_seeds_names_still_resolve_on_first_use():
    loaded = _modules_after("import scenarios\nf = scenarios.across_seeds\nfrom scenarios import seed_summaries")
    assert "scenarios.app.seeds" in loaded and "evolution" in loaded
    assert scenarios.across_seeds.__module__ == "scenarios.app.seeds"
    assert "across_seeds" in dir(scenarios)
    with pytest.raises(AttributeError, match="no_such_name"):
        scenarios.no_such_name  # noqa: B018
