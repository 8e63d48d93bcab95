"""``python -m studies`` reruns every committed study: each step's module exists and takes its
arguments, and every committed table and figure is rebuilt by some step."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from studies.__main__ import STEPS, Step, command, main, run, select

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_every_step_names_a_module_that_exists(step):
    assert importlib.util.find_spec(step.module) is not None, step.module


def test_every_committed_table_is_rebuilt_by_a_step():
    written = " ".join(s.writes for s in STEPS)
    tables = [p.name for p in (ROOT / "docs" / "results").glob("*.csv") if p.name != "studies_time.csv"]
    # A step lists its tables by name or by a prefix pattern such as emergence_*.csv.
    missing = [t for t in tables if t not in written and f"{t.split('_')[0]}_*.csv" not in written]
    assert not missing, f"no step of python -m studies rebuilds {missing}"


def test_seeds_reach_only_the_studies_that_take_them():
    by_name = {s.name: s for s in STEPS}
    assert command(by_name["aurora_measures"], 2)[-2:] == ["--seeds", "2"]
    assert "--seeds" not in command(by_name["stories_figure"], 2)
    assert "--seeds" not in command(by_name["aurora_measures"], None)


def test_an_unknown_step_is_refused_by_name():
    with pytest.raises(SystemExit, match="no_such_study"):
        select(["no_such_study"])


def test_list_prints_every_step(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert all(s.name in out for s in STEPS)


def test_a_figure_step_runs(tmp_path):
    # The stories figure only reads the committed tables: a real step that takes seconds.
    out = tmp_path / "stories.png"
    done = subprocess.run([sys.executable, "-m", "studies.stories_figure", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.stat().st_size > 10_000


def test_a_failing_step_is_reported_and_the_others_still_run(tmp_path):
    steps = [Step("broken", "studies.no_such_study", (), "nothing", seeded=False),
             Step("listing", "studies", ("--list",), "nothing", seeded=False)]
    times = run(steps, None, tmp_path)
    assert list(times["status"]) == ["failed (1)", "ok"]
    assert "No module named" in (tmp_path / "broken.log").read_text()
