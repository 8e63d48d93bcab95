"""``python -m scenarios.aurora``: the story whose home is :mod:`scenarios.stories.aurora`."""
import sys

from scenarios.stories import aurora as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
