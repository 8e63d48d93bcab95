"""What an organism is: the genome and its decoding, the heuristic and planner policies, the
episode kernels that run them, and the objectives and agreement metrics that judge them.

Imports none of ``scenarios``, ``evolution`` or ``plots``.
"""

from organisms.episodes import World, WorldBatch, run_population, run_recorded, stack_worlds
from organisms.genome import (
    C_DIST,
    HORIZON_CAP,
    GenomeLayout,
    Phenotype,
    decode,
    oracle_phenotype,
    phenotype,
)
from organisms.objectives import agreement, weighted_pearson

__all__ = [
    "C_DIST",
    "HORIZON_CAP",
    "GenomeLayout",
    "Phenotype",
    "World",
    "WorldBatch",
    "agreement",
    "decode",
    "oracle_phenotype",
    "phenotype",
    "run_population",
    "run_recorded",
    "stack_worlds",
    "weighted_pearson",
]
