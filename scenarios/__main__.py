"""``python -m scenarios``: list the built-in scenarios and their knobs."""

from __future__ import annotations

import sys

from scenarios.app.main import listing

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
    print("\n".join(listing()))
    print("\nrun one: python -m scenarios.<name> --help")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
