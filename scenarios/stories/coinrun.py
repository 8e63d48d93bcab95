"""CoinRun: capability beside goal, the 2 x 2 of goal misgeneralization (Langosco et al. 2022).

An agent whose goal fails keeps its capabilities and competently pursues the wrong thing; one whose
capability fails keeps its goal and pursues it badly. Langosco et al.'s CoinRun agent learned to run
to the end of the level because the coin was always there; here planners are selected on coins
(the base objective values only ``coin``), but a coin is perceived only through a costly sensor,
while ``shiny`` is perceived for free. In a *proxy* world every coin is shiny and nothing else is,
so valuing shiny things is as good as valuing coins, and the sensor never pays. In a *decorrelated*
world half the shiny things are fakes (no coin) and half the coins are dull. Walls are the second
axis: a planner without its costly map gene plans as if the grid were open (a move into a wall
fails), which costs nothing in open fields and a great deal in mazes.

The knob ``regime`` picks where selection happens and where the organisms are deployed:

- ``both_generalize``: training mixes all four (open or maze, proxy or decorrelated); deployed in
  mazes of decorrelated worlds. The sensor and the map pay, so both should be kept.
- ``goal_fails``: trained in open proxy worlds, deployed in open decorrelated ones.
- ``capability_fails``: trained in open proxy worlds (the map never pays and is dropped), deployed in
  mazes of proxy worlds.
- ``both_fail``: trained in open proxy worlds, deployed in mazes of decorrelated worlds.

Planners only: the story is about a planner's goal and its world model, not the choice between
kinds. ``scenarios.analyses.coinrun`` measures where a population lands (``studies.coinrun_2x2``).

Run it: ``python -m scenarios.coinrun`` (``--help`` lists the options).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from organisms.validation import require_number
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Mixture, Objective, WorldSpec

NAME = "coinrun"
SIZE = (11, 11)
STEPS = 40
COINS = 6
"""Coins per proxy world, every one shiny."""
DECOYS = 4
"""Shiny fakes per decorrelated world, and as many dull coins."""

REGIMES = {
    "both_generalize": (("open", "proxy"), ("open", "decorrelated"), ("maze", "proxy"), ("maze", "decorrelated")),
    "goal_fails": (("open", "proxy"),),
    "capability_fails": (("open", "proxy"),),
    "both_fail": (("open", "proxy"),),
}
"""Values of the ``regime`` knob: the (layout, items) worlds training draws from, in equal shares."""

DEPLOYMENT = {
    "both_generalize": ("maze", "decorrelated"),
    "goal_fails": ("open", "decorrelated"),
    "capability_fails": ("maze", "proxy"),
    "both_fail": ("maze", "decorrelated"),
}
"""Each regime's deployment worlds: (layout, items)."""


@dataclass(frozen=True)
class Knobs:
    """What a user may vary in the CoinRun story."""

    regime: str = "goal_fails"
    """Where selection happens and where the planners are deployed: "both_generalize",
    "goal_fails", "capability_fails" or "both_fail" (the cell of the 2 x 2 it aims at)."""
    sensor_cost: float = 0.3
    """Fitness paid per episode while the coin sensor is on (>= 0)."""
    map_cost: float = 0.2
    """Fitness paid per episode while the map gene is on (>= 0): a planner without it plans as if
    the grid were open."""

    def __post_init__(self):
        if self.regime not in REGIMES:
            raise ValueError(f"coinrun: knob regime must be one of {list(REGIMES)}, got {self.regime!r}")
        for name in ("sensor_cost", "map_cost"):
            require_number(getattr(self, name), f"coinrun: knob {name}", lo=0.0)


def world(layout: str, items: str) -> WorldSpec:
    """Open fields or a maze, of proxy worlds (every coin shiny, nothing else) or decorrelated ones
    (shiny fakes and dull coins, as many of each)."""
    if items == "proxy":
        kinds = [ItemKind("coin", {"coin": 1.0, "shiny": 1.0}, COINS)]
    elif items == "decorrelated":
        kinds = [ItemKind("shiny fake", {"shiny": 1.0}, DECOYS), ItemKind("dull coin", {"coin": 1.0}, DECOYS)]
    else:
        raise ValueError(f"coinrun: items must be 'proxy' or 'decorrelated', got {items!r}")
    return WorldSpec(size=SIZE, steps=STEPS, layout=layout, items=kinds)


def deployment_name(regime: str) -> str:
    """The name of a regime's deployment distribution ("maze_decorrelated", ...)."""
    return "_".join(DEPLOYMENT[regime])


def make(**knobs) -> Scenario:
    """The CoinRun scenario with its knobs set (see ``Knobs``)."""
    k = Knobs(**knobs)
    parts = REGIMES[k.regime]
    train = world(*parts[0]) if len(parts) == 1 else Mixture([(1.0, world(*p)) for p in parts])
    return Scenario(
        name=NAME,
        features=[Feature("coin", observable=False, sensor_cost=float(k.sensor_cost)), Feature("shiny")],
        train=train,
        deploy={deployment_name(k.regime): world(*DEPLOYMENT[k.regime])},
        base=Objective({"coin": 1.0}),
        intended=None,
        map_cost=float(k.map_cost),
        defaults={"kinds": ("planner",)},
        description=(
            "Collect coins, perceived only through a costly sensor; shiny things are perceived for free "
            "and, in training, every coin is shiny. Depending on the regime, deployment decorrelates "
            "the two, puts the coins in a maze (where a planner without its costly map gets lost), or both."
        ),
        knobs=asdict(k),
    )


def story_summary(run) -> list[str]:
    """Training against deployment: coins, shiny things taken, navigation, and the shares of the
    population with the sensor and the map."""
    table = run.assessment
    lines = [f"coinrun ({run.scenario.knobs.get('regime', '?')}): selected for coins; shiny is free to see"]
    for dist, part in table.groupby("distribution", sort=False):
        lines.append(f"  {dist:<18} coins {part['outcome:coin'].mean():4.2f}  shiny {part['outcome:shiny'].mean():4.2f}"
                     f"  navigation {part['navigation'].mean():5.2f}  sensor {part['sensor:coin'].mean():.2f}"
                     f"  map {part['map'].mean():.2f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """``python -m scenarios.coinrun``: evolve, assess, draw and summarise."""
    from scenarios.app.cli import run_scenario_cli

    return run_scenario_cli(NAME, Knobs, make, argv, doc=__doc__, story=story_summary)


if __name__ == "__main__":
    raise SystemExit(main())
