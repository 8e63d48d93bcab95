"""What an organism is: the genome and its decoding, the registry of organism kinds (``kinds``: the
heuristic, the planner, and the cue-conditional and tied planners, each declared in its own module), the worlds and the episode kernels
that run organisms through them, the objectives and agreement metrics that judge them, and the
behavioral objective inferred from what any organism chose (``choice_sets``,
``fit_behavioral_objective``).

Imports none of ``scenarios``, ``evolution`` or ``plots``.
"""
# First: a stale numba cache is cleared before anything compiled is loaded from it.
from organisms import compiled_cache  # noqa: F401
from organisms.behavioral_objective import BehavioralObjective, choice_accuracy, fit_behavioral_objective
from organisms.choices import NOTHING, ChoiceSets, choice_events, choice_sets
from organisms.episodes import run_population, run_population_recorded, run_recorded
from organisms.genome import (
    C_DIST,
    HORIZON_CAP,
    GenomeLayout,
    Phenotype,
    decode,
    oracle_phenotype,
    phenotype,
)
from organisms.kinds import REGISTRY as KIND_REGISTRY
from organisms.objectives import (
    agreement,
    contested,
    cosine_agreement,
    weighted_cosine,
    weighted_pearson,
)
from organisms.organism_kind import OrganismKind
from organisms.pursued import kind_names
from organisms.pursued import objectives as pursued_objectives
from organisms.pursued import per_world as pursued_per_world
from organisms.worlds import World, WorldBatch, stack_worlds

__all__ = [
    "C_DIST",
    "NOTHING",
    "BehavioralObjective",
    "ChoiceSets",
    "HORIZON_CAP",
    "KIND_REGISTRY",
    "GenomeLayout",
    "OrganismKind",
    "Phenotype",
    "World",
    "WorldBatch",
    "agreement",
    "choice_accuracy",
    "choice_events",
    "choice_sets",
    "contested",
    "cosine_agreement",
    "decode",
    "fit_behavioral_objective",
    "kind_names",
    "oracle_phenotype",
    "phenotype",
    "pursued_objectives",
    "pursued_per_world",
    "run_population",
    "run_population_recorded",
    "run_recorded",
    "stack_worlds",
    "weighted_cosine",
    "weighted_pearson",
]
