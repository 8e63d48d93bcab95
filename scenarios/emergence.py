"""``python -m scenarios.emergence``: the story whose home is :mod:`scenarios.stories.emergence`."""
import sys

from scenarios.stories import emergence as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
