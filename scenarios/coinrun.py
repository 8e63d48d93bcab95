"""``python -m scenarios.coinrun``: the story whose home is :mod:`scenarios.stories.coinrun`."""
import sys

from scenarios.stories import coinrun as story

if __name__ == "__main__":
    raise SystemExit(story.main())
sys.modules[__name__] = story
