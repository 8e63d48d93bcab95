"""How a run shows itself in a notebook: headline numbers and a thumbnail of its divergence.

The thumbnail is a small inline SVG drawn from the log (base score over the oracle's, per
generation, on training and on each deployment): evolution may not import ``plots``, and a
notebook should not need matplotlib to glance at a run. ``plots.divergence(run)`` is the figure.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
import pandas as pd

from organisms.metrics import LABELS, log_share_column

COLOURS = ("#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9")
"""Training blue, then the deployments' warm colours: the house palette of ``plots``."""
WIDTH, HEIGHT, PAD = 260, 110, 6


def _fractions(log: pd.DataFrame) -> dict[str, np.ndarray]:
    """Base score / oracle's per generation, NaN where the oracle gained nothing."""
    series = {"train": ("base_mean", "oracle_base")}
    for column in log.columns:
        if column.endswith(":base_mean") and f"{column[:-10]}:oracle_base" in log.columns:
            series[column[:-10]] = (column, f"{column[:-10]}:oracle_base")
    out = {}
    for name, (score, oracle) in series.items():
        if score in log.columns and oracle in log.columns:
            ref = log[oracle].to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[name] = np.where(ref > 0, log[score].to_numpy(dtype=float) / ref, np.nan)
    return out


def divergence_svg(log: pd.DataFrame) -> str:
    """A thumbnail: each distribution's base score over the oracle's, 0 and 1 marked."""
    lines = _fractions(log)
    values = np.concatenate([v[np.isfinite(v)] for v in lines.values()] + [np.array([0.0, 1.0])])
    lo, hi = float(min(values.min(), 0.0)), float(max(values.max(), 1.0))
    n = max(len(log) - 1, 1)

    def xy(g: int, v: float) -> str:
        return f"{PAD + (WIDTH - 2 * PAD) * g / n:.1f},{HEIGHT - PAD - (HEIGHT - 2 * PAD) * (v - lo) / (hi - lo):.1f}"

    parts = [f"<line x1='{PAD}' x2='{WIDTH - PAD}' y1='{xy(0, ref).split(',')[1]}' y2='{xy(0, ref).split(',')[1]}' "
             f"stroke='#999' stroke-dasharray='3,3' stroke-width='0.8'/>" for ref in (0.0, 1.0)]
    legend = []
    for k, (name, v) in enumerate(lines.items()):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(xy(g, x) for g, x in enumerate(v) if np.isfinite(x))
        parts.append(f"<polyline fill='none' stroke='{colour}' stroke-width='1.6' points='{points}'/>")
        legend.append(f"<span style='color:{colour}'>━ {escape(name)}</span>")
    return (f"<svg width='{WIDTH}' height='{HEIGHT}' xmlns='http://www.w3.org/2000/svg'>{''.join(parts)}</svg>"
            f"<div style='font-size:11px'>base score / oracle's, per generation (dashed: 0 and 1)<br>"
            f"{' &nbsp; '.join(legend)}</div>")


def run_html(run: Any) -> str:
    """A run as an HTML card: scenario, Config, final numbers and the divergence thumbnail."""
    last = run.log.iloc[-1]
    fractions = {name: v[-1] for name, v in _fractions(run.log).items()}
    rows = [("scenario", escape(str(getattr(run.scenario, "name", "?")))),
            ("config", escape(", ".join(f"{k}={v}" for k, v in run.config.to_dict().items()
                                       if k in ("population", "generations", "episodes", "seed", "kinds", "optimizer")))),
            ("final fitness", f"mean {last['fitness_mean']:.3g}, best {last['fitness_max']:.3g}"),
            ("planner share", f"{last['planner_share']:.0%}" if "planner_share" in last else "–")]
    rows += [(f"base / oracle: {escape(name)}", "–" if not np.isfinite(v) else f"{v:.0%}") for name, v in fractions.items()]
    shares = {label: last[log_share_column(label)] for label in LABELS if log_share_column(label) in last}
    if shares:  # the log's labels follow the rule of assess (log version 2; version 1: the older rule)
        rows.append(("labels (last generation)", escape(", ".join(f"{label} {share:.0%}" for label, share in shares.items()
                                                               if share > 0))))
    if run.assessment is not None:
        rows.append(("assessment", f"{len(run.assessment)} rows (organism × distribution)"))
    table = "".join(f"<tr><th style='text-align:left;padding-right:10px'>{k}</th><td style='text-align:left'>{v}</td></tr>"
                    for k, v in rows)
    return ("<div style='font-family: system-ui, sans-serif; font-size: 12px; border: 1px solid #ddd; "
            "border-radius: 6px; padding: 8px 12px; display: flex; gap: 18px; max-width: 760px'>"
            f"<div><b style='font-size:13px'>RunResult</b><table style='border-collapse:collapse'>{table}</table></div>"
            f"<div>{divergence_svg(run.log)}</div></div>")
