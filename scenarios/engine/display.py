"""How a scenario shows itself in a notebook: a compact HTML card of the story.

Pure string building (no matplotlib, no pandas styling), so ``import scenarios`` stays light.
"""

from __future__ import annotations

from html import escape
from typing import Any

from scenarios.engine.spec import Mixture, WorldSpec

CARD = ("font-family: system-ui, sans-serif; font-size: 12px; line-height: 1.35; "
        "border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; max-width: 760px")


def _weights(weights: dict[str, float]) -> str:
    return ", ".join(f"{escape(k)} {v:+g}" for k, v in weights.items() if v) or "nothing"


def _spec_rows(spec: WorldSpec) -> str:
    shape = f"{spec.size[0]}×{spec.size[1]} {escape(spec.layout)}"
    if spec.walls:
        shape += f", walls {spec.walls:g}"
    shape += f", {spec.steps} steps"
    if spec.horizon_scale != 1.0:
        shape += f", horizons ×{spec.horizon_scale:g}"
    items = "; ".join(
        f"{escape(item.name)} ×{item.count if isinstance(item.count, int) else '–'.join(map(str, item.count))}"
        f" ({_weights(dict(item.features))})"
        for item in spec.items)
    return f"{shape}<br><span style='color:#555'>{items}</span>"


def _distribution(dist: Any) -> str:
    if isinstance(dist, Mixture):
        total = sum(weight for weight, _ in dist.components)
        return "<br>".join(f"<b>{weight / total:.0%}</b> {_spec_rows(spec)}" for weight, spec in dist.components)
    return _spec_rows(dist)


def scenario_html(sc: Any) -> str:
    """The story, its features, distributions and objectives as one HTML card."""
    features = ", ".join(
        escape(f.name) + ("" if f.observable else
                          f" <i>(sensor, cost {f.sensor_cost:g})</i>" if f.sensed else " <i>(hidden)</i>")
        for f in sc.features)
    rows = [("features", features),
            ("base objective", _weights(dict(sc.base.weights))),
            ("intended goal", "the base objective" if sc.intended is None else _weights(dict(sc.intended.weights)))]
    if sc.compute_cost:
        rows.append(("compute cost", f"{sc.compute_cost:g} per cell searched"))
    rows += [(f"{'train' if name == 'train' else 'deploy: ' + escape(name)}", _distribution(dist))
             for name, dist in sc.distributions.items()]
    if sc.knobs:
        rows.append(("knobs", ", ".join(f"{escape(k)} = {escape(repr(v))}" for k, v in sc.knobs.items())))
    if sc.defaults:
        rows.append(("recommended Config", ", ".join(f"{escape(k)} = {escape(repr(v))}" for k, v in sc.defaults.items())))
    body = "".join(f"<tr><th style='text-align:left;vertical-align:top;padding-right:10px'>{k}</th>"
                   f"<td style='text-align:left'>{v}</td></tr>" for k, v in rows)
    description = f"<p style='margin:4px 0 6px'>{escape(sc.description)}</p>" if sc.description else ""
    return (f"<div style='{CARD}'><b style='font-size:13px'>Scenario {escape(sc.name)}</b>{description}"
            f"<table style='border-collapse:collapse'>{body}</table></div>")
