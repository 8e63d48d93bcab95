"""``python -m scenarios``: list the built-in scenarios and their knobs."""

from __future__ import annotations

import sys

from scenarios.registry import knob_names, module, names

USAGE = "usage: python -m scenarios   (lists scenarios; run one with python -m scenarios.<name> [--help])"


def main(argv: list[str] | None = None) -> int:
    """Print each scenario's name, one-line story and knobs; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if argv:
        print(f"python -m scenarios: error: unexpected argument(s) {' '.join(argv)}; {USAGE}", file=sys.stderr)
        return 2
    for name in names():
        doc = (module(name).__doc__ or "").strip().splitlines()[0]
        print(f"{name:<12} {doc}")
        print(f"{'':<12} knobs: {', '.join(knob_names(name))}")
    print("\nrun one: python -m scenarios.<name> --help")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
