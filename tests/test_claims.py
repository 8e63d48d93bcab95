"""Study verdicts come from the thresholds stated in ``studies/claims.toml`` and from the raw tables:
every section is read by its study, a changed threshold changes the verdict it governs, and the
committed verdict tables are what the raw tables give under the committed thresholds."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from studies import (
    aurora_claims,
    bottle_cap_signature,
    emergence_phase,
    sweet_tooth_signature,
    troops_signature,
)
from studies.claims import CLAIMS, thresholds

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "results"


def _sections() -> list[str]:
    return re.findall(r"^\[([a-z_]+)\]$", CLAIMS.read_text(encoding="utf-8"), flags=re.M)


@pytest.mark.parametrize("section", _sections())
def test_every_section_of_the_claims_file_is_read_by_a_study(section):
    readers = [p for p in (ROOT / "studies").glob("*.py") if f'thresholds("{section}")' in p.read_text(encoding="utf-8")]
    assert readers, f"no study reads [{section}] of claims.toml"


def test_an_unknown_section_is_refused_naming_the_valid_ones():
    with pytest.raises(KeyError, match="troops_signature"):
        thresholds("no_such_study")


@pytest.mark.parametrize("module, table, key, value", [
    (sweet_tooth_signature, "sweet_tooth_signature.csv", "modern_base_frac_max", 0.01),
    (troops_signature, "troops_signature.csv", "strength_frac_max", 0.01),
    (bottle_cap_signature, "bottle_cap_signature.csv", "maze_planner_frac_min", 1.5),
], ids=["sweet_tooth", "troops", "bottle_cap"])
def test_a_stricter_threshold_turns_a_holding_claim_into_a_failing_one(monkeypatch, module, table, key, value):
    runs = pd.read_csv(RESULTS / table)
    stated = module.verdicts(runs)
    section = module.__name__.split(".")[-1]
    strict = {**thresholds(section), key: value}
    monkeypatch.setattr(module, "thresholds", lambda name: strict)
    stricter = module.verdicts(runs)
    flipped = (stated["verdict"] == "holds") & (stricter["verdict"] == "FAILS")
    assert flipped.sum() == 1, pd.concat([stated, stricter], axis=1).to_string()


def test_the_committed_emergence_verdicts_match_an_independent_count_over_the_runs():
    """Not the study's ``signature``: per cell, the seeds whose final share of the kind the margin's sign
    predicts reaches winner_share, and whether that reaches winner_seeds where |margin| > called_se SE."""
    t = thresholds("emergence_phase")
    runs = pd.read_csv(RESULTS / "emergence_sweep.csv")
    margins = pd.read_csv(RESULTS / "emergence_landscape.csv").set_index(["maze_fraction", "compute_cost"])
    stored = pd.read_csv(RESULTS / "emergence_signature.csv")
    for row in stored.itertuples():
        margin, se = margins.loc[(row.maze_fraction, row.compute_cost), ["margin", "se"]]
        shares = runs[(runs.maze_fraction == row.maze_fraction) & (runs.compute_cost == row.compute_cost)].planner_share
        won = int(((shares if margin > 0 else 1 - shares) >= t["winner_share"]).sum())
        assert won == row.seeds_won and bool(row.called) == (abs(margin) > t["called_se"] * se)
        if row.called:
            assert (str(row.holds) == "True") == (won >= t["winner_seeds"])


def test_the_committed_emergence_verdicts_are_recomputed_from_the_raw_tables():
    runs = pd.read_csv(RESULTS / "emergence_sweep.csv")
    margins = pd.read_csv(RESULTS / "emergence_landscape.csv")
    stored = pd.read_csv(RESULTS / "emergence_signature.csv")
    recomputed = emergence_phase.signature(runs, margins)
    assert list(recomputed["seeds_won"]) == list(stored["seeds_won"])
    assert [str(v) for v in recomputed["holds"]] == [str(v) if v == v else "None" for v in stored["holds"]]
    assert list(recomputed["called"]) == list(stored["called"])


def test_the_committed_lottery_verdict_is_recomputed_from_its_runs():
    runs = pd.read_csv(RESULTS / "aurora_lottery_runs.csv")
    stored = pd.read_csv(RESULTS / "aurora_lottery.csv").iloc[0]
    recomputed = aurora_claims.lottery_verdict(runs).iloc[0]
    assert (recomputed["low"], recomputed["high"], recomputed["verdict"]) == (stored["low"], stored["high"],
                                                                            stored["verdict"])


def test_the_suboptimality_signature_is_judged_per_organism_group():
    from studies.suboptimality_claims import group_loss, groups, verdicts

    def rows(deploy):
        return pd.DataFrame({"seed": [0, 0, 0, 1, 1, 1], "bait_utility": [2.0, 0.3, -1.0, 1.5, 0.1, -0.5],
                             "train_base": [8.0, 8.0, 8.0, 0.0, 8.0, 8.0], "deploy_base": deploy})

    stated = rows([1.0, 4.0, 8.0, -5.0, 4.0, 8.4])
    assert list(groups(stated)) == ["valuer", "weak valuer", "non-valuer"] * 2
    # A ratio of means: the valuer that scored nothing in training still counts (loss 1 - (1 - 5) / 8).
    assert group_loss(stated[groups(stated) == "valuer"]) == pytest.approx(1.5)
    assert list(verdicts(stated)["holds"]) == [True, True]
    # Weak valuers count in neither group; non-valuers losing 30 % break the second claim.
    assert list(verdicts(rows([1.0, 8.0, 5.6, -5.0, 8.0, 5.6]))["holds"]) == [True, False]
    assert list(verdicts(rows([7.0, 1.0, 8.0, 0.5, 1.0, 8.0]))["holds"]) == [False, True]
