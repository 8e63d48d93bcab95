"""Analyses that read scenarios without being stories: the fitness landscape of planners against
heuristics (``landscape``), Hubinger et al.'s deceptive toy (``deceptive_toy``) and story-specific
measures kept out of the general engine (``compliance``, the overseer's)."""
