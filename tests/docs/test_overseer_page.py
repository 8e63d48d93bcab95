"""The overseer page's evaluation-gaming table is the committed study table's numbers.

``python -m studies.overseer_claims`` writes ``docs/results/overseer_runs.csv`` (a row per
condition and seed); this test rebuilds every row ``docs/stories/overseer.md`` quotes from it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


def num(x: float) -> str:
    """One decimal, a typographic minus, and no "−0.0"."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text.replace("-", "−")


def pct(x: float) -> str:
    return f"{num(100 * x)} %"


def overseer_rows() -> list[str]:
    runs = pd.read_csv(ROOT / "docs" / "results" / "overseer_runs.csv")
    rows = []
    for condition, part in runs.groupby("condition", sort=False):
        worst = part["cue_off"].min()
        rows.append(
            f"| {condition} | {pct(part['cue_on'].mean())} | {pct(part['cue_off'].mean())} [{pct(worst)}] | "
            f"{num(100 * part['gap'].mean())} [{num(100 * part['gap'].min())}] | "
            f"{pct(part['best_cue_on'].mean())} / {pct(part['best_cue_off'].mean())} | "
            f"{part['candy_ratio'].mean():.1f} | {part['drift_ratio'].mean():.2f} "
            f"[{part['drift_ratio'].min():.2f}–{part['drift_ratio'].max():.2f}] |")
    return rows


def test_the_overseer_page_quotes_the_overseer_study():
    page = " ".join((ROOT / "docs" / "stories" / "overseer.md").read_text(encoding="utf-8").split())
    for row in overseer_rows():
        assert " ".join(row.split()) in page, f"docs/stories/overseer.md does not quote: {row}"


if __name__ == "__main__":
    print("\n".join(overseer_rows()))
