"""The ``kinds`` knob of the stories that set heuristics beside planners (troops, sweet_tooth,
bottle_cap): which organism kinds the kind gene may select. One table and one check, so every story
that takes the knob accepts the same values and refuses the others with the same message."""

from __future__ import annotations

from organisms.kinds import DEFAULT_KINDS

KIND_CHOICES: dict[str, tuple[str, ...]] = {"both": DEFAULT_KINDS, "heuristic": ("heuristic",),
                                            "planner": ("planner",)}
"""Values of the ``kinds`` knob and the organism kinds each lets the kind gene select."""


def kinds_knob(story: str, value: object) -> tuple[str, ...]:
    """The organism kinds a ``kinds`` knob value stands for (a story's ``defaults["kinds"]``).

    Raises:
        ValueError: naming the story and the valid values, for any other value.
    """
    if not isinstance(value, str) or value not in KIND_CHOICES:
        raise ValueError(f"{story}: knob kinds must be one of {list(KIND_CHOICES)}, got {value!r}")
    return KIND_CHOICES[value]
