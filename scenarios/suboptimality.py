"""``python -m scenarios.suboptimality``: the story whose home is :mod:`scenarios.stories.suboptimality`."""
import sys

from scenarios.stories import suboptimality as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
