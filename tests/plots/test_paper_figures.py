"""Figures go into a paper as they are: at a column's width, with text that stays text.

A figure drawn inside ``plots.paper_style("single")`` must be exactly one column of a two-column
paper wide (so it is included at 100 %, its fonts at their house sizes), and its SVG and PDF must
keep text as text (selectable and searchable), not as outlines or Type 3 bitmaps.
"""

from __future__ import annotations

import re
import types

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import evolution  # noqa: E402
import organisms  # noqa: E402
import plots  # noqa: E402
import scenarios  # noqa: E402
from plots.style import PAPER_WIDTHS  # noqa: E402

DEPLOY = "brotherhood_war"


@pytest.fixture(scope="module")
def results():
    sc = scenarios.get("aurora")
    cfg = evolution.Config.for_scenario(sc, seed=0, generations=3, population=16, kinds=("heuristic", "planner"))
    run = evolution.evolve(sc, cfg, progress=False)
    table = scenarios.assess(sc, run.population, worlds=12)
    records = [scenarios.episode(sc, run.population[0], d, seed=0) for d in ("train", DEPLOY)]
    sweep = pd.concat([table.assign(seed=0, sensor_cost=0.2, banner_reliability=1.0),
                       table.assign(seed=0, sensor_cost=0.5, banner_reliability=0.5)], ignore_index=True)
    return types.SimpleNamespace(sc=sc, run=run, table=table, records=records, sweep=sweep)


def every_figure(r) -> dict[str, Figure]:
    """One figure of every figure function, drawn from the same small results."""
    return {
        "divergence": plots.divergence(r.run),
        "train_vs_deploy": plots.train_vs_deploy(r.table),
        "agreement_scatter": plots.agreement_scatter(r.table, DEPLOY),
        "objective_weights": plots.objective_weights(organisms.decode(r.sc, r.run.population),
                                                     dict(r.sc.base.weights)),
        "episode_map": plots.episode_map(r.records),
        "sweep_curve": plots.sweep_curve(r.sweep[r.sweep["sensor_cost"] == 0.2].drop(columns="sensor_cost")
                                         .assign(banner_reliability=1.0), "banner_reliability"),
        "phase_diagram": plots.phase_diagram(r.sweep, "banner_reliability", "sensor_cost"),
    }


@pytest.mark.parametrize("width", ["single", "double"])
def test_every_figure_is_exactly_a_papers_column_wide_inside_paper_style(results, width):
    with plots.paper_style(width) as inches:
        figures = every_figure(results)
    assert inches == PAPER_WIDTHS[width]
    for name, fig in figures.items():
        w, h = fig.get_size_inches()
        assert w == pytest.approx(inches), name
        assert 0.5 < h < 10, name
    # Outside the block figures are sized for their content again.
    assert plots.divergence(results.run).get_size_inches()[0] != pytest.approx(PAPER_WIDTHS["single"])


def test_paper_width_in_inches_and_bad_widths(results):
    with plots.paper_style(5.5):
        assert plots.divergence(results.run).get_size_inches()[0] == pytest.approx(5.5)
    for bad in ("wide", 0.2, True, None):
        with pytest.raises(ValueError, match="width"):
            with plots.paper_style(bad):
                pass


def test_svg_keeps_text_as_text_and_pdf_embeds_truetype(results, tmp_path):
    with plots.paper_style("single"):
        fig = plots.divergence(results.run)
    svg, pdf = plots.save_figure(fig, tmp_path / "divergence", formats=("svg", "pdf"))
    text = svg.read_text(encoding="utf-8")
    # Every label is a <text> element a reader can select, not a glyph path.
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", text)
    assert any("train" in t for t in labels), labels[:10]
    assert any("generation" in t for t in labels)
    raw = pdf.read_bytes()
    assert b"/FontFile2" in raw  # TrueType (Type 42) embedded: text selectable in the PDF
    assert b"/Type3" not in raw


def test_episode_map_draws_into_the_callers_axes(results):
    fig = Figure(figsize=(6, 3))
    axes = fig.subplots(1, 2)
    out = plots.episode_map(results.records, ax=axes)
    assert out is fig
    for ax, rec in zip(axes, results.records):
        # The path is drawn in the axes it was given, ending where the episode ended.
        assert ax.collections, "nothing drawn"
        assert np.asarray(rec["path"]).shape[1] == 2
    with pytest.raises(ValueError, match="one matplotlib Axes per record"):
        plots.episode_map(results.records, ax=axes[0])
