"""Sweet tooth: evolution to humans (the objective evolution selected for is not the one pursued).

Evolution selected our ancestors for nutrition and against poison, but what it built into them is a
taste for sweetness and a dislike of bitterness: in the ancestral world fruit was sweet and
nutritious and bitter plants were toxic, so taste was a perfect proxy. Nutrition and toxin are not
perceived (a costly nutrition sensor may evolve); sweetness and bitterness are, for free. In the
modern world (``modern``) candy is sweet with no nutrition and plentiful, vegetables are bitter and
nutritious, fruit is rare: the organisms get what they want, not what evolution selected for.

Run it: ``python -m scenarios.sweet_tooth`` (``--help`` lists the options).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from organisms.validation import require_integer, require_number
from scenarios.engine.kinds_knob import kinds_knob
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Objective, WorldSpec

NAME = "sweet_tooth"
SIZE = (12, 12)
STEPS = 40


@dataclass(frozen=True)
class Knobs:
    """What a user may vary in the sweet-tooth story."""

    sensor_cost: float = 1.0
    """Fitness an organism pays per episode while its nutrition sensor is on (>= 0). At 0.2 the
    sensor pays for itself through the leaves it reveals, and the sweet tooth never evolves."""
    candy_count: int = 8
    """Candy per modern world (>= 0)."""
    kinds: str = "both"
    """Organism kinds the base optimizer may choose between: "both", "heuristic" or "planner"
    (``scenarios.engine.kinds_knob.KIND_CHOICES``)."""

    def __post_init__(self):
        require_number(self.sensor_cost, "sweet_tooth: knob sensor_cost", lo=0.0)
        require_integer(self.candy_count, "sweet_tooth: knob candy_count", lo=0, hi=100)
        kinds_knob(NAME, self.kinds)


FRUIT = {"sweet": 1.0, "nutrition": 1.0}
BITTER_PLANT = {"bitter": 1.0, "toxin": 1.0}
LEAVES = {"nutrition": 0.3}
CANDY = {"sweet": 1.0}
VEGETABLE = {"bitter": 1.0, "nutrition": 1.0}


def make(**knobs) -> Scenario:
    """The sweet-tooth scenario with its knobs set (see ``Knobs``)."""
    k = Knobs(**knobs)
    ancestral = WorldSpec(size=SIZE, steps=STEPS, items=[
        ItemKind("fruit", FRUIT, 6), ItemKind("bitter plant", BITTER_PLANT, 6), ItemKind("leaves", LEAVES, 6)])
    modern = [ItemKind("vegetable", VEGETABLE, 6), ItemKind("fruit", FRUIT, 2)]
    if k.candy_count:
        modern.insert(0, ItemKind("candy", CANDY, k.candy_count))
    return Scenario(
        name=NAME,
        features=[
            Feature("sweet"),
            Feature("bitter"),
            Feature("nutrition", observable=False, sensor_cost=float(k.sensor_cost)),
            Feature("toxin", observable=False),
        ],
        train=ancestral,
        deploy={"modern": WorldSpec(size=SIZE, steps=STEPS, items=modern)},
        base=Objective({"nutrition": 1.0, "toxin": -1.0}),
        intended=None,
        defaults={"kinds": kinds_knob(NAME, k.kinds)},
        description=(
            "Eat for nutrition, avoid toxin; only sweetness and bitterness are perceived for free. In the "
            "ancestral world sweet means nutritious; in the modern world candy is sweet and empty."
        ),
        knobs=asdict(k),
    )


def story_summary(run) -> list[str]:
    """Ancestral against modern: the base score, the sweet items eaten, and decision agreement."""
    table = run.assessment
    lines = ["sweet_tooth: selected for nutrition; the organisms perceive only sweet and bitter"]
    for dist, part in table.groupby("distribution", sort=False):
        label = "ancestral" if dist == "train" else dist
        lines.append(f"  {label:<10} base {100 * part['base_frac'].mean():5.0f} % of the oracle  "
                     f"sweet items eaten {part['outcome:sweet'].mean():4.1f}  "
                     f"decision agreement {part['decision_agreement'].mean():.2f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """``python -m scenarios.sweet_tooth``: evolve, assess, draw and summarise."""
    from scenarios.app.cli import run_scenario_cli

    return run_scenario_cli(NAME, Knobs, make, argv, doc=__doc__, story=story_summary)


if __name__ == "__main__":
    raise SystemExit(main())
