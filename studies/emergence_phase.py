"""The emergence phase diagram: when does selection favour planners? (not collected by pytest)

    python -m studies.emergence_phase [--seeds 5] [--out runs/emergence-sweep]

About 13 minutes on two shared cores (205 runs of 150 organisms x 60 generations); runs already in
``--out`` are loaded, not run again, and the same seeds give the same tables bit for bit.

1. The landscape prediction (``scenarios.analyses.landscape``): the best planner against the best heuristic
   in every (maze fraction, compute cost) cell, each found by a direct search over its genes, their
   margin in fitness per episode with its standard error, paired over 500 fresh worlds.
2. The sweep (``evolution.sweep``): mixed populations evolved in every cell for each seed; the final
   planner share of each run.
3. The signature checks of the issue, and Hubinger's §2.1 claim as a fitted curve: the planner share
   against the maze fraction at one compute cost, a logistic fit with its 95 % interval.

Writes ``docs/results/emergence_{landscape,sweep,signature,curve,curve_fit}.csv`` and
``docs/figures/emergence_{phase,curve}.png``. The kind gene selects between two hand-built
architectures: the figures show which one selection keeps, not optimization arising from nothing.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

import numpy as np
import pandas as pd

from studies.claims import thresholds

MAZE_FRACTIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
COMPUTE_COSTS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2)
"""From free thinking to a cost at which heuristics win everywhere (a default planner searches a few
thousand cells per open-field episode, about 1,500 in a maze)."""
CURVE_COST = 1e-3
CURVE_FRACTIONS = tuple(sorted({float(x) for x in np.round(np.linspace(0.0, 1.0, 11), 3)}
                              | {float(x) for x in np.round(np.arange(0.6, 0.76, 0.025), 3)}))
"""Every 0.1, and every 0.025 from 0.6 to 0.75 where the boundary was found, so the midpoint's
interval is not narrower than the grid's spacing near it."""
POPULATION, GENERATIONS = 150, 60
ASSESS_WORLDS = 100
BOOTSTRAP = 1000
_CLAIMS = thresholds("emergence_phase")
WINNER_SHARE, WINNER_SEEDS = _CLAIMS["winner_share"], int(_CLAIMS["winner_seeds"])
TOLERANCE, CALLED_SE = _CLAIMS["monotone_tolerance"], _CLAIMS["called_se"]
NOISE_EPISODES, NOISE_WINNER_SEEDS = int(_CLAIMS["noise_episodes"]), int(_CLAIMS["noise_winner_seeds"])
NOISE_CELLS = ((0.0, 0.0), (0.25, 0.0), (0.0, 1e-4))
"""The cell that failed with 8 worlds per generation (open fields, free compute) and its neighbours."""
"""The signature (``studies/claims.toml``): where |margin| > CALLED_SE standard errors, the predicted
winner holds >= WINNER_SHARE in >= WINNER_SEEDS of the seeds; shares monotone up to TOLERANCE."""


MAP_CELL = (_CLAIMS["map_maze_fraction"], _CLAIMS["map_compute_cost"])
"""The (maze fraction, compute cost) cell the robustness map varies the shared settings at."""
LANDSCAPE = Path(__file__).resolve().parents[1] / "docs" / "results" / "emergence_landscape.csv"


def map_prediction(landscape: Path | None = None) -> str:
    """The kind the landscape (``LANDSCAPE`` unless given) predicts at ``MAP_CELL`` (the sign of its margin).

    Raises:
        ValueError: the cell is not in the landscape, or its margin is not called (|margin| <= CALLED_SE SE).
    """
    landscape = LANDSCAPE if landscape is None else landscape
    margins = pd.read_csv(landscape)
    row = margins[np.isclose(margins.maze_fraction, MAP_CELL[0]) & np.isclose(margins.compute_cost, MAP_CELL[1])]
    if len(row) != 1:
        raise ValueError(f"{landscape.name}: no row for the map's cell {MAP_CELL}")
    margin, se = float(row.margin.iloc[0]), float(row.se.iloc[0])
    if abs(margin) <= CALLED_SE * se:
        raise ValueError(f"the map's cell {MAP_CELL}: margin {margin:.3f} +- {se:.3f} is not called")
    return "planner" if margin > 0 else "heuristic"


def signature_row(table: pd.DataFrame) -> dict:
    """One run's numbers for the robustness map: the final population's planner share (training rows)
    and the share of the kind the landscape predicts at the map's cell."""
    from scenarios.engine.alignment import planning

    share = float(planning(table[table["distribution"] == "train"]).mean())
    return {"planner_share": share, "predicted_share": share if map_prediction() == "planner" else 1.0 - share}


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The phase diagram's per-run claim at the map's cell: the predicted kind holds >= WINNER_SHARE."""
    return [(f"the predicted {map_prediction()}s hold >= {WINNER_SHARE:.0%}", runs["predicted_share"] >= WINNER_SHARE)]


MAP_WORLD_KEYS = ("world_size", "steps")
"""The robustness map's settings that reshape the worlds, so the landscape can predict along them."""


def map_boundaries(results: Path) -> pd.DataFrame:
    """The landscape's margin at each world size and steps of the robustness map (at ``MAP_CELL``, the
    other settings at the story's own), beside the map's runs: a row per (knob, value) with the margin,
    its standard error and the seeds' mean planner share; and per knob the predicted boundary (where the
    margin crosses zero) and the evolved one (where the mean share crosses 0.5), linear between values."""
    import tomllib

    from scenarios.analyses.landscape import boundary_crossing, margins
    from scenarios.app.robustness import story_at
    from studies.robustness import RANGES, read_table

    mapped = tomllib.loads(RANGES.read_text(encoding="utf-8"))["emergence"]["one_at_a_time"]
    runs = read_table(results / "robustness_emergence_runs.csv")
    default_share = runs[runs.knob == "default"].planner_share.mean()
    cell = (("maze_fraction", MAP_CELL[0]), ("compute_cost", MAP_CELL[1]))
    rows = []
    for knob in MAP_WORLD_KEYS:
        values = mapped[knob]
        table = margins([story_at("emergence", setting=cell + ((knob, v),)) for v in values])
        part = runs[runs.knob == knob]
        share = [part[part.value.map(lambda x, v=v: x == v)].planner_share.mean() if len(part[part.value.map(
            lambda x, v=v: x == v)]) else default_share for v in values]
        x = np.asarray(values, dtype=float)
        predicted = boundary_crossing(x, table.margin.to_numpy())
        evolved = boundary_crossing(x, np.asarray(share) - 0.5)
        rows += [{"knob": knob, "value": v, "margin": m, "se": se, "planner_share": sh,
                  "predicted_boundary": predicted, "evolved_boundary": evolved}
                 for v, m, se, sh in zip(values, table.margin, table.se, share)]
    return pd.DataFrame(rows)


def per_run(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per run: the final population's planner share and training scores."""
    from scenarios.engine.alignment import planning  # tables saved before the planning column too

    train = table[table["distribution"] == "train"].assign(planner=lambda t: planning(t) * 1.0)
    return train.groupby([*keys, "seed"], sort=True).agg(
        planner_share=("planner", "mean"), base=("base", "mean"), fitness=("fitness", "mean"),
        compute=("compute", "mean")).reset_index()


def noise_verdicts(runs: pd.DataFrame, margins: pd.DataFrame) -> pd.DataFrame:
    """A row per cell of the noise rerun: the predicted kind's seeds won, and whether it reaches
    NOISE_WINNER_SEEDS."""
    checks = signature(runs.drop(columns="episodes", errors="ignore"), margins)
    checks["episodes"] = NOISE_EPISODES
    checks["holds"] = checks["seeds_won"] >= NOISE_WINNER_SEEDS
    return checks


def noise_check(seeds: int, out: Path) -> pd.DataFrame:
    """The failed cell and its neighbours rerun with NOISE_EPISODES worlds per generation: a row per run."""
    return pd.concat([evolve_grid({"maze_fraction": [mf], "compute_cost": [cost], "episodes": [NOISE_EPISODES]},
                                  seeds, out / "noise") for mf, cost in NOISE_CELLS], ignore_index=True)


def evolve_grid(grid: dict, seeds: int, out: Path) -> pd.DataFrame:
    import evolution
    import scenarios

    config = evolution.Config(population=POPULATION, generations=GENERATIONS, kinds=("heuristic", "planner"))
    table = evolution.sweep(functools.partial(scenarios.get, "emergence"), grid=grid, seeds=range(seeds),
                            config=config, out=out, assess_worlds=ASSESS_WORLDS, progress=True)
    return per_run(table, list(grid))


def signature(runs: pd.DataFrame, margins: pd.DataFrame) -> pd.DataFrame:
    """Per cell: the prediction, whether it is called (|margin| > 2 SE), and how many seeds agree."""
    cells = runs.merge(margins[["maze_fraction", "compute_cost", "margin", "se"]],
                       on=["maze_fraction", "compute_cost"])
    rows = []
    for (mf, cost), part in cells.groupby(["maze_fraction", "compute_cost"]):
        margin, se = part["margin"].iloc[0], part["se"].iloc[0]
        winner = "planner" if margin > 0 else "heuristic"
        share = part["planner_share"] if winner == "planner" else 1.0 - part["planner_share"]
        held = int((share >= WINNER_SHARE).sum())
        called = abs(margin) > CALLED_SE * se
        rows.append({"maze_fraction": mf, "compute_cost": cost, "margin": margin, "se": se,
                     "called": called, "predicted": winner, "seeds": len(part), "seeds_won": held,
                     "mean_planner_share": part["planner_share"].mean(),
                     "holds": bool(held >= WINNER_SEEDS) if called else None})
    return pd.DataFrame(rows)


def monotonicity(runs: pd.DataFrame) -> list[str]:
    """Violations: share falling with maze fraction (cost > 0) or rising with cost, by > TOLERANCE."""
    mean = runs.groupby(["compute_cost", "maze_fraction"])["planner_share"].mean().unstack("maze_fraction")
    bad = []
    for cost, row in mean.iterrows():
        steps = np.diff(row.to_numpy())
        if cost > 0 and (steps < -TOLERANCE).any():
            bad.append(f"cost {cost:g}: share falls with maze fraction {np.round(row.to_numpy(), 2)}")
    for mf in mean.columns:
        steps = np.diff(mean[mf].to_numpy())
        if (steps > TOLERANCE).any():
            bad.append(f"maze fraction {mf:g}: share rises with cost {np.round(mean[mf].to_numpy(), 2)}")
    return bad


def draw_phase(runs: pd.DataFrame, margins: pd.DataFrame, path: Path) -> None:
    import plots

    table = runs.assign(distribution="train", planner=runs["planner_share"])[
        ["maze_fraction", "compute_cost", "seed", "distribution", "planner"]]
    fig = plots.phase_diagram(table, "maze_fraction", "compute_cost", metric="planner",
                              distribution="train", boundary=margins)
    fig.axes[0].set_title("Final planner share, 5 seeds per cell", loc="left")
    fig.text(0.99, 0.01, "the kind gene selects between two hand-built architectures", ha="right",
             va="bottom", fontsize=6.5, color="#505050")
    plots.save_figure(fig, path, ("png",))


def draw_curve(curve: pd.DataFrame, fit: dict, path: Path) -> None:
    from plots import style

    with style.house_style():
        fig, ax = style.new_figure(style.COLUMN_WIDTH + 1.6, 3.0)
        rng = np.random.default_rng(0)  # horizontal jitter only, so overlapping seeds stay visible
        ax.scatter(curve["maze_fraction"] + rng.uniform(-0.012, 0.012, len(curve)), curve["planner_share"],
                   s=10, color=style.KIND["planner"], alpha=0.6, label="one run (final population)", zorder=3)
        x = np.asarray(fit["x"])
        ax.plot(x, fit["curve"], color="black", zorder=4,
                label=f"logistic fit: midpoint {fit['midpoint']:.2f} [{fit['midpoint_lo']:.2f}, "
                      f"{fit['midpoint_hi']:.2f}], slope \u2265 {fit['slope_lo']:.0f}")
        ax.fill_between(x, fit["curve_lo"], fit["curve_hi"], color="black", alpha=0.15, linewidth=0,
                        label=f"95 % interval ({fit['method']} over runs)")
        if np.isfinite(fit.get("predicted_midpoint", np.nan)):
            ax.axvline(fit["predicted_midpoint"], color=style.REFERENCE, linestyle="--",
                       label="predicted boundary (margin = 0)")
        ax.set_xlabel("maze fraction of training worlds")
        ax.set_ylabel("planner share")
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(f"Planner share against maze fraction, compute cost {CURVE_COST:g}", loc="left")
        style.tidy(ax)
        legend = ax.legend(loc="center left", fontsize=6, title_fontsize=6, alignment="left",
                           title="the kind gene selects between two hand-built architectures")
        legend.get_title().set_color("#505050")
    style.save_figure(fig, path, ("png",))


def curve_part(args: argparse.Namespace) -> dict:
    """Hubinger's §2.1 claim as a curve: the runs at CURVE_COST over CURVE_FRACTIONS, their margins and a
    logistic fit (bootstrap over runs); writes the curve tables and figure, returns the fit."""
    import scenarios
    from scenarios.analyses.landscape import boundary_crossing, fit_logistic, landscape

    curve = evolve_grid({"maze_fraction": list(CURVE_FRACTIONS), "compute_cost": [CURVE_COST]},
                        args.seeds, args.out / "curve")
    curve.to_csv(args.results / "emergence_curve.csv", index=False)
    factory = functools.partial(scenarios.get, "emergence")
    curve_margins = landscape(factory, {"maze_fraction": CURVE_FRACTIONS, "compute_cost": [CURVE_COST]})
    # The shares jump like a step, where Wald intervals on the slope mislead: bootstrap over runs.
    fit = fit_logistic(curve["maze_fraction"].to_numpy(), curve["planner_share"].to_numpy(),
                       bootstrap=BOOTSTRAP, seed=0)
    fit["predicted_midpoint"] = boundary_crossing(curve_margins["maze_fraction"].to_numpy(),
                                                  curve_margins["margin"].to_numpy())
    pd.DataFrame([{k: v for k, v in fit.items() if np.ndim(v) == 0}]).to_csv(
        args.results / "emergence_curve_fit.csv", index=False)
    draw_curve(curve, fit, args.figures / "emergence_curve")
    return fit


def main() -> None:
    import scenarios
    from scenarios.analyses.landscape import landscape

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("runs/emergence-sweep"))
    parser.add_argument("--results", type=Path, default=Path("docs/results"))
    parser.add_argument("--figures", type=Path, default=Path("docs/figures"))
    parser.add_argument("--noise-check", action="store_true",
                        help="only rerun the failed cell and its neighbours with 4x the worlds per generation")
    parser.add_argument("--map-boundaries", action="store_true",
                        help="only the landscape's margin along the robustness map's world size and steps, beside "
                             "its runs (after python -m studies.robustness emergence)")
    parser.add_argument("--curve", action="store_true",
                        help="only rerun the curve at cost CURVE_COST (its runs, margins and logistic fit)")
    args = parser.parse_args()
    args.results.mkdir(parents=True, exist_ok=True)
    args.figures.mkdir(parents=True, exist_ok=True)
    factory = functools.partial(scenarios.get, "emergence")
    if args.map_boundaries:
        table = map_boundaries(args.results)
        table.round(4).to_csv(args.results / "robustness_emergence_boundaries.csv", index=False)
        with pd.option_context("display.width", 200):
            print(table.round(3).to_string(index=False))
        return
    if args.curve:
        fit = curve_part(args)
        print(f"logistic fit at cost {CURVE_COST:g} ({fit['method']}): midpoint {fit['midpoint']:.3f} "
              f"[{fit['midpoint_lo']:.3f}, {fit['midpoint_hi']:.3f}]; predicted boundary {fit['predicted_midpoint']:.3f}")
        return
    if args.noise_check:
        margins = pd.read_csv(args.results / "emergence_landscape.csv")
        runs = noise_check(args.seeds, args.out)
        runs.to_csv(args.results / "emergence_noise_runs.csv", index=False)
        checks = noise_verdicts(runs, margins)
        checks.to_csv(args.results / "emergence_noise.csv", index=False)
        with pd.option_context("display.width", 200, "display.float_format", "{:.4g}".format):
            print(checks.to_string(index=False))
        return

    margins = landscape(factory, {"maze_fraction": MAZE_FRACTIONS, "compute_cost": COMPUTE_COSTS})
    margins.to_csv(args.results / "emergence_landscape.csv", index=False)
    runs = evolve_grid({"maze_fraction": list(MAZE_FRACTIONS), "compute_cost": list(COMPUTE_COSTS)},
                       args.seeds, args.out / "phase")
    runs.to_csv(args.results / "emergence_sweep.csv", index=False)
    checks = signature(runs, margins)
    checks.to_csv(args.results / "emergence_signature.csv", index=False)
    draw_phase(runs, margins, args.figures / "emergence_phase")

    fit = curve_part(args)
    called = checks[checks["called"]]
    extreme = ((runs["planner_share"] <= 0.05) | (runs["planner_share"] >= 0.95)).mean()
    with pd.option_context("display.width", 200, "display.float_format", "{:.4g}".format):
        print(margins[["maze_fraction", "compute_cost", "margin", "se", "planner_horizon"]].to_string(index=False))
        print()
        print(checks.to_string(index=False))
    print(f"\ncalled cells (|margin| > 2 SE): {len(called)} of {len(checks)}; predicted winner >= "
          f"{WINNER_SHARE:.0%} in >= {WINNER_SEEDS} of {args.seeds} seeds in {int(called['holds'].sum())} of "
          f"{len(called)}")
    failed = called[~called["holds"].astype(bool)]
    for _, r in failed.iterrows():
        print(f"  FAILS: maze {r.maze_fraction:g}, cost {r.compute_cost:g}: margin {r.margin:.3f} ± {r.se:.3f}, "
              f"{r.predicted} won {r.seeds_won} of {r.seeds}, mean planner share {r.mean_planner_share:.2f}")
    bad = monotonicity(runs)
    print(f"monotonicity (tolerance {TOLERANCE}): {'holds' if not bad else 'FAILS'}")
    for b in bad:
        print("  " + b)
    print(f"runs ending with <= 5 % or >= 95 % planners: {extreme:.0%} of {len(runs)}")
    print(f"logistic fit at cost {CURVE_COST:g} ({fit['method']}): slope {fit['slope']:.2f} [{fit['slope_lo']:.2f}, "
          f"{fit['slope_hi']:.2f}], midpoint {fit['midpoint']:.3f} [{fit['midpoint_lo']:.3f}, "
          f"{fit['midpoint_hi']:.3f}]; predicted boundary {fit['predicted_midpoint']:.3f}")


if __name__ == "__main__":
    main()
