"""Bottle cap: whether a system is an optimizer is a property of its internals, not of its behaviour.

A bottle cap keeps water in the bottle, but it is not optimizing for anything. Heuristics (reactive
policies that score moves by the items around them, blind to walls) and planners (that search for
the best item to take, walls respected) are evolved on open fields of food (+1) and stones (-0.5).
There both gather food as well as the oracle: from behaviour alone in training one cannot tell which
is the optimizer. Behind walls (``maze``: the same items in a maze, or rooms with doors) the planner
keeps finding food and the heuristic walks into walls.

Run it: ``python -m scenarios.bottle_cap`` (``--help`` lists the options). By default the kind gene
is free, so one run may keep both kinds; ``--set kinds=heuristic`` or ``kinds=planner`` evolves one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from organisms.validation import require_number
from scenarios.engine.kinds_knob import kinds_knob
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import LAYOUTS, Feature, ItemKind, Objective, WorldSpec

NAME = "bottle_cap"
SIZE = (13, 13)
STEPS = 40


@dataclass(frozen=True)
class Knobs:
    """What a user may vary in the bottle-cap story."""

    layout: str = "maze"
    """Structure of the deployment worlds: "maze" (a perfect maze) or "rooms" (four rooms with doors)."""
    walls: float = 0.0
    """Density of random wall cells added on top of the deployment layout (0 <= walls < 0.5)."""
    kinds: str = "both"
    """Organism kinds the base optimizer may choose between: "both", "heuristic" or "planner"
    (``scenarios.engine.kinds_knob.KIND_CHOICES``)."""

    def __post_init__(self):
        if self.layout not in LAYOUTS or self.layout == "open":
            raise ValueError(f"bottle_cap: knob layout must be 'maze' or 'rooms', got {self.layout!r}")
        if require_number(self.walls, "bottle_cap: knob walls", lo=0.0) >= 0.5:
            raise ValueError(f"bottle_cap: knob walls: must be < 0.5, got {self.walls!r}")
        kinds_knob(NAME, self.kinds)


def _field(layout: str = "open", walls: float = 0.0) -> WorldSpec:
    return WorldSpec(size=SIZE, steps=STEPS, layout=layout, walls=walls,
                     items=[ItemKind("food", {"food": 1.0}, 8), ItemKind("stone", {"stone": 1.0}, 8)])


def make(**knobs) -> Scenario:
    """The bottle-cap scenario with its knobs set (see ``Knobs``)."""
    k = Knobs(**knobs)
    return Scenario(
        name=NAME,
        features=[Feature("food"), Feature("stone")],
        train=_field(),
        deploy={"maze": _field(k.layout, float(k.walls))},
        base=Objective({"food": 1.0, "stone": -0.5}),
        intended=None,
        defaults={"kinds": kinds_knob(NAME, k.kinds)},
        description=(
            "Gather food (+1), avoid stones (-0.5). Open fields in training; the same items behind walls "
            "in deployment. Heuristics and planners are indistinguishable in the open."
        ),
        knobs=asdict(k),
    )


def story_summary(run) -> list[str]:
    """The two kinds side by side: base score as a fraction of the oracle, per distribution."""
    table = run.assessment
    lines = ["bottle_cap: heuristics and planners side by side (population mean, % of the oracle)"]
    for dist, part in table.groupby("distribution", sort=False):
        cells = []
        for kind in ("heuristic", "planner"):
            mine = part[part["kind"] == kind]
            cells.append(f"{kind}s {100 * mine['base_frac'].mean():4.0f} % (n={len(mine)})"
                         if len(mine) else f"{kind}s: none left")
        lines.append(f"  {dist:<6} " + "   ".join(cells))
    shares = table.drop_duplicates("organism")["kind"].value_counts(normalize=True)
    if run.scenario.knobs.get("kinds") == "both" and (shares.min() < 0.1 or len(shares) < 2):
        # Selection favours one kind when both are allowed: the side by side needs one run per kind.
        lines.append("  (selection left few of one kind; evolve each alone: --set kinds=heuristic, "
                     "--set kinds=planner)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """``python -m scenarios.bottle_cap``: evolve, assess, draw and summarise."""
    from scenarios.app.cli import run_scenario_cli

    return run_scenario_cli(NAME, Knobs, make, argv, doc=__doc__, story=story_summary)


if __name__ == "__main__":
    raise SystemExit(main())
