"""The numbers of the emergence and suboptimality pages, and of the base optimizers' page, are the
committed study tables' numbers.

``python -m studies.emergence_phase`` and ``python -m studies.suboptimality_claims``
write the tables in ``docs/results/``; this test recomputes every figure the pages quote from
them and checks that the pages say exactly that.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
STORIES = ROOT / "docs" / "stories"
RESULTS = ROOT / "docs" / "results"


def emergence_claims() -> list[str]:
    sweep = pd.read_csv(RESULTS / "emergence_sweep.csv")
    signature = pd.read_csv(RESULTS / "emergence_signature.csv")
    fit = pd.read_csv(RESULTS / "emergence_curve_fit.csv").iloc[0]
    decided = ((sweep["planner_share"] <= 0.05) | (sweep["planner_share"] >= 0.95)).sum()
    called = signature[signature["called"].astype(str) == "True"]
    holds = called["holds"].astype(str) == "True"
    failed = called[~holds]
    claims = [
        f"{decided} of {len(sweep)} runs end with ≤ 5 % or ≥ 95 % planners",
        f"in {int(holds.sum())} of the {len(called)} cells where the margin exceeds twice its "
        f"standard error",
        f"midpoint {fit['midpoint']:.2f} [{fit['midpoint_lo']:.2f}, {fit['midpoint_hi']:.2f}] (bootstrap over "
        f"{int(fit['n'])} runs), beside the predicted {fit['predicted_midpoint']:.2f}",
    ]
    for _, row in failed.iterrows():
        claims.append(f"maze fraction {row['maze_fraction']:g}, cost {row['compute_cost']:g}: margin "
                      f"{row['margin']:+.3f} ± {row['se']:.3f} per episode, planners won {int(row['seeds_won'])} "
                      f"of {int(row['seeds'])} seeds")
    return claims


def percent(x: float) -> str:
    return f"{100 * x:.0f} %"


def suboptimality_claims() -> list[str]:
    """The suboptimality page's sentences and table rows, recomputed from the per-planner table: the
    groups by bait utility and each group's loss as a ratio of its means (not the study's verdicts)."""
    from studies.claims import thresholds

    planners = pd.read_csv(RESULTS / "suboptimality_planners.csv")
    cut = thresholds("suboptimality")["valuer_utility_min"]
    utility = planners["bait_utility"]
    masks = {"valuers": utility > cut, "weak valuers": (utility > 0) & (utility <= cut), "non-valuers": utility <= 0}

    def loss(mask) -> float:
        part = planners[mask]
        return 1.0 - part["deploy_base"].mean() / part["train_base"].mean()

    seeds = planners["seed"].nunique()
    rows = []
    for name, mask in masks.items():
        part = planners[mask]
        rows.append(f"| {name} | {len(part)} | {percent(len(part) / len(planners))} | "
                    f"{part['train_base'].mean():.2f} | {part['deploy_base'].mean():.2f} | {percent(loss(mask))} |")
    valuer_seeds = sum(loss(masks["valuers"] & (planners["seed"] == s)) >= 0.40 for s in range(seeds))
    other_seeds = sum(abs(loss(masks["non-valuers"] & (planners["seed"] == s))) <= 0.10 for s in range(seeds))
    return [
        f"valuers lose {percent(loss(masks['valuers']))} of their base score with time to think, non-valuers "
        f"{percent(loss(masks['non-valuers']))}",
        *rows,
        f"valuers lose 40 % or more in {valuer_seeds} of {seeds} seeds; non-valuers stay within 10 % in "
        f"{other_seeds} of {seeds}",
    ]


def flat(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())  # line breaks are not numbers


@pytest.mark.parametrize("claims, page", [(emergence_claims, "emergence"), (suboptimality_claims, "suboptimality")])
def test_the_story_pages_quote_the_committed_tables(claims, page):
    text = flat(STORIES / f"{page}.md")
    for claim in claims():
        assert claim in text, f"docs/stories/{page}.md does not say: {claim}"


if __name__ == "__main__":
    for claim in emergence_claims() + suboptimality_claims():
        print(claim)


def test_the_phase_diagram_is_monotone_as_the_emergence_page_says():
    """Share non-decreasing in maze fraction at every positive cost, non-increasing in cost at every
    maze fraction, within 0.15 (the emergence page's words)."""
    sweep = pd.read_csv(RESULTS / "emergence_sweep.csv")
    share = sweep.groupby(["compute_cost", "maze_fraction"])["planner_share"].mean().unstack()
    positive = share[share.index > 0]
    assert (positive.diff(axis=1).iloc[:, 1:] >= -0.15).all().all()
    assert (share.diff(axis=0).iloc[1:] <= 0.15).all().all()


def test_the_optimizers_page_says_how_often_each_optimizer_ends_idle():
    runs = pd.read_csv(RESULTS / "optimizers.csv")
    idle = (runs["base_frac_train"] < 0.05).groupby(runs["optimizer"]).agg(["sum", "size"])
    page = flat(ROOT / "docs" / "optimizers.md")
    es = idle.loc["es"]
    assert f"{int(es['sum'])} of its {int(es['size'])} runs end idle (under 5 % of the oracle in training)" in page
    others = idle.drop(index="es")
    assert (others["sum"] == 0).all() and others["size"].nunique() == 1
    assert f"against 0 of {int(others['size'].iloc[0])} for the GA, CMA-ES and the ES with noise 1.0" in page


def test_the_suboptimality_page_quotes_the_bounded_planner_verdicts():
    claims = pd.read_csv(RESULTS / "bounded_planners_claims.csv")
    text = flat(STORIES / "suboptimality.md")
    for row in claims.itertuples():
        verdict = "holds" if str(row.holds) == "True" else "does not hold"
        assert f"| {row.claim} | {verdict} | {row.measured} |" in text, f"suboptimality.md does not quote {row.claim!r}"


def test_the_emergence_page_quotes_the_selection_noise_rerun():
    noise = pd.read_csv(RESULTS / "emergence_noise.csv")
    cell = noise[(noise.maze_fraction == 0) & (noise.compute_cost == 0)].iloc[0]
    others = noise.drop(cell.name)
    sentence = (f"with {int(cell.episodes)} worlds per generation instead of 8, planners win "
                f"{int(cell.seeds_won)} of {int(cell.seeds)} seeds in that cell, and the predicted kind holds in "
                f"{int((others.holds.astype(str) == 'True').sum())} of its {len(others)} neighbours")
    assert sentence in flat(STORIES / "emergence.md"), f"emergence.md does not say: {sentence}"
