"""``python -m scenarios.bottle_cap``: the story whose home is :mod:`scenarios.stories.bottle_cap`."""
import sys

from scenarios.stories import bottle_cap as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
