"""What the README and the docs quote, recomputed from the committed raw tables: the sources of the
pins (:mod:`tests.support.pins`).

Each source is a function returning ``{key: text}``. Verdicts and counts are recomputed here from the
raw rows under the thresholds of ``studies/claims.toml`` (never read from a stored verdict column);
means and intervals use the same formatting as the pages.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from studies.claims import thresholds

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"
BENCHMARKS = ROOT / "benchmarks" / "results"
NEAR_SE = 7.0
"""A called emergence cell is "near the boundary" when its margin is within this many standard errors
of zero (beyond it, every called cell's predicted kind won every seed)."""


def minus(text: str) -> str:
    """A typographic minus, as the pages write negative numbers."""
    return text.replace("-", "−")


def pm(values: pd.Series, percent: bool = True) -> str:
    """Mean ± sd (ddof 1) over seeds; "—" where every value is NaN."""
    if values.isna().all():
        return "—"
    if percent:
        return minus(f"{100 * values.mean():.0f} ± {100 * values.std():.0f} %")
    return minus(f"{values.mean():.2f} ± {values.std():.2f}")


def percent(x: float) -> str:
    return f"{100 * x:.0f} %"


def aurora_measures() -> dict[str, str]:
    """The measures table's cells, and how far counterfactual competence is from the sensor share."""
    from studies.aurora_measures import readme_cells

    runs = pd.read_csv(RESULTS / "aurora_measures.csv")
    story = runs[runs.reliability == 1.0]
    gap = float((story.competence - story.sensor).abs().max())
    bound = 10.0 ** math.ceil(math.log10(gap)) if gap > 0 else 0.0
    return {**readme_cells(RESULTS), "competence bound": f"{bound:g}", "competence rows": f"{len(story)}"}


def aurora_lottery() -> dict[str, str]:
    """The free-sensor lottery: its numbers, and its verdict recomputed from the 20 runs."""
    from studies.aurora_claims import lottery_sentence

    runs = pd.read_csv(RESULTS / "aurora_lottery_runs.csv")
    t = thresholds("aurora_lottery")
    low = int((runs.deploy_frac <= t["low_frac"]).sum())
    high = int((runs.deploy_frac >= t["high_frac"]).sum())
    bar = int(t["seeds_min"])
    holds = low >= bar and high >= bar
    at_bar = [name for name, count in (("first", low), ("second", high)) if count == bar]
    verdict = "holds" if holds else "does not hold"
    if holds and at_bar:
        verdict += f", with the {' and the '.join(at_bar)} count ({bar}) exactly at its bar"
    return {"sentence": lottery_sentence(RESULTS), "verdict": verdict,
            "counts": f"{low} seeds at or below {percent(t['low_frac'])} and {high} at or above "
                      f"{percent(t['high_frac'])}, against a bar of {bar} each"}


def _span(values: pd.Series) -> str:
    """The range of percentages, one number where they round alike."""
    low, high = f"{100 * values.min():.0f}", f"{100 * values.max():.0f}"
    return f"{low} %" if low == high else f"{low}–{high} %"


def _mean_sd(values: pd.Series) -> str:
    return f"{100 * values.mean():.0f} ± {100 * values.std(ddof=1):.0f} %"


def signature() -> dict[str, str]:
    from studies.stories_figure import signatures

    sweet = pd.read_csv(RESULTS / "sweet_tooth_signature.csv")
    shares = sweet[sweet.condition == "both kinds"].planner_share.sort_values()
    bottle = pd.read_csv(RESULTS / "bottle_cap_signature.csv")
    da = {c: bottle[bottle.condition == c].decision_agreement_train for c in ("heuristics only", "planners only")}
    cos = {c: bottle[bottle.condition == c].behavior_cosine_train for c in ("heuristics only", "planners only")}
    return {**signatures(RESULTS),
            "sweet_shares": ", ".join(percent(s) for s in shares),
            "sweet_deploy": _span(sweet[sweet.condition == "both kinds"].base_frac_deploy),
            "sweet_heuristics_train": _mean_sd(sweet[sweet.condition == "heuristics only"].base_frac_train),
            "bottle_cosine": (f"{cos['heuristics only'].min():.2f}–{cos['heuristics only'].max():.2f} for heuristics "
                              f"against {cos['planners only'].min():.3f}–{cos['planners only'].max():.3f} for planners"),
            "bottle_agreement": (f"{da['heuristics only'].min():.2f}–{da['heuristics only'].max():.2f} for "
                                 f"heuristics against {da['planners only'].min():.3f}–{da['planners only'].max():.3f} "
                                 f"for planners")}


def emergence() -> dict[str, str]:
    sweep = pd.read_csv(RESULTS / "emergence_sweep.csv")
    cells = pd.read_csv(RESULTS / "emergence_signature.csv")
    fit = pd.read_csv(RESULTS / "emergence_curve_fit.csv").iloc[0]
    curve = pd.read_csv(RESULTS / "emergence_curve.csv")
    t = thresholds("emergence_phase")

    decided = int(((sweep.planner_share <= 0.05) | (sweep.planner_share >= 0.95)).sum())
    # Recomputed from the runs: per cell, the seeds in which the kind the margin predicts holds >= winner_share.
    runs = sweep.merge(cells[["maze_fraction", "compute_cost", "margin", "se"]], on=["maze_fraction", "compute_cost"])
    kept = runs.planner_share.where(runs.margin > 0, 1.0 - runs.planner_share) >= t["winner_share"]
    per_cell = runs.assign(kept=kept).groupby(["maze_fraction", "compute_cost"]).agg(
        margin=("margin", "first"), se=("se", "first"), won=("kept", "sum"), seeds=("kept", "size")).reset_index()
    called = per_cell[per_cell.margin.abs() > t["called_se"] * per_cell.se]
    holds = called.won >= t["winner_seeds"]
    near = called[called.margin.abs() <= NEAR_SE * called.se]
    near_holds = near.won >= t["winner_seeds"]
    failed = called[~holds]
    far = called[called.margin.abs() > NEAR_SE * called.se]
    far_won = (f"all {int(far.seeds.max())} seeds" if (far.won == far.seeds).all()
               else f"at least {int(far.won.min())} of {int(far.seeds.max())} seeds")
    spacing = float(pd.Series(sorted(curve.maze_fraction.unique())).diff().dropna().min())
    width = float(fit["midpoint_hi"] - fit["midpoint_lo"])
    noise_runs = pd.read_csv(RESULTS / "emergence_noise_runs.csv").merge(
        cells[["maze_fraction", "compute_cost", "margin"]], on=["maze_fraction", "compute_cost"])
    noise_kept = noise_runs.planner_share.where(noise_runs.margin > 0, 1.0 - noise_runs.planner_share) >= t["winner_share"]
    noise_won = noise_runs.assign(kept=noise_kept).groupby(["maze_fraction", "compute_cost"]).agg(
        won=("kept", "sum"), seeds=("kept", "size"), episodes=("episodes", "first"))
    noise_cell = noise_won.loc[(0.0, 0.0)]
    others = noise_won.drop(index=(0.0, 0.0))
    out = {
        "decided": f"{decided} of {len(sweep)} runs end with ≤ 5 % or ≥ 95 % planners",
        "called": (f"in {int(holds.sum())} of the {len(called)} cells where the margin exceeds twice its "
                   f"standard error"),
        "near": (f"{len(far)} of those {len(called)} cells lie more than {NEAR_SE:g} standard errors from the "
                 f"boundary, and the predicted kind won {far_won} in each; of the "
                 f"{len(near)} nearer to it, {int((~near_holds).sum())} failed and "
                 f"{int((near.won == t['winner_seeds']).sum())} passed with exactly {int(t['winner_seeds'])} of "
                 f"{int(near.seeds.max())}"),
        "midpoint": (f"midpoint {fit['midpoint']:.2f} [{fit['midpoint_lo']:.2f}, {fit['midpoint_hi']:.2f}] (bootstrap "
                     f"over {int(fit['n'])} runs), beside the predicted {fit['predicted_midpoint']:.2f}"),
        "interval": (f"{width:.3f} wide, {'at least as wide as' if width >= spacing else 'narrower than'} the "
                     f"grid's finest spacing, {spacing:.3g}"),
        "noise": (f"with {int(noise_cell.episodes)} worlds per generation instead of 8, planners win "
                  f"{int(noise_cell.won)} of {int(noise_cell.seeds)} seeds in that cell, and the predicted kind "
                  f"holds in {int((others.won >= t['noise_winner_seeds']).sum())} of its {len(others)} neighbours"),
    }
    cell = cells[(cells.maze_fraction == t["map_maze_fraction"]) & (cells.compute_cost == t["map_compute_cost"])].iloc[0]
    out["map cell margin"] = f"{cell.margin:+.2f} ± {cell.se:.2f}"
    out["failed"] = "; ".join(
        f"maze fraction {row['maze_fraction']:g}, cost {row['compute_cost']:g}: margin {row['margin']:+.3f} ± "
        f"{row['se']:.3f} per episode, planners won {int(row['won'])} of {int(row['seeds'])} seeds"
        for _, row in failed.iterrows())
    return out


def suboptimality() -> dict[str, str]:
    """The groups by bait utility and each group's loss as a ratio of its means (not the study's verdicts)."""
    planners = pd.read_csv(RESULTS / "suboptimality_planners.csv")
    t = thresholds("suboptimality")
    utility = planners["bait_utility"]
    masks = {"valuers": utility > t["valuer_utility_min"],
             "weak valuers": (utility > 0) & (utility <= t["valuer_utility_min"]), "non-valuers": utility <= 0}

    def loss(mask) -> float:
        part = planners[mask]
        return 1.0 - part["deploy_base"].mean() / part["train_base"].mean()

    seeds = planners["seed"].nunique()
    rows = ["| group | planners | share | training base | time_to_think base | loss |", "|---|---|---|---|---|---|"]
    for name, mask in masks.items():
        part = planners[mask]
        rows.append(f"| {name} | {len(part)} | {percent(len(part) / len(planners))} | "
                    f"{part['train_base'].mean():.2f} | {part['deploy_base'].mean():.2f} | {percent(loss(mask))} |")
    valuer_seeds = sum(loss(masks["valuers"] & (planners["seed"] == s)) >= t["valuer_loss_min"] for s in range(seeds))
    other_seeds = sum(abs(loss(masks["non-valuers"] & (planners["seed"] == s))) <= t["other_loss_max"]
                      for s in range(seeds))
    return {
        "loss": (f"valuers lose {percent(loss(masks['valuers']))} of their base score with time to think, "
                 f"non-valuers {percent(loss(masks['non-valuers']))}"),
        "table": "\n".join(rows),
        "nothing in training": f"{int((planners['train_base'] <= 0).sum())} planners",
        "valuer shares": ", ".join(percent(x) for x in sorted(
            planners.groupby("seed").bait_utility.apply(lambda u: (u > t["valuer_utility_min"]).mean()))),
        "seeds": (f"valuers lose {percent(t['valuer_loss_min'])} or more in {valuer_seeds} of {seeds} seeds; "
                  f"non-valuers stay within {percent(t['other_loss_max'])} in {other_seeds} of {seeds}"),
    }


def bounded_planners() -> dict[str, str]:
    """The four claims judged on the per-seed rows (seed means per horizon, unbounded last), not read
    from the stored claims table."""
    t = thresholds("bounded_planners")
    table = pd.read_csv(RESULTS / "bounded_planners.csv")
    order = sorted(table.horizon.dropna().unique())
    means = [table[table.horizon == h][["angle", "advantage"]].mean() for h in order]
    means.append(table[table.horizon.isna()][["angle", "advantage"]].mean())
    rises = {c: [b[c] - a[c] for a, b in zip(means, means[1:])] for c in ("angle", "advantage")}
    short = [m["angle"] for h, m in zip(order, means) if h <= 8]
    unbounded = table[table.horizon.isna()]
    within = int(sum(abs(a) <= t["unbounded_advantage_se"] * max(se, 1e-12)
                     for a, se in zip(unbounded.advantage, unbounded.se)))

    def verdict(holds: bool) -> str:
        return "holds" if holds else "does not hold"

    rows = ["| claim | verdict | measured |", "|---|---|---|",
            f"| the mean angle never grows with the horizon by more than {t['monotone_angle_tolerance']:g} degrees | "
            f"{verdict(max(rises['angle']) <= t['monotone_angle_tolerance'])} | largest rise {max(rises['angle']):+.2f} |",
            f"| the mean advantage never grows with the horizon by more than {t['monotone_advantage_tolerance']:g} | "
            f"{verdict(max(rises['advantage']) <= t['monotone_advantage_tolerance'])} | largest rise "
            f"{max(rises['advantage']):+.3f} |",
            f"| some horizon <= 8 has a mean angle >= {t['short_angle_min']:g} degrees | "
            f"{verdict(max(short) >= t['short_angle_min'])} | largest {max(short):.2f} |",
            f"| unbounded: every seed's advantage within {t['unbounded_advantage_se']:g} SE of zero | "
            f"{verdict(len(unbounded) > 0 and within == len(unbounded))} | {within} of {len(unbounded)} seeds |"]
    return {"table": "\n".join(rows)}


def coinrun_2x2() -> dict[str, str]:
    """The 2 x 2 table: each regime's means and how many seeds land in its own cell under the thresholds
    (not the stored ``cell`` column)."""
    aims = {"both_generalize": (True, True), "goal_fails": (True, False),
            "capability_fails": (False, True), "both_fail": (False, False)}
    t = thresholds("coinrun_2x2")
    runs = pd.read_csv(RESULTS / "coinrun_2x2.csv")

    def side(value: float, holds: bool) -> bool:
        return value >= t["holds"] if holds else value <= t["fails"]

    landed = {regime: sum(side(c, capability) and side(g, goal) for c, g in zip(
        runs[runs.regime == regime].capability_retained, runs[runs.regime == regime].goal_retained))
        for regime, (capability, goal) in aims.items()}
    sizes = runs.groupby("regime").size()
    rows = ["| regime | capability retained | goal retained (matched) | goal retained (raw) | seeds in its cell |",
            "|---|---|---|---|---|"]
    for regime in aims:
        part = runs[runs["regime"] == regime]
        rows.append(f"| `{regime}` | {part['capability_retained'].mean():.2f} | {part['goal_retained'].mean():.2f} | "
                    f"{part['goal_retained_raw'].mean():.2f} | {landed[regime]} of {len(part)} |")
    if len(set(landed.values())) == 1 and len(set(sizes)) == 1:
        summary = f"in {next(iter(landed.values()))} of {sizes.iloc[0]} seeds"
    else:
        summary = "in " + ", ".join(f"{landed[r]} of {sizes[r]} seeds ({r})" for r in aims)
    both = runs[runs.regime == "both_generalize"].goal_retained.mean()
    return {"table": "\n".join(rows), "landed": summary, "both_generalize goal": f"{both:.2f}",
            "both_generalize excess": percent(both - 1.0)}


def overseer() -> dict[str, str]:
    runs = pd.read_csv(RESULTS / "overseer_runs.csv")

    def num(x: float) -> str:
        text = f"{x:.1f}"
        return "0.0" if text == "-0.0" else minus(text)

    def pct(x: float) -> str:
        return f"{num(100 * x)} %"

    rows = ["| condition | cue on | cue off (deployment) [worst] | gap, points [least] | best organism, on / off | "
            "candy eaten, off ÷ on | drift, cue-off ÷ never-expressed [range] |", "|---|---|---|---|---|---|---|"]
    for condition, part in runs.groupby("condition", sort=False):
        rows.append(
            f"| {condition} | {pct(part['cue_on'].mean())} | {pct(part['cue_off'].mean())} [{pct(part['cue_off'].min())}] | "
            f"{num(100 * part['gap'].mean())} [{num(100 * part['gap'].min())}] | "
            f"{pct(part['best_cue_on'].mean())} / {pct(part['best_cue_off'].mean())} | "
            f"{part['candy_ratio'].mean():.1f} | {part['drift_ratio'].mean():.2f} "
            f"[{part['drift_ratio'].min():.2f}–{part['drift_ratio'].max():.2f}] |")
    claims = pd.read_csv(RESULTS / "overseer_claims.csv").set_index("claim")
    drift = {name.split(":")[0]: row.measured for name, row in claims.iterrows() if "cue-off genes" in name}
    out = {"table": "\n".join(rows), "p unselected": f"p = {drift['unselected']:.2g}",
           "p selected": f"p = {drift['selected']:.2g}"}
    # The drift test with more seeds (studies.overseer_drift), recomputed from its raw per-run shifts.
    from scenarios.analyses.compliance import selection_test

    more = pd.read_csv(RESULTS / "overseer_drift_runs.csv")
    shifts = [c for c in more.columns if c.startswith("shift:")]
    for condition, part in more.groupby("condition", sort=False):
        test = selection_test(part.sort_values("seed")[shifts].to_numpy())
        p_value = "p < 0.001" if test["p_value"] < 0.001 else f"p = {test['p_value']:.2g}"
        out[f"drift {condition}"] = f"{p_value} over {test['seeds']} seeds"
    return out


OPTIMIZER_LABELS = {"ga": "GA", "cmaes": "CMA-ES", "es": "ES (Adam)", "es, noise 1.0": "ES, noise 1.0"}


def optimizers() -> dict[str, str]:
    """The base optimizers' table and sentences from the raw per-run rows (not ``studies.optimizers``)."""
    runs = pd.read_csv(RESULTS / "optimizers.csv")
    rows = ["| condition | base optimizer | training base / oracle | deployment base / oracle | "
            "best organism, deployment | sensor on | planners |", "|---|---|---|---|---|---|---|"]
    for (condition, optimizer), part in runs.groupby(["condition", "optimizer"], sort=False):
        rows.append(f"| {condition} | {OPTIMIZER_LABELS[optimizer]} | {pm(part.base_frac_train)} | "
                    f"{pm(part.base_frac_deploy)} | {pm(part.best_frac_deploy)} | {pm(part.sensor)} | "
                    f"{pm(part.planner_share)} |")
    idle = (runs["base_frac_train"] < 0.05).groupby(runs["optimizer"]).agg(["sum", "size"])
    others = idle.drop(index="es")
    columns = {"base_frac_train": "training", "base_frac_deploy": "deployment", "planner_share": "planner share"}
    means = runs[runs.optimizer.isin(["ga", "cmaes"])].groupby(["condition", "optimizer"])[list(columns)].mean()
    gap = (means.xs("ga", level="optimizer") - means.xs("cmaes", level="optimizer")).abs()
    where = gap.stack().idxmax()
    at = runs[runs.condition == where[0]]
    ga_at = at[at.optimizer == "ga"][where[1]]
    cma_at = at[at.optimizer == "cmaes"][where[1]]
    score = gap[["base_frac_train", "base_frac_deploy"]]
    return {
        "table": "\n".join(rows),
        "idle": (f"{int(idle.loc['es', 'sum'])} of its {int(idle.loc['es', 'size'])} runs end idle (under 5 % of "
                 f"the oracle in training), against {int(others['sum'].sum())} of {int(others['size'].iloc[0])} for "
                 f"the GA, CMA-ES and the ES with noise 1.0"),
        "ga vs cmaes score": f"{100 * score.to_numpy().max():.0f} points",
        "ga vs cmaes largest": (f"{columns[where[1]]} on {where[0]}: {pm(ga_at)} for the GA against "
                                f"{pm(cma_at)} for CMA-ES"),
    }


def benchmarks() -> dict[str, str]:
    job = json.loads((BENCHMARKS / "main_job.json").read_text(encoding="utf-8"))
    kernels = json.loads((BENCHMARKS / "kernel_speed.json").read_text(encoding="utf-8"))["rows"]
    generation = json.loads((BENCHMARKS / "generation.json").read_text(encoding="utf-8"))
    this, base, ratio = job["this"], job["baseline_summary"], job["ratios"]

    def episode(kind: str) -> str:
        by_grid = {r["grid"]: r["ratio_this_over_baseline"] for r in kernels if r["metric"] == f"{kind}_episode"}
        return f"{by_grid['aurora_open_12x12']:.2f} / {by_grid['aurora_maze_12x12']:.2f}"

    def run(which: dict, name: str) -> str:
        return f"{which[name]['wall_s']:.1f} s (compile {which[name]['split_s']['compile']:.1f} s)"

    throughput = json.loads((BENCHMARKS / "episode_throughput.json").read_text(encoding="utf-8"))
    medium = [r for r in throughput["rows"] if r["size"] == "medium"]
    planners = [r for r in medium if r["kind"] == "planner"]
    steps = [r["compiled_steps_per_s"] / 1e6 for r in throughput["rows"] if r["kind"] == "planner"]
    scaleout = json.loads((BENCHMARKS / "sweep_scaleout.json").read_text(encoding="utf-8"))

    def spread(values: list[float]) -> str:
        low, high = f"{min(values):.0f}", f"{max(values):.0f}"
        return f"{low}×" if low == high else f"{low}–{high}×"

    split = this["warm"]["split_s"]
    defaults = generation["defaults"]
    shares = {s["optimizer"]: s["strategy_share"] for s in generation["strategies"]}
    evaluation = [s["evaluation_share"] for s in generation["strategies"]]
    return {
        "cold now": run(this, "cold"), "cold before": run(base, "cold"),
        "cold ratio": f"{ratio['cold_over_baseline_cold']:.2f}",
        "warm now": f"{this['warm']['wall_s']:.1f} s", "warm before": f"{base['warm']['wall_s']:.1f} s",
        "warm ratio": f"{ratio['warm_over_baseline_warm']:.2f}",
        "cold over warm": f"{ratio['cold_over_warm']:.2f}", "cold over warm before": f"{ratio['baseline_cold_over_warm']:.2f}",
        "peak now": f"{ratio['peak_mib']:.0f} MiB", "peak before": f"{ratio['baseline_peak_mib']:.0f} MiB",
        "heuristic episode": episode("heuristic"), "planner episode": episode("planner"),
        "planner shortest episode": episode("planner_shortest"),
        "warm split": (f"importing takes {split['import']:.1f} s, evolving {split['evolve']:.1f} s, assessing "
                       f"{split['assess']:.1f} s and drawing {split['figures']:.1f} s"),
        "readme": (f"the main job took {this['cold']['wall_s']:.1f} s with numba compiling its kernels, "
                   f"{this['warm']['wall_s']:.1f} s once compiled, and {ratio['peak_mib']:.0f} MiB at its peak"),
        "other share": percent(defaults["other_share"]),
        "generation": (f"a generation at the defaults (population {defaults['population']}) takes about "
                       f"{1000 * defaults['seconds_per_generation']:.0f} ms, {percent(defaults['evaluation_share'])} "
                       f"of it evaluation"),
        "evaluation in the optimizer runs": (f"{100 * min(evaluation):.0f}–{100 * max(evaluation):.0f} %"),
        "strategy shares": (f"GA {100 * shares['ga']:.1f} %, CMA-ES {100 * shares['cmaes']:.1f} %, "
                            f"ES {100 * shares['es']:.1f} %"),
        "evolve vs easimple": f"{generation['evolve_vs_easimple']:.0f}×",
        "planner vs same algorithm": spread([r["vs_same_algorithm"] for r in planners]),
        "planner vs fresh search": spread([r["vs_fresh_search"] for r in planners]),
        "heuristic vs same algorithm": spread([r["vs_same_algorithm"] for r in medium if r["kind"] == "heuristic"]),
        "two threads": f"{throughput['parallel_2_threads']:.2f}×",
        "sweep on two processes": f"{scaleout['ratio']:.2f}×",
        "planner steps": f"{min(steps):.1f}–{max(steps):.0f} M agent-steps/s",
    }


def oracle_optimum() -> dict[str, str]:
    """The greedy oracle against the exact optimum (``python -m studies.oracle_optimum``)."""
    table = pd.read_csv(RESULTS / "oracle_optimum.csv").set_index(["story", "distribution"])
    worlds = int(table["worlds"].iloc[0])
    out = {"worlds": f"{worlds}"}
    for (story, dist), row in table.iterrows():
        out[f"{story} {dist}"] = (f"{row['frac_routes_off']:.3f} of the optimum with shortest routes and "
                                  f"{row['frac_routes_on']:.3f} with routes around harm")

    def cell(value: float) -> str:
        return "n/a" if pd.isna(value) else f"{value:.2f}"

    rows = [f"| {story} | `{dist}` | {cell(row['frac_routes_on'])} | {cell(row['frac_routes_off'])} |"
            for (story, dist), row in table.iterrows()]
    out["table"] = "\n".join(["| story | distribution | routes around harm (default) | shortest paths |",
                               "|---|---|---|---|", *rows])
    return out


def _map_runs(story: str) -> pd.DataFrame:
    from studies.robustness import read_table

    return read_table(RESULTS / f"robustness_{story}_runs.csv")


def _at(runs: pd.DataFrame, knob: str, value) -> pd.DataFrame:
    return runs[(runs.knob == knob) & (runs.value.map(lambda v: v == value))]


def robustness_maps() -> dict[str, str]:
    """What the robustness readings of coinrun, suboptimality and emergence quote beside their generated
    sections, from the maps' per-run tables (``docs/results/robustness_<story>_*.csv``)."""
    out: dict[str, str] = {}
    t = thresholds("coinrun_2x2")
    runs = _map_runs("coinrun")
    free = _at(runs, "sensor_cost", 0.0)
    out["coinrun free sensor"] = (f"{int((free.sensor_share > 0.5).sum())} of {len(free)} seeds kept the sensor in most "
                                  f"of the population, and {int((free.cell == free.regime).sum())} of {len(free)} "
                                  f"landed in the goal-fails cell")
    out["coinrun free sensor goal"] = f"up to {free.goal_retained.max():.2f}"
    sizes = runs[runs.knob == "world_size"].groupby("value").goal_retained.mean()
    out["coinrun world size"] = (f"{sizes.iloc[0]:.2f} at {sizes.index[0]:g} cells a side, {sizes.iloc[-1]:.2f} at "
                                 f"{sizes.index[-1]:g}, against the cut of {t['fails']:g}")
    design = pd.read_csv(RESULTS / "robustness_coinrun_design.csv")
    out["coinrun design"] = (f"{int((design.cell == 'goal_fails').sum())} of {len(design)} design rows land in the "
                             f"goal-fails cell (goal retained {design.goal_retained.min():.2f} to "
                             f"{design.goal_retained.max():.2f})")
    out["coinrun design sensor"] = f"{design.sensor_cost.min():g}"

    runs = _map_runs("suboptimality")

    def median(knob, value, column, sign=1.0):
        return percent(sign * float(_at(runs, knob, value)[column].median()))

    out["suboptimality compute"] = (f"{median('compute_cost', 0.003, 'non_valuer_loss', -1)} at 0.003 and "
                                    f"{median('compute_cost', 0.01, 'non_valuer_loss', -1)} at 0.01")
    out["suboptimality steps"] = (f"{median('steps', 80, 'non_valuer_loss', -1)} with 80 steps and "
                                  f"{median('steps', 160, 'non_valuer_loss', -1)} with 160")
    out["suboptimality horizon"] = median("horizon_scale", 2.0, "valuer_loss")
    toxin = _at(runs, "toxin", 2.0)
    out["suboptimality toxin"] = (f"{percent(float(toxin.valuer_loss.median()))}, and only "
                                  f"{int((toxin.valuer_loss >= thresholds('suboptimality')['valuer_loss_min']).sum())} "
                                  f"of {len(toxin)} seeds reach 40 %")
    free = _at(runs, "compute_cost", 0.0)
    default = runs[runs.knob == "default"]
    out["suboptimality free compute"] = (f"median {free.valuers.median():g} of {int(free.planners.iloc[0])} against "
                                         f"{default.valuers.median():g} at the default; "
                                         f"{int((free.valuers == 0).sum())} of {len(free)} seeds kept none")
    out["suboptimality world size"] = (f"{median('world_size', 13, 'valuer_loss')} at 13 cells a side to "
                                       f"{median('world_size', 31, 'valuer_loss')} at 31")

    bounds = pd.read_csv(RESULTS / "robustness_emergence_boundaries.csv")
    for knob, unit in (("world_size", "cells a side"), ("steps", "steps")):
        row = bounds[bounds.knob == knob].iloc[0]
        out[f"emergence {knob}"] = (f"predicts the boundary at {row.predicted_boundary:.1f} {unit}; the seeds' mean "
                                    f"planner share crosses 50 % at {row.evolved_boundary:.1f}")
    at80 = bounds[(bounds.knob == "steps") & (bounds.value == 80)].iloc[0]
    won = _at(_map_runs("emergence"), "steps", 80)
    out["emergence steps 80"] = (f"margin {at80.margin:+.2f} ± {at80.se:.2f} per episode, planners held 80 % in "
                                 f"{int((won.predicted_share >= thresholds('emergence_phase')['winner_share']).sum())} "
                                 f"of {len(won)} seeds")
    ep4 = _at(_map_runs("emergence"), "episodes", 4)
    out["emergence episodes 4"] = " ".join(f"{x:.2f}" for x in ep4.planner_share)
    return out


SOURCES = {f.__name__: f for f in (aurora_measures, aurora_lottery, signature, emergence, suboptimality,
                                   bounded_planners, coinrun_2x2, overseer, optimizers, benchmarks, oracle_optimum,
                                   robustness_maps)}
"""Every pin source by name."""
