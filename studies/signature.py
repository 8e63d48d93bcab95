"""What the signature studies share: run every (condition, seed) point on worker processes, write the
table the README quotes, and print each claim's verdict."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd


def verdict_table(claims: Iterable[tuple[str, pd.Series]]) -> pd.DataFrame:
    """A row per claim: how many runs it was checked on, how many it held in, and the verdict."""
    return pd.DataFrame([{"claim": claim, "runs": len(ok), "hold": int(ok.sum()),
                          "verdict": "holds" if ok.all() and len(ok) else "FAILS"} for claim, ok in claims])


def run_signature_study(doc: str, name: str, measure: Callable[[tuple[str, int]], dict],
                        conditions: Iterable[str], verdicts: Callable[[pd.DataFrame], pd.DataFrame]) -> None:
    """The command line of ``python -m studies.<name>_signature``: ``--seeds``, ``--out``, ``--workers``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(f"docs/results/{name}_signature.csv"))
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    points = [(c, seed) for c in conditions for seed in range(args.seeds)]
    with ProcessPoolExecutor(args.workers) as pool:
        runs = pd.DataFrame(list(pool.map(measure, points)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs.round(4).to_csv(args.out, index=False)
    with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
        print(runs.groupby("condition", sort=False).agg(["mean", "std"]).drop(columns="seed").T.to_string())
        print(verdicts(runs).to_string(index=False))
