"""Draw the essay's stories side by side from the committed signature tables (not collected by pytest).

    python tests/studies/stories_figure.py [--results docs/results] [--out docs/figures/stories.png]

Reads ``troops_signature.csv``, ``sweet_tooth_signature.csv`` and ``bottle_cap_signature.csv``
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
    "troops": ("long_campaign", [("troops, both kinds", "base_frac", "base: troops"),
                                 ("troops, both kinds", "strength_frac", "intended: strength"),
                                 ("improved goal", "strength_frac", "strength, improved goal")]),
    "sweet_tooth": ("modern", [("both kinds", "base_frac", "base: nutrition"),
                               ("heuristics only", "base_frac", "heuristics only")]),
    "bottle_cap": ("maze", [("heuristics only", "base_frac", "heuristics"),
                            ("planners only", "base_frac", "planners")]),
}
TITLES = {"troops": "a  troops: outer misalignment",
          "sweet_tooth": "b  sweet tooth: ancestral → modern",
          "bottle_cap": "c  bottle cap: open → maze"}


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


def main() -> None:
    import plots

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("docs/results"))
    parser.add_argument("--out", type=Path, default=Path("docs/figures/stories.png"))
    args = parser.parse_args()
    fig = plots.stories(story_table(args.results), titles=TITLES)
    for path in plots.save_figure(fig, args.out, ("png",)):
        print(path)


if __name__ == "__main__":
    main()
