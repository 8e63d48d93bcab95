"""plots: each figure shows the numbers of the results it is given, labelled and saved as asked.

Rendered headless (Agg) from one small real run; no image diffs: the checks read the data back
from the artists, the way a reader relies on them.
"""

from __future__ import annotations

import types

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection, PolyCollection  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

import evolution  # noqa: E402
import organisms  # noqa: E402
import plots  # noqa: E402
import scenarios  # noqa: E402
from scenarios.app.cli import write_figures  # noqa: E402

DEPLOY = "brotherhood_war"


@pytest.fixture(scope="module")
def results():
    """A tiny Aurora run with both kinds, its assessment (one and two seeds) and two episodes."""
    sc = scenarios.get("aurora")
    runs, tables = [], []
    for seed in (0, 1):
        cfg = evolution.Config.for_scenario(sc, seed=seed, generations=5, population=20,
                                            kinds=("heuristic", "planner"))
        run = evolution.evolve(sc, cfg, progress=False)
        table = scenarios.assess(sc, run.population, worlds=20)
        runs.append(run)
        tables.append(table.assign(seed=seed))
    run, table = runs[0], tables[0].drop(columns="seed")
    planner = int(np.flatnonzero(table.loc[table["distribution"] == "train", "kind"] == "planner")[0])
    records = [scenarios.episode(sc, run.population[planner], d, seed=1) for d in ("train", DEPLOY)]
    return types.SimpleNamespace(run=run, table=table, seeds=pd.concat(tables, ignore_index=True),
                                 records=records)


def labelled_lines(ax) -> dict:
    """The data lines of an axes by legend label (reference lines carry no label)."""
    return {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}


def legend_texts(legend) -> list[str]:
    return [t.get_text() for t in legend.get_texts()]


def bar_groups(ax) -> dict:
    return {c.get_label(): c for c in ax.containers if isinstance(c, BarContainer)}


# divergence ---------------------------------------------------------------------------------------


def test_divergence_plots_base_score_over_the_oracles_on_train_and_deploy(results):
    log = results.run.log
    fig = plots.divergence(results.run)
    assert isinstance(fig, Figure)
    a, b, c = fig.axes
    lines = labelled_lines(a)
    assert list(lines) == ["train", DEPLOY]
    np.testing.assert_array_equal(lines["train"].get_xdata(), log["generation"])
    np.testing.assert_allclose(lines["train"].get_ydata(), log["base_mean"] / log["oracle_base"])
    np.testing.assert_allclose(lines[DEPLOY].get_ydata(), log[f"{DEPLOY}:base_mean"] / log[f"{DEPLOY}:oracle_base"])
    # Dashed references at the oracle (1) and at nothing gained (0).
    refs = [line.get_ydata()[0] for line in a.get_lines() if line.get_label().startswith("_")]
    assert sorted(refs) == [0.0, 1.0]
    assert lines["train"].get_color() != lines[DEPLOY].get_color()
    assert legend_texts(a.get_legend()) == ["train", DEPLOY]
    assert "Base score / oracle" in a.get_title(loc="left")
    assert "oracle" in a.get_ylabel()


def test_divergence_plots_agreement_and_population_shares_from_the_log(results):
    log = results.run.log
    fig = plots.divergence(results.run)
    _, b, c = fig.axes
    agreement = labelled_lines(b)
    contested = f"{DEPLOY}, contested kinds"
    assert list(agreement) == ["train", DEPLOY, contested]
    np.testing.assert_allclose(agreement["train"].get_ydata(), log["agreement_train"])
    np.testing.assert_allclose(agreement[DEPLOY].get_ydata(), log[f"{DEPLOY}:agreement"])
    # The agreement over the contested kinds: thin dashes in the deployment's colour, named in the
    # legend (the other colours are (a)'s).
    np.testing.assert_allclose(agreement[contested].get_ydata(), log[f"{DEPLOY}:contested"])
    assert agreement[contested].get_color() == agreement[DEPLOY].get_color()
    assert agreement[contested].get_linestyle() == "--"
    assert agreement[contested].get_linewidth() < agreement[DEPLOY].get_linewidth()
    assert legend_texts(b.get_legend()) == [contested]
    assert "Agreement with the base objective" in b.get_title(loc="left")
    assert "agreement" in b.get_ylabel()
    shares = labelled_lines(c)
    assert list(shares) == ["planners", "sensor on: diplomacy"]
    np.testing.assert_allclose(shares["planners"].get_ydata(), log["planner_share"])
    np.testing.assert_allclose(shares["sensor on: diplomacy"].get_ydata(), log["sensor:diplomacy"])
    assert legend_texts(c.get_legend()) == ["planners", "sensor on: diplomacy"]
    assert c.get_ylim()[0] <= 0 and c.get_ylim()[1] >= 1
    assert c.get_xlabel() == "generation"
    assert fig.get_suptitle().startswith("aurora")


def test_divergence_into_a_given_axes_draws_only_the_base_score_panel(results):
    fig = Figure()
    ax, other = fig.subplots(1, 2)
    assert plots.divergence(results.run, ax=ax) is fig
    assert list(labelled_lines(ax)) == ["train", DEPLOY]
    assert other.get_lines() == [] and len(fig.axes) == 2


def test_divergence_accepts_a_bare_log_and_names_missing_columns(results):
    log = results.run.log
    assert len(plots.divergence(log).axes) == 3
    with pytest.raises(ValueError, match="oracle_base"):
        plots.divergence(log.drop(columns="oracle_base"))


def test_divergence_draws_the_intended_score_only_where_the_intended_goal_differs(results):
    log = results.run.log
    # Aurora's intended goal is its base objective: an intended line would hide under the base line.
    assert np.allclose(log["intended_mean"], log["base_mean"])
    a = plots.divergence(log).axes[0]
    assert list(labelled_lines(a)) == ["train", DEPLOY]
    assert a.get_title(loc="left") == "(a) Base score / oracle's"
    # A log whose intended goal differs on train (and whose deployment columns exist but agree).
    differs = log.assign(intended_mean=log["base_mean"] - 0.5, oracle_intended=log["oracle_base"] + 1.0,
                         **{f"{DEPLOY}:intended_mean": log[f"{DEPLOY}:base_mean"],
                            f"{DEPLOY}:oracle_intended": log[f"{DEPLOY}:oracle_base"]})
    a = plots.divergence(differs).axes[0]
    lines = labelled_lines(a)
    assert list(lines) == ["train", DEPLOY, "train, intended goal"]
    intended = lines["train, intended goal"]
    np.testing.assert_allclose(intended.get_ydata(), differs["intended_mean"] / differs["oracle_intended"])
    np.testing.assert_array_equal(intended.get_xdata(), log["generation"])
    assert intended.get_color() == lines["train"].get_color() and intended.get_linestyle() == ":"
    assert "train, intended goal" in legend_texts(a.get_legend())
    assert a.get_title(loc="left") == "(a) Base and intended score / oracle's"
    # Where the deployment's intended score differs too, it gets its own dotted line.
    differs[f"{DEPLOY}:intended_mean"] = differs[f"{DEPLOY}:base_mean"] + 1.0
    lines = labelled_lines(plots.divergence(differs).axes[0])
    assert list(lines)[-1] == f"{DEPLOY}, intended goal"
    np.testing.assert_allclose(lines[f"{DEPLOY}, intended goal"].get_ydata(),
                               differs[f"{DEPLOY}:intended_mean"] / differs[f"{DEPLOY}:oracle_intended"])


def test_divergence_without_intended_or_contested_columns_draws_neither(results):
    log = results.run.log.drop(columns=["intended_mean", "oracle_intended", f"{DEPLOY}:contested"])
    a, b, _ = plots.divergence(log).axes
    assert list(labelled_lines(a)) == ["train", DEPLOY]
    assert list(labelled_lines(b)) == ["train", DEPLOY]
    assert b.get_legend() is None


# episodes -----------------------------------------------------------------------------------------


def item_collections(ax) -> dict:
    return {c.get_label(): c for c in ax.collections
            if isinstance(c, PathCollection) and not c.get_label().startswith("_")}


def test_episode_map_draws_each_world_its_items_and_the_path(results):
    records = results.records
    fig = plots.episode_map(records)
    maps = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in maps] == ["train", DEPLOY]
    for ax, rec in zip(maps, records):
        image = ax.get_images()[0].get_array()
        np.testing.assert_array_equal(~np.ma.getmaskarray(image), rec["walls"])
        items = item_collections(ax)
        assert set(items) == {rec["item_kind_names"][k] for k in np.unique(rec["item_kind"])}
        for name, coll in items.items():
            idx = np.flatnonzero(np.asarray(rec["item_kind_names"])[rec["item_kind"]] == name)
            # (x, y) = (column, row); taken items are hollow (transparent face), the rest filled.
            np.testing.assert_array_equal(coll.get_offsets(), rec["item_pos"][idx][:, ::-1])
            hollow = coll.get_facecolors()[:, 3] == 0
            np.testing.assert_array_equal(hollow, rec["taken_at"][idx] >= 0)
        (path,) = [c for c in ax.collections if isinstance(c, LineCollection)]
        segments = np.array(path.get_segments())
        np.testing.assert_array_equal(segments[:, 0], rec["path"][:-1, ::-1])
        np.testing.assert_array_equal(segments[:, 1], rec["path"][1:, ::-1])
        np.testing.assert_array_equal(path.get_array(), np.arange(len(rec["path"]) - 1))
        labels = legend_texts(ax.get_legend())
        assert labels == [f"{n} (base {v:+g})" for n, v in zip(rec["item_kind_names"], rec["item_kind_base"])]
        subtitle = [t.get_text() for t in ax.texts if "base score" in t.get_text()]
        assert subtitle == [f"base score {rec['base']:+g} · {rec['kind']}"]
    assert legend_texts(fig.legends[0]) == ["start", "taken", "path"]


def test_episode_map_takes_one_record_and_custom_titles(results):
    fig = plots.episode_map(results.records[0], titles=["a training world"])
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["a training world"]
    with pytest.raises(ValueError, match="titles"):
        plots.episode_map(results.records, titles=["only one"])
    with pytest.raises(ValueError, match="path"):
        plots.episode_map({k: v for k, v in results.records[0].items() if k != "path"})


def shortened(rec: dict, steps: int) -> dict:
    """The record's first ``steps`` steps (keeps the GIF test fast)."""
    taken = np.where(rec["taken_at"] <= steps, rec["taken_at"], -1)
    return {**rec, "path": rec["path"][: steps + 1], "taken_at": taken}


def test_episode_gif_has_a_frame_per_step_and_holds_the_end(results, tmp_path):
    records = [shortened(rec, 6) for rec in results.records]
    out = plots.episode_gif(records, tmp_path / "anim" / "episode.png", fps=5, dpi=40)
    assert out == tmp_path / "anim" / "episode.gif"
    with Image.open(out) as gif:
        assert gif.format == "GIF"
        durations = []
        for frame in range(gif.n_frames):
            gif.seek(frame)
            durations.append(gif.info["duration"])
    # Steps 0..6 at 1/fps each, then the finished episode held for a second (Pillow merges the
    # identical hold frames into one long one).
    assert len(durations) == 7 + 1
    assert durations[:7] == [200] * 7 and durations[7] == 1000


# assessment ---------------------------------------------------------------------------------------

BASE_BAR = "base objective / oracle"
INTENDED_BAR = "intended goal / oracle"
OWN_BAR = "own objective / own-objective planner"


def test_train_vs_deploy_bars_are_mean_score_over_oracle_per_kind(results):
    table = results.table
    fig = plots.train_vs_deploy(table)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == ["train", f"{DEPLOY}\n(deploy)"]
    groups = bar_groups(ax)
    kinds = [k for k in ("planner", "heuristic") if k in set(table["kind"])]
    for kind in kinds:
        container = groups[f"{kind}s: {BASE_BAR}"]
        expected = []
        for dist in ("train", DEPLOY):
            rows = table[table["distribution"] == dist]
            expected.append(rows.loc[rows["kind"] == kind, "base"].mean() / rows["oracle_base"].iloc[0])
        np.testing.assert_allclose([bar.get_height() for bar in container], expected)
        assert container.errorbar is None
    # The legend is a table: a column of kinds with their counts, a column of the metrics shown.
    counts = [f"{k}s (n={int(((table['kind'] == k) & (table['distribution'] == 'train')).sum())})" for k in kinds]
    assert [t for t in legend_texts(ax.get_legend()) if t] == [*counts, BASE_BAR, OWN_BAR]
    assert ax.get_ylabel() == "score / reference's score"
    assert ax.get_title(loc="left") == "Goal vs capability, train vs deploy"
    # Without a capability column only the base bars remain, and the figure says so.
    ax = plots.train_vs_deploy(table.drop(columns="capability")).axes[0]
    assert [label.split(": ")[1] for label in bar_groups(ax)] == [BASE_BAR] * len(kinds)
    assert legend_texts(ax.get_legend()) == counts
    assert ax.get_ylabel() == "score / oracle's score"
    assert ax.get_title(loc="left") == "Base score / oracle's"


def test_train_vs_deploy_capability_bars_are_the_tables_group_means(results):
    table = results.table
    ax = plots.train_vs_deploy(table).axes[0]
    groups = bar_groups(ax)
    means = table.groupby(["kind", "distribution"])["capability"].mean()
    drawn = 0
    for kind in ("planner", "heuristic"):
        label = f"{kind}s: {OWN_BAR}"
        if kind not in set(table["kind"]) or means[kind].isna().all():
            # Heuristics assessed without behavior have no own objective: no bar, no empty slot.
            assert label not in groups
            continue
        np.testing.assert_allclose([bar.get_height() for bar in groups[label]], means[kind][["train", DEPLOY]])
        drawn += 1
    assert drawn >= 1
    own = groups[f"planners: {OWN_BAR}"]
    assert all(bar.get_hatch() for bar in own) and not any(bar.get_hatch() for bar in groups[f"planners: {BASE_BAR}"])
    # A distribution where no organism has an own objective draws no bar there, and does not fail.
    gap = table.assign(capability=table["capability"].where(table["distribution"] == "train"))
    own = bar_groups(plots.train_vs_deploy(gap).axes[0])[f"planners: {OWN_BAR}"]
    assert np.isfinite(own[0].get_height()) and np.isnan(own[1].get_height())


def test_train_vs_deploy_capability_with_seeds_is_mean_and_sd_of_seed_means(results):
    # Two seeds that both have planners (the tiny runs may lose a kind): the table twice, the
    # second seed's capabilities lowered.
    one = results.table
    table = pd.concat([one.assign(seed=0), one.assign(seed=1, capability=one["capability"] * 0.8)],
                      ignore_index=True)
    ax = plots.train_vs_deploy(table).axes[0]
    per_seed = table[table["kind"] == "planner"].groupby(["distribution", "seed"])["capability"].mean()
    container = bar_groups(ax)[f"planners: {OWN_BAR}"]
    segments = container.errorbar.lines[2][0].get_segments()
    for bar, dist, segment in zip(container, ("train", DEPLOY), segments):
        assert bar.get_height() == pytest.approx(per_seed[dist].mean())
        assert (segment[1][1] - segment[0][1]) / 2 == pytest.approx(per_seed[dist].std(ddof=1))


def test_train_vs_deploy_with_seeds_shows_mean_and_sd_of_seed_means(results):
    table = results.seeds
    ax = plots.train_vs_deploy(table).axes[0]
    means = table.groupby(["kind", "distribution", "seed"])[["base", "oracle_base"]].mean()
    per_seed = means["base"] / means["oracle_base"]
    seeds_of = table.groupby("kind")["seed"].nunique()
    checked = 0
    legend = legend_texts(ax.get_legend())
    for label, container in bar_groups(ax).items():
        kind, metric = label.split("s: ")
        if metric != BASE_BAR:
            continue
        if seeds_of[kind] < 2:
            # A kind that some seeds lost has no sd; the legend says how many seeds it stands for.
            assert any(t.startswith(f"{kind}s (") and f"in {seeds_of[kind]} of 2 seeds" in t for t in legend)
            continue
        segments = container.errorbar.lines[2][0].get_segments()
        for bar, dist, segment in zip(container, ("train", DEPLOY), segments):
            assert bar.get_height() == pytest.approx(per_seed[kind, dist].mean())
            assert (segment[1][1] - segment[0][1]) / 2 == pytest.approx(per_seed[kind, dist].std(ddof=1))
        checked += 1
    assert checked >= 1
    assert "2 seeds" in ax.get_xlabel()


def test_train_vs_deploy_adds_intended_bars_when_the_intended_goal_differs(results):
    table = results.table.assign(intended=results.table["base"] + 1.0)
    ax = plots.train_vs_deploy(table).axes[0]
    labels = list(bar_groups(ax))
    assert labels[:3] == [f"planners: {BASE_BAR}", f"planners: {INTENDED_BAR}", f"planners: {OWN_BAR}"]
    assert INTENDED_BAR in legend_texts(ax.get_legend())
    intended = bar_groups(ax)[f"planners: {INTENDED_BAR}"]
    train = table[table["distribution"] == "train"]
    expected = train.loc[train["kind"] == "planner", "intended"].mean() / train["oracle_intended"].iloc[0]
    assert intended[0].get_height() == pytest.approx(expected)


def test_agreement_scatter_places_each_planner_at_train_vs_deploy_agreement(results):
    table = results.table
    fig = plots.agreement_scatter(table)
    (ax,) = fig.axes
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    wide = table.pivot(index="organism", columns="distribution", values="agreement").dropna()
    np.testing.assert_allclose(points.get_offsets(), wide[["train", DEPLOY]].to_numpy())
    assert ax.get_xlabel() == "agreement(base, mesa) on train"
    assert ax.get_ylabel() == f"agreement on {DEPLOY}"
    diagonal = [line for line in ax.get_lines() if np.allclose(line.get_xdata(), line.get_ydata())]
    assert len(diagonal) == 1
    below = int((wide[DEPLOY] < wide["train"]).sum())
    assert f"{below} of {len(wide)} planners below the diagonal" in [t.get_text() for t in ax.texts]
    with pytest.raises(ValueError, match="nowhere"):
        plots.agreement_scatter(table, deploy="nowhere")


def test_agreement_scatter_keeps_seeds_apart(results):
    ax = plots.agreement_scatter(results.seeds, deploy=DEPLOY).axes[0]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    planners = results.seeds.query("distribution == 'train'")["agreement"].notna().sum()
    assert len(points.get_offsets()) == planners


# style and files ----------------------------------------------------------------------------------


def test_figures_leave_global_rcparams_and_pyplot_alone(results):
    before = dict(matplotlib.rcParams)
    figs = [plots.divergence(results.run), plots.episode_map(results.records),
            plots.train_vs_deploy(results.table), plots.agreement_scatter(results.table)]
    assert dict(matplotlib.rcParams) == before
    assert plt.get_fignums() == []
    # The house style still reached the figures: no top/right spines on charts (maps keep a frame).
    for fig in (figs[0], figs[2], figs[3]):
        assert not any(ax.spines["top"].get_visible() or ax.spines["right"].get_visible() for ax in fig.axes)


def test_save_figure_writes_each_format_non_empty(results, tmp_path):
    fig = plots.train_vs_deploy(results.table)
    written = plots.save_figure(fig, tmp_path / "new" / "bars.png", formats=("png", "svg", "pdf"))
    assert written == [tmp_path / "new" / f"bars.{f}" for f in ("png", "svg", "pdf")]
    assert all(p.stat().st_size > 0 for p in written)
    with Image.open(written[0]) as png:
        assert png.size == tuple(round(200 * s) for s in fig.get_size_inches())
    assert written[1].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert written[2].read_bytes().startswith(b"%PDF")
    assert plots.save_figure(fig, tmp_path / "plain") == [tmp_path / "plain.png", tmp_path / "plain.svg"]


def test_save_figure_refuses_an_unknown_format_before_writing(results, tmp_path):
    fig = plots.agreement_scatter(results.table)
    with pytest.raises(ValueError, match="jpeg"):
        plots.save_figure(fig, tmp_path / "fig", formats=("png", "jpeg"))
    assert list(tmp_path.iterdir()) == []


# objective weights --------------------------------------------------------------------------------

AURORA_BASE = {"diplomacy": 1.0, "own": -2.0}


@pytest.fixture(scope="module")
def decoded(results):
    return organisms.decode(scenarios.get("aurora"), results.run.population)


def unit_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row over its sum of squares (NaN-skipping): the figure's normalisation, done by hand."""
    return frame.div(np.sqrt((frame ** 2).sum(axis=1)), axis=0)


def strip_points(ax) -> np.ndarray:
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    return np.asarray(points.get_offsets())


def test_objective_weights_draws_each_planners_unit_weights_per_feature(decoded):
    fig = plots.objective_weights(decoded, AURORA_BASE)
    (ax,) = fig.axes
    features = ["aurora", "brotherhood", "own", "diplomacy"]
    planners = decoded[decoded["kind"] == "planner"]
    weights = unit_rows(planners[[f"mesa:{f}" for f in features]])
    offsets = strip_points(ax)
    expected = np.concatenate([weights[f"mesa:{f}"].dropna().to_numpy() for f in features])
    np.testing.assert_allclose(offsets[:, 1], expected)
    # Each point sits in its feature's column.
    column = np.concatenate([np.full(weights[f"mesa:{f}"].notna().sum(), k) for k, f in enumerate(features)])
    assert np.all(np.abs(offsets[:, 0] - column) <= 0.15 + 1e-9)
    counts = [int(weights[f"mesa:{f}"].notna().sum()) for f in features]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{f}\nn={c}" for f, c in zip(features, counts)]
    assert len(ax.patches) == sum(c > 0 for c in counts)  # one box per perceived feature
    assert "unit length" in ax.get_ylabel()
    assert ax.get_ylim() == (-1.08, 1.08)
    heuristics = int((decoded["kind"] == "heuristic").sum())
    assert (f"{heuristics} heuristics not shown" in ax.get_xlabel()) == (heuristics > 0)
    assert legend_texts(ax.get_legend()) == [f"planners (n={len(planners)})", "base objective"]


def test_objective_weights_marks_the_base_and_intended_weights(decoded):
    intended = {"diplomacy": 1.0, "own": -1.0, "gold": 0.5}  # gold: weighed, perceived by no one
    ax = plots.objective_weights(decoded, AURORA_BASE, intended).axes[0]
    markers = labelled_lines(ax)
    assert list(markers) == ["base objective", "intended goal"]
    base = np.array([0, 0, -2, 1, 0]) / np.sqrt(5)
    goal = np.array([0, 0, -1, 1, 0.5]) / np.sqrt(2.25)
    np.testing.assert_allclose(markers["base objective"].get_ydata(), base)
    np.testing.assert_allclose(markers["intended goal"].get_ydata(), goal)
    np.testing.assert_allclose(np.round(markers["base objective"].get_xdata()), np.arange(5))
    assert ax.get_xticklabels()[-1].get_text() == "gold\nnot perceivable"
    assert legend_texts(ax.get_legend())[1:] == ["base objective", "intended goal"]
    # An intended goal that is the base objective (up to scale) is one marker, said so.
    ax = plots.objective_weights(decoded, AURORA_BASE, {"diplomacy": 2.0, "own": -4.0}).axes[0]
    assert list(labelled_lines(ax)) == ["base objective = intended goal"]


def test_objective_weights_raw_draws_the_genes_weights(decoded):
    ax = plots.objective_weights(decoded, AURORA_BASE, normalise=False).axes[0]
    planners = decoded[decoded["kind"] == "planner"]
    expected = np.concatenate([planners[f"mesa:{f}"].dropna().to_numpy()
                               for f in ("aurora", "brotherhood", "own", "diplomacy")])
    np.testing.assert_allclose(strip_points(ax)[:, 1], expected)
    np.testing.assert_allclose(labelled_lines(ax)["base objective"].get_ydata(), [0, 0, -2, 1])
    with pytest.raises(ValueError, match="mesa"):
        plots.objective_weights(decoded.drop(columns=[c for c in decoded if c.startswith("mesa:")]),
                                AURORA_BASE)


# sweeps -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep_table():
    """A tiny two-knob Aurora sweep in evolution.sweep's shape (grid keys and seed leading)."""
    frames = []
    for reliability in (0.5, 1.0):
        for cost in (0.0, 0.5):
            sc = scenarios.get("aurora", banner_reliability=reliability, sensor_cost=cost)
            for seed in (0, 1):
                cfg = evolution.Config.for_scenario(sc, seed=seed, generations=3, population=16)
                table = scenarios.assess(sc, evolution.evolve(sc, cfg, progress=False).population, worlds=20)
                table.insert(0, "seed", seed)
                table.insert(0, "sensor_cost", cost)
                table.insert(0, "banner_reliability", reliability)
                frames.append(table)
    return pd.concat(frames, ignore_index=True)


def per_seed_ratio(table: pd.DataFrame, keys: list[str]) -> pd.Series:
    means = table.groupby([*keys, "seed"])[["base", "oracle_base"]].mean()
    return means["base"] / means["oracle_base"]


def test_sweep_curve_lines_are_means_of_seed_ratios_with_sd_bands(sweep_table):
    table = sweep_table[sweep_table["sensor_cost"] == 0.5]
    fig = plots.sweep_curve(table, "banner_reliability")
    (ax,) = fig.axes
    lines = labelled_lines(ax)
    assert list(lines) == ["train", DEPLOY]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    for (dist, line), band in zip(lines.items(), bands):
        per_seed = per_seed_ratio(table[table["distribution"] == dist], ["banner_reliability"])
        stats = per_seed.groupby(level="banner_reliability").agg(["mean", "std"])
        np.testing.assert_allclose(line.get_xdata(), [0.5, 1.0])
        np.testing.assert_allclose(line.get_ydata(), stats["mean"])
        top = band.get_paths()[0].vertices
        for x, row in stats.iterrows():
            ys = top[np.isclose(top[:, 0], x), 1]
            np.testing.assert_allclose([ys.min(), ys.max()], [row["mean"] - row["std"], row["mean"] + row["std"]])
        assert to_hex(band.get_facecolor()[0][:3]) == to_hex(line.get_color())
    assert legend_texts(ax.get_legend()) == ["train", DEPLOY, "mean ± sd, 2 seeds"]
    assert ax.get_xlabel() == "banner reliability"
    assert ax.get_ylabel() == "base score / oracle's"
    refs = sorted(line.get_ydata()[0] for line in ax.get_lines() if line.get_label().startswith("_"))
    assert refs == [0.0, 1.0]


def test_sweep_curve_of_a_column_is_the_seeds_population_means(sweep_table):
    table = sweep_table[sweep_table["banner_reliability"] == 1.0]
    ax = plots.sweep_curve(table, "sensor_cost", "agreement", distribution=DEPLOY).axes[0]
    (line,) = labelled_lines(ax).values()
    rows = table[table["distribution"] == DEPLOY]
    expected = rows.groupby(["sensor_cost", "seed"])["agreement"].mean().groupby(level="sensor_cost").mean()
    np.testing.assert_allclose(line.get_ydata(), expected)
    assert "agreement" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.5"]


def test_sweep_curve_refuses_a_second_varying_knob_and_unknown_names(sweep_table):
    with pytest.raises(ValueError, match="sensor_cost"):
        plots.sweep_curve(sweep_table, "banner_reliability")
    one = sweep_table[sweep_table["sensor_cost"] == 0.0]
    with pytest.raises(ValueError, match="nowhere"):
        plots.sweep_curve(one, "nowhere")
    with pytest.raises(ValueError, match="happiness"):
        plots.sweep_curve(one, "banner_reliability", "happiness")
    with pytest.raises(ValueError, match="mars"):
        plots.sweep_curve(one, "banner_reliability", distribution="mars")


def test_phase_diagram_image_is_the_seed_mean_pivot_with_a_colour_bar(sweep_table):
    fig = plots.phase_diagram(sweep_table, "banner_reliability", "sensor_cost")
    ax, bar = fig.axes
    rows = sweep_table[sweep_table["distribution"] == DEPLOY]  # default: the first deployment
    per_seed = per_seed_ratio(rows, ["sensor_cost", "banner_reliability"])
    pivot = per_seed.groupby(level=["sensor_cost", "banner_reliability"]).mean().unstack("banner_reliability")
    image = ax.get_images()[0]
    np.testing.assert_allclose(image.get_array(), pivot.to_numpy())
    assert image.origin == "lower"  # the lowest sensor cost at the bottom, as the pivot's first row
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.5", "1"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "0.5"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("banner reliability", "sensor cost")
    assert DEPLOY in ax.get_title(loc="left")
    # A diverging map centred on 0 ("nothing gained").
    assert image.norm.vmin == -image.norm.vmax
    assert "oracle" in bar.get_ylabel() and "2 seeds" in bar.get_ylabel()
    cells = sorted(t.get_text().split("\n")[0] for t in ax.texts)
    assert cells == sorted(f"{v:.2f}" for v in pivot.to_numpy().ravel())


def test_phase_diagram_of_a_share_uses_a_sequential_map(sweep_table):
    fig = plots.phase_diagram(sweep_table, "banner_reliability", "sensor_cost", "sensor:diplomacy", "train")
    image = fig.axes[0].get_images()[0]
    rows = sweep_table[sweep_table["distribution"] == "train"]
    expected = (rows.groupby(["sensor_cost", "banner_reliability", "seed"])["sensor:diplomacy"].mean()
                .groupby(level=["sensor_cost", "banner_reliability"]).mean().unstack())
    np.testing.assert_allclose(image.get_array(), expected.to_numpy())
    assert image.norm.vmin == 0
    with pytest.raises(ValueError, match="two different"):
        plots.phase_diagram(sweep_table, "sensor_cost", "sensor_cost")


# the new figures: style, files, and the scenario command line ------------------------------------


def test_new_figures_leave_global_rcparams_and_pyplot_alone_and_save(decoded, sweep_table, tmp_path):
    before = dict(matplotlib.rcParams)
    one = sweep_table[sweep_table["sensor_cost"] == 0.0]
    figs = {"weights": plots.objective_weights(decoded, AURORA_BASE),
            "curve": plots.sweep_curve(one, "banner_reliability"),
            "phase": plots.phase_diagram(sweep_table, "banner_reliability", "sensor_cost")}
    assert dict(matplotlib.rcParams) == before
    assert plt.get_fignums() == []
    for name, fig in figs.items():
        written = plots.save_figure(fig, tmp_path / name, formats=("png", "svg", "pdf"))
        assert [p.suffix for p in written] == [".png", ".svg", ".pdf"]
        assert all(p.stat().st_size > 0 for p in written)


def test_new_figures_draw_into_a_given_axes(decoded, sweep_table):
    fig = Figure()
    a, b, c = fig.subplots(1, 3)
    one = sweep_table[sweep_table["sensor_cost"] == 0.0]
    assert plots.objective_weights(decoded, AURORA_BASE, ax=a) is fig
    assert plots.sweep_curve(one, "banner_reliability", ax=b) is fig
    assert plots.phase_diagram(sweep_table, "banner_reliability", "sensor_cost", ax=c) is fig
    assert len(fig.axes) == 4  # the three, and the phase diagram's colour bar


def test_scenario_run_directory_gets_objective_weights_and_the_episode_gif(results, tmp_path):
    written = write_figures(results.run, tmp_path, ("png",))
    names = {p.name for p in written}
    assert {"objective_weights.png", "episode.gif", "divergence.png", "episode.png"} <= names
    assert all(p.stat().st_size > 0 for p in written)
    with Image.open(tmp_path / "episode.gif") as gif:
        assert gif.n_frames > 2
