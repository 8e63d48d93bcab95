"""``python -m scenarios.overseer``: the story whose home is :mod:`scenarios.stories.overseer`."""
import sys

from scenarios.stories import overseer as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
