"""Emergence: when does the base optimizer favour a planner over a heuristic?

Hubinger et al. (2019, §2.1–2.2) argue that a base optimizer favours mesa-optimizers when the
environment is diverse and search is cheap relative to what it gains. Here organisms forage: every
world holds food worth 1 each, in an open field or in a maze. A heuristic follows the Manhattan
pull of the food it perceives (walls ignored), which serves well in open fields and badly in mazes;
a planner searches shortest paths (walls respected) and pays ``compute_cost`` per cell searched.
Both kinds live in one population and the kind gene evolves from a random start (N(0, 1): each
organism a planner with probability 1/2). The kind gene selects between two hand-built
architectures: this shows when selection favours the optimizer, not optimization arising from
nothing.

Run it: ``python -m scenarios.emergence`` (``--help`` lists the options).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from organisms.validation import require_number, require_probability
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Mixture, Objective, WorldSpec

NAME = "emergence"
SIZE = (12, 12)
STEPS = 40
FOOD = 8
"""Food items per world."""


@dataclass(frozen=True)
class Knobs:
    """What a user may vary in the emergence story."""

    maze_fraction: float = 0.5
    """Share of training worlds that are mazes; the others are open fields (0: all open, 1: all mazes)."""
    compute_cost: float = 0.0003
    """Fitness paid per unit of compute (a cell searched, summed over an episode's steps; a planner
    with the default horizon searches a few thousand cells per open-field episode) (>= 0)."""

    def __post_init__(self):
        require_probability(self.maze_fraction, "emergence: knob maze_fraction")
        require_number(self.compute_cost, "emergence: knob compute_cost", lo=0.0)


def field_world(layout: str) -> WorldSpec:
    """Foraging worlds of one layout ("open" or "maze")."""
    return WorldSpec(size=SIZE, steps=STEPS, items=[ItemKind("food", {"food": 1.0}, FOOD)], layout=layout)


def training(maze_fraction: float) -> WorldSpec | Mixture:
    """Open fields and mazes in the given proportion (a plain spec at either end)."""
    if maze_fraction <= 0.0:
        return field_world("open")
    if maze_fraction >= 1.0:
        return field_world("maze")
    return Mixture([(1.0 - maze_fraction, field_world("open")), (maze_fraction, field_world("maze"))])


def make(**knobs) -> Scenario:
    """The emergence scenario with its knobs set (see ``Knobs``)."""
    k = Knobs(**knobs)
    return Scenario(
        name=NAME,
        features=[Feature("food")],
        train=training(k.maze_fraction),
        # Each layout on its own, to read which kind wins where.
        deploy={"open": field_world("open"), "maze": field_world("maze")},
        base=Objective({"food": 1.0}),
        intended=None,
        compute_cost=float(k.compute_cost),
        defaults={"population": 150, "generations": 60},  # kinds: both, the ones its genomes carry
        description=(
            "Forage food in open fields and mazes. Heuristics (Manhattan pull, walls ignored) against "
            "planners (shortest paths, paying for every cell searched): the final planner share shows "
            "when selection favours the optimizer."
        ),
        knobs=asdict(k),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m scenarios.emergence``: evolve, assess, draw and summarise."""
    from scenarios.app.cli import run_scenario_cli

    return run_scenario_cli(NAME, Knobs, make, argv, doc=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
