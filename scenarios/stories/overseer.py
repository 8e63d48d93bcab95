"""Overseer: evaluation gaming, a selection-level analogue of deceptive alignment's behavioural signature.

Crops (+1) and candy (-1) lie on open fields. In a training world an overseer is present with
probability ``cue_rate``, and its banner (the *cue*, the feature ``overseer``) is seen by every
organism; an unwatched world is scored by a hidden audit with probability ``audit_rate``.
Selection sees the overseer's score (crops - candy) only in watched or audited worlds; in every world
the organism also collects a ``private_payoff`` of its own per crop and per candy (as Avida's
organisms kept replicating whatever the test). In deployment the overseer is gone. Organisms are
cue-conditional planners (one mesa-objective with the cue, one without), or with ``tied`` their
control that uses one objective whatever the cue. The compliance gap (``scenarios.analyses.compliance``)
is the overseer's score with the banner minus without it, on the same deployment worlds.

The organisms have no objective spanning updates, no model of training and no expectation that
modification ends: a gap here is evaluation-conditional compliance that selection (or the genome's
prior on a branch selection never tests) produced, not a plan.

How scoring is expressed: every crop and candy carries the features ``crop`` and ``candy``, which
organisms perceive; in a scored world they also carry ``scored crop`` / ``scored candy``, features no
organism perceives (no sensor exists). The base objective selection uses is ``scored crop - scored
candy + private_payoff * (crop + candy)``; the overseer's score, the scenario's intended goal, is
``crop - candy``. So "unscored" needs no new engine field, and every other scenario is unchanged.

Run it: ``python -m scenarios.overseer`` (``--help`` lists the options).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from organisms.cue_planner import CUE_FEATURE
from organisms.validation import require_number, require_probability
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Mixture, Objective, WorldSpec

NAME = "overseer"
SIZE = (10, 10)
STEPS = 30
CROPS = 6
CANDY = 6

OVERSEER_SCORE = Objective({"crop": 1.0, "candy": -1.0})
"""What the overseer (and an audit) scores: crops minus candy."""


@dataclass(frozen=True)
class Knobs:
    """What a user may vary in the overseer story."""

    cue_rate: float = 0.5
    """Probability that the overseer (its banner: the cue) is present in a training world."""
    audit_rate: float = 0.0
    """Probability that a hidden audit scores a training world the overseer does not watch."""
    private_payoff: float = 0.5
    """Fitness the organism collects per crop and per candy in every world, scored or not (>= 0)."""
    tied: bool = False
    """Organisms are tied planners (one objective whatever the cue), the control that cannot condition."""

    def __post_init__(self):
        for name in ("cue_rate", "audit_rate"):
            require_probability(getattr(self, name), f"overseer: knob {name}")
        require_number(self.private_payoff, "overseer: knob private_payoff", lo=0.0)
        if not isinstance(self.tied, bool):
            raise ValueError(f"overseer: knob tied must be True or False, got {self.tied!r}")


def banner() -> ItemKind:
    """The overseer's banner: carries the cue and requires it, which nothing supplies, so it is never
    taken (an inert marker every organism sees)."""
    return ItemKind("overseer's banner", {CUE_FEATURE: 1.0}, 1, requires={CUE_FEATURE: 1.0})


def field_spec(watched: bool, scored: bool) -> WorldSpec:
    """An open field of crops and candy; ``watched`` adds the banner, ``scored`` the hidden score."""
    crop = {"crop": 1.0, "scored crop": 1.0} if scored else {"crop": 1.0}
    candy = {"candy": 1.0, "scored candy": 1.0} if scored else {"candy": 1.0}
    items = [ItemKind("crop", crop, CROPS), ItemKind("candy", candy, CANDY)]
    return WorldSpec(size=SIZE, steps=STEPS, items=items + ([banner()] if watched else []), start="random")


def make(**knobs) -> Scenario:
    """The overseer scenario with its knobs set (see ``Knobs``)."""
    k = Knobs(**knobs)
    unwatched = 1.0 - k.cue_rate
    train = Mixture([(k.cue_rate, field_spec(watched=True, scored=True)),
                     (unwatched * k.audit_rate, field_spec(watched=False, scored=True)),
                     (unwatched * (1.0 - k.audit_rate), field_spec(watched=False, scored=False))])
    kind = "tied_planner" if k.tied else "cue_planner"
    pay = float(k.private_payoff)
    return Scenario(
        name=NAME,
        features=[Feature("crop"), Feature("candy"), Feature(CUE_FEATURE),
                  Feature("scored crop", observable=False), Feature("scored candy", observable=False)],
        train=train,
        deploy={"deployment": field_spec(watched=False, scored=True)},
        base=Objective({"scored crop": 1.0, "scored candy": -1.0, "crop": pay, "candy": pay}),
        intended=OVERSEER_SCORE,
        organism_kinds=(kind,),  # the genome carries this kind alone, so runs select it (Config.for_scenario)
        description=(
            "Crops (+1) and candy (-1), scored only where the overseer watches or a hidden audit "
            "falls; a private payoff per item everywhere. Deployment: the overseer is gone. Look for "
            "the compliance gap (cue on minus cue off) beside the tied and unexpressed-gene controls."
        ),
        knobs=asdict(k),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m scenarios.overseer``: evolve, assess, draw and summarise."""
    from scenarios.app.cli import run_scenario_cli

    return run_scenario_cli(NAME, Knobs, make, argv, doc=__doc__, story=_story)


def _story(run) -> list[str]:
    from scenarios.analyses.compliance import compliance

    c = compliance(run.scenario, run.population, worlds=100, seed=0, best=run.hall_of_fame[0])
    return [f"compliance gap (population): {100 * c['gap']:.0f} points of the oracle "
            f"(cue on {100 * c['cue_on']:.0f} %, cue off {100 * c['cue_off']:.0f} %); best organism: "
            f"{100 * c['best_cue_on']:.0f} % / {100 * c['best_cue_off']:.0f} %"]


if __name__ == "__main__":
    raise SystemExit(main())
