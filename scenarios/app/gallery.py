"""Regenerate the docs' headline figures (docs/figures): ``python -m scenarios.app.gallery``.

Runs every built-in scenario at its defaults (seed 0), and writes its divergence figure and its
train-beside-deploy episode map as ``docs/figures/<scenario>_<figure>.png``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from scenarios.registry import module, names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scenarios.app.gallery", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/figures"), help="folder for the PNGs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names():
        with tempfile.TemporaryDirectory() as tmp:
            status = module(name).main(["--seed", str(args.seed), "--out", tmp, "--formats", "png", "--quiet"])
            if status:
                return status
            for figure in sorted(Path(tmp).glob("*.png")):
                shutil.copy(figure, args.out / f"{name}_{figure.name}")
                print(args.out / f"{name}_{figure.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
