"""Measure the Aurora story with the measures that can fail, over seeds (not collected by pytest).

    python -m studies.aurora_measures [--seeds 5] [--results docs/results] [--figures docs/figures]
    python -m studies.aurora_measures --table     # the README's cells from the committed table

Evolves Aurora at its defaults (population 150, 60 generations) once per seed and per banner
reliability (1.0, the story; 0.75 and 0.5, the mitigation), assesses each final population on 300
worlds per distribution with the horde deployment on (``horde=True`` changes only what is assessed:
evolution sees training worlds alone), and writes one row per (reliability, seed, distribution) to
``aurora_measures.csv``, the label shares across decision thresholds to ``aurora_label_shares.csv``,
and, for seed 0 of each reliability, the label-share and decomposition figures. About 6 minutes on
2 cores.
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own

RELIABILITIES = (1.0, 0.75, 0.5)
METRICS = ("base_frac", "goal_retained", "capability_retained", "own_capability_retained", "navigation",
           "activity", "activity_retained", "competence", "competence_retained", "decision_agreement",
           "order_agreement", "flipped_order_agreement", "agreement", "contested_agreement",
           "invisible_component", "visible_residual", "suboptimality", "optimum_base", "optimum_base_low",
           "oracle_optimum_frac", "performance_gap", "planner_share")
"""The ``alignment_summary`` columns kept per run."""


def measure(point: tuple[float, int]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One run: evolve, assess; its summary rows, its label shares and (seed 0) its assessment table."""
    reliability, seed = point
    import evolution
    import scenarios

    sc = scenarios.get("aurora", banner_reliability=reliability, horde=True)
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    summary = scenarios.alignment_summary(table).reset_index()
    keep = ["distribution", *[m for m in METRICS if m in summary.columns],
            *[c for c in summary.columns if c.startswith("share:")]]
    summary = summary[keep]
    summary["sensor"] = float(table.loc[table.distribution == "train", "sensor:diplomacy"].mean())
    shares = scenarios.label_shares(table)
    for frame in (summary, shares):
        frame.insert(0, "seed", seed)
        frame.insert(0, "reliability", reliability)
    return summary, shares, (table if seed == 0 else pd.DataFrame())


def _interval(values: pd.Series, share: bool) -> str:
    """Mean and 95 % interval over seeds, as the README writes them (shares in per cent)."""
    from scenarios.app.seeds import interval, share_interval

    stats = (share_interval if share else interval)(values)
    if share:
        text = f"{100 * stats['mean']:.0f} % ({100 * stats['ci_low']:.0f}–{100 * stats['ci_high']:.0f} %)"
    else:
        text = f"{stats['mean']:.2f} ({stats['ci_low']:.2f} to {stats['ci_high']:.2f})"
    return text.replace("-", "−")


README_CELLS = (
    # (key, reliability, distribution, column)
    ("population, train", 1.0, "train", "base_frac"),
    ("population, brotherhood_war", 1.0, "brotherhood_war", "base_frac"),
    ("sensor carried", 1.0, "train", "sensor"),
    ("mitigated 0.75, sensor carried", 0.75, "train", "sensor"),
    ("mitigated 0.5, sensor carried", 0.5, "train", "sensor"),
    ("capability retained (navigation)", 1.0, "brotherhood_war", "capability_retained"),
    ("navigation, train", 1.0, "train", "navigation"),
    ("activity retained", 1.0, "brotherhood_war", "activity_retained"),
    ("competence, train", 1.0, "train", "competence"),
    ("goal retained", 1.0, "brotherhood_war", "goal_retained"),
    ("decision agreement, train", 1.0, "train", "decision_agreement"),
    ("decision agreement, deploy", 1.0, "brotherhood_war", "decision_agreement"),
    ("order agreement, train", 1.0, "train", "order_agreement"),
    ("flipped order agreement, deploy", 1.0, "brotherhood_war", "flipped_order_agreement"),
    ("invisible component", 1.0, "train", "invisible_component"),
    ("visible residual", 1.0, "train", "visible_residual"),
    ("suboptimality", 1.0, "train", "suboptimality"),
    ("oracle / optimum, train", 1.0, "train", "oracle_optimum_frac"),
    ("oracle / optimum, deploy", 1.0, "brotherhood_war", "oracle_optimum_frac"),
    ("pseudo-aligned share", 1.0, "train", "share:pseudo-aligned"),
    ("robustly aligned share", 1.0, "train", "share:robustly aligned"),
    ("mitigated 0.75, horde_war", 0.75, "horde_war", "base_frac"),
    ("mitigated 0.5, horde_war", 0.5, "horde_war", "base_frac"),
    ("mitigated 0.75, brotherhood_war", 0.75, "brotherhood_war", "base_frac"),
    ("mitigated 0.5, brotherhood_war", 0.5, "brotherhood_war", "base_frac"),
    ("story, horde_war", 1.0, "horde_war", "base_frac"),
    ("mitigated 0.75, flipped order agreement on horde_war", 0.75, "horde_war", "flipped_order_agreement"),
    ("mitigated 0.5, flipped order agreement on horde_war", 0.5, "horde_war", "flipped_order_agreement"),
    ("mitigated 0.75, robustly aligned share", 0.75, "train", "share:robustly aligned"),
    ("mitigated 0.5, robustly aligned share", 0.5, "train", "share:robustly aligned"),
)
"""Every number the README's Aurora section quotes from this study."""


def readme_cells(results: Path) -> dict[str, str]:
    """Each README cell's text, computed from the committed ``aurora_measures.csv``."""
    runs = pd.read_csv(results / "aurora_measures.csv")
    cells = {}
    for key, reliability, dist, column in README_CELLS:
        part = runs[(runs.reliability == reliability) & (runs.distribution == dist)]
        cells[key] = _interval(part[column], share=column.startswith("share:") or column == "sensor")
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--results", type=Path, default=Path("docs/results"))
    parser.add_argument("--figures", type=Path, default=Path("docs/figures"))
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--table", action="store_true", help="print the README's cells and stop")
    args = parser.parse_args()
    if args.table:
        for key, text in readme_cells(args.results).items():
            print(f"{key}: {text}")
        return
    points = [(r, s) for r in RELIABILITIES for s in range(args.seeds)]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(measure, points))
    summary = pd.concat([r[0] for r in results], ignore_index=True)
    shares = pd.concat([r[1] for r in results], ignore_index=True)
    args.results.mkdir(parents=True, exist_ok=True)
    summary.to_csv(args.results / "aurora_measures.csv", index=False, float_format="%.6g")
    shares.to_csv(args.results / "aurora_label_shares.csv", index=False, float_format="%.6g")
    import plots
    import scenarios

    args.figures.mkdir(parents=True, exist_ok=True)
    for (reliability, seed), (_, _, table) in zip(points, results):
        if seed != 0:
            continue
        tag = f"aurora_r{str(reliability).replace('.', '')}"
        plots.save_figure(plots.label_shares(scenarios.label_shares(table)), args.figures / f"{tag}_label_shares",
                          formats=("png",))
        plots.save_figure(plots.decomposition(table, title=f"Aurora, banner reliability {reliability}"),
                          args.figures / f"{tag}_decomposition", formats=("png",))
    for key, text in readme_cells(args.results).items():
        print(f"{key}: {text}")
    print(f"seeds per condition: {summary.groupby('reliability').seed.nunique().to_dict()}; "
          f"sensor carried (mean per reliability): "
          f"{summary.groupby('reliability').sensor.mean().round(3).to_dict()}")


if __name__ == "__main__":
    main()
