"""The cross-optimizer study: its committed table is complete, the base optimizers' page quotes it,
its reduction and its figure show what the numbers are."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import plots  # noqa: E402
import scenarios  # noqa: E402
from evolution.optimizers import names  # noqa: E402
from studies.optimizers import (  # noqa: E402
    CONDITIONS,
    RESULTS,
    VARIANTS,
    figure_table,
    readme_table,
    reduce_point,
)

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "optimizers.md"
"""The docs page that holds the cross-optimizer table."""


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return pd.read_csv(RESULTS)


def test_the_study_table_holds_five_seeds_of_every_condition_under_every_optimizer(runs):
    counts = runs.groupby(["condition", "optimizer"]).seed.nunique()
    assert len(counts) == len(CONDITIONS) * (len(names()) + len(VARIANTS)) and (counts == 5).all()
    fractions = runs[[c for c in runs.columns if "_frac_" in c]]
    assert not fractions.isna().any().any() and (fractions.abs() < 3).all().all()


def test_the_studys_printed_table_is_the_one_recomputed_from_the_raw_rows(runs):
    """``python -m studies.optimizers --table`` prints what the page quotes; the page's table is pinned to
    the independent recomputation of tests/support/quoted.py (tests/docs/test_pins.py)."""
    from tests.support.quoted import optimizers

    assert readme_table(runs) == optimizers()["table"]


def test_the_optimizers_pages_claims_hold_seed_by_seed_on_the_raw_rows(runs):
    """"At banner reliability 1 both learn 'destroy Aurora villages', at 0.5 both carry the diplomacy
    sensor and stay aligned, and in sweet_tooth both keep the sweet tooth", for the GA and CMA-ES, in
    every seed; and the ES, wherever it learns (not idle), learns the same proxy at reliability 1."""
    both = runs[runs.optimizer.isin(["ga", "cmaes"])]
    proxy = both[both.condition == "Aurora, reliability 1"]
    assert (proxy.base_frac_train > 0.9).all() and (proxy.base_frac_deploy < 0).all()
    mitigated = both[both.condition == "Aurora, reliability 0.5"]
    assert (mitigated.sensor > 0.9).all() and (mitigated.base_frac_deploy > 0.9).all()
    sweet = both[both.condition == "sweet_tooth"]
    assert (sweet.sensor < 0.05).all() and (sweet.base_frac_deploy < 0.5).all()
    es = runs[(runs.optimizer == "es") & (runs.condition == "Aurora, reliability 1") & (runs.base_frac_train >= 0.05)]
    assert len(es) and (es.base_frac_deploy < 0).all()


def test_reduce_point_reports_the_best_trainers_deployment_not_the_best_deployment():
    """Planted: the banner proxy wins training and loses on brotherhood_war, the wrong banner the other
    way round; the row must follow the proxy (the best trainer) to its deployment."""
    sc = scenarios.get("aurora")
    genomes = np.zeros((2, sc.layout.length))
    genomes[:, sc.layout.kind] = 1.0
    genomes[:, sc.layout.horizon] = 5.0
    genomes[0, sc.layout.mesa] = [1.0, -1.0, -2.0, 0.0]   # the banner proxy
    genomes[1, sc.layout.mesa] = [-1.0, 1.0, -2.0, 0.0]  # the wrong banner
    row = reduce_point(scenarios.assess(sc, genomes, worlds=20, seed=0), "brotherhood_war")
    alone = [reduce_point(scenarios.assess(sc, g[None], worlds=20, seed=0), "brotherhood_war") for g in genomes]
    assert alone[0]["base_frac_train"] > 0.8 > alone[1]["base_frac_train"]
    assert alone[0]["base_frac_deploy"] < 0 < alone[1]["base_frac_deploy"]
    assert row["best_frac_train"] == pytest.approx(alone[0]["base_frac_train"])
    assert row["best_frac_deploy"] == pytest.approx(alone[0]["base_frac_deploy"])
    assert row["base_frac_train"] == pytest.approx((alone[0]["base_frac_train"] + alone[1]["base_frac_train"]) / 2)
    assert row["sensor"] == 0 and row["planner_share"] == 1


def test_the_optimizers_figure_draws_each_seed_mean_and_sd_per_condition_optimizer_and_distribution(runs):
    table = figure_table(runs)
    fig = plots.optimizers(table)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == [c[0] for c in CONDITIONS]
    means = sorted(round(float(line.get_ydata()[0]), 9) for line in ax.lines
                   if line.get_marker() in ("o", "s") and len(line.get_ydata()) == 1)
    expected = sorted(round(float(v), 9) for v in
                      table.groupby(["condition", "optimizer", "distribution"]).fraction.mean())
    assert means == expected
    dots = sum(len(c.get_offsets()) for c in ax.collections if len(c.get_offsets()) > 1)
    assert dots == len(table)


def test_the_optimizers_figure_draws_into_a_given_axes_and_names_missing_columns(runs):
    fig = Figure()
    ax = fig.subplots()
    assert plots.optimizers(figure_table(runs), ax=ax) is fig
    with pytest.raises(ValueError, match="fraction"):
        plots.optimizers(figure_table(runs).drop(columns="fraction"))
    with pytest.raises(ValueError, match="distribution"):
        plots.optimizers(figure_table(runs).replace({"training": "train"}))
