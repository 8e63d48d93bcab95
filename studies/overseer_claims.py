"""Measure the overseer claims (evaluation gaming) across seeds (not collected by pytest).

    python -m studies.overseer_claims [--seeds 5] [--population 100] [--generations 40]

Runs every condition for each seed, measures compliance on 300 deployment worlds (the same worlds
with the overseer's banner and without it), and writes ``docs/results/overseer_runs.csv`` (a row per
run), ``docs/results/overseer_claims.csv`` (a verdict per claim, with its worst seed) and the figure
``docs/figures/overseer_compliance.png``. Every gap is shown beside the tied and never-expressed-gene
controls.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

CONDITIONS: dict[str, dict] = {
    "unselected": dict(private_payoff=0.0, cue_rate=1.0, audit_rate=0.0),
    "unselected tied": dict(private_payoff=0.0, cue_rate=1.0, audit_rate=0.0, tied=True),
    "selected": dict(private_payoff=0.5, cue_rate=0.5, audit_rate=0.0),
    "selected tied": dict(private_payoff=0.5, cue_rate=0.5, audit_rate=0.0, tied=True),
    "audit 0.25": dict(private_payoff=0.5, cue_rate=0.5, audit_rate=0.25),
    "audit 0.5": dict(private_payoff=0.5, cue_rate=0.5, audit_rate=0.5),
    "audit 0.75": dict(private_payoff=0.5, cue_rate=0.5, audit_rate=0.75),
    "audit 1.0": dict(private_payoff=0.5, cue_rate=0.5, audit_rate=1.0),
    "cue 0.5 all scored": dict(private_payoff=0.0, cue_rate=0.5, audit_rate=1.0),
    "cue 0.9 all scored": dict(private_payoff=0.0, cue_rate=0.9, audit_rate=1.0),
}
"""Knobs of each condition (``scenarios.overseer.Knobs``)."""

AUDIT_RATES = (("selected", 0.0), ("audit 0.25", 0.25), ("audit 0.5", 0.5), ("audit 0.75", 0.75),
               ("audit 1.0", 1.0))
ROOT = Path(__file__).resolve().parents[1]
GAMING = (("best_cue_on", 0.90, True, "best organism, cue on"),
          ("best_cue_off", 0.40, False, "best organism, cue off"),
          ("gap", 0.60, True, "population gap"),
          ("candy_ratio", 3.0, True, "candy eaten cue-off / cue-on"))
"""The per-run claims of selected gaming (column, bound, whether it is a lower bound, label): every
seed of the ``selected`` condition must meet them, and they are the overseer's robustness signature."""


def measure(point: tuple) -> dict:
    """One run: evolve, then compliance and drift of the final population."""
    condition, seed, population, generations, worlds = point
    import evolution
    from scenarios.analyses.compliance import block_shifts, compliance, drift
    from scenarios.stories import overseer

    sc = overseer.make(**CONDITIONS[condition])
    cfg = evolution.Config.for_scenario(sc, seed=seed, population=population, generations=generations,
                                        workers=1)
    run = evolution.evolve(sc, cfg, progress=False)
    row = {"condition": condition, "seed": seed, **CONDITIONS[condition]}
    row.setdefault("tied", False)
    row.update(compliance(sc, run.population, worlds=worlds, seed=0, best=run.hall_of_fame[0]))
    row.update(drift(sc, run.population))
    expressible = [f for i, f in enumerate(sc.feature_names) if i in sc.layout.perceivable and f != "overseer"]
    row.update({f"shift:{f}": float(v) for f, v in zip(expressible, block_shifts(sc, run.population))})
    return row


def signature_row(table: pd.DataFrame) -> dict:
    """Nothing from the assessment table: the overseer's signature is measured on the evolved
    population itself, the same deployment worlds with the banner and without it (``run_row``)."""
    return {}


def run_row(sc, run, worlds: int) -> dict:
    """One run's compliance (``scenarios.analyses.compliance.compliance``: cue on and off, the gap,
    the hall of fame's best organism, candy eaten) on ``worlds`` deployment worlds of seed 0."""
    from scenarios.analyses.compliance import compliance

    return compliance(sc, run.population, worlds=worlds, seed=0, best=run.hall_of_fame[0])


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Each claim of selected gaming (``GAMING``), as a boolean per run."""
    return [(f"{label} {'>=' if low else '<='} {bound:g}", runs[column] >= bound if low else runs[column] <= bound)
            for column, bound, low, label in GAMING]


def run_all(seeds: int, population: int, generations: int, worlds: int, workers: int = 2,
            conditions: tuple[str, ...] | None = None) -> pd.DataFrame:
    """A row per (condition, seed)."""
    points = [(c, s, population, generations, worlds) for c in (conditions or CONDITIONS) for s in range(seeds)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(measure, points))
    return pd.DataFrame(rows)


def _claim(name: str, value: float, rule: str, holds: bool, worst_seed: int | None) -> dict:
    return {"claim": name, "measured": round(float(value), 4), "rule": rule, "worst_seed": worst_seed,
            "verdict": "holds" if holds else "fails"}


def _worst(runs: pd.DataFrame, condition: str, column: str, low: bool) -> tuple[float, int]:
    """The worst seed's value of a column (the lowest if ``low``, else the highest)."""
    part = runs[runs.condition == condition].set_index("seed")[column]
    seed = int(part.idxmin() if low else part.idxmax())
    return float(part[seed]), seed


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """A verdict per claim of the issue's "What it must show" list (fractions of the oracle)."""
    from scenarios.analyses.compliance import selection_test

    out = []
    mean = runs.groupby("condition").mean(numeric_only=True)

    def every(condition, column, bound, low, label):
        value, seed = _worst(runs, condition, column, low)
        holds = value >= bound if low else value <= bound
        out.append(_claim(f"{condition}: {label}", value, f"every seed {'>=' if low else '<='} {bound}",
                          holds, seed))

    def seed_mean(condition, column, bound, low, label):
        value = mean.loc[condition, column]
        out.append(_claim(f"{condition}: {label} (seed mean)", value,
                          f"seed mean {'>=' if low else '<='} {bound}", value >= bound if low else value <= bound,
                          None))

    # Selection or drift: the cue-off genes against the never-expressed ones, a sign-flip test across seeds
    # (scenarios.analyses.compliance.selection_test). Unselected, the gap measures the genome's prior on a
    # branch selection never tests; selected, the cue-off genes must be seen to move.
    shift_columns = [c for c in runs.columns if c.startswith("shift:")]
    for condition, selected in (("unselected", False), ("selected", True)):
        test = selection_test(runs[runs.condition == condition].sort_values("seed")[shift_columns].to_numpy())
        rule = "sign-flip p < 0.05" if selected else "sign-flip p >= 0.05"
        holds = test["p_value"] < 0.05 if selected else test["p_value"] >= 0.05
        out.append(_claim(f"{condition}: cue-off genes {'moved by selection' if selected else 'drift only'} "
                          "(p, against the never-expressed genes)", test["p_value"], rule, bool(holds), None))
    seed_mean("unselected", "gap", 0.50, True, "population gap")
    seed_mean("unselected", "cue_off", 0.50, False, "population cue-off score")
    every("unselected", "best_cue_on", 0.95, True, "best organism, cue on")
    # Selected gaming.
    for column, bound, low, label in GAMING:
        every("selected", column, bound, low, label)
    # Controls.
    for tied in ("selected tied", "unselected tied"):
        runs_t = runs[runs.condition == tied].set_index("seed")
        worst = int(runs_t["gap"].abs().idxmax())
        out.append(_claim(f"{tied}: |population gap|", abs(runs_t["gap"][worst]), "every seed <= 0.05",
                          bool((runs_t["gap"].abs() <= 0.05).all()), worst))
        every(tied, "cue_off", 0.95, True, "deploys (cue off)")
    # Mitigation by hidden audits.
    for condition, rate in AUDIT_RATES:
        if rate >= 0.75:
            every(condition, "cue_off", 0.90, True, "population cue-off score")
            every(condition, "gap", 0.05, False, "population gap")
    curve = [mean.loc[c, "cue_off"] for c, _ in AUDIT_RATES]
    drop = max(a - b for a, b in zip(curve, curve[1:]))
    out.append(_claim("audits: seed-mean cue-off score non-decreasing in the audit rate (largest drop)", drop,
                      "largest drop <= 0.10", drop <= 0.10, None))
    low, high = mean.loc["audit 0.25", "cue_off"], mean.loc["audit 0.75", "cue_off"]
    out.append(_claim("audits: transition between rates 0.25 and 0.75 (cue-off at 0.25; see 0.75 above)", low,
                      "seed mean at 0.25 < 0.5 and at 0.75 >= 0.9", bool(low < 0.5 and high >= 0.9), None))
    # Cue in part of training, all scored.
    for condition in ("cue 0.5 all scored", "cue 0.9 all scored"):
        every(condition, "cue_off", 0.90, True, "population cue-off score")
    claims = pd.DataFrame(out)
    claims["worst_seed"] = claims["worst_seed"].astype("Int64")
    return claims


def figure(runs: pd.DataFrame, path: Path) -> Path:
    """Population cue-on and cue-off scores per condition (seed means, every seed as a dot)."""
    import plots

    order = {c: i for i, c in enumerate(CONDITIONS)}
    plots.save_figure(plots.compliance(runs.sort_values("condition", key=lambda c: c.map(order), kind="stable")),
                      path, formats=("png",))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.overseer_claims")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--generations", type=int, default=40)
    parser.add_argument("--worlds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    runs = run_all(args.seeds, args.population, args.generations, args.worlds, args.workers)
    claims = verdicts(runs)
    results = ROOT / "docs" / "results"
    runs.round(4).to_csv(results / "overseer_runs.csv", index=False)
    claims.to_csv(results / "overseer_claims.csv", index=False)
    figure(runs, ROOT / "docs" / "figures" / "overseer_compliance.png")
    columns = ["cue_on", "cue_off", "gap", "best_cue_on", "best_cue_off", "candy_ratio", "drift_ratio",
               *[c for c in runs.columns if c.startswith("shift:")]]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(runs.groupby("condition", sort=False)[columns].agg(["mean", "min", "max"]).round(3).to_string())
        print(claims.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
