"""The tutorial notebook runs top to bottom, in a real Jupyter kernel, with reduced sizes.

It is executed through nbclient (not a text extraction), so a renamed function, a changed column
or a figure that fails to draw breaks the suite rather than the first reader's afternoon.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.ipynb"


def test_tutorial_is_committed_without_outputs():
    nb = json.loads(TUTORIAL.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "the tutorial has no code"
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)


@pytest.mark.slow
def test_tutorial_runs_top_to_bottom_in_a_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("BASEMESA_TUTORIAL_QUICK", "1")
    monkeypatch.setenv("BASEMESA_TUTORIAL_OUT", str(tmp_path / "out"))
    nb = nbformat.read(TUTORIAL, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # Figures render inline as images, and the run, the sweep and the paper figures are written.
    images = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})]
    assert len(images) >= 5
    out = tmp_path / "out"
    assert (out / "fruit-seed0" / "log.csv").is_file()
    for name in ("fruit_divergence.pdf", "fruit_divergence.svg", "fruit_episode.pdf"):
        assert (out / "figures" / name).stat().st_size > 1000
