"""The essay's stories, one module each (``Knobs``, ``make(**knobs) -> Scenario``, ``main()``).

A user runs a story as ``python -m scenarios.<name>`` (a thin alias module in ``scenarios``) or
``basemesa run <name>``; the registry that lists them is ``scenarios.registry``.
"""
