"""``python -m scenarios``: list the built-in scenarios and their knobs."""

from __future__ import annotations

import sys

from scenarios.engine.registry import knob_names, module, names


def main() -> int:
    if len(sys.argv) > 1:
        print("usage: python -m scenarios   (lists scenarios; run one with python -m scenarios.<name>)",
              file=sys.stderr)
        return 2
    for name in names():
        doc = (module(name).__doc__ or "").strip().splitlines()[0]
        print(f"{name:<12} {doc}")
        print(f"{'':<12} knobs: {', '.join(knob_names(name))}")
    print("\nrun one: python -m scenarios.<name> --help")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
