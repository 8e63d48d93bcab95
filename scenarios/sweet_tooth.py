"""``python -m scenarios.sweet_tooth``: the story whose home is :mod:`scenarios.stories.sweet_tooth`."""
import sys

from scenarios.stories import sweet_tooth as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
