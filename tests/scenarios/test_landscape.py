"""The landscape prediction: the best planner against the best heuristic, found by direct search,
scored on fresh common worlds; its boundary, its fitted curve, and the boundary drawn on a phase
diagram."""

from __future__ import annotations

import functools

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

import organisms  # noqa: E402
import plots  # noqa: E402
import scenarios  # noqa: E402
from scenarios.analyses.landscape import (  # noqa: E402
    boundary_crossing,
    candidates,
    fit_logistic,
    horizon_genes,
    landscape,
    margins,
)

SMALL = {"select_worlds": 60, "eval_worlds": 120, "seed": 0}


@pytest.fixture(scope="module")
def cells():
    factory = functools.partial(scenarios.get, "emergence")
    return landscape(factory, {"maze_fraction": [0.0, 1.0], "compute_cost": [0.0, 1e-3, 1e-2]}, **SMALL)


def test_horizon_genes_reach_every_horizon_once():
    sc = scenarios.get("emergence")
    genomes = np.zeros((len(horizon_genes()), sc.genome_length))
    genomes[:, sc.layout.horizon] = horizon_genes()
    assert organisms.phenotype(sc, genomes).horizon.tolist() == list(range(1, organisms.HORIZON_CAP + 1))


def test_candidates_are_all_of_one_kind_and_span_the_kinds_genes():
    sc = scenarios.get("emergence")
    for kind, planner in (("planner", True), ("heuristic", False)):
        ph = organisms.phenotype(sc, candidates(sc, kind))
        assert (ph.is_planner == planner).all()
    planners = organisms.phenotype(sc, candidates(sc, "planner"))
    assert len(set(planners.horizon)) == organisms.HORIZON_CAP
    assert (planners.mesa_weights[:, 0] < 0).any() and (planners.mesa_weights[:, 0] > 0).any()
    with pytest.raises(ValueError, match="kind"):
        candidates(sc, "oracle")


def test_planners_are_predicted_to_win_free_mazes_and_heuristics_costly_open_fields(cells):
    maze_free = cells[(cells.maze_fraction == 1.0) & (cells.compute_cost == 0.0)].iloc[0]
    open_costly = cells[(cells.maze_fraction == 0.0) & (cells.compute_cost == 1e-3)].iloc[0]
    assert maze_free.margin > 2 * maze_free.se and maze_free.margin > 1.0
    assert open_costly.margin < -2 * open_costly.se
    # The heuristic's score does not depend on the compute cost; the planner's falls with it.
    for _, part in cells.groupby("maze_fraction"):
        assert part.heuristic_fitness.nunique() == 1
        assert np.all(np.diff(part.sort_values("compute_cost").margin.to_numpy()) < 0)


def test_costly_compute_shortens_the_best_planners_search(cells):
    maze = cells[cells.maze_fraction == 1.0].sort_values("compute_cost")
    assert maze.planner_horizon.iloc[0] == organisms.HORIZON_CAP
    assert np.all(np.diff(maze.planner_compute.to_numpy()) < 0)


def test_margin_is_the_paired_difference_of_the_two_winners_on_common_worlds(cells):
    assert np.allclose(cells.margin, cells.planner_fitness - cells.heuristic_fitness)
    # Paired: the standard error of the difference, not of either score, so it is well below the
    # spread a difference of two independent samples of these scores would give.
    assert (cells.se > 0).all()
    again = margins([scenarios.get("emergence", maze_fraction=1.0, compute_cost=1e-3)], **SMALL)
    row = cells[(cells.maze_fraction == 1.0) & (cells.compute_cost == 1e-3)].iloc[0]
    assert again.margin.iloc[0] == row.margin and again.se.iloc[0] == row.se


def test_boundary_crossing_interpolates_the_first_sign_change():
    assert boundary_crossing([0, 0.5, 1], [-1.0, 1.0, 3.0]) == pytest.approx(0.25)
    assert boundary_crossing([1, 0, 0.5], [3.0, -1.0, 1.0]) == pytest.approx(0.25)
    assert np.isnan(boundary_crossing([0, 1], [1.0, 2.0]))


def test_logistic_fit_intervals_cover_the_true_curve_about_95_percent_of_the_time():
    rng = np.random.default_rng(3)
    x = np.repeat(np.linspace(0, 1, 11), 5)
    truth = 1 / (1 + np.exp(-12 * (x - 0.6)))
    fits = [fit_logistic(x, truth + rng.normal(0, 0.08, x.size)) for _ in range(200)]
    slope = np.mean([f["slope_lo"] < 12 < f["slope_hi"] for f in fits])
    midpoint = np.mean([f["midpoint_lo"] < 0.6 < f["midpoint_hi"] for f in fits])
    assert 0.88 <= slope <= 0.99 and 0.88 <= midpoint <= 0.99
    fit = fits[0]
    assert fit["midpoint_hi"] - fit["midpoint_lo"] < 0.1
    assert np.all(fit["curve_lo"] <= fit["curve"]) and np.all(fit["curve"] <= fit["curve_hi"])
    flat = [fit_logistic(x, 0.5 + rng.normal(0, 0.2, x.size)) for _ in range(50)]
    # No trend: the slope's interval includes 0 about 95 % of the time.
    assert np.mean([f["slope_lo"] < 0 < f["slope_hi"] for f in flat]) >= 0.85
    with pytest.raises(ValueError, match="at least 3"):
        fit_logistic([0, 1], [0, 1])


def test_bootstrap_fit_of_a_step_bounds_the_slope_above_zero_and_places_the_step():
    """Shares that jump from 0 to 1 between x = 0.6 and 0.7: the slope is not identified (Wald intervals
    fail there), but the bootstrap says it is steep and positive, and where the step is."""
    rng = np.random.default_rng(5)
    x = np.repeat(np.round(np.linspace(0, 1, 11), 2), 5)
    share = np.where(x >= 0.7, 0.99, 0.01) + rng.normal(0, 0.01, x.size)
    fit = fit_logistic(x, share, bootstrap=200, seed=1)
    assert fit["method"] == "bootstrap"
    assert fit["slope_lo"] > 20
    assert 0.6 <= fit["midpoint_lo"] <= fit["midpoint"] <= fit["midpoint_hi"] <= 0.7
    assert fit_logistic(x, share, bootstrap=200, seed=1)["slope_lo"] == fit["slope_lo"]


def _share_table() -> pd.DataFrame:
    rows = []
    for mf in (0.0, 0.5, 1.0):
        for cost in (0.0, 1e-3):
            for seed in (0, 1):
                share = 1.0 if mf > 0.4 or cost == 0 else 0.0
                rows += [{"maze_fraction": mf, "compute_cost": cost, "seed": seed, "distribution": "train",
                          "planner": float(i < 10 * share)} for i in range(10)]
    return pd.DataFrame(rows)


def test_phase_diagram_draws_the_zero_contour_of_the_margin_it_is_given():
    table = _share_table()
    boundary = pd.DataFrame([{"maze_fraction": mf, "compute_cost": c, "margin": 1.0 if mf > 0.4 or c == 0 else -1.0}
                             for mf in (0.0, 0.5, 1.0) for c in (0.0, 1e-3)])
    fig = plots.phase_diagram(table, "maze_fraction", "compute_cost", metric="planner", boundary=boundary)
    ax = fig.axes[0]
    image = ax.get_images()[0].get_array()
    assert image[1].tolist() == [0.0, 1.0, 1.0] and image[0].tolist() == [1.0, 1.0, 1.0]
    contours = [c for c in ax.findobj(ContourSet)]
    assert len(contours) == 1 and list(contours[0].levels) == [0.0]
    assert "predicted boundary" in ax.get_legend().get_texts()[0].get_text()
    without = plots.phase_diagram(table, "maze_fraction", "compute_cost", metric="planner")
    assert not without.axes[0].findobj(ContourSet)
    with pytest.raises(ValueError, match="margin"):
        plots.phase_diagram(table, "maze_fraction", "compute_cost", metric="planner",
                            boundary=boundary.drop(columns="margin"))
    one_sided = plots.phase_diagram(table, "maze_fraction", "compute_cost", metric="planner",
                                    boundary=boundary.assign(margin=1.0))
    assert not one_sided.axes[0].findobj(ContourSet)
    assert "none inside" in one_sided.axes[0].get_legend().get_texts()[0].get_text()


def test_a_bootstrap_resample_whose_fit_fails_is_counted_not_fatal(monkeypatch):
    """A resample for which least squares finds no optimum is left out and counted in
    ``bootstrap_failed``; the fit of the full data is unchanged."""
    from scenarios.analyses import landscape as module

    x = np.repeat(np.linspace(0, 1, 11), 3)
    share = (x > 0.65).astype(float)
    clean = fit_logistic(x, share, bootstrap=40, seed=1)
    real, calls = module._fit, []

    def sometimes(xs, ys):
        calls.append(1)
        if len(calls) > 1 and len(calls) % 4 == 0:
            raise RuntimeError("Optimal parameters not found")
        return real(xs, ys)

    monkeypatch.setattr(module, "_fit", sometimes)
    flaky = fit_logistic(x, share, bootstrap=40, seed=1)
    assert clean["bootstrap_failed"] == 0 and flaky["bootstrap_failed"] == 10
    assert flaky["midpoint"] == clean["midpoint"] and flaky["slope"] == clean["slope"]
