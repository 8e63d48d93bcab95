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
    readme_rows,
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


def test_the_optimizers_page_quotes_the_committed_optimizer_table(runs):
    flat = " ".join(PAGE.read_text(encoding="utf-8").split())
    for row in readme_rows(runs):
        assert " ".join(row.split()) in flat, f"docs/optimizers.md does not quote the study's row {row!r}"


def test_reduce_point_takes_population_means_over_the_oracle_and_the_best_trainers_deployment():
    sc = scenarios.get("aurora")
    genomes = np.zeros((3, sc.layout.length))
    genomes[:, sc.layout.kind] = 1.0
    genomes[:, sc.layout.horizon] = 5.0
    genomes[0, sc.layout.mesa] = [1.0, -1.0, -2.0, 0.0]   # the banner proxy
    genomes[1, sc.layout.mesa] = [-1.0, 1.0, -2.0, 0.0]  # the wrong banner
    genomes[2, sc.layout.mesa] = [0.0, 0.0, -2.0, 1.0]   # diplomacy, with the sensor on
    genomes[2, sc.layout.sensors] = 1.0
    table = scenarios.assess(sc, genomes, worlds=20, seed=0)
    row = reduce_point(table, "brotherhood_war")
    train = table[table.distribution == "train"]
    assert row["base_frac_train"] == pytest.approx(train.base.mean() / train.oracle_base.mean())
    assert row["sensor"] == pytest.approx(1 / 3)
    assert row["best_frac_train"] > 0.8  # the proxy or the true goal: both win in training
    deploy = table[table.distribution == "brotherhood_war"].set_index("organism")
    best = train.set_index("organism").base.idxmax()
    assert row["best_frac_deploy"] == pytest.approx(deploy.base[best] / deploy.oracle_base.mean())


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
