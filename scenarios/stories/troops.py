"""Troops: outer misalignment ("maximize the number of troops" yields many weak units).

A commander is told to win the war, and the army is judged by the number of troops it raises. The
recruiting grounds hold many weak recruits and a few strong ones. Weak recruits add to the head count
but cost the army strength (their upkeep is more than they are worth); strong ones add strength.
Selection on the number of troops finds commanders that raise every recruit they can reach: the base
objective is met, the intended goal (army strength) is not. The gap belongs to the objective, not to
the organism: heuristics and planners fall into it alike, and switching the base objective to
strength (``improved_goal``) closes it. In deployment (``long_campaign``) weak units are useless and
their upkeep is higher, so the same head count is worth even less.

Run it: ``python -m scenarios.troops`` (``--help`` lists the options).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from organisms.validation import require_integer, require_number
from scenarios.engine.kinds_knob import kinds_knob
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Objective, WorldSpec

NAME = "troops"
SIZE = (12, 12)
STEPS = 30


@dataclass(frozen=True)
class Knobs:
    """What a user may vary in the troops story."""

    improved_goal: bool = False
    """Select on army strength (the intended goal) instead of the number of troops."""
    weak_upkeep: float = 0.2
    """Strength a weak recruit costs in training (>= 0; 0: weak recruits are merely useless); in
    ``long_campaign`` it costs max(0.5, 2.5 x this)."""
    weak_count: int = 16
    """Weak recruits per world (>= 1)."""
    strong_count: int = 4
    """Strong recruits per world (>= 1)."""
    kinds: str = "both"
    """Organism kinds the base optimizer may choose between: "both", "heuristic" or "planner"
    (``scenarios.engine.kinds_knob.KIND_CHOICES``)."""

    def __post_init__(self):
        if not isinstance(self.improved_goal, bool):
            raise ValueError(f"troops: knob improved_goal must be true or false, got {self.improved_goal!r}")
        require_number(self.weak_upkeep, "troops: knob weak_upkeep", lo=0.0)
        for name in ("weak_count", "strong_count"):
            require_integer(getattr(self, name), f"troops: knob {name}", lo=1)
        if self.weak_count + self.strong_count > SIZE[0] * SIZE[1] - 1:
            raise ValueError(f"troops: knobs weak_count + strong_count must leave a free cell in the "
                             f"{SIZE[0]}x{SIZE[1]} grid, got {self.weak_count + self.strong_count}")
        kinds_knob(NAME, self.kinds)


def _world(weak_strength: float, weak_count: int, strong_count: int) -> WorldSpec:
    return WorldSpec(
        size=SIZE,
        steps=STEPS,
        items=[ItemKind("weak recruit", {"troops": 1.0, "strength": weak_strength}, weak_count),
               ItemKind("strong recruit", {"troops": 1.0, "strength": 1.0}, strong_count)],
    )


def make(**knobs) -> Scenario:
    """The troops scenario with its knobs set (see ``Knobs``)."""
    k = Knobs(**knobs)
    strength = Objective({"strength": 1.0})
    return Scenario(
        name=NAME,
        features=[Feature("troops"), Feature("strength")],
        train=_world(-float(k.weak_upkeep), k.weak_count, k.strong_count),
        # A long campaign: weak units are useless in battle and their upkeep is higher.
        deploy={"long_campaign": _world(-max(0.5, 2.5 * float(k.weak_upkeep)), k.weak_count, k.strong_count)},
        base=strength if k.improved_goal else Objective({"troops": 1.0}),
        intended=strength,
        defaults={"kinds": kinds_knob(NAME, k.kinds)},
        description=(
            "Raise recruits: many weak ones that cost strength, a few strong ones. The base objective "
            "counts troops; the intended goal is army strength (improved_goal: select on strength)."
        ),
        knobs=asdict(k),
    )


def story_summary(run) -> list[str]:
    """The outer gap first: troops and strength as fractions of their oracles, per distribution."""
    lines = []
    goal = "army strength (improved goal)" if run.scenario.knobs.get("improved_goal") else "number of troops"
    lines.append(f"troops: selected on {goal}; intended goal: army strength")
    for dist, part in run.assessment.groupby("distribution", sort=False):
        troops = part["outcome:troops"].mean()
        lines.append(f"  {dist:<14} troops raised {troops:5.1f}  base {100 * part['base_frac'].mean():5.0f} % "
                     f"of its oracle  strength {100 * part['intended_frac'].mean():5.0f} % of the strength "
                     f"oracle  outer gap {part['outer_gap'].mean():+.2f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """``python -m scenarios.troops``: evolve, assess, draw and summarise."""
    from scenarios.app.cli import run_scenario_cli

    return run_scenario_cli(NAME, Knobs, make, argv, doc=__doc__, story=story_summary)


if __name__ == "__main__":
    raise SystemExit(main())
