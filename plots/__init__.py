"""Figures drawn from results: run logs, assessment tables and recorded episodes.

Imports no engine code (``organisms``, ``scenarios``, ``evolution``): every function takes plain
results (DataFrames, arrays, dict records, or an object with ``.log``) and returns a matplotlib
Figure, drawn in the house style (``plots.style``) without touching global rcParams or pyplot.

    fig = plots.divergence(run)                       # the headline figure
    plots.save_figure(fig, "out/divergence")          # out/divergence.png and .svg
    plots.objective_weights(organisms.decode(sc, run.population), dict(sc.base.weights))
    plots.sweep_curve(table, "banner_reliability")    # table = evolution.sweep(...)
    plots.phase_diagram(table, "banner_reliability", "sensor_cost")
    with plots.paper_style("single"):                 # exactly one column of a two-column paper
        plots.save_figure(plots.divergence(run), "paper/divergence", formats=("pdf", "svg"))
    plots.stories(table)                              # the essay's stories side by side
    plots.optimizers(table)                           # base scores under each base optimizer
    plots.label_shares(scenarios.label_shares(table)) # label shares across thresholds
    plots.bounded_planners(table)                     # bounded planners' best mesa-objectives

The kind gene only selects between two hand-built architectures (heuristic, planner): figures show
which one selection favours and what goal it keeps, not optimization arising from nothing.
"""

from plots.assessment import agreement_scatter, train_vs_deploy
from plots.bounded import bounded_planners
from plots.compliance import compliance
from plots.decomposition import decomposition
from plots.divergence import divergence
from plots.episode import episode_gif, episode_map
from plots.labels import label_shares
from plots.optimizers import optimizers
from plots.stories import stories
from plots.style import paper_style, save_figure
from plots.sweep import phase_diagram, sweep_curve
from plots.weights import objective_weights

__all__ = [
    "agreement_scatter",
    "bounded_planners",
    "compliance",
    "decomposition",
    "divergence",
    "episode_gif",
    "episode_map",
    "label_shares",
    "objective_weights",
    "optimizers",
    "paper_style",
    "phase_diagram",
    "save_figure",
    "stories",
    "sweep_curve",
    "train_vs_deploy",
]
