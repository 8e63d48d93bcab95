"""``python -m scenarios.troops``: the story whose home is :mod:`scenarios.stories.troops`."""
import sys

from scenarios.stories import troops as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
