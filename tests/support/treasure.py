"""The treasure scenario: a small custom Scenario that exercises every engine feature at once
(keys and chests, a sensed and a hidden feature, inert items, open/walled/rooms/maze worlds,
horizon scales other than 1, mixtures and grids of different sizes)."""

from __future__ import annotations

from scenarios import Feature, ItemKind, Mixture, Objective, Scenario, WorldSpec

TREASURE_FEATURES = (
    Feature("gem"),
    Feature("key"),
    Feature("gold"),
    Feature("poison", observable=False, sensor_cost=0.1),  # perceivable through a sensor gene
    Feature("secret", observable=False),  # never perceived
)


def treasure_items(scale: int = 1) -> list[ItemKind]:
    """Keys and chests, a sensed hazard, a hidden feature and an inert thing."""
    return [
        ItemKind("gem", {"gem": 1}, count=(2, 4 * scale)),
        ItemKind("key", {"key": 1}, count=(1, 3)),
        ItemKind("chest", {"gold": 3}, count=(1, 3), requires={"key": 1}),
        ItemKind("trap", {"gem": 1, "poison": 1}, count=(0, 2)),
        ItemKind("rock", {}, count=(0, 2)),
        ItemKind("relic", {"secret": 2, "gold": 1}, count=1),
    ]


TREASURE_SPECS = {
    "open_bare": WorldSpec(size=(8, 9), steps=25, items=treasure_items()),
    "open_walls": WorldSpec(size=(10, 12), steps=30, items=treasure_items(2), walls=0.25),
    "rooms": WorldSpec(size=(11, 11), steps=35, items=treasure_items(), walls=0.1, layout="rooms",
                       start="center", horizon_scale=0.5),
    "maze": WorldSpec(size=(11, 13), steps=50, items=treasure_items(), layout="maze", start="corner",
                      horizon_scale=2.0),
    "small_open": WorldSpec(size=(6, 5), steps=20, items=treasure_items(), walls=0.3, horizon_scale=1.7),
}
"""One spec per structure; different grid sizes so stacked batches are padded."""


def make_treasure() -> Scenario:
    """A scenario whose train and deploy distributions cover open, walled, rooms and maze worlds."""
    return Scenario(
        name="treasure",
        features=TREASURE_FEATURES,
        train=TREASURE_SPECS["open_walls"],
        deploy={
            "rooms": TREASURE_SPECS["rooms"],
            "maze": TREASURE_SPECS["maze"],
            "mixed": Mixture([(1.0, TREASURE_SPECS["small_open"]), (1.0, TREASURE_SPECS["open_bare"]),
                              (1.0, TREASURE_SPECS["maze"]), (0.5, TREASURE_SPECS["rooms"])]),
        },
        base=Objective({"gold": 1.0, "gem": 0.5, "poison": -2.0}),
        intended=Objective({"gold": 1.0, "secret": 1.0}),
        compute_cost=0.001,
    )
