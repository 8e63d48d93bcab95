"""``python -m scenarios.deceptive_toy``: the analysis whose home is :mod:`scenarios.analyses.deceptive_toy`."""
import sys

from scenarios.analyses import deceptive_toy as analysis

if __name__ == "__main__":
    raise SystemExit(analysis.main())
sys.modules[__name__] = analysis
