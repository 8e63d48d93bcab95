"""Draw the essay's stories side by side from the committed signature tables (not collected by pytest).

    python -m studies.stories_figure [--results docs/results] [--out docs/figures/stories.png]
    python -m studies.stories_figure --table    # the README's signature cells instead

Reads ``aurora_signature.csv``, ``troops_signature.csv``, ``sweet_tooth_signature.csv`` and
``bottle_cap_signature.csv``
(written by the study scripts beside this one) and draws ``plots.stories`` from them: per scenario,
training beside deployment, the base objective (and the intended goal where it differs) as fractions
of the oracle, mean and sd over seeds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

PANELS = {
    # scenario: (deployment name, [(condition, column prefix, series label), ...])
    "aurora": ("brotherhood_war", [("defaults", "base_frac", "base: enemies destroyed")]),
    "troops": ("long_campaign", [("troops, both kinds", "base_frac", "base: troops"),
                                 ("troops, both kinds", "strength_frac", "intended: strength"),
                                 ("improved goal", "strength_frac", "improved goal: strength")]),
    "sweet_tooth": ("modern", [("both kinds", "base_frac", "kind gene free"),
                               ("heuristics only", "base_frac", "heuristics only")]),
    "bottle_cap": ("maze", [("heuristics only", "base_frac", "heuristics"),
                            ("planners only", "base_frac", "planners")]),
}
TITLES = {"aurora": "a  Aurora\ninner misalignment",
          "troops": "b  troops\nouter misalignment",
          "sweet_tooth": "c  sweet tooth\nancestral → modern",
          "bottle_cap": "d  bottle cap\nopen fields → maze"}
COLOURS = {"heuristics": "#E69F00", "planners": "#0072B2", "heuristics only": "#E69F00",
           "improved goal: strength": "#CC79A7"}
"""The organism kinds in their house colours (``plots.style.KIND``)."""


def story_table(results: Path) -> pd.DataFrame:
    """The tidy table ``plots.stories`` takes, from the signature CSVs in ``results``."""
    rows = []
    for scenario, (deploy, series) in PANELS.items():
        runs = pd.read_csv(results / f"{scenario}_signature.csv")
        for condition, prefix, label in series:
            part = runs[runs.condition == condition]
            for key, dist in (("train", "train"), ("deploy", deploy)):
                rows += [{"scenario": scenario, "distribution": dist, "series": label, "seed": seed,
                          "fraction": value} for seed, value in zip(part.seed, part[f"{prefix}_{key}"])]
    return pd.DataFrame(rows)


def _pm(values: pd.Series, percent: bool = True) -> str:
    """Mean ± sd (ddof 1) over seeds, as the README writes it."""
    if percent:
        return f"{100 * values.mean():.0f} ± {100 * values.std():.0f} %".replace("-", "−")
    return f"{values.mean():.2f} ± {values.std():.2f}".replace("-", "−")


def signatures(results: Path) -> dict[str, str]:
    """The README's measured numbers, written from the signature CSVs: the scenario table's signature
    per scenario, then the further numbers the story sections cite."""
    aurora = pd.read_csv(results / "aurora_signature.csv")
    troops = pd.read_csv(results / "troops_signature.csv")
    sweet = pd.read_csv(results / "sweet_tooth_signature.csv")
    bottle = pd.read_csv(results / "bottle_cap_signature.csv")
    t = troops[troops.condition == "troops, both kinds"]
    improved = troops[troops.condition == "improved goal"]
    s = sweet[sweet.condition == "both kinds"]
    h, p = (bottle[bottle.condition == c] for c in ("heuristics only", "planners only"))
    th, tp = (troops[troops.condition == c] for c in ("troops, heuristics only", "troops, planners only"))
    sh = sweet[sweet.condition == "heuristics only"]
    return {
        "aurora": (f"base {_pm(aurora.base_frac_train)} of the oracle in training, "
                   f"{_pm(aurora.base_frac_deploy)} in brotherhood_war; diplomacy sensor carried by "
                   f"{_pm(aurora.sensor)}; decision agreement {_pm(aurora.decision_agreement_train, False)} → "
                   f"{_pm(aurora.decision_agreement_deploy, False)}"),
        "troops": (f"troops {_pm(t.base_frac_train)} of the troop oracle, strength "
                   f"{_pm(t.strength_frac_train)} of the strength oracle; improved goal: strength "
                   f"{_pm(improved.strength_frac_train)}"),
        "sweet_tooth": (f"base {_pm(s.base_frac_train)} of the oracle ancestral, {_pm(s.base_frac_deploy)} "
                        f"modern; sweet items eaten +{_pm(s.sweet_rise)}; decision agreement "
                        f"{_pm(s.decision_agreement_train, False)} → {_pm(s.decision_agreement_deploy, False)}"),
        "bottle_cap": (f"open: heuristics {_pm(h.base_frac_train)}, planners {_pm(p.base_frac_train)} of the "
                       f"oracle; maze: heuristics {_pm(h.base_frac_deploy)}, planners {_pm(p.base_frac_deploy)}"),
        "troops_deploy": (f"outer gap {_pm(t.outer_gap_train, False)} in training, "
                          f"{_pm(t.outer_gap_deploy, False)} in long_campaign (strength "
                          f"{_pm(t.strength_frac_deploy)} of the strength oracle)"),
        "troops_kinds": (f"heuristics only {_pm(th.outer_gap_train, False)}, planners only "
                         f"{_pm(tp.outer_gap_train, False)}"),
        "sweet_heuristics": (f"heuristics only: {_pm(sh.base_frac_train)} ancestral, "
                             f"{_pm(sh.base_frac_deploy)} modern"),
        "sweet_kinds": f"planner share {_pm(s.planner_share)}",
        "bottle_behavior": (f"behavioral cosine {_pm(h.behavior_cosine_train, False)} (heuristics) vs "
                            f"{_pm(p.behavior_cosine_train, False)} (planners); decision agreement "
                            f"{_pm(h.decision_agreement_train, False)} vs "
                            f"{_pm(p.decision_agreement_train, False)}"),
    }


def main() -> None:
    import plots

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("docs/results"))
    parser.add_argument("--out", type=Path, default=Path("docs/figures/stories.png"))
    parser.add_argument("--table", action="store_true", help="print the README's signature cells instead")
    args = parser.parse_args()
    if args.table:
        for name, cell in signatures(args.results).items():
            print(f"{name}: {cell}")
        return
    fig = plots.stories(story_table(args.results), titles=TITLES, colours=COLOURS, width=8.0)
    for path in plots.save_figure(fig, args.out, ("png",)):
        print(path)


if __name__ == "__main__":
    main()
