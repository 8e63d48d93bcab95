"""Evolution or gradient descent: the essay's effects under each base optimizer (not collected by pytest).

    python -m studies.optimizers [--seeds 5] [--out docs/results/optimizers.csv] [--runs runs/optimizers]
    python -m studies.optimizers --table      # the README's table from the committed CSV
    python -m studies.optimizers --figure docs/figures/optimizers.png

Every condition (Aurora at banner reliability 1 and 0.5, sweet_tooth at its defaults, the four
corners of the emergence phase diagram: maze fraction 0 or 1, compute cost 0 or 0.01) runs under
every registered base optimizer (``evolution.optimizers``: the GA, CMA-ES and the gradient-
estimating ES) for each seed, at the scenario's recommended Config, so every optimizer spends the
same budget: population x generations x episodes training episodes (150 x 60 x 8 = 72 000); the ES
also runs with a wider smoothing (``VARIANTS``). Each
condition is one ``evolution.sweep`` whose grid varies ``optimizer`` (each optimizer at its own
default options); the run directories are kept under ``--runs``, so a killed study resumes. Each
final population is assessed on 300 worlds per distribution; the CSV has one row per run:

    base_frac_train, base_frac_deploy   population mean base score / the oracle's, on the same worlds
    best_frac_train, best_frac_deploy   the organism with the best training score: its two fractions
    fitness_train                       population mean fitness (base - sensor costs) on training worlds
    sensor                              share of the population with its (costly) sensor on
    planner_share                       share of planners (the kind gene is free in sweet_tooth)
    decision_agreement_train/_deploy    share of choices a base-objective planner would also make
    fitness_sd_last                     the fitness spread of the last generation (0: all tied)
    step_size_last, grad_norm_last      CMA-ES's step size, the ES's gradient norm, last generation
    start_kind_gene, start_sensor_gene  the ES's initial mean on the kind gene and the sensor gene(s)
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

import numpy as np
import pandas as pd

CONDITIONS = [
    # (label, scenario, knobs, deployment shown)
    ("Aurora, reliability 1", "aurora", {"banner_reliability": 1.0}, "brotherhood_war"),
    ("Aurora, reliability 0.5", "aurora", {"banner_reliability": 0.5}, "brotherhood_war"),
    ("sweet_tooth", "sweet_tooth", {}, "modern"),
    # The corners of the emergence phase diagram: trained in open fields or mazes, thinking free or
    # costly; deployed in the other layout.
    ("emergence: open, free", "emergence", {"maze_fraction": 0.0, "compute_cost": 0.0}, "maze"),
    ("emergence: open, costly", "emergence", {"maze_fraction": 0.0, "compute_cost": 0.01}, "maze"),
    ("emergence: maze, free", "emergence", {"maze_fraction": 1.0, "compute_cost": 0.0}, "open"),
    ("emergence: maze, costly", "emergence", {"maze_fraction": 1.0, "compute_cost": 0.01}, "open"),
]
VARIANTS = {"es, noise 1.0": ("es", {"noise": 1.0})}
"""Further series beside each optimizer at its defaults: name -> (optimizer, options). The ES's
smoothing width decides what it can see (see the README), so it also runs with a wider one."""
LABELS = {"ga": "GA", "cmaes": "CMA-ES", "es": "ES (Adam)", "es, noise 1.0": "ES, noise 1.0"}
"""How tables and figures name each optimizer."""
RESULTS = Path(__file__).resolve().parents[1] / "docs" / "results" / "optimizers.csv"


def reduce_point(table: pd.DataFrame, deploy: str) -> dict:
    """One run's assessment rows (one per organism x distribution) -> the CSV's numbers."""
    train = table[table.distribution == "train"].set_index("organism")
    dep = table[table.distribution == deploy].set_index("organism")
    best = train.base.idxmax()
    sensors = [c for c in table.columns if c.startswith("sensor:")]
    return {
        "base_frac_train": train.base.mean() / train.oracle_base.mean(),
        "base_frac_deploy": dep.base.mean() / dep.oracle_base.mean(),
        "best_frac_train": train.base[best] / train.oracle_base.mean(),
        "best_frac_deploy": dep.base[best] / dep.oracle_base.mean(),
        "fitness_train": train.fitness.mean(),
        "sensor": float(train[sensors].to_numpy().mean()) if sensors else np.nan,
        "planner_share": float(train.planning.mean()),
        "decision_agreement_train": train.decision_agreement.mean(),
        "decision_agreement_deploy": dep.decision_agreement.mean(),
    }


def from_run(run_dir: Path, scenario) -> dict:
    """What the run's log and start say about how it got there: the last generation's fitness spread
    and optimizer diagnostics, and for the ES the kind and sensor genes of its initial mean."""
    import evolution
    from evolution.optimizers import make_strategy
    from organisms.seeding import seed_child

    run = evolution.RunResult.load(run_dir)
    last = run.log.iloc[-1]
    row = {"fitness_sd_last": last["fitness_sd"], "step_size_last": last.get("step_size", np.nan),
           "grad_norm_last": last.get("grad_norm", np.nan), "start_kind_gene": np.nan,
           "start_sensor_gene": np.nan}
    if run.config.optimizer == "es":
        layout = scenario.layout
        theta = make_strategy(run.config, layout.length).init(seed_child(run.config.seed, 2)).theta
        row["start_kind_gene"] = theta[layout.kind]
        if len(layout.sensed):
            row["start_sensor_gene"] = theta[layout.sensors].mean()
    return row


def run(seeds: int, runs: Path) -> pd.DataFrame:
    """Every condition under every optimizer for ``seeds`` seeds: one row per run."""
    import evolution
    import scenarios
    from evolution.optimizers import names
    from evolution.sweeps import point_name

    rows = []
    for label, scenario, knobs, deploy in CONDITIONS:
        factory = functools.partial(scenarios.get, scenario)
        grid = {k: [v] for k, v in knobs.items()}
        sc = factory(**knobs)
        table = evolution.sweep(factory, {"optimizer": names(), **grid}, range(seeds), out=runs / scenario,
                                progress=True)
        for (optimizer, seed), part in table.groupby(["optimizer", "seed"], sort=False):
            values = {"optimizer": optimizer, **knobs}
            rows.append({"condition": label, "scenario": scenario, "deploy": deploy, "optimizer": optimizer,
                         "seed": seed, **reduce_point(part, deploy),
                         **from_run(runs / scenario / point_name(sc.name, values, seed), sc)})
        for variant, (optimizer, options) in VARIANTS.items():
            config = evolution.Config.for_scenario(sc, optimizer=optimizer, optimizer_options=options)
            out = runs / f"{scenario}-{variant.replace(', ', '-').replace(' ', '')}"
            table = evolution.sweep(factory, grid, range(seeds), config=config, progress=True, out=out)
            for seed, part in table.groupby("seed", sort=False):
                rows.append({"condition": label, "scenario": scenario, "deploy": deploy, "optimizer": variant,
                             "seed": seed, **reduce_point(part, deploy),
                             **from_run(out / point_name(sc.name, knobs, seed), sc)})
    return pd.DataFrame(rows)


def _pm(values: pd.Series) -> str:
    """Mean ± sd (ddof 1) over seeds, in percent, as the README writes it ("—" where undefined)."""
    if values.isna().all():
        return "—"
    return f"{100 * values.mean():.0f} ± {100 * values.std():.0f} %".replace("-", "−")


def readme_rows(runs: pd.DataFrame) -> list[str]:
    """The README table's rows, from the study's CSV."""
    rows = []
    for (condition, optimizer), part in runs.groupby(["condition", "optimizer"], sort=False):
        rows.append(f"| {condition} | {LABELS.get(optimizer, optimizer)} | {_pm(part.base_frac_train)} | "
                    f"{_pm(part.base_frac_deploy)} | {_pm(part.best_frac_deploy)} | {_pm(part.sensor)} | "
                    f"{_pm(part.planner_share)} |")
    return rows


def readme_table(runs: pd.DataFrame) -> str:
    head = ["| condition | base optimizer | training base / oracle | deployment base / oracle | "
            "best organism, deployment | sensor on | planners |", "|---|---|---|---|---|---|---|"]
    return "\n".join(head + readme_rows(runs))


def figure_table(runs: pd.DataFrame) -> pd.DataFrame:
    """The tidy table ``plots.optimizers`` draws: one row per condition, optimizer, distribution, seed."""
    long = runs.melt(id_vars=["condition", "optimizer", "seed"], value_vars=["base_frac_train", "base_frac_deploy"],
                     var_name="distribution", value_name="fraction")
    long["distribution"] = long["distribution"].map({"base_frac_train": "training",
                                                     "base_frac_deploy": "deployment"})
    long["optimizer"] = long["optimizer"].map(lambda o: LABELS.get(o, o))
    return long


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--runs", type=Path, default=Path("runs/optimizers"))
    parser.add_argument("--table", action="store_true", help="print the README table from --out and stop")
    parser.add_argument("--figure", type=Path, help="draw the figure from --out to this path and stop")
    args = parser.parse_args()
    if args.table or args.figure:
        runs = pd.read_csv(args.out)
        if args.table:
            print(readme_table(runs))
        if args.figure:
            import plots

            plots.save_figure(plots.optimizers(figure_table(runs)), args.figure, formats=("png",))
        return
    runs = run(args.seeds, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs.round(4).to_csv(args.out, index=False)
    with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
        print(runs.drop(columns=["seed", "scenario", "deploy"]).groupby(["condition", "optimizer"], sort=False)
              .agg(["mean", "std"]).T.to_string())
    print(readme_table(runs))


if __name__ == "__main__":
    main()
